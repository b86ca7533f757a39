/*
 * Generated files: bytes produced by a `fill` function when the file is
 * opened (and again when it is rewound to 0), kept in a memory object and
 * read like a regular file. Directories are generated too: their bytes are
 * the linux_dirent64 records getdents64 hands out (gen_dir_add). /proc,
 * /sys and tmpfs directory listings are such files.
 */
#ifndef KERNEL_FS_GEN_FILE_H
#define KERNEL_FS_GEN_FILE_H

#include "fileio/fileio_abi.h"

#include <stdint.h>

struct file;
struct text;

/* Linux's d_type values. */
#define DT_UNKNOWN 0
#define DT_FIFO 1
#define DT_CHR 2
#define DT_DIR 4
#define DT_REG 8
#define DT_LNK 10
#define DT_SOCK 12

struct gen_ops {
    /* Writes the contents: 0 or -errno (the text's own error counts too). */
    int (*fill)(void *owner, struct text *t);
    /* fstat; NULL: the stat given at open. */
    int (*stat)(void *owner, struct fileio_stat *st);
    /* Drops `owner` with the last reference to the file; NULL: kfree. */
    void (*release)(void *owner);
};

/*
 * Opens a generated file: `owner` (which the file takes over) is what `ops`
 * work on, `st` its stat (S_IFDIR for a listing). 0 and *out, or -errno
 * (then `owner` has been released).
 */
int gen_file_open(const struct gen_ops *ops, void *owner, const struct fileio_stat *st,
                  uint32_t flags, struct file **out);

/* Adds one directory entry to a listing being filled. */
void gen_dir_add(struct text *t, uint64_t ino, uint8_t type, const char *name);

/* The d_type of an st_mode. */
uint8_t gen_dir_type(uint32_t mode);

#endif
