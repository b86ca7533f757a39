/*
 * The VM configuration: built-in defaults ← INI file (-c) ← command-line flags.
 * INI layout (configs/vm.ini documents every key):
 *   [vm]            memory, root, rw, timeout, trace, kernel, env (repeatable),
 *                   program, arg (repeatable), mount (repeatable), workdir,
 *                   host_libraries, strace, strace_output
 *   [plugin NAME]   path (bundled plugin name or .so path) + the plugin's own keys
 * Every value remembers its file and line so errors can name them.
 */
#ifndef MINIVM_CORE_CONFIG_H
#define MINIVM_CORE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CONFIG_BUILTIN_SOURCE "built-in defaults"

struct config_entry {
    char *key;
    char *value;
    int line;   /* 0 for built-in defaults and flags */
    bool used;  /* set when a plugin asked for it; unused keys are reported */
};

struct plugin_config {
    char *name;        /* from the section title [plugin NAME] */
    char *path;        /* bundled name or .so path as written; resolved by the loader */
    char *source;      /* INI file name or CONFIG_BUILTIN_SOURCE */
    int line;          /* line of the section title */
    struct config_entry *entries;
    size_t entry_count;
};

/* A host directory shown at a guest path (--mount HOST:GUEST[:rw]). */
struct vm_mount {
    char *host;   /* the host directory */
    char *guest;  /* its absolute, normalized guest path (never "/") */
    bool rw;
    char *origin; /* where it was asked for, for messages: "FILE:LINE", "--mount" */
};

struct vm_config {
    uint64_t memory_bytes;
    char *root;
    bool rw;
    uint64_t timeout_ms; /* 0: none */
    bool trace;
    bool strace;         /* --strace: a line per guest system call */
    char *strace_output; /* --strace-output FILE; NULL: stderr */
    char *kernel_path;   /* NULL: the kernel built into minivm */
    char *program;       /* [vm] program: run when the command line names none */
    char **args;         /* [vm] arg (repeatable): its arguments after argv[0] */
    size_t arg_count;
    char **env;          /* "KEY=VALUE", later entries override earlier keys */
    size_t env_count;
    struct vm_mount *mounts; /* in the order given */
    size_t mount_count;
    char *workdir;       /* the program's working directory (guest path); NULL: see workdir.h */
    bool host_libraries; /* show the host's library directories to a dynamic program
                            whose interpreter the root lacks (mounts.h) */
    char **tmpfs;        /* where the guest kernel mounts a tmpfs of its own */
    size_t tmpfs_count;
    char *gdb_address;   /* --gdb [HOST:]PORT: the gdb stub listens there; NULL: no stub */
    struct plugin_config *plugins;
    size_t plugin_count;
    char *source;        /* the INI file, or CONFIG_BUILTIN_SOURCE */
    char *source_dir;    /* its directory: relative .so paths resolve from here */
};

/* Fills `config` with the built-in defaults. 0 or -1 (logged). */
int config_load_defaults(struct vm_config *config);
/* Applies an INI file on top (see README for merge rules). 0 or -1 (logged,
 * naming the file and line). */
int config_load_file(struct vm_config *config, const char *path);
/* Same for INI text (tests; the built-in defaults). */
int config_load_string(struct vm_config *config, const char *text, const char *source);
void config_free(struct vm_config *config);

/* Single-value parsers shared by the INI layer and the command line.
 * Each returns 0, or -1 without logging (the caller names the culprit). */
int config_parse_size(const char *text, uint64_t *bytes);        /* 256M, 4G, 1048576 */
int config_parse_duration_ms(const char *text, uint64_t *ms);    /* 10, 1.5, 500ms, 2s */
int config_parse_bool(const char *text, bool *value);            /* true/false/yes/no/on/off/1/0 */
/* Adds or replaces KEY=VALUE in config->env. -1 if not KEY=VALUE. */
int config_set_env(struct vm_config *config, const char *assignment);
/* Sets the tmpfs list from `list`: absolute guest paths separated by spaces
 * ("" for none). 0, or -1 with a reason in `why`. */
int config_set_tmpfs(struct vm_config *config, const char *list, char *why, size_t why_size);
/* Adds the mount `spec` ("HOST:GUEST", "HOST:GUEST:rw" or ":ro"), asked for
 * at `origin`. 0, or -1 with a reason in `why` (nothing logged). */
int config_add_mount(struct vm_config *config, const char *spec, const char *origin, char *why,
                     size_t why_size);

#ifdef __cplusplus
}
#endif

#endif
