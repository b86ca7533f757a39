/* The command line (design.md §6): minivm [options] [-c FILE] [-- PROGRAM [ARGS...]] */
#ifndef MINIVM_CORE_CLI_H
#define MINIVM_CORE_CLI_H

#include <stdbool.h>

#include "core/config.h"

#ifdef __cplusplus
extern "C" {
#endif

struct cli_options {
    const char *config_file;  /* -c, or NULL */
    char **program_argv;      /* PROGRAM ARGS..., or NULL (then the config's program) */
    int program_argc;
    bool show_help;
    bool show_version;
};

/*
 * Parses argv. Flags that set VM settings are applied to `config` (which must
 * already hold the defaults and the -c file; so the caller parses twice: once
 * with config == NULL to learn -c, then again to apply the flags on top).
 * Returns 0, or -1 after printing a usage error.
 */
int cli_parse(int argc, char **argv, struct cli_options *options, struct vm_config *config);
void cli_print_help(const char *argv0);

#ifdef __cplusplus
}
#endif

#endif
