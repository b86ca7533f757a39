/*
 * A read-only file over bytes already in guest RAM: the program image the VMM
 * placed there. ELF segments are mapped from it like from any file, and its
 * pages can back read-only mappings directly, without a copy.
 */
#ifndef KERNEL_FS_IMAGE_FILE_H
#define KERNEL_FS_IMAGE_FILE_H

#include <stdbool.h>
#include <stdint.h>

struct file;

/* [pa, pa + size) must stay reserved for as long as the file is used.
 * NULL when out of memory. */
struct file *image_file_open(uint64_t pa, uint64_t size);

/* A new open file of the same image with its own position (/proc/PID/exe
 * opened by a program): NULL when `f` is no image file or out of memory. */
struct file *image_file_reopen(const struct file *f, uint32_t flags);
/* True for a file of the program image. */
bool image_file_is(const struct file *f);

#endif
