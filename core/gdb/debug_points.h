/*
 * The stub's break- and watchpoints as the CPU needs them: software
 * breakpoints (an int3 byte, with the byte it replaced and the physical
 * address it went to) and the four debug-address registers DR0..DR3 with
 * the DR7 that enables them. Pure bookkeeping: the stub patches guest memory
 * and hands DR0..3/DR7 to KVM_SET_GUEST_DEBUG.
 */
#ifndef MINIVM_CORE_GDB_DEBUG_POINTS_H
#define MINIVM_CORE_GDB_DEBUG_POINTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DEBUG_SW_BREAKPOINTS_MAX 64u
#define DEBUG_HW_SLOTS 4u

/* What a debug-register slot watches (DR7's R/W field). */
enum debug_slot_kind {
    DEBUG_SLOT_EXECUTE = 0,
    DEBUG_SLOT_WRITE = 1,
    DEBUG_SLOT_ACCESS = 3, /* x86 has no read-only watch: reads and writes */
};

/* Who owns a slot: gdb (a Z1..Z4 packet) or the stub itself (the stop before
 * a program's first instruction, the return from a stepped system call). */
enum debug_slot_owner {
    DEBUG_OWNER_NONE = 0,
    DEBUG_OWNER_GDB,
    DEBUG_OWNER_STUB,
};

struct debug_slot {
    enum debug_slot_owner owner;
    enum debug_slot_kind kind;
    uint8_t len; /* 1, 2, 4 or 8, the address aligned to it */
    uint8_t gdb_type; /* the Z type gdb asked for (2 write, 3 read, 4 access) */
    uint64_t addr;
};

struct sw_breakpoint {
    bool used;
    bool by_gdb;   /* a Z0 packet asked for it */
    bool by_stub;  /* the stub's own: the return from a stepped system call */
    uint64_t addr;  /* guest-virtual, in the followed process */
    uint64_t gpa;   /* where the int3 went */
    uint8_t saved;  /* the byte it replaced */
};

struct debug_points {
    struct sw_breakpoint sw[DEBUG_SW_BREAKPOINTS_MAX];
    struct debug_slot slot[DEBUG_HW_SLOTS];
};

/* The software breakpoint at `addr`, or NULL. */
struct sw_breakpoint *debug_points_find_sw(struct debug_points *dp, uint64_t addr);
/* A free software-breakpoint entry, or NULL when all are used. */
struct sw_breakpoint *debug_points_free_sw(struct debug_points *dp);
size_t debug_points_sw_count(const struct debug_points *dp);

/*
 * gdb's hardware break/watchpoint over [addr, addr+len): split into aligned
 * 1/2/4/8-byte pieces, one slot each. 0, or -1 (nothing changed) when there
 * are not enough free slots or len is 0 or over 32.
 */
int debug_points_add_gdb(struct debug_points *dp, enum debug_slot_kind kind, uint8_t gdb_type,
                         uint64_t addr, uint64_t len);
/* Frees the slots an identical add took. 0, or -1 when none matched. */
int debug_points_remove_gdb(struct debug_points *dp, enum debug_slot_kind kind, uint64_t addr,
                            uint64_t len);

/* A slot for the stub's own execute breakpoint at `addr`: its index, or -1. */
int debug_points_add_stub(struct debug_points *dp, uint64_t addr);
void debug_points_release(struct debug_points *dp, int slot);
/* Frees every slot gdb owns and forgets every software breakpoint (the
 * caller has taken the int3s out). */
void debug_points_clear_gdb(struct debug_points *dp);

/* DR7 enabling every used slot (local enable, R/W, LEN). */
uint64_t debug_points_dr7(const struct debug_points *dp);
bool debug_points_any_slot(const struct debug_points *dp);

#ifdef __cplusplus
}
#endif

#endif
