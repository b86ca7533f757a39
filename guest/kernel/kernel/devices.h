#ifndef KERNEL_DEVICES_H
#define KERNEL_DEVICES_H

#include <stdbool.h>
#include <stdint.h>

#include <minivm/boot_info.h>

/* The port of each device kind we use, found in the boot-info device table;
 * every fileio device (one per host directory mounted), in table order. */
struct device_ports {
    bool has_console, has_platform, has_timer;
    uint16_t console, platform, timer;
    uint32_t fileio_count;
    uint16_t fileio[MINIVM_BOOT_MAX_DEVICES];
};

/* Scans the boot-info device table. Nothing about a port is hard-coded. */
void devices_init(void);

const struct device_ports *devices(void);

/* The MMIO window of the first device of `kind` that has one, as the boot
 * info lists it (not yet validated or mapped: see kernel/mmio.h). */
bool devices_find_mmio(const char *kind, uint64_t *base, uint64_t *size);

/* The port of the first device of `kind` that has one (e.g. "gdb"). */
bool devices_find_port(const char *kind, uint16_t *port);

#endif
