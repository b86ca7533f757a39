/*
 * Under --gdb the debugger reads and patches the program before it has run
 * (breakpoints in code not executed yet, globals in a .bss never touched),
 * and the VMM can only reach pages that are mapped: it cannot fault a page
 * in for the guest. So when the program is about to start, its image's
 * mappings are made present, as a first touch would make them (writable
 * ones privately, as a first write would).
 */
#ifndef PROC_DEBUG_POPULATE_H
#define PROC_DEBUG_POPULATE_H

#include "mm/mm.h"

/* Maps every page of `mm`'s mappings except the stack and the heap (and
 * any over DEBUG_POPULATE_MAX bytes). Out of memory just stops early: the
 * debugger then cannot read the rest until the program touches it. */
void debug_populate(struct mm *mm);

#define DEBUG_POPULATE_MAX (256ull << 20)

#endif
