#include "sanitize.h"

#include <stdbool.h>

#define ESC 0x1b
#define BEL 0x07

/* Skips the escape sequence starting at in[i] == ESC; returns the index just
 * past it (or len when it runs off the end, which drops the tail: an
 * unterminated sequence must not leak its body as text). */
static size_t skip_escape(const unsigned char *in, size_t len, size_t i)
{
    i++; /* ESC */
    if (i >= len)
        return len;
    unsigned char kind = in[i++];
    if (kind == '[') {
        /* CSI: parameter and intermediate bytes (0x20..0x3f), then one final byte. */
        while (i < len && in[i] >= 0x20 && in[i] <= 0x3f)
            i++;
        return i < len ? i + 1 : len;
    }
    if (kind == ']' || kind == 'P' || kind == 'X' || kind == '^' || kind == '_') {
        /* String sequences (OSC, DCS, SOS, PM, APC): up to BEL or ST (ESC \). */
        while (i < len) {
            if (in[i] == BEL)
                return i + 1;
            if (in[i] == ESC && i + 1 < len && in[i + 1] == '\\')
                return i + 2;
            i++;
        }
        return len;
    }
    /* nF escapes: intermediates 0x20..0x2f, then a final byte; otherwise the
     * single byte after ESC was the whole sequence. */
    if (kind >= 0x20 && kind <= 0x2f) {
        while (i < len && in[i] >= 0x20 && in[i] <= 0x2f)
            i++;
        return i < len ? i + 1 : len;
    }
    return i;
}

size_t sanitize_text(const unsigned char *in, size_t len, char *out, size_t cap)
{
    size_t o = 0;
    bool line_has_text = false;
    size_t i = 0;
    /* Keep one byte for the NUL. */
    while (i < len && o + 1 < cap) {
        unsigned char c = in[i];
        if (c == ESC) {
            i = skip_escape(in, len, i);
            continue;
        }
        i++;
        if (c == '\n') {
            /* Starting a new line only when the current one has text drops empty lines. */
            if (line_has_text && o + 2 < cap) {
                out[o++] = '\n';
                line_has_text = false;
            }
            continue;
        }
        char keep;
        if (c == '\t')
            keep = ' ';
        else if (c >= 0x20 && c < 0x7f)
            keep = (char)c;
        else if (c >= 0x80)
            keep = '?';
        else
            continue; /* other C0 controls and DEL */
        out[o++] = keep;
        line_has_text = true;
    }
    /* A newline followed by nothing printable leaves a trailing separator. */
    if (o > 0 && out[o - 1] == '\n')
        o--;
    out[o] = '\0';
    return o;
}
