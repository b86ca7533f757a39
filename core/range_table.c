#include "core/range_table.h"

#include <string.h>

#include "core/log.h"

void range_table_init(struct range_table *table, const char *what)
{
    memset(table, 0, sizeof *table);
    table->what = what;
}

static int ranges_overlap(const struct range_entry *a, const struct range_entry *b)
{
    /* Ends are computed without overflow: callers guarantee start+size-1 fits. */
    uint64_t a_last = a->start + (a->size - 1), b_last = b->start + (b->size - 1);
    return a->start <= b_last && b->start <= a_last;
}

int range_table_register(struct range_table *table, const struct range_entry *entry)
{
    const char *owner = entry->owner ? entry->owner : "?";
    if (entry->size == 0 || entry->start + (entry->size - 1) < entry->start) {
        log_error("plugin %s: %s range at 0x%llx of size 0x%llx is empty or wraps", owner,
                  table->what, (unsigned long long)entry->start, (unsigned long long)entry->size);
        return -1;
    }
    size_t kind_len = strnlen(entry->kind, sizeof entry->kind);
    if (kind_len == 0 || kind_len == sizeof entry->kind) {
        log_error("plugin %s: device kind must be 1 to %zu characters", owner,
                  sizeof entry->kind - 1);
        return -1;
    }
    size_t pos = 0;
    for (size_t i = 0; i < table->count; i++) {
        const struct range_entry *other = &table->entries[i];
        if (ranges_overlap(entry, other)) {
            log_error("plugin %s: %s range 0x%llx-0x%llx overlaps 0x%llx-0x%llx of plugin %s",
                      owner, table->what, (unsigned long long)entry->start,
                      (unsigned long long)(entry->start + (entry->size - 1)),
                      (unsigned long long)other->start,
                      (unsigned long long)(other->start + (other->size - 1)),
                      other->owner ? other->owner : "?");
            return -1;
        }
        if (other->start < entry->start)
            pos = i + 1;
    }
    if (table->count == RANGE_TABLE_MAX) {
        log_error("plugin %s: too many %s ranges (at most %d)", owner, table->what,
                  RANGE_TABLE_MAX);
        return -1;
    }
    memmove(&table->entries[pos + 1], &table->entries[pos],
            (table->count - pos) * sizeof table->entries[0]);
    table->entries[pos] = *entry;
    table->count++;
    return 0;
}

const struct range_entry *range_table_lookup(const struct range_table *table, uint64_t addr,
                                             uint64_t len)
{
    size_t lo = 0, hi = table->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct range_entry *e = &table->entries[mid];
        if (addr < e->start) {
            hi = mid;
        } else if (addr - e->start >= e->size) {
            lo = mid + 1;
        } else {
            /* addr is inside e; the access must end inside it too. */
            if (len > e->size - (addr - e->start))
                return NULL;
            return e;
        }
    }
    return NULL;
}
