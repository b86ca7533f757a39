#include "core/gdb/debug_points.h"

#include <string.h>

struct sw_breakpoint *debug_points_find_sw(struct debug_points *dp, uint64_t addr)
{
    for (size_t i = 0; i < DEBUG_SW_BREAKPOINTS_MAX; i++) {
        if (dp->sw[i].used && dp->sw[i].addr == addr)
            return &dp->sw[i];
    }
    return NULL;
}

struct sw_breakpoint *debug_points_free_sw(struct debug_points *dp)
{
    for (size_t i = 0; i < DEBUG_SW_BREAKPOINTS_MAX; i++) {
        if (!dp->sw[i].used)
            return &dp->sw[i];
    }
    return NULL;
}

size_t debug_points_sw_count(const struct debug_points *dp)
{
    size_t n = 0;
    for (size_t i = 0; i < DEBUG_SW_BREAKPOINTS_MAX; i++)
        n += dp->sw[i].used;
    return n;
}

/* The largest aligned piece (8, 4, 2, 1 bytes) starting at `addr` within `left`. */
static uint8_t piece_len(uint64_t addr, uint64_t left)
{
    uint8_t len = 8;
    while (len > 1 && ((addr & (len - 1)) != 0 || len > left))
        len /= 2;
    return len;
}

/* How many pieces [addr, addr+len) needs; execute points take one byte. */
static unsigned pieces(enum debug_slot_kind kind, uint64_t addr, uint64_t len)
{
    if (kind == DEBUG_SLOT_EXECUTE)
        return 1;
    unsigned n = 0;
    while (len > 0) {
        uint8_t l = piece_len(addr, len);
        addr += l;
        len -= l;
        n++;
    }
    return n;
}

static unsigned free_slots(const struct debug_points *dp)
{
    unsigned n = 0;
    for (unsigned i = 0; i < DEBUG_HW_SLOTS; i++)
        n += dp->slot[i].owner == DEBUG_OWNER_NONE;
    return n;
}

static int take_slot(struct debug_points *dp, const struct debug_slot *want)
{
    for (unsigned i = 0; i < DEBUG_HW_SLOTS; i++) {
        if (dp->slot[i].owner == DEBUG_OWNER_NONE) {
            dp->slot[i] = *want;
            return (int)i;
        }
    }
    return -1;
}

int debug_points_add_gdb(struct debug_points *dp, enum debug_slot_kind kind, uint8_t gdb_type,
                         uint64_t addr, uint64_t len)
{
    if (len == 0 || len > 32 || addr + len < addr)
        return -1;
    if (pieces(kind, addr, len) > free_slots(dp))
        return -1;
    if (kind == DEBUG_SLOT_EXECUTE)
        len = 1;
    while (len > 0) {
        struct debug_slot s = {.owner = DEBUG_OWNER_GDB, .kind = kind, .gdb_type = gdb_type,
                               .addr = addr, .len = piece_len(addr, len)};
        take_slot(dp, &s);
        addr += s.len;
        len -= s.len;
    }
    return 0;
}

int debug_points_remove_gdb(struct debug_points *dp, enum debug_slot_kind kind, uint64_t addr,
                            uint64_t len)
{
    if (len == 0 || len > 32 || addr + len < addr)
        return -1;
    if (kind == DEBUG_SLOT_EXECUTE)
        len = 1;
    int removed = 0;
    while (len > 0) {
        uint8_t l = piece_len(addr, len);
        for (unsigned i = 0; i < DEBUG_HW_SLOTS; i++) {
            struct debug_slot *s = &dp->slot[i];
            if (s->owner == DEBUG_OWNER_GDB && s->kind == kind && s->addr == addr && s->len == l) {
                memset(s, 0, sizeof *s);
                removed++;
                break;
            }
        }
        addr += l;
        len -= l;
    }
    return removed > 0 ? 0 : -1;
}

int debug_points_add_stub(struct debug_points *dp, uint64_t addr)
{
    struct debug_slot s = {.owner = DEBUG_OWNER_STUB, .kind = DEBUG_SLOT_EXECUTE, .addr = addr,
                           .len = 1};
    return take_slot(dp, &s);
}

void debug_points_release(struct debug_points *dp, int slot)
{
    if (slot >= 0 && slot < (int)DEBUG_HW_SLOTS)
        memset(&dp->slot[slot], 0, sizeof dp->slot[slot]);
}

void debug_points_clear_gdb(struct debug_points *dp)
{
    for (unsigned i = 0; i < DEBUG_HW_SLOTS; i++) {
        if (dp->slot[i].owner == DEBUG_OWNER_GDB)
            memset(&dp->slot[i], 0, sizeof dp->slot[i]);
    }
    memset(dp->sw, 0, sizeof dp->sw);
}

uint64_t debug_points_dr7(const struct debug_points *dp)
{
    uint64_t dr7 = 0;
    for (unsigned i = 0; i < DEBUG_HW_SLOTS; i++) {
        const struct debug_slot *s = &dp->slot[i];
        if (s->owner == DEBUG_OWNER_NONE)
            continue;
        /* LEN encoding: 00 one byte, 01 two, 11 four, 10 eight; execute
         * breakpoints must use 00. */
        uint64_t len_bits = s->kind == DEBUG_SLOT_EXECUTE ? 0
                            : s->len == 2                 ? 1
                            : s->len == 4                 ? 3
                            : s->len == 8                 ? 2
                                                          : 0;
        dr7 |= 1ull << (2 * i);
        dr7 |= ((uint64_t)s->kind | len_bits << 2) << (16 + 4 * i);
    }
    return dr7;
}

bool debug_points_any_slot(const struct debug_points *dp)
{
    return free_slots(dp) < DEBUG_HW_SLOTS;
}
