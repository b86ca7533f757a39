#include "kernel/devices.h"

#include "console/console_abi.h"
#include "fileio/fileio_abi.h"
#include "kernel/boot_info.h"
#include "lib/string.h"
#include "platform/platform_abi.h"

static struct device_ports ports;

/* First port of the first device of `kind` with at least one port. */
static bool find_port(const char *kind, uint16_t *port)
{
    const struct minivm_boot_info *bi = boot_info();
    for (uint32_t i = 0; i < bi->device_count; i++) {
        const struct minivm_boot_device *d = &bi->devices[i];
        if (strnlen(d->kind, MINIVM_DEVICE_KIND_LEN) == MINIVM_DEVICE_KIND_LEN)
            continue; /* not NUL-terminated: not a kind we know */
        if (strcmp(d->kind, kind) == 0 && d->port_count > 0 && d->port_base != 0) {
            *port = d->port_base;
            return true;
        }
    }
    return false;
}

void devices_init(void)
{
    ports.has_platform = find_port(PLATFORM_KIND, &ports.platform);
    ports.has_console = find_port(CONSOLE_KIND, &ports.console);
    ports.has_fileio = find_port(FILEIO_KIND, &ports.fileio);
}

const struct device_ports *devices(void)
{
    return &ports;
}
