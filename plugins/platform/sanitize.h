/*
 * Makes untrusted guest text safe to print on the host's terminal: a guest
 * kernel message must not be able to move the cursor, retitle the window,
 * clear the screen or forge other minivm output.
 */
#ifndef MINIVM_PLUGINS_PLATFORM_SANITIZE_H
#define MINIVM_PLUGINS_PLATFORM_SANITIZE_H

#include <stddef.h>

/*
 * Copies `len` bytes of `in` into `out` (room for `cap` bytes, cap >= 1) as
 * printable ASCII lines separated by '\n', NUL-terminated:
 *  - ESC sequences (CSI "ESC [ ... final", OSC/DCS/SOS/PM/APC strings up to
 *    BEL or "ESC \", and two-byte escapes) are removed whole;
 *  - a tab becomes a space; other control bytes (CR, BEL, BS, DEL, ...) are
 *    removed; bytes >= 0x80 (including the C1 controls) become '?';
 *  - a newline ends a line; empty lines are dropped and there is no trailing
 *    '\n', so every line is non-empty.
 * Returns the length written (without the NUL).
 */
size_t sanitize_text(const unsigned char *in, size_t len, char *out, size_t cap);

#endif
