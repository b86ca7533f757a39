/*
 * minivm plugin SDK — the one header a device plugin includes.
 *
 * A plugin is a shared object that exports one symbol, MINIVM_PLUGIN_DESCRIPTOR
 * (use the MINIVM_PLUGIN_DEFINE macro). At start-up the core dlopen()s it, checks
 * `abi_version`, and calls `init` with the host API table and the plugin's INI
 * section. In `init` the plugin registers port ranges and/or MMIO windows with
 * handlers; afterwards the core calls those handlers on every matching VM exit.
 *
 * Rules for plugins:
 *  - The guest is hostile. Every guest value (register, argument block, address,
 *    length) must be validated. Read guest memory only through the API helpers,
 *    and copy an argument block into host memory once before looking at it.
 *  - Handlers run on the vCPU thread, one at a time; they must not block for long
 *    except to do the I/O the guest asked for. A blocking system call may fail
 *    with EINTR (the core's timers are signals): retry it.
 *  - A handler returns 0 when the access was valid. A non-zero return means the
 *    guest did something the device does not accept (wrong size, direction,
 *    offset): the core fails closed and ends the VM with status 125.
 *  - Errors the guest program should see (ENOENT, EBADF, ...) are not handler
 *    failures: write them into the argument block's result field.
 *  - `init` returns 0 on success; on failure it logs why (api->log) and returns
 *    non-zero; the core then unloads everything and exits with status 125.
 */
#ifndef MINIVM_PLUGIN_H
#define MINIVM_PLUGIN_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped when the descriptor or handler signatures change incompatibly. */
#define MINIVM_PLUGIN_ABI_VERSION 1u
/* Bumped when the host API table changes incompatibly (new entries appended at
 * the end do not bump it; check api->size before using a newer entry). */
#define MINIVM_HOST_API_VERSION 1u

#define MINIVM_PLUGIN_DESCRIPTOR_SYMBOL "minivm_plugin_descriptor"

/* Opaque handle the core gives each loaded plugin; passed back on every API call. */
typedef struct minivm_plugin_ctx minivm_plugin_ctx;

/*
 * Port I/O handler. `value` holds the value written (is_write) or receives the
 * value read. `size` is 1, 2 or 4. `port` is absolute.
 */
typedef int (*minivm_port_handler)(void *opaque, uint16_t port, bool is_write,
                                   uint8_t size, uint32_t *value);

/*
 * MMIO handler. `offset` is relative to the start of the registered window;
 * `size` is 1, 2, 4 or 8; the core has already checked offset+size lies inside
 * the window. `value` holds the value written or receives the value read.
 */
typedef int (*minivm_mmio_handler)(void *opaque, uint64_t offset, bool is_write,
                                   uint8_t size, uint64_t *value);

enum minivm_log_level {
    MINIVM_LOG_ERROR = 0,
    MINIVM_LOG_WARN = 1,
    MINIVM_LOG_INFO = 2,
    MINIVM_LOG_DEBUG = 3,
};

/* The table of services the core offers a plugin. */
struct minivm_host_api {
    uint32_t version; /* MINIVM_HOST_API_VERSION */
    uint32_t size;    /* sizeof(struct minivm_host_api) as the core knows it */

    /*
     * Claims ports [base, base+count) for this plugin. `kind` names the device
     * class (e.g. "console"); the guest kernel finds devices by kind through the
     * boot-info device table. Returns 0, or -1 (already logged) on overlap with
     * another registration or a bad range.
     */
    int (*register_ports)(minivm_plugin_ctx *ctx, const char *kind, uint16_t base,
                          uint16_t count, minivm_port_handler handler, void *opaque);

    /* Same for a guest-physical MMIO window [gpa, gpa+size). The window must lie
     * in the MMIO hole (MINIVM_MMIO_HOLE_START..END, see boot_info.h). */
    int (*register_mmio)(minivm_plugin_ctx *ctx, const char *kind, uint64_t gpa,
                         uint64_t size, minivm_mmio_handler handler, void *opaque);

    /*
     * The single checked translation of guest-physical memory: returns a host
     * pointer to [gpa, gpa+len) if the whole range is guest RAM, else NULL.
     * Overflow-safe. len 0 is allowed (returns non-NULL if gpa is within RAM
     * or at its end).
     */
    void *(*guest_ptr)(minivm_plugin_ctx *ctx, uint64_t gpa, uint64_t len);

    /* Copies between guest RAM and host memory; 0 on success, -1 if out of RAM. */
    int (*copy_from_guest)(minivm_plugin_ctx *ctx, void *dst, uint64_t gpa, uint64_t len);
    int (*copy_to_guest)(minivm_plugin_ctx *ctx, uint64_t gpa, const void *src, uint64_t len);

