/* Lines of text built without stdio (no malloc, no TLS) and written with one
 * write() each, so a line never interleaves with another process's output. */
#ifndef GUEST_FUZZ_OUT_H
#define GUEST_FUZZ_OUT_H

#include <stdint.h>

#define OUT_LINE_MAX 1024

struct out {
    char buf[OUT_LINE_MAX];
    unsigned len;
};

void out_str(struct out *o, const char *s);
void out_dec(struct out *o, int64_t v);
void out_udec(struct out *o, uint64_t v);
void out_hex(struct out *o, uint64_t v); /* 0x... */
/* `len` bytes of a string, quoted, non-printable bytes escaped; at most 80
 * are shown. Reads nothing past s[len - 1] (strings may end at a guard page). */
void out_quoted(struct out *o, const char *s, unsigned len);
/* Appends "\n" and writes the line to fd; starts a new line. */
void out_line(struct out *o, int fd);

#endif
