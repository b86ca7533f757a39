#include "core/vcpu_stats.h"

#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* Formatting must not allocate: it runs under seccomp, after the guest. */
#define VCPU_STATS_MAX_DATA 4096

static int read_exact(int fd, void *buf, size_t size, uint64_t offset)
{
    ssize_t got = pread(fd, buf, size, (off_t)offset);
    return got == (ssize_t)size ? 0 : -1;
}

int vcpu_stats_open(struct vcpu_stats *stats, int vcpu_fd)
{
    memset(stats, 0, sizeof *stats);
    stats->fd = -1;
#ifdef KVM_GET_STATS_FD
    int fd = ioctl(vcpu_fd, KVM_GET_STATS_FD, NULL);
    if (fd < 0)
        return -1;
    struct kvm_stats_header header;
    if (read_exact(fd, &header, sizeof header, 0) || header.name_size == 0 ||
        header.name_size > 256 || header.num_desc == 0 || header.num_desc > 4096)
        goto fail;
    size_t desc_size = sizeof(struct kvm_stats_desc) + header.name_size;
    char *descs = malloc(desc_size * header.num_desc);
    stats->names = malloc((size_t)header.name_size * header.num_desc);
    stats->offsets = malloc(sizeof(uint32_t) * header.num_desc);
    if (!descs || !stats->names || !stats->offsets ||
        read_exact(fd, descs, desc_size * header.num_desc, header.desc_offset)) {
        free(descs);
        goto fail;
    }
    for (uint32_t i = 0; i < header.num_desc; i++) {
        const struct kvm_stats_desc *desc = (const void *)(descs + i * desc_size);
        /* Only plain 64-bit counters; histograms and oversized blocks are skipped. */
        if (desc->size != 1 || desc->offset + sizeof(uint64_t) > VCPU_STATS_MAX_DATA)
            continue;
        memcpy(stats->names + stats->count * header.name_size, desc->name, header.name_size);
        stats->names[(stats->count + 1) * header.name_size - 1] = '\0';
        stats->offsets[stats->count++] = desc->offset;
        if (desc->offset + sizeof(uint64_t) > stats->data_size)
            stats->data_size = desc->offset + sizeof(uint64_t);
    }
    free(descs);
    stats->fd = fd;
    stats->name_size = header.name_size;
    stats->data_offset = header.data_offset;
    return 0;
fail:
    close(fd);
    vcpu_stats_close(stats);
    return -1;
#else
    (void)vcpu_fd;
    return -1;
#endif
}

int vcpu_stats_format(const struct vcpu_stats *stats, char *buf, size_t size)
{
    uint64_t data[VCPU_STATS_MAX_DATA / sizeof(uint64_t)];
    if (size == 0)
        return -1;
    buf[0] = '\0';
    if (stats->fd < 0 || read_exact(stats->fd, data, stats->data_size, stats->data_offset))
        return -1;
    size_t used = 0;
    int written = 0;
    for (size_t i = 0; i < stats->count; i++) {
        uint64_t value;
        memcpy(&value, (const char *)data + stats->offsets[i], sizeof value);
        if (value == 0)
            continue;
        int n = snprintf(buf + used, size - used, "%s%s=%llu", written ? " " : "",
                         stats->names + i * stats->name_size, (unsigned long long)value);
        if (n < 0 || (size_t)n >= size - used)
            break;
        used += (size_t)n;
        written++;
    }
    return written;
}

void vcpu_stats_close(struct vcpu_stats *stats)
{
    if (stats->fd >= 0)
        close(stats->fd);
    free(stats->names);
    free(stats->offsets);
    memset(stats, 0, sizeof *stats);
    stats->fd = -1;
}
