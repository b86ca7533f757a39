/*
 * Self-sandboxing (design.md §7): after the plugins are set up and before the
 * first KVM_RUN, minivm sets NO_NEW_PRIVS and installs a seccomp allow-list.
 * The core allows only what the run loop needs (KVM_RUN and the register dump
 * on the vCPU fd, writes to stdout/stderr, the timeout signal's return, exit);
 * plugins add what their handlers need through the SDK's seccomp_allow. Any
 * other system call kills minivm with SIGSYS.
 */
#ifndef MINIVM_CORE_SANDBOX_H
#define MINIVM_CORE_SANDBOX_H

#ifdef __cplusplus
extern "C" {
#endif

struct vmm;

/* 0, or -1 with a message. */
int sandbox_enter(const struct vmm *vmm);

/* How many distinct system calls the last sandbox_enter allowed (for docs/tests). */
int sandbox_allowed_count(void);

#ifdef __cplusplus
}
#endif

#endif
