/* The whole state of one minivm run, owned by main and torn down in one place. */
#ifndef MINIVM_CORE_VMM_H
#define MINIVM_CORE_VMM_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/config.h"
#include "core/guest_memory.h"
#include "core/interrupts.h"
#include "core/kvm.h"
#include "core/plugin_loader.h"
#include "core/range_table.h"
#include "core/vcpu_stats.h"
#include "minivm/plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

struct vmm {
    struct vm_config *config;
    struct kvm_vm kvm;
    struct guest_memory memory;
    struct range_table ports;
    struct range_table mmio;
    struct plugin_set plugins;
    struct vcpu_stats stats; /* opened with --trace only; fd -1 otherwise */

    /* Set by a plugin's request_exit; the run loop stops after the handler. */
    bool exit_requested;
    int exit_status;
    /* Set by the run loop's SIGALRM handler when --timeout passes. */
    volatile sig_atomic_t timed_out;

    /* System calls plugins asked to keep after the VMM narrows its own (seccomp):
     * arg_index < 0 allows any arguments, else only arg[arg_index] == value. */
    struct seccomp_grant {
        int syscall_nr;
        int arg_index;
        uint64_t value;
    } seccomp_grants[128];
    size_t seccomp_grant_count;

    /* Plugin work the run loop does every MINIVM_TICK_MS (register_tick). */
    struct vmm_tick {
        void (*fn)(void *opaque);
        void *opaque;
    } ticks[MINIVM_MAX_TICKS];
    size_t tick_count;

    /* Vectors plugins raised (raise_interrupt), injected by the run loop. */
    struct pending_interrupts interrupts;

    char memory_setting[24]; /* backing store of vm_setting("memory") */

    /* --gdb's stub (core/gdb/gdb_stub.h); NULL without --gdb. */
    struct gdb_stub *gdb;
};

/* The run must end soon (timeout passed, or an exit was requested): what
 * every wait outside the guest (a plugin's sleep, the gdb stub) checks. */
static inline bool vmm_run_must_stop(const struct vmm *vmm)
{
    return vmm->timed_out || vmm->exit_requested;
}

#ifdef __cplusplus
}
#endif

#endif
