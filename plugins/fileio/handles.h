/*
 * The guest's handles: small integers chosen here, never host fds, bounded by
 * the `max_open` key so a guest cannot exhaust the VMM's descriptors.
 */
#ifndef MINIVM_PLUGINS_FILEIO_HANDLES_H
#define MINIVM_PLUGINS_FILEIO_HANDLES_H

#include <stdbool.h>
#include <stdint.h>

struct handle {
    int fd; /* -1 when the slot is free */
    bool is_dir;
};

struct handle_table {
    struct handle *slots;
    uint32_t cap;
};

/* 0, or -1 when out of memory. */
int handles_init(struct handle_table *t, uint32_t cap);
/* Closes every fd still open and frees the table. */
void handles_fini(struct handle_table *t);

/* The lowest free handle, or -EMFILE. Look before opening, so a full table
 * never leaves a side effect (a created file) behind a failed open. */
int32_t handles_free_slot(const struct handle_table *t);
/* Fills a slot handles_free_slot returned. */
void handles_set(struct handle_table *t, int32_t h, int fd, bool is_dir);

/* The open handle `h`, or NULL for any value that is not one. */
const struct handle *handles_get(const struct handle_table *t, int32_t h);
/* Closes `h`: 0, or -EBADF. */
int handles_close(struct handle_table *t, int32_t h);

#endif
