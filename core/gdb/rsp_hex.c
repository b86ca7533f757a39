#include "core/gdb/rsp_hex.h"

int rsp_hex_digit(uint8_t c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool rsp_hex_parse_u64(const uint8_t **p, const uint8_t *end, uint64_t *value)
{
    const uint8_t *q = *p;
    uint64_t v = 0;
    int digits = 0;
    while (q < end && rsp_hex_digit(*q) >= 0) {
        if (++digits > 16)
            return false;
        v = (v << 4) | (uint64_t)rsp_hex_digit(*q);
        q++;
    }
    if (digits == 0)
        return false;
    *p = q;
    *value = v;
    return true;
}

bool rsp_hex_decode(const uint8_t *hex, size_t hex_len, uint8_t *out, size_t cap, size_t *n)
{
    if (hex_len % 2 != 0 || hex_len / 2 > cap)
        return false;
    for (size_t i = 0; i < hex_len / 2; i++) {
        int hi = rsp_hex_digit(hex[2 * i]), lo = rsp_hex_digit(hex[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return false;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    *n = hex_len / 2;
    return true;
}

size_t rsp_hex_encode(const uint8_t *bytes, size_t len, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < len; i++) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 15];
    }
    return 2 * len;
}
