#include "core/host_api.h"

#include <stdio.h>
#include <string.h>

#include "core/interrupts.h"
#include "core/log.h"
#include "core/vcpu_run.h"
#include "core/vmm.h"

static const char *plugin_name(const minivm_plugin_ctx *ctx) { return ctx->config->name; }

static struct config_entry *find_entry(minivm_plugin_ctx *ctx, const char *key)
{
    for (size_t i = 0; key && i < ctx->config->entry_count; i++) {
        if (strcmp(ctx->config->entries[i].key, key) == 0)
            return &ctx->config->entries[i];
    }
    return NULL;
}

static void log_config_v(minivm_plugin_ctx *ctx, const char *key, const char *fmt, va_list ap)
{
    const struct config_entry *entry = find_entry(ctx, key);
    int line = entry ? entry->line : ctx->config->line;
    char prefix[512];
    if (line > 0)
        snprintf(prefix, sizeof prefix, "%s:%d: plugin %s: ", ctx->config->source, line,
                 plugin_name(ctx));
    else
        snprintf(prefix, sizeof prefix, "%s: plugin %s: ", ctx->config->source, plugin_name(ctx));
    if (key) {
        size_t used = strlen(prefix);
        snprintf(prefix + used, sizeof prefix - used, "%s: ", key);
    }
    log_errorv(prefix, fmt, ap);
}

void plugin_log_config_error(minivm_plugin_ctx *ctx, const char *key, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_config_v(ctx, key, fmt, ap);
    va_end(ap);
}

static int api_register(minivm_plugin_ctx *ctx, struct range_table *table, const char *kind,
                        uint64_t start, uint64_t size, minivm_port_handler port,
                        minivm_mmio_handler mmio, void *opaque)
{
    struct range_entry entry;
    memset(&entry, 0, sizeof entry);
    entry.start = start;
    entry.size = size;
    entry.owner = plugin_name(ctx);
    if (!kind || strlen(kind) >= sizeof entry.kind) {
        log_error("plugin %s: device kind must be 1 to %zu characters", plugin_name(ctx),
                  sizeof entry.kind - 1);
        return -1;
    }
    strcpy(entry.kind, kind);
    if (port)
        entry.handler.port = port;
    else
        entry.handler.mmio = mmio;
    entry.opaque = opaque;
    if (!port && !mmio) {
        log_error("plugin %s: registration without a handler", plugin_name(ctx));
        return -1;
    }
    return range_table_register(table, &entry);
}

static int api_register_ports(minivm_plugin_ctx *ctx, const char *kind, uint16_t base,
                              uint16_t count, minivm_port_handler handler, void *opaque)
{
    if (!handler) {
        log_error("plugin %s: registration without a handler", plugin_name(ctx));
        return -1;
    }
    if (count == 0 || (uint32_t)base + count > 0x10000u) {
        log_error("plugin %s: port range 0x%x+%u is empty or beyond 0xffff", plugin_name(ctx),
                  base, count);
        return -1;
    }
    return api_register(ctx, &ctx->vmm->ports, kind, base, count, handler, NULL, opaque);
}

static int api_register_mmio(minivm_plugin_ctx *ctx, const char *kind, uint64_t gpa,
                             uint64_t size, minivm_mmio_handler handler, void *opaque)
{
    if (!handler) {
        log_error("plugin %s: registration without a handler", plugin_name(ctx));
        return -1;
    }
    if (gpa < MINIVM_MMIO_HOLE_START || gpa >= MINIVM_MMIO_HOLE_END || size == 0 ||
        size > MINIVM_MMIO_HOLE_END - gpa) {
        log_error("plugin %s: MMIO window 0x%llx+0x%llx is not inside the MMIO hole "
                  "0x%llx-0x%llx",
                  plugin_name(ctx), (unsigned long long)gpa, (unsigned long long)size,
                  MINIVM_MMIO_HOLE_START, MINIVM_MMIO_HOLE_END - 1);
        return -1;
    }
    return api_register(ctx, &ctx->vmm->mmio, kind, gpa, size, NULL, handler, opaque);
}

static void *api_guest_ptr(minivm_plugin_ctx *ctx, uint64_t gpa, uint64_t len)
{
    return guest_memory_ptr(&ctx->vmm->memory, gpa, len);
}

static int api_copy_from_guest(minivm_plugin_ctx *ctx, void *dst, uint64_t gpa, uint64_t len)
{
    const void *src = guest_memory_ptr(&ctx->vmm->memory, gpa, len);
    if (!src)
        return -1;
    memcpy(dst, src, len);
    return 0;
}

static int api_copy_to_guest(minivm_plugin_ctx *ctx, uint64_t gpa, const void *src, uint64_t len)
{
    void *dst = guest_memory_ptr(&ctx->vmm->memory, gpa, len);
    if (!dst)
        return -1;
    memcpy(dst, src, len);
    return 0;
}

static void api_log(minivm_plugin_ctx *ctx, enum minivm_log_level level, const char *fmt, ...)
{
    if (level > MINIVM_LOG_WARN && !ctx->vmm->config->trace)
        return;
    char prefix[128];
    snprintf(prefix, sizeof prefix, "%s: ", plugin_name(ctx));
    va_list ap;
    va_start(ap, fmt);
    log_errorv(prefix, fmt, ap);
    va_end(ap);
}

