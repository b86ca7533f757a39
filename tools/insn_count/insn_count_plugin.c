/*
 * A QEMU TCG plugin that counts the instructions executed at guest-virtual
 * addresses in [start, end): minivm's guest kernel text, run as the nested
 * guest of tools/nested_kvm (QEMU emulates both levels, so every instruction
 * of the inner guest passes through TCG). Exact, whatever the KVM below
 * would do, and cheap: one inline add per instruction, no exits.
 *
 *   qemu-system-x86_64 ... -plugin insn_count_plugin.so,start=0x...,end=0x...,out=FILE
 *
 * A REP-prefixed string instruction counts once per execution, not once per
 * iteration, as KVM's instruction emulator counts it (the instructions
 * kvm_pvm emulates are what docs/performance.md's targets count): TCG runs
 * each further iteration as a block of its own that starts at the
 * instruction, so only its runs from the instruction before it are counted;
 * the iterations are summed apart ("rep_iterations").
 *
 * FILE, at QEMU's exit: "kernel N", "rep_iterations N", then "rip ADDRESS
 * COUNT" for every address that ran. The outer Linux must not run code in the range: boot it
 * with nokaslr (its text then starts at 0xffffffff81000000, above ours).
 *
 * With mark=ADDRESS (a kernel address: build.sh gives trap_return_to_user,
 * the instruction that first runs when the kernel enters user mode), FILE
 * also has "before_mark N", the kernel's instructions before ADDRESS first
 * ran, and FILE.mark the counts up to then in FILE's format: the boot, up to
 * the first user instruction, apart from the rest of the run.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qemu_plugin_v1.h"

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

#define MAX_RANGE (64u << 20)

static uint64_t range_start, range_end;
static uint64_t *counts; /* one counter per byte address of the range */
static uint64_t rep_iterations;

/* A string instruction (MOVS, CMPS, STOS, LODS, SCAS, INS, OUTS) with a REP
 * prefix, from its bytes. */
static bool is_rep_string(const uint8_t *b, size_t len)
{
    bool rep = false;
    for (size_t i = 0; i < len; i++) {
        uint8_t c = b[i];
        if (c == 0xf2 || c == 0xf3)
            rep = true;
        else if (c == 0x66 || c == 0x67 || c == 0x2e || c == 0x36 || c == 0x3e || c == 0x26 ||
                 c == 0x64 || c == 0x65 || (c >= 0x40 && c <= 0x4f))
            continue;
        else
            return rep && ((c >= 0xa4 && c <= 0xa7) || (c >= 0xaa && c <= 0xaf) ||
                           (c >= 0x6c && c <= 0x6f));
    }
    return false;
}
static const char *out_path;
static uint64_t mark_va;
static uint64_t *mark_counts; /* counts when mark_va first ran, or NULL */
static uint64_t mark_rep_iterations;

static void on_mark(unsigned int vcpu_index, void *userdata)
{
    (void)vcpu_index;
    (void)userdata;
    if (mark_counts != NULL)
        return;
    mark_counts = malloc((range_end - range_start) * sizeof *mark_counts);
    if (mark_counts == NULL)
        return;
    memcpy(mark_counts, counts, (range_end - range_start) * sizeof *mark_counts);
    mark_rep_iterations = rep_iterations;
}

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
    (void)id;
    size_t n = qemu_plugin_tb_n_insns(tb);
    for (size_t i = 0; i < n; i++) {
        struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
        uint64_t va = qemu_plugin_insn_vaddr(insn);
        if (va < range_start || va >= range_end)
            continue;
        if (mark_va != 0 && va == mark_va)
            qemu_plugin_register_vcpu_insn_exec_cb(insn, on_mark, QEMU_PLUGIN_CB_NO_REGS, NULL);
        if (is_rep_string(qemu_plugin_insn_data(insn), qemu_plugin_insn_size(insn))) {
            qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64,
                                                       &rep_iterations, 1);
            if (i == 0)
                continue; /* a further iteration (or, rarely, a jump onto it) */
        }
        qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64,
                                                   &counts[va - range_start], 1);
    }
}

/* "kernel N", "rep_iterations N" (and extra_line), then the rip lines. */
static void write_file(const char *path, const uint64_t *c, uint64_t reps, const char *extra_line)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "insn_count_plugin: cannot write %s\n", path);
        return;
    }
    uint64_t total = 0;
    for (uint64_t i = 0; i < range_end - range_start; i++)
        total += c[i];
    fprintf(f, "kernel %" PRIu64 "\nrep_iterations %" PRIu64 "\n%s", total, reps, extra_line);
    for (uint64_t i = 0; i < range_end - range_start; i++)
        if (c[i])
            fprintf(f, "rip %" PRIx64 " %" PRIu64 "\n", range_start + i, c[i]);
    fclose(f);
}

static void write_counts(qemu_plugin_id_t id, void *userdata)
{
    (void)id;
    (void)userdata;
    char line[64] = "";
    if (mark_counts != NULL) {
        uint64_t before = 0;
        for (uint64_t i = 0; i < range_end - range_start; i++)
            before += mark_counts[i];
        snprintf(line, sizeof line, "before_mark %" PRIu64 "\n", before);
        char mark_path[4096];
        snprintf(mark_path, sizeof mark_path, "%s.mark", out_path);
        write_file(mark_path, mark_counts, mark_rep_iterations, "");
    }
    write_file(out_path, counts, rep_iterations, line);
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info,
                                           int argc, char **argv)
{
    (void)info;
    for (int i = 0; i < argc; i++) {
        if (strncmp(argv[i], "start=", 6) == 0)
            range_start = strtoull(argv[i] + 6, NULL, 0);
        else if (strncmp(argv[i], "end=", 4) == 0)
            range_end = strtoull(argv[i] + 4, NULL, 0);
        else if (strncmp(argv[i], "out=", 4) == 0)
            out_path = argv[i] + 4;
        else if (strncmp(argv[i], "mark=", 5) == 0)
            mark_va = strtoull(argv[i] + 5, NULL, 0);
    }
    if (!out_path || range_end <= range_start || range_end - range_start > MAX_RANGE) {
        fprintf(stderr, "insn_count_plugin: needs start=, end= (at most %u bytes apart), out=\n",
                MAX_RANGE);
        return -1;
    }
    counts = calloc(range_end - range_start, sizeof *counts);
    if (!counts)
        return -1;
    qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
    qemu_plugin_register_atexit_cb(id, write_counts, NULL);
    return 0;
}
