/*
 * The kernel's random numbers (getrandom, AT_RANDOM): a ChaCha20 generator
 * keyed from the host's 16 boot_info.random bytes (plus RDRAND when the CPU
 * has it), re-keyed from its own output after every request so earlier output
 * cannot be recomputed from the state (fast key erasure).
 */
#ifndef KERNEL_RANDOM_H
#define KERNEL_RANDOM_H

#include <stdint.h>

void random_init(void);
void random_bytes(void *buf, uint64_t len);

#endif