static const char *api_config_get(minivm_plugin_ctx *ctx, const char *key, int *line)
{
    struct config_entry *entry = find_entry(ctx, key);
    if (line)
        *line = entry ? entry->line : 0;
    if (!entry)
        return NULL;
    entry->used = true;
    return entry->value;
}

static int api_config_error(minivm_plugin_ctx *ctx, const char *key, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_config_v(ctx, key, fmt, ap);
    va_end(ap);
    return -1;
}

static const char *api_vm_setting(minivm_plugin_ctx *ctx, const char *name)
{
    struct vmm *vmm = ctx->vmm;
    if (strcmp(name, "root") == 0)
        return vmm->config->root;
    if (strcmp(name, "rw") == 0)
        return vmm->config->rw ? "1" : "0";
    if (strcmp(name, "trace") == 0)
        return vmm->config->trace ? "1" : "0";
    if (strcmp(name, "strace") == 0)
        return vmm->config->strace ? "1" : "0";
    if (strcmp(name, "strace_output") == 0)
        return vmm->config->strace_output;
    if (strcmp(name, "memory") == 0) {
        snprintf(vmm->memory_setting, sizeof vmm->memory_setting, "%llu",
                 (unsigned long long)vmm->config->memory_bytes);
        return vmm->memory_setting;
    }
    return NULL;
}

static void api_request_exit(minivm_plugin_ctx *ctx, int status, const char *message)
{
    struct vmm *vmm = ctx->vmm;
    if (vmm->exit_requested)
        return;
    vmm->exit_requested = true;
    vmm->exit_status = status & 0xff;
    if (message)
        log_error("%s", message);
}

static int add_seccomp_grant(minivm_plugin_ctx *ctx, int syscall_nr, int arg_index,
                             uint64_t value)
{
    struct vmm *vmm = ctx->vmm;
    size_t capacity = sizeof vmm->seccomp_grants / sizeof vmm->seccomp_grants[0];
    if (syscall_nr < 0 || syscall_nr > 1023 || arg_index > 5 ||
        vmm->seccomp_grant_count == capacity) {
        log_error("plugin %s: cannot allow system call %d", plugin_name(ctx), syscall_nr);
        return -1;
    }
    vmm->seccomp_grants[vmm->seccomp_grant_count++] =
        (struct seccomp_grant){syscall_nr, arg_index, value};
    return 0;
}

static int api_seccomp_allow(minivm_plugin_ctx *ctx, int syscall_nr)
{
    return add_seccomp_grant(ctx, syscall_nr, -1, 0);
}

static int api_seccomp_allow_arg(minivm_plugin_ctx *ctx, int syscall_nr, unsigned arg_index,
                                 uint64_t value)
{
    if (arg_index > 5) {
        log_error("plugin %s: system call argument %u does not exist", plugin_name(ctx),
                  arg_index);
        return -1;
    }
    return add_seccomp_grant(ctx, syscall_nr, (int)arg_index, value);
}

static int api_register_tick(minivm_plugin_ctx *ctx, void (*tick)(void *opaque), void *opaque)
{
    struct vmm *vmm = ctx->vmm;
    if (!tick || vmm->tick_count == MINIVM_MAX_TICKS) {
        log_error("plugin %s: cannot register a tick (at most %d in a VM)", plugin_name(ctx),
                  MINIVM_MAX_TICKS);
        return -1;
    }
    vmm->ticks[vmm->tick_count++] = (struct vmm_tick){tick, opaque};
    return 0;
}

static int api_raise_interrupt(minivm_plugin_ctx *ctx, uint32_t vector)
{
    if (interrupts_raise(&ctx->vmm->interrupts, vector) != 0) {
        log_error("plugin %s: cannot raise interrupt vector %u (only %u..%u)", plugin_name(ctx),
                  vector, INTERRUPT_VECTOR_MIN, INTERRUPT_VECTOR_MAX);
        return -1;
    }
    return 0;
}

static int api_run_must_stop(minivm_plugin_ctx *ctx)
{
    return vmm_run_must_stop(ctx->vmm) ? 1 : 0;
}

const struct minivm_host_api host_api = {
    .version = MINIVM_HOST_API_VERSION,
    .size = sizeof(struct minivm_host_api),
    .register_ports = api_register_ports,
    .register_mmio = api_register_mmio,
    .guest_ptr = api_guest_ptr,
    .copy_from_guest = api_copy_from_guest,
    .copy_to_guest = api_copy_to_guest,
    .log = api_log,
    .config_get = api_config_get,
    .config_error = api_config_error,
    .vm_setting = api_vm_setting,
    .request_exit = api_request_exit,
    .seccomp_allow = api_seccomp_allow,
    .seccomp_allow_arg = api_seccomp_allow_arg,
    .register_tick = api_register_tick,
    .raise_interrupt = api_raise_interrupt,
    .run_must_stop = api_run_must_stop,
};
