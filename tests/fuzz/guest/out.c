#include "tests/fuzz/guest/out.h"

#include "tests/fuzz/guest/raw.h"

static void put(struct out *o, char c)
{
    if (o->len < OUT_LINE_MAX - 1)
        o->buf[o->len++] = c;
}

void out_str(struct out *o, const char *s)
{
    while (*s)
        put(o, *s++);
}

void out_udec(struct out *o, uint64_t v)
{
    char digits[24];
    int n = 0;
    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    while (n > 0)
        put(o, digits[--n]);
}

void out_dec(struct out *o, int64_t v)
{
    if (v < 0) {
        put(o, '-');
        out_udec(o, -(uint64_t)v);
    } else {
        out_udec(o, (uint64_t)v);
    }
}

void out_hex(struct out *o, uint64_t v)
{
    static const char hex[] = "0123456789abcdef";
    out_str(o, "0x");
    int shift = 60;
    while (shift > 0 && ((v >> shift) & 0xf) == 0)
        shift -= 4;
    for (; shift >= 0; shift -= 4)
        put(o, hex[(v >> shift) & 0xf]);
}

void out_quoted(struct out *o, const char *s, unsigned len)
{
    static const char hex[] = "0123456789abcdef";
    unsigned shown = len < 80 ? len : 80;
    put(o, '"');
    for (unsigned i = 0; i < shown; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
            put(o, (char)c);
        } else {
            put(o, '\\');
            put(o, 'x');
            put(o, hex[c >> 4]);
            put(o, hex[c & 0xf]);
        }
    }
    put(o, '"');
    if (shown < len)
        out_str(o, "...");
}

void out_line(struct out *o, int fd)
{
    o->buf[o->len++] = '\n';
    for (unsigned done = 0; done < o->len;) {
        long n = raw3(1 /* write */, fd, (long)(o->buf + done), o->len - done);
        if (n <= 0)
            break;
        done += (unsigned)n;
    }
    o->len = 0;
}
