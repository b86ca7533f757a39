#include "clock/instant.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_SECONDS 253402300799ll /* 9999-12-31T23:59:59Z */

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
    time_t seconds = timegm(&tm);
    if (seconds < 0 || seconds > MAX_SECONDS)
        return -1;
    *ns = (int64_t)seconds * 1000000000ll + fraction;
    return 0;
}
