#include "tests/fuzz/guest/pressure.h"

#include <sys/mman.h>

#include "tests/fuzz/guest/raw.h"

#define SYS_mmap 9
#define SYS_nanosleep 35
#define SYS_fork 57
#define SYS_sysinfo 99
#define PAGE 4096ull
#define CHUNK (4ull << 20)

static uint64_t free_bytes(void)
{
    struct {
        int64_t uptime;
        uint64_t loads[3];
        uint64_t totalram, freeram, sharedram, bufferram, totalswap, freeswap;
        uint16_t procs, pad;
        uint32_t pad2;
        uint64_t totalhigh, freehigh;
        uint32_t mem_unit;
        char reserved[4];
    } info;
    if (raw1(SYS_sysinfo, (long)&info) != 0)
        return 0;
    return info.freeram * (info.mem_unit != 0 ? info.mem_unit : 1);
}

void pressure_eat_memory(uint64_t keep)
{
    for (;;) {
        uint64_t free = free_bytes();
        if (free <= keep)
            return;
        uint64_t want = free - keep < CHUNK ? (free - keep + PAGE - 1) & ~(PAGE - 1) : CHUNK;
        long at = raw6(SYS_mmap, 0, (long)want, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (at < 0 && at > -4096)
            return;
        /* One page at a time near the end: a fault maps up to 16 pages. */
        for (uint64_t off = 0; off < want; off += PAGE) {
            if ((off & (64 * PAGE - 1)) == 0 && free_bytes() <= keep)
                return;
            *(volatile char *)(at + off) = 1;
        }
    }
}

uint32_t pressure_fill_process_table(void)
{
    uint32_t n = 0;
    for (;;) {
        long pid = raw0(SYS_fork);
        if (pid < 0)
            return n;
        if (pid == 0) {
            struct {
                int64_t sec, nsec;
            } ts = {3600, 0};
            for (;;) /* each sleep blocks: the others (and the supervisor) run */
                raw2(SYS_nanosleep, (long)&ts, 0);
        }
        n++;
    }
}
