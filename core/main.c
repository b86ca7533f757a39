/*
 * minivm: runs a static x86-64 Linux program in a KVM micro-VM.
 * Start-up, in one direction (design.md §1): CLI → config → VM + memory →
 * plugins → boot info → kernel → long mode → run loop → exit status.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/boot_params.h"
#include "core/cli.h"
#include "core/exit_status.h"
#include "core/gdb/gdb_stub.h"
#include "core/kernel_loader.h"
#include "core/kernel_symbols.h"
#include "core/log.h"
#include "core/long_mode.h"
#include "core/mounts.h"
#include "core/program.h"
#include "core/sandbox.h"
#include "core/vcpu_run.h"
#include "core/vmm.h"
#include "core/workdir.h"

#ifndef MINIVM_VERSION
#define MINIVM_VERSION "0.1.0"
#endif

/* Defaults ← INI file ← flags. 0, or the exit status to end with. */
static int load_config(int argc, char **argv, struct vm_config *config, struct cli_options *cli)
{
    if (cli_parse(argc, argv, cli, NULL))
        return EXIT_STATUS_VMM_FAILURE;
    if (cli->show_help || cli->show_version)
        return 0;
    if (config_load_defaults(config))
        return EXIT_STATUS_VMM_FAILURE;
    if (cli->config_file && config_load_file(config, cli->config_file))
        return EXIT_STATUS_VMM_FAILURE;
    if (cli_parse(argc, argv, cli, config))
        return EXIT_STATUS_VMM_FAILURE;
    log_set_trace(config->trace);
    return 0;
}

/* The program's argv: from the command line, else from the config. Caller frees the array. */
static char **program_argv(const struct cli_options *cli, const struct vm_config *config,
                           size_t *argc)
{
    if (cli->program_argc > 0) {
        *argc = (size_t)cli->program_argc;
        char **argv = calloc(*argc + 1, sizeof *argv);
        if (argv)
            memcpy(argv, cli->program_argv, *argc * sizeof *argv);
        return argv;
    }
    if (!config->program)
        return NULL;
    *argc = 1 + config->arg_count;
    char **argv = calloc(*argc + 1, sizeof *argv);
    if (!argv)
        return NULL;
    argv[0] = config->program;
    memcpy(argv + 1, config->args, config->arg_count * sizeof *argv);
    return argv;
}

static int read_kernel_file(const char *path, uint8_t **data, size_t *size)
{
    FILE *f = fopen(path, "rbe");
    if (!f) {
        log_error("cannot open guest kernel %s", path);
        return -1;
    }
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    rewind(f);
    if (len <= 0 || len > (64l << 20) || !(*data = malloc((size_t)len)) ||
        fread(*data, 1, (size_t)len, f) != (size_t)len) {
        log_error("cannot read guest kernel %s", path);
        fclose(f);
        return -1;
    }
    fclose(f);
    *size = (size_t)len;
    return 0;
}

/* Everything between "config is known" and "guest is ready to run". */
static int build_vm(struct vmm *vmm, const struct program *program, char **argv, size_t argc,
                    const char *cwd)
{
    struct vm_config *config = vmm->config;
    if (kvm_vm_create(&vmm->kvm) || guest_memory_init(&vmm->memory, config->memory_bytes))
        return EXIT_STATUS_VMM_FAILURE;
    struct guest_memory *mem = &vmm->memory;
    if (kvm_vm_add_memory(&vmm->kvm, 0, 0, mem->low_size, mem->host_base) ||
        (mem->high_size && kvm_vm_add_memory(&vmm->kvm, 1, MINIVM_HIGH_RAM_START, mem->high_size,
                                             mem->host_base + mem->low_size)) ||
        kvm_vcpu_create(&vmm->kvm))
        return EXIT_STATUS_VMM_FAILURE;
    range_table_init(&vmm->ports, "port");
    range_table_init(&vmm->mmio, "MMIO");
    if (plugin_set_load(vmm))
        return EXIT_STATUS_VMM_FAILURE;

    const uint8_t *kernel = minivm_embedded_kernel;
    size_t kernel_size = (size_t)(minivm_embedded_kernel_end - minivm_embedded_kernel);
    uint8_t *kernel_file = NULL;
    if (config->kernel_path && read_kernel_file(config->kernel_path, &kernel_file, &kernel_size))
        return EXIT_STATUS_VMM_FAILURE;
    if (kernel_file)
        kernel = kernel_file;
    struct kernel_image image = {0};
    const char *kernel_name = config->kernel_path ? config->kernel_path : "(built in)";
    int rc = kernel_load(mem, kernel, kernel_size, kernel_name, &image);
    uint64_t kernel_end = image.phys_end;
    struct kernel_symbols symbols;
    if (rc == 0)
        rc = kernel_symbols_place(mem, kernel, kernel_size, &kernel_end, &symbols);
    free(kernel_file);
    if (rc)
        return EXIT_STATUS_VMM_FAILURE;
    /* A kernel linked in the lower-half window runs only in PVM's native mode
     * (docs/pvm.md); any other kernel gets the upper-half layout, on any KVM. */
    enum long_mode_layout layout = LONG_MODE_LAYOUT_UPPER;
    if (image.virt_base == MINIVM_PVM_KERNEL_VIRT_BASE) {
        if (!vmm->kvm.pvm) {
            log_error("guest kernel %s is built for kvm_pvm's native mode; this KVM is not "
                      "kvm_pvm", kernel_name);
            return EXIT_STATUS_VMM_FAILURE;
        }
        layout = LONG_MODE_LAYOUT_PVM;
    }

    /* Before the boot info: its device table lists the stub's event port. */
    if (config->gdb_address &&
        (gdb_stub_open(vmm, config->gdb_address, layout == LONG_MODE_LAYOUT_PVM) ||
         gdb_stub_seccomp_grants(vmm->gdb)))
        return EXIT_STATUS_VMM_FAILURE;

    struct boot_params params = {
        .memory = mem,
        .ports = &vmm->ports,
        .mmio = &vmm->mmio,
        .kernel_phys_end = kernel_end,
        .kernel_symbols = &symbols,
        .program = program->data,
        .program_size = program->size,
        .argv = argv,
        .argc = argc,
        .envp = config->env,
        .envc = config->env_count,
        .cwd = cwd,
        .tmpfs = config->tmpfs,
        .tmpfs_count = config->tmpfs_count,
        .flags = (config->trace ? MINIVM_BOOT_FLAG_TRACE : 0) |
                 (config->strace ? MINIVM_BOOT_FLAG_STRACE : 0) |
                 (config->workdir ? MINIVM_BOOT_FLAG_WORKDIR_GIVEN : 0) |
                 (config->gdb_address ? MINIVM_BOOT_FLAG_GDB : 0) |
                 (layout == LONG_MODE_LAYOUT_PVM ? MINIVM_BOOT_FLAG_PVM : 0) |
                 (vmm->kvm.pvm && layout != LONG_MODE_LAYOUT_PVM ? MINIVM_BOOT_FLAG_EMULATED_KERNEL
                                                                 : 0),
        .tsc_khz = kvm_vcpu_tsc_khz(&vmm->kvm),
    };
    if (boot_params_write(&params) || long_mode_build_page_tables(mem, layout, &image) ||
        long_mode_enter(&vmm->kvm, layout, image.entry, MINIVM_BOOT_INFO_GPA))
        return EXIT_STATUS_VMM_FAILURE;
    return 0;
}

