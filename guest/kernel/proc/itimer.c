#include "proc/itimer.h"

#include "kernel/clock.h"
#include "proc/process.h"
#include "proc/signal.h"

void itimer_get(const struct process *p, uint64_t *value_ns, uint64_t *interval_ns)
{
    uint64_t now = clock_monotonic_ns();
    *interval_ns = p->alarm_interval_ns;
    if (p->alarm_at_ns == 0)
        *value_ns = 0;
    else /* due but not yet sent: Linux reports the smallest time it keeps */
        *value_ns = p->alarm_at_ns > now ? p->alarm_at_ns - now : 1000;
}

void itimer_set(struct process *p, uint64_t value_ns, uint64_t interval_ns,
                uint64_t *old_value_ns, uint64_t *old_interval_ns)
{
    itimer_get(p, old_value_ns, old_interval_ns);
    if (value_ns == 0) {
        p->alarm_at_ns = 0;
        p->alarm_interval_ns = 0;
        return;
    }
    uint64_t now = clock_monotonic_ns();
    p->alarm_at_ns = now + value_ns < now ? UINT64_MAX : now + value_ns;
    p->alarm_interval_ns = interval_ns;
}

uint64_t itimer_expire(struct process *p, uint64_t now_ns)
{
    if (p->alarm_at_ns == 0 || now_ns < p->alarm_at_ns)
        return p->alarm_at_ns;
    signal_send(p, SIGALRM, 0);
    if (p->alarm_interval_ns == 0) {
        p->alarm_at_ns = 0;
    } else {
        /* Periods missed while nobody looked collapse into this one signal,
         * as pending signals do on Linux. */
        uint64_t missed = (now_ns - p->alarm_at_ns) / p->alarm_interval_ns + 1;
        p->alarm_at_ns += missed * p->alarm_interval_ns;
    }
    return p->alarm_at_ns;
}
