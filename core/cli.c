#include "core/cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/gdb/gdb_connection.h"
#include "core/log.h"

enum {
    OPT_ROOT = 256,
    OPT_RW,
    OPT_MEMORY,
    OPT_TIMEOUT,
    OPT_ENV,
    OPT_TRACE,
    OPT_MOUNT,
    OPT_NO_HOST_LIBRARIES,
    OPT_TMPFS,
    OPT_GDB,
    OPT_STRACE,
    OPT_STRACE_OUTPUT,
};

static const struct option long_options[] = {
    {"config", required_argument, NULL, 'c'},
    {"root", required_argument, NULL, OPT_ROOT},
    {"rw", no_argument, NULL, OPT_RW},
    {"memory", required_argument, NULL, OPT_MEMORY},
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {"env", required_argument, NULL, OPT_ENV},
    {"trace", no_argument, NULL, OPT_TRACE},
    {"mount", required_argument, NULL, OPT_MOUNT},
    {"workdir", required_argument, NULL, 'w'},
    {"no-host-libraries", no_argument, NULL, OPT_NO_HOST_LIBRARIES},
    {"tmpfs", required_argument, NULL, OPT_TMPFS},
    {"gdb", required_argument, NULL, OPT_GDB},
    {"strace", no_argument, NULL, OPT_STRACE},
    {"strace-output", required_argument, NULL, OPT_STRACE_OUTPUT},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

void cli_print_help(const char *argv0)
{
    printf("usage: %s [options] [-c FILE] [--] PROGRAM [ARGS...]\n"
           "Runs an x86-64 Linux program inside a KVM micro-VM.\n"
           "\n"
           "  -c, --config FILE  INI configuration (default: built in; see configs/vm.ini)\n"
           "      --root DIR     host directory that is the guest's / (default: .)\n"
           "      --rw           let the program write beneath the root (default: read-only)\n"
           "      --memory SIZE  guest RAM, e.g. 256M, 4G (default: 512M)\n"
           "      --timeout T    stop the program after T (e.g. 10, 2.5s, 500ms); status 124\n"
           "      --env K=V      add or replace an environment variable (repeatable)\n"
           "      --mount HOST:GUEST[:rw]\n"
           "                     show host directory HOST at guest path GUEST, read-only\n"
           "                     unless :rw (repeatable)\n"
           "  -w, --workdir DIR  the program's working directory (guest path; default: the\n"
           "                     current directory when it lies in the root, else /)\n"
           "      --tmpfs \"DIR...\"  where the guest gets a private in-memory tmpfs (default:\n"
           "                     \"/tmp /dev/shm\"; \"\" for none: then /tmp is the root's)\n"
           "      --no-host-libraries\n"
           "                     do not show the host's library directories to a dynamically\n"
           "                     linked program whose interpreter the root lacks\n"
           "      --trace        report unknown system calls, plugin debug messages and,\n"
           "                     at the end, the vCPU's KVM statistics (exits, ...)\n"
           "      --gdb [HOST:]PORT\n"
           "                     wait for gdb (target remote HOST:PORT) before the program's\n"
           "                     first instruction; HOST defaults to 127.0.0.1 (whoever can\n"
           "                     connect controls the program: see docs/security.md)\n"
           "      --strace       print every system call, signal and exit of the guest's\n"
           "                     processes in strace's format, on stderr\n"
           "      --strace-output FILE\n"
           "                     the same lines into FILE instead (implies --strace)\n"
           "  -h, --help         show this help\n"
           "  -V, --version      show the version\n"
           "\n"
           "Exit status: the program's own; 128+N if it died of signal N; 124 timeout;\n"
           "125 minivm failed; 126 program not runnable; 127 program not found.\n",
           argv0);
}

static int usage_error(const char *fmt, const char *arg)
{
    char message[1024];
    snprintf(message, sizeof message, fmt, arg);
    log_error("%s (try --help)", message);
    return -1;
}

/* The option getopt just refused: a long one as written, a short one by its
 * letter (argv[optind - 1] is not it while getopt is inside a group like -xh). */
static const char *option_name(char **argv, char buf[3])
{
    const char *arg = argv[optind - 1];
    if (strncmp(arg, "--", 2) == 0 || optopt == 0)
        return arg;
    buf[0] = '-';
    buf[1] = (char)optopt;
    buf[2] = '\0';
    return buf;
}

int cli_parse(int argc, char **argv, struct cli_options *options, struct vm_config *config)
{
    char name[3];
    memset(options, 0, sizeof *options);
    optind = 0; /* glibc: 0, not 1, fully resets getopt for another scan */
    opterr = 0;
    int opt;
    /* '+': stop at the first non-option, which is the program. */
    while ((opt = getopt_long(argc, argv, "+:c:hVw:", long_options, NULL)) != -1) {
        switch (opt) {
        case 'c':
            options->config_file = optarg;
            break;
        case 'h':
            options->show_help = true;
            break;
        case 'V':
            options->show_version = true;
            break;
        case OPT_ROOT:
            if (config) {
                free(config->root);
                config->root = strdup(optarg);
            }
            break;
        case OPT_RW:
            if (config)
                config->rw = true;
            break;
        case OPT_TRACE:
            if (config)
                config->trace = true;
            break;
        case OPT_STRACE:
            if (config)
                config->strace = true;
            break;
        case OPT_STRACE_OUTPUT:
            if (config) {
                if (optarg[0] == '\0')
                    return usage_error("--strace-output: the file name is empty%s", "");
                free(config->strace_output);
                config->strace_output = strdup(optarg);
                config->strace = true;
            }
            break;
        case OPT_MEMORY:
            if (config && config_parse_size(optarg, &config->memory_bytes))
                return usage_error("--memory: '%s' is not a size (e.g. 256M, 4G)", optarg);
            break;
        case OPT_TIMEOUT:
            if (config && config_parse_duration_ms(optarg, &config->timeout_ms))
                return usage_error("--timeout: '%s' is not a duration (e.g. 10, 2.5s, 500ms)",
                                   optarg);
            break;
        case OPT_MOUNT:
            if (config) {
                char why[512];
                if (config_add_mount(config, optarg, "--mount", why, sizeof why) != 0)
                    return usage_error("--mount: %s", why);
            }
            break;
        case 'w':
            if (config) {
                if (optarg[0] != '/')
                    return usage_error("--workdir: '%s' is not an absolute guest path", optarg);
                free(config->workdir);
                config->workdir = strdup(optarg);
            }
            break;
        case OPT_TMPFS:
            if (config) {
                char why[512];
                if (config_set_tmpfs(config, optarg, why, sizeof why) != 0)
                    return usage_error("--tmpfs: %s", why);
            }
            break;
        case OPT_GDB:
            if (config) {
                char host[16], why[160];
                uint16_t port;
                if (gdb_address_parse(optarg, host, &port, why, sizeof why) != 0)
                    return usage_error("--gdb: %s", why);
                free(config->gdb_address);
                config->gdb_address = strdup(optarg);
            }
            break;
        case OPT_NO_HOST_LIBRARIES:
            if (config)
                config->host_libraries = false;
            break;
        case OPT_ENV:
            if (config && config_set_env(config, optarg))
                return usage_error("--env: '%s' is not KEY=VALUE", optarg);
            break;
        case ':':
            return usage_error("option %s needs a value", option_name(argv, name));
        default:
            return usage_error("unknown option %s", option_name(argv, name));
        }
    }
    if (optind < argc) {
        options->program_argv = &argv[optind];
        options->program_argc = argc - optind;
    }
    return 0;
}
