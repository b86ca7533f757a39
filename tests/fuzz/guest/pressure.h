/*
 * Conditions some batches fuzz under: guest memory eaten down to a small
 * margin (kernel objects come from the same pages, so allocations fail all
 * over the kernel: its ENOMEM paths), or a process table filled with
 * sleeping children (fork's EAGAIN paths). They last until the batch is
 * killed: the memory is the batch's, the sleepers are in its process group.
 */
#ifndef GUEST_FUZZ_PRESSURE_H
#define GUEST_FUZZ_PRESSURE_H

#include <stdint.h>

#include "tests/fuzz/guest/rng.h"

/* Touches fresh anonymous memory until at most `keep` bytes are free. */
void pressure_eat_memory(uint64_t keep);
/* Forks children that only sleep until fork fails; returns how many. */
uint32_t pressure_fill_process_table(void);

#endif
