/*
 * Host directories in the guest tree beyond the root: the --mount list, and
 * the host's library directories for a dynamically linked program whose
 * interpreter the root lacks. Each becomes one more instance of the fileio
 * plugin (its own port, confined to its directory), which the guest kernel
 * mounts where the instance says (MOUNT_INFO).
 */
#ifndef MINIVM_CORE_MOUNTS_H
#define MINIVM_CORE_MOUNTS_H

#include "core/config.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The first port of the fileio instances that serve mounts (one each). */
#define MOUNT_PORT_BASE 0x520u

/* The host directories a program with interpreter `interp` needs when the
 * root does not hold it: the interpreter's directory and the default library
 * search path, each at its own path, read-only. Those the host lacks or the
 * config mounts already are skipped. */
extern const char *const host_library_dirs[];

/*
 * Adds the host library mounts for a program with interpreter `interp`
 * (NULL: a static program; nothing to add), unless config->host_libraries is
 * off or the root holds the interpreter. 0, or -1 after logging.
 */
int mounts_add_host_libraries(struct vm_config *config, const char *interp);

/* Checks every mount's host directory and appends one fileio plugin section
 * per mount to the config. 0, or -1 after logging (naming the mount). */
int mounts_add_plugins(struct vm_config *config);

#ifdef __cplusplus
}
#endif

#endif
