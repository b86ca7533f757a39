/*
 * A table of non-overlapping address ranges with their owners: the port table
 * and the MMIO table are both instances. Registration refuses overlaps (naming
 * both owners); lookup is a binary search, since it runs on every VM exit.
 */
#ifndef MINIVM_CORE_RANGE_TABLE_H
#define MINIVM_CORE_RANGE_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "minivm/boot_info.h"
#include "minivm/plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

struct range_entry {
    uint64_t start;
    uint64_t size;
    const char *owner; /* plugin name, for messages; not owned */
    char kind[MINIVM_DEVICE_KIND_LEN];
    union {
        minivm_port_handler port;
        minivm_mmio_handler mmio;
    } handler;
    void *opaque;
};

#define RANGE_TABLE_MAX 64

struct range_table {
    const char *what; /* "port" or "MMIO", for messages */
    size_t count;
    struct range_entry entries[RANGE_TABLE_MAX]; /* sorted by start */
};

void range_table_init(struct range_table *table, const char *what);

/* Adds `entry` (size > 0, no wrap, kind non-empty and short enough).
 * 0, or -1 with a message naming both owners on overlap. */
int range_table_register(struct range_table *table, const struct range_entry *entry);

/* The entry containing [addr, addr+len), or NULL (also when the access straddles
 * the end of an entry). */
const struct range_entry *range_table_lookup(const struct range_table *table, uint64_t addr,
                                             uint64_t len);

#ifdef __cplusplus
}
#endif

#endif