    /* Logs a line to stderr, prefixed "minivm: <plugin name>: ". */
    void (*log)(minivm_plugin_ctx *ctx, enum minivm_log_level level, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

    /*
     * Looks up a key of this plugin's INI section. Returns the value (owned by
     * the core) or NULL if absent; *line receives the INI line number (0 when
     * the value came from the built-in defaults). Keys the plugin never asks for
     * are reported as unknown after init, naming the INI file and line.
     */
    const char *(*config_get)(minivm_plugin_ctx *ctx, const char *key, int *line);

    /* Reports a bad value for `key` naming the INI file and line; returns -1 so
     * `return api->config_error(ctx, "port", "not a number: %s", v);` reads well. */
    int (*config_error)(minivm_plugin_ctx *ctx, const char *key, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

    /*
     * VM-wide settings decided by the core (defaults ← [vm] section ← flags):
     * "root" (host directory that is the guest's /), "rw" ("1" or "0"),
     * "memory" (bytes), "trace" ("1" or "0"), "strace" ("1" or "0"),
     * "strace_output" (the --strace-output file; NULL when the lines go to
     * stderr). NULL for an unknown name.
     */
    const char *(*vm_setting)(minivm_plugin_ctx *ctx, const char *name);

    /*
     * Ends the VM once the current handler returns: minivm exits with `status`.
     * The first request wins. Use `message` (may be NULL) for a one-line reason
     * printed to stderr as "minivm: <message>".
     */
    void (*request_exit)(minivm_plugin_ctx *ctx, int status, const char *message);

    /*
     * Adds a system call this plugin's handlers need to the VMM's seccomp
     * allow-list (installed after all plugins are initialised). 0 or -1.
     */
    int (*seccomp_allow)(minivm_plugin_ctx *ctx, int syscall_nr);

    /*
     * Like seccomp_allow, but only when argument `arg_index` (0..5) of the call
     * equals `value` (e.g. ioctl only with request TCGETS, write only to fd 1).
     * Several calls for one system call combine with OR. Prefer this to a
     * blanket seccomp_allow whenever the argument is known in advance.
     */
    int (*seccomp_allow_arg)(minivm_plugin_ctx *ctx, int syscall_nr, unsigned arg_index,
                             uint64_t value);

    /*
     * Asks the core to call `tick(opaque)` about every MINIVM_TICK_MS while the
     * guest runs, on the vCPU thread between two runs of the guest (like a
     * handler; it may use the guest-memory helpers and request_exit): for work
     * that must not wait for the guest's next exit, such as flushing output the
     * guest buffered. Only in init; at most MINIVM_MAX_TICKS in a VM. 0 or -1.
     * Newer than the rest of the table: check api->size before using it.
     */
    int (*register_tick)(minivm_plugin_ctx *ctx, void (*tick)(void *opaque), void *opaque);

    /*
     * Raises interrupt `vector` (32..255; 0..31 are the CPU's exceptions) on
     * the vCPU. The core keeps it pending and injects it before a later run of
     * the guest, once the guest has interrupts enabled (highest vector first);
     * raising a vector that is still pending changes nothing. Call it from a
     * handler or a tick (the vCPU thread) only. 0, or -1 (logged, naming the
     * plugin) for a vector outside 32..255.
     * Newer than register_tick: check api->size before using it.
     */
    int (*raise_interrupt)(minivm_plugin_ctx *ctx, uint32_t vector);

    /*
     * Whether the run must end soon: the --timeout has passed, or a plugin
     * asked for an exit. A handler that waits in the host (the platform's
     * sleep) checks it when a signal cuts its wait short — the core's tick
     * signal arrives every MINIVM_TICK_MS and needs no answer while the
     * guest waits — and returns only when it is 1. 1 or 0.
     * Newer than raise_interrupt: check api->size before using it.
     */
    int (*run_must_stop)(minivm_plugin_ctx *ctx);
};

#define MINIVM_TICK_MS 10
#define MINIVM_MAX_TICKS 8

/* What a plugin exports under MINIVM_PLUGIN_DESCRIPTOR_SYMBOL. */
struct minivm_plugin_descriptor {
    uint32_t abi_version; /* MINIVM_PLUGIN_ABI_VERSION the plugin was built for */
    const char *name;     /* short name, e.g. "console" */
    const char *description;
    /* Called once; *state receives the plugin's own state, passed to fini. */
    int (*init)(minivm_plugin_ctx *ctx, const struct minivm_host_api *api, void **state);
    /* Called once at VM teardown (also after a failed init of another plugin). */
    void (*fini)(void *state);
};

#define MINIVM_PLUGIN_DEFINE(NAME, DESCRIPTION, INIT, FINI)                        \
    __attribute__((visibility("default")))                                         \
    const struct minivm_plugin_descriptor minivm_plugin_descriptor = {             \
        MINIVM_PLUGIN_ABI_VERSION, (NAME), (DESCRIPTION), (INIT), (FINI)}

#ifdef __cplusplus
}
#endif

#endif /* MINIVM_PLUGIN_H */
