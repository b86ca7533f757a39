/*
 * GDB remote serial protocol framing: `$data#cs` packets, `+`/`-`
 * acknowledgements, the 0x03 interrupt byte, `}` escapes (binary X packets).
 * Pure state machines over bytes, no I/O: the socket code feeds them, and so
 * do the unit tests and the fuzz target.
 *
 * Input packets are bounded (RSP_PACKET_MAX bytes after unescaping, the
 * PacketSize the stub announces); a longer one is dropped whole and answered
 * with `-`, like one with a bad checksum. Run-length encoding is only ever
 * sent by stubs, never by gdb, so `*` is an ordinary byte on input.
 */
#ifndef MINIVM_CORE_GDB_RSP_FRAMING_H
#define MINIVM_CORE_GDB_RSP_FRAMING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RSP_PACKET_MAX 4096u

enum rsp_input {
    RSP_INPUT_NONE,      /* nothing complete yet (or a byte outside any packet) */
    RSP_INPUT_PACKET,    /* a packet with a good checksum: decoder.data/len */
    RSP_INPUT_BAD,       /* a packet with a bad checksum or too long: answer `-` */
    RSP_INPUT_INTERRUPT, /* 0x03 outside a packet: gdb's Ctrl-C */
};

struct rsp_decoder {
    enum { RSP_IDLE, RSP_DATA, RSP_ESCAPE, RSP_SUM_HI, RSP_SUM_LO } state;
    uint8_t data[RSP_PACKET_MAX + 1]; /* +1: a NUL after the data, for convenience */
    size_t len;
    uint8_t sum;      /* running checksum of the raw (escaped) bytes */
    uint8_t sum_hi;   /* first checksum digit */
    bool overflow;    /* more than RSP_PACKET_MAX bytes: dropped */
};

void rsp_decoder_init(struct rsp_decoder *d);

/* Feeds one byte. On RSP_INPUT_PACKET the packet is in d->data[0..d->len)
 * (NUL-terminated) until the next call. */
enum rsp_input rsp_decoder_feed(struct rsp_decoder *d, uint8_t byte);

/* Frames `len` bytes as `$...#cs`, escaping `$ # } *`, into `out`.
 * Returns the framed length, or 0 when it would not fit in `cap`. */
size_t rsp_encode(const uint8_t *data, size_t len, uint8_t *out, size_t cap);

#ifdef __cplusplus
}
#endif

#endif
