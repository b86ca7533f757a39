#include "kernel/devices.h"

#include "console/console_abi.h"
#include "fileio/fileio_abi.h"
#include "kernel/boot_info.h"
#include "lib/string.h"
#include "platform/platform_abi.h"
#include "timer/timer_abi.h"

static struct device_ports ports;

/* The first device of `kind` with a port range (or, with `mmio`, an MMIO window). */
static const struct minivm_boot_device *find_device(const char *kind, bool mmio)
{
    const struct minivm_boot_info *bi = boot_info();
    for (uint32_t i = 0; i < bi->device_count; i++) {
        const struct minivm_boot_device *d = &bi->devices[i];
        /* `kind` is shorter than the field, so a kind that is not
         * NUL-terminated within it cannot match; most differ at once. */
        if (strncmp(d->kind, kind, MINIVM_DEVICE_KIND_LEN) != 0)
            continue;
        if (mmio ? d->mmio_size > 0 && d->mmio_base != 0 : d->port_count > 0 && d->port_base != 0)
            return d;
    }
    return 0;
}

static bool find_port(const char *kind, uint16_t *port)
{
    const struct minivm_boot_device *d = find_device(kind, false);
    if (d != 0)
        *port = d->port_base;
    return d != 0;
}

void devices_init(void)
{
    ports.has_platform = find_port(PLATFORM_KIND, &ports.platform);
    ports.has_console = find_port(CONSOLE_KIND, &ports.console);
    ports.has_timer = find_port(TIMER_KIND, &ports.timer);
    const struct minivm_boot_info *bi = boot_info();
    for (uint32_t i = 0; i < bi->device_count; i++) {
        const struct minivm_boot_device *d = &bi->devices[i];
        if (strncmp(d->kind, FILEIO_KIND, MINIVM_DEVICE_KIND_LEN) == 0 && d->port_count > 0 &&
            d->port_base != 0)
            ports.fileio[ports.fileio_count++] = d->port_base;
    }
}

const struct device_ports *devices(void)
{
    return &ports;
}

bool devices_find_mmio(const char *kind, uint64_t *base, uint64_t *size)
{
    const struct minivm_boot_device *d = find_device(kind, true);
    if (d == 0)
        return false;
    *base = d->mmio_base;
    *size = d->mmio_size;
    return true;
}

bool devices_find_port(const char *kind, uint16_t *port)
{
    return find_port(kind, port);
}
