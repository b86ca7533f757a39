/*
 * MMIO ABI of the random-number device (kind "rng"). One 4 KiB window:
 *
 *   0x00 DATA      read 1, 2, 4 or 8 bytes: that many random bytes
 *   0x08 FLAGS     read 4: RNG_FLAG_DETERMINISTIC when seeded from the config
 *   0x10 FILL_GPA  write 8: guest-physical address for FILL_LEN
 *   0x18 FILL_LEN  write 8 (1..RNG_FILL_MAX): fills [FILL_GPA, +len) of guest RAM
 *                  with random bytes in one exit; read 8: bytes filled by the
 *                  last fill (0 if FILL_GPA..+len was not guest RAM)
 *
 * Any other offset or width is refused (the VM ends with status 125).
 * With `seed = N` in the plugin's section the byte stream is a deterministic
 * function of N, so a run can be reproduced byte for byte.
 */
#ifndef MINIVM_RNG_ABI_H
#define MINIVM_RNG_ABI_H

#define RNG_KIND "rng"
#define RNG_WINDOW_SIZE 0x1000u

#define RNG_REG_DATA 0x00u
#define RNG_REG_FLAGS 0x08u
#define RNG_REG_FILL_GPA 0x10u
#define RNG_REG_FILL_LEN 0x18u

#define RNG_FLAG_DETERMINISTIC 0x1u
#define RNG_FILL_MAX 0x10000u

#endif
