#include "core/gdb/rsp_framing.h"

#include <string.h>

#include "core/gdb/rsp_hex.h"

void rsp_decoder_init(struct rsp_decoder *d)
{
    memset(d, 0, sizeof *d);
}

static void start_packet(struct rsp_decoder *d)
{
    d->state = RSP_DATA;
    d->len = 0;
    d->sum = 0;
    d->overflow = false;
}

static void append(struct rsp_decoder *d, uint8_t byte)
{
    if (d->len < RSP_PACKET_MAX)
        d->data[d->len++] = byte;
    else
        d->overflow = true;
}

enum rsp_input rsp_decoder_feed(struct rsp_decoder *d, uint8_t byte)
{
    switch (d->state) {
    case RSP_IDLE:
        if (byte == '$')
            start_packet(d);
        else if (byte == 0x03)
            return RSP_INPUT_INTERRUPT;
        /* `+`, `-` and noise between packets: nothing to do (the stub never
         * resends, so a `-` from gdb only means gdb will resend itself). */
        return RSP_INPUT_NONE;
    case RSP_DATA:
        if (byte == '#') {
            d->state = RSP_SUM_HI;
            return RSP_INPUT_NONE;
        }
        if (byte == '$') { /* a lost `#`: gdb started over */
            start_packet(d);
            return RSP_INPUT_NONE;
        }
        d->sum = (uint8_t)(d->sum + byte);
        if (byte == '}')
            d->state = RSP_ESCAPE;
        else
            append(d, byte);
        return RSP_INPUT_NONE;
    case RSP_ESCAPE:
        d->sum = (uint8_t)(d->sum + byte);
        append(d, byte ^ 0x20);
        d->state = RSP_DATA;
        return RSP_INPUT_NONE;
    case RSP_SUM_HI:
        d->sum_hi = byte;
        d->state = RSP_SUM_LO;
        return RSP_INPUT_NONE;
    case RSP_SUM_LO: {
        d->state = RSP_IDLE;
        int hi = rsp_hex_digit(d->sum_hi), lo = rsp_hex_digit(byte);
        if (hi < 0 || lo < 0 || (uint8_t)(hi << 4 | lo) != d->sum || d->overflow) {
            d->len = 0;
            return RSP_INPUT_BAD;
        }
        d->data[d->len] = 0;
        return RSP_INPUT_PACKET;
    }
    }
    d->state = RSP_IDLE;
    return RSP_INPUT_NONE;
}

size_t rsp_encode(const uint8_t *data, size_t len, uint8_t *out, size_t cap)
{
    size_t n = 0;
    uint8_t sum = 0;
    if (cap < 4)
        return 0;
    out[n++] = '$';
    for (size_t i = 0; i < len; i++) {
        uint8_t b = data[i];
        bool escape = b == '$' || b == '#' || b == '}' || b == '*';
        if (n + (escape ? 2 : 1) + 3 > cap)
            return 0;
        if (escape) {
            out[n++] = '}';
            sum = (uint8_t)(sum + '}');
            b ^= 0x20;
        }
        out[n++] = b;
        sum = (uint8_t)(sum + b);
    }
    static const char digits[] = "0123456789abcdef";
    out[n++] = '#';
    out[n++] = (uint8_t)digits[sum >> 4];
    out[n++] = (uint8_t)digits[sum & 15];
    return n;
}
