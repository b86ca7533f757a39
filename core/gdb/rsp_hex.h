/*
 * Hex digits as the GDB remote protocol writes them. Pure functions, every
 * length checked: the peer's packets are parsed with these.
 */
#ifndef MINIVM_CORE_GDB_RSP_HEX_H
#define MINIVM_CORE_GDB_RSP_HEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* 0..15 for a hex digit (either case), -1 for anything else. */
int rsp_hex_digit(uint8_t c);

/* Parses 1..16 hex digits at *p (not beyond `end`) into *value and advances
 * *p past them. false when there is no digit or more than 16. */
bool rsp_hex_parse_u64(const uint8_t **p, const uint8_t *end, uint64_t *value);

/* Decodes 2*n hex digits into n bytes. false on an odd count, a non-digit,
 * or more than `cap` bytes; *n is the byte count on success. */
bool rsp_hex_decode(const uint8_t *hex, size_t hex_len, uint8_t *out, size_t cap, size_t *n);

/* Writes 2*len lowercase hex digits (no NUL) and returns 2*len. */
size_t rsp_hex_encode(const uint8_t *bytes, size_t len, char *out);

#ifdef __cplusplus
}
#endif

#endif
