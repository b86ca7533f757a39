/* The vCPU's KVM statistics (KVM_GET_STATS_FD): with --trace, the counters
 * that moved (exits, io_exits, insn_emulation, ...) are printed when the run
 * ends, so a slow workload shows where its time went (docs/performance.md). */
#ifndef MINIVM_CORE_VCPU_STATS_H
#define MINIVM_CORE_VCPU_STATS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct vcpu_stats {
    int fd;            /* -1 when KVM has no binary statistics */
    uint64_t data_offset;
    size_t count;      /* number of descriptors read */
    char *names;       /* count names of name_size bytes each */
    uint32_t *offsets; /* byte offset of each counter in the data block */
    size_t name_size;
    size_t data_size;  /* bytes of the data block that the counters span */
};

/* Opens the statistics of vcpu_fd and reads their names. Before the sandbox:
 * afterwards only pread on stats->fd is allowed. 0, or -1 when unavailable
 * (never fatal: statistics are a diagnostic). */
int vcpu_stats_open(struct vcpu_stats *stats, int vcpu_fd);
/* Writes "name=value" for every non-zero counter to buf (NUL-terminated,
 * truncated to size). Returns the number of counters written, -1 on failure. */
int vcpu_stats_format(const struct vcpu_stats *stats, char *buf, size_t size);
void vcpu_stats_close(struct vcpu_stats *stats);

#ifdef __cplusplus
}
#endif

#endif