/* Builds the VM, narrows minivm's own system calls, runs the guest, and ends
 * the process. Under seccomp only plugin fini and exit remain after the run:
 * the kernel reclaims the VM, its memory and the plugins. */
__attribute__((noreturn)) static void run_vm_and_exit(struct vm_config *config,
                                                      struct program *program, char **argv,
                                                      size_t argc)
{
    struct vmm vmm;
    memset(&vmm, 0, sizeof vmm);
    vmm.kvm.kvm_fd = vmm.kvm.vm_fd = vmm.kvm.vcpu_fd = -1;
    vmm.config = config;
    vmm.stats.fd = -1;
    char *cwd = workdir_for_guest(config);
    int status = EXIT_STATUS_VMM_FAILURE;
    if (cwd == NULL)
        log_error("out of memory");
    else if (mounts_add_host_libraries(config, program->interp) == 0 &&
             mounts_add_plugins(config) == 0)
        status = build_vm(&vmm, program, argv, argc, cwd);
    free(cwd);
    program_close(program); /* the guest has its own copy now */
    if (status == 0 && config->trace && vcpu_stats_open(&vmm.stats, vmm.kvm.vcpu_fd))
        log_trace("vCPU statistics: not available from this KVM");
    if (status == 0 && (vcpu_arm_timer(&vmm, config->timeout_ms) || sandbox_enter(&vmm)))
        status = EXIT_STATUS_VMM_FAILURE;
    if (status == 0)
        status = vcpu_run(&vmm);
    if (vmm.stats.fd >= 0) {
        char line[2048];
        if (vcpu_stats_format(&vmm.stats, line, sizeof line) >= 0)
            log_trace("vCPU statistics: %s", line);
    }
    plugin_set_finish(&vmm.plugins);
    fflush(NULL);
    _exit(status);
}

int main(int argc, char **argv)
{
    /* Under `bazel run`, behave as if started where the user typed the command. */
    const char *workdir = getenv("BUILD_WORKING_DIRECTORY");
    if (workdir && *workdir && chdir(workdir) != 0) {
        log_error("cannot change to %s", workdir);
        return EXIT_STATUS_VMM_FAILURE;
    }

    /* A closed stdout pipe or a file over RLIMIT_FSIZE must reach the guest as
     * EPIPE / EFBIG from the plugin's write, not kill minivm. */
    signal(SIGPIPE, SIG_IGN);
    signal(SIGXFSZ, SIG_IGN);

    struct vm_config config;
    memset(&config, 0, sizeof config);
    struct cli_options cli;
    int status = load_config(argc, argv, &config, &cli);
    if (status || cli.show_help || cli.show_version) {
        if (!status && cli.show_help)
            cli_print_help(argv[0]);
        else if (!status)
            printf("minivm %s\n", MINIVM_VERSION);
        config_free(&config);
        return status;
    }

    size_t prog_argc = 0;
    char **prog_argv = program_argv(&cli, &config, &prog_argc);
    if (!prog_argv) {
        log_error("no program to run: give one after --, or set program in [vm] (try --help)");
        config_free(&config);
        return EXIT_STATUS_VMM_FAILURE;
    }
    struct program program;
    status = program_open(&program, prog_argv[0]);
    if (status != 0) {
        program_close(&program);
        free(prog_argv);
        config_free(&config);
        return status;
    }
    run_vm_and_exit(&config, &program, prog_argv, prog_argc);
}
