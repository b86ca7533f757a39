#include "proc/itimer.h"

#include "kernel/clock.h"
#include "kernel/sched.h"
#include "proc/process.h"
#include "proc/signal.h"

static int armed_count;

int itimer_armed_count(void)
{
    return armed_count;
}

void itimer_get(const struct process *p, uint64_t *value_ns, uint64_t *interval_ns)
{
    uint64_t now = clock_monotonic_ns();
    *interval_ns = p->alarm_interval_ns;
    if (p->alarm_at_ns == 0)
        *value_ns = 0;
    else /* due but not yet sent: Linux reports the smallest time it keeps */
        *value_ns = p->alarm_at_ns > now ? p->alarm_at_ns - now : 1000;
}

void itimer_disarm(struct process *p)
{
    if (p->alarm_at_ns != 0)
        armed_count--;
    p->alarm_at_ns = 0;
    p->alarm_interval_ns = 0;
}

void itimer_set(struct process *p, uint64_t value_ns, uint64_t interval_ns,
                uint64_t *old_value_ns, uint64_t *old_interval_ns)
{
    itimer_get(p, old_value_ns, old_interval_ns);
    itimer_disarm(p);
    if (value_ns == 0)
        return;
    uint64_t now = clock_monotonic_ns();
    p->alarm_at_ns = now + value_ns < now ? UINT64_MAX : now + value_ns;
    p->alarm_interval_ns = interval_ns;
    signal_flag_return_work(p);
    armed_count++;
    sched_deadline_armed();
}

uint64_t itimer_expire(struct process *p, uint64_t now_ns)
{
    if (p->alarm_at_ns == 0 || now_ns < p->alarm_at_ns)
        return p->alarm_at_ns;
    signal_send(p, SIGALRM, 0);
    if (p->alarm_interval_ns == 0) {
        itimer_disarm(p);
    } else {
        /* Periods missed while nobody looked collapse into this one signal,
         * as pending signals do on Linux. */
        uint64_t missed = (now_ns - p->alarm_at_ns) / p->alarm_interval_ns + 1;
        p->alarm_at_ns += missed * p->alarm_interval_ns;
    }
    return p->alarm_at_ns;
}

uint64_t itimer_expire_all(uint64_t now_ns)
{
    uint64_t earliest = 0;
    for (int i = 0; i < process_table_end() && armed_count > 0; i++) {
        struct process *p = process_at(i);
        if (p == 0 || p->state == PROC_ZOMBIE || p->alarm_at_ns == 0)
            continue;
        uint64_t next = itimer_expire(p, now_ns);
        if (next != 0 && (earliest == 0 || next < earliest))
            earliest = next;
    }
    return earliest;
}
