/*
 * Malformed programs for the guest kernel's ELF loader: a tiny static ELF
 * with a few header and segment fields set to edge values, written to a file
 * a forked child then execs (--rw runs only). Every byte it loads is HLT
 * (a privileged instruction: SIGSEGV from any offset) except an exit(0) at
 * the entry, so whatever a mutant loads, it cannot spin.
 */
#ifndef GUEST_FUZZ_ELF_MUTANT_H
#define GUEST_FUZZ_ELF_MUTANT_H

#include <stdbool.h>

#include "tests/fuzz/guest/rng.h"

/* The path the mutant is written to (in the scratch root). */
#define ELF_MUTANT_PATH "/e0"

/* Writes a mutant to ELF_MUTANT_PATH; false when the file cannot be written. */
bool elf_mutant_write(struct rng *r);

#endif
