#ifndef KERNEL_DEVICES_H
#define KERNEL_DEVICES_H

#include <stdbool.h>
#include <stdint.h>

/* The port of each device kind we use, found in the boot-info device table. */
struct device_ports {
    bool has_console, has_fileio, has_platform;
    uint16_t console, fileio, platform;
};

/* Scans the boot-info device table. Nothing about a port is hard-coded. */
void devices_init(void);

const struct device_ports *devices(void);

#endif
