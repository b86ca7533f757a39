/*
 * Guest RAM: one anonymous MAP_NORESERVE mapping, exposed to the guest as one or
 * two KVM memory slots around the MMIO hole (see minivm/boot_info.h).
 * guest_memory_ptr() is THE checked translation from guest-physical ranges to
 * host pointers; everything in the core and the host API goes through it.
 */
#ifndef MINIVM_CORE_GUEST_MEMORY_H
#define MINIVM_CORE_GUEST_MEMORY_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct guest_memory {
    uint8_t *host_base;  /* the whole mapping */
    uint64_t size;       /* total RAM bytes */
    uint64_t low_size;   /* RAM at [0, low_size) */
    uint64_t high_size;  /* RAM at [MINIVM_HIGH_RAM_START, +high_size) */
};

/* Smallest and largest RAM sizes minivm accepts. */
#define GUEST_MEMORY_MIN (16ull << 20)
#define GUEST_MEMORY_MAX (256ull << 30)

/* Maps `size` bytes (a multiple of 2 MiB within [MIN, MAX]). 0 or -1 (logged). */
int guest_memory_init(struct guest_memory *mem, uint64_t size);
void guest_memory_destroy(struct guest_memory *mem);

/* Host pointer for [gpa, gpa+len) if it lies wholly inside one RAM range, else NULL.
 * Overflow-safe for any 64-bit inputs. */
void *guest_memory_ptr(const struct guest_memory *mem, uint64_t gpa, uint64_t len);

#ifdef __cplusplus
}
#endif

#endif
