/* Parses the clock device's `start` key. */
#ifndef MINIVM_PLUGINS_CLOCK_INSTANT_H
#define MINIVM_PLUGINS_CLOCK_INSTANT_H

#include <stdint.h>

/* "2024-01-01T00:00:00Z" (UTC, ISO 8601; optional fraction of seconds) or a
 * whole number of seconds since the epoch, from 1970 up to
 * 2200-01-01T00:00:00Z. 0 and *ns set, or -1. */
int instant_parse(const char *text, int64_t *ns);

#endif
