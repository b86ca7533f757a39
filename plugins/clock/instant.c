#include "clock/instant.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* 2200-01-01T00:00:00Z: as nanoseconds it fits an int64_t (which ends in
 * 2262) with decades to spare for the clock to run on from the start. */
#define MAX_SECONDS 7258118400ll

static int parse_seconds(const char *text, int64_t *ns)
{
    char *end = NULL;
    errno = 0;
    long long s = strtoll(text, &end, 10);
    if (errno || *end != '\0' || s < 0 || s > MAX_SECONDS)
        return -1;
    *ns = s * 1000000000ll;
    return 0;
}

int instant_parse(const char *text, int64_t *ns)
{
    if (!isdigit((unsigned char)text[0]))
        return -1;
    if (!strchr(text, '-'))
        return parse_seconds(text, ns);
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    const char *rest = strptime(text, "%Y-%m-%dT%H:%M:%S", &tm);
    if (!rest)
        return -1;
    int64_t fraction = 0;
    if (*rest == '.') {
        int64_t scale = 100000000;
        rest++;
        if (!isdigit((unsigned char)*rest))
            return -1;
        for (; isdigit((unsigned char)*rest); rest++) {
            fraction += (*rest - '0') * scale;
            scale /= 10;
        }
    }
    if (strcmp(rest, "Z") != 0)
        return -1;
    struct tm parsed = tm;
    time_t seconds = timegm(&tm);
    if (seconds < 0 || seconds > MAX_SECONDS)
        return -1;
    /* timegm normalises what strptime let through (February 30th is March
     * 2nd): a date that does not exist is not an instant. */
    if (tm.tm_year != parsed.tm_year || tm.tm_mon != parsed.tm_mon ||
        tm.tm_mday != parsed.tm_mday || tm.tm_hour != parsed.tm_hour ||
        tm.tm_min != parsed.tm_min || tm.tm_sec != parsed.tm_sec)
        return -1;
    *ns = (int64_t)seconds * 1000000000ll + fraction;
    return 0;
}
