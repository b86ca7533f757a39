#include "tests/fuzz/guest/batch.h"

#include <fcntl.h>
#include <string.h>

#include "tests/fuzz/guest/call.h"
#include "tests/fuzz/guest/checks.h"
#include "tests/fuzz/guest/elf_mutant.h"
#include "tests/fuzz/guest/guards.h"
#include "tests/fuzz/guest/known_bugs.h"
#include "tests/fuzz/guest/memory.h"
#include "tests/fuzz/guest/out.h"
#include "tests/fuzz/guest/pressure.h"
#include "tests/fuzz/guest/raw.h"
#include "tests/fuzz/guest/signals.h"

#define SYS_read 0
#define SYS_write 1
#define SYS_open 2
#define SYS_close 3
#define SYS_dup2 33
#define SYS_getpid 39
#define SYS_setpgid 109
#define SYS_arch_prctl 158
#define SYS_pipe2 293
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003

/* A forked child fuzzes this many more calls at most. */
#define CHILD_CALLS 16

static struct fuzz_state state;

/* --- start-up ---------------------------------------------------------------------- */

static void add_fd(struct fuzz_state *s, long fd)
{
    if (fd < 0 || fd >= 1024 || fd == LOG_FD)
        return;
    for (uint32_t i = 0; i < s->nfds; i++)
        if (s->fds[i] == fd)
            return;
    if (s->nfds < MAX_FDS)
        s->fds[s->nfds++] = (int32_t)fd;
    else
        s->fds[rng_below(&s->rng, MAX_FDS)] = (int32_t)fd;
}

static void forget_fd(struct fuzz_state *s, long fd)
{
    for (uint32_t i = 0; i < s->nfds; i++) {
        if (s->fds[i] == fd) {
            s->fds[i] = s->fds[--s->nfds];
            s->closed_fds[s->nclosed++ % 8] = (int32_t)fd;
            if (s->nclosed > 8)
                s->nclosed = 8;
            return;
        }
    }
}

static long open_path(const char *path, long flags)
{
    return raw3(SYS_open, (long)path, flags, 0644);
}

/* Standard streams, the log descriptor, and a few of every kind of file. */
static int setup_files(struct fuzz_state *s)
{
    long null_fd = open_path("/dev/null", O_RDWR);
    raw2(SYS_dup2, 2, LOG_FD);
    /* One batch in four keeps the console as stdin/stdout (garbage there is
     * the runner's problem); stderr is always quiet, the supervisor reports
     * there. */
    if (!rng_one_in(&s->rng, 4)) {
        raw2(SYS_dup2, null_fd, 0);
        raw2(SYS_dup2, null_fd, 1);
    }
    raw2(SYS_dup2, null_fd, 2);
    for (int fd = 0; fd < 3; fd++)
        add_fd(s, fd);
    add_fd(s, null_fd);

    long file_fd = open_path("/file", O_RDONLY);
    add_fd(s, file_fd);
    add_fd(s, open_path("/dir", O_RDONLY | O_DIRECTORY));
    add_fd(s, open_path("/", O_RDONLY | O_DIRECTORY));
    add_fd(s, open_path("/dev/zero", O_RDONLY));
    add_fd(s, open_path("/dev/urandom", O_RDONLY));
    add_fd(s, open_path("/dev/full", O_WRONLY));
    if (s->cfg->rw) {
        add_fd(s, open_path("/f0", O_RDWR | O_CREAT));
        add_fd(s, open_path("/dir/f3", O_WRONLY | O_CREAT | O_APPEND));
    } else {
        add_fd(s, open_path("/empty", O_RDONLY));
    }
    int pipes[2][2] = {{-1, -1}, {-1, -1}};
    raw2(SYS_pipe2, (long)pipes[0], 0);
    raw2(SYS_pipe2, (long)pipes[1], O_NONBLOCK);
    for (int i = 0; i < 2; i++) {
        add_fd(s, pipes[i][0]);
        add_fd(s, pipes[i][1]);
    }
    /* Half full: most reads and writes on the blocking pipe do not block. */
    for (int i = 0; i < 8; i++)
        raw3(SYS_write, pipes[0][1], 0x400000 /* program text */, 4096);
    return (int)file_fd;
}

/* --- output ---------------------------------------------------------------------------- */

static void describe_call(struct out *o, const struct fuzz_state *s, const struct call *c)
{
    out_str(o, "b");
    out_udec(o, s->batch);
    out_str(o, " c");
    out_udec(o, s->call);
    if (s->depth > 0) {
        out_str(o, " d");
        out_udec(o, s->depth);
        out_str(o, " pid ");
        out_dec(o, s->pid);
    }
    out_str(o, ": ");
    if (c->desc != 0) {
        out_str(o, c->desc->name);
    } else {
        out_str(o, "syscall_");
        out_dec(o, c->nr);
    }
    out_str(o, "(");
    int shown = c->desc != 0 ? 0 : 6;
    for (int i = 0; i < 6; i++)
        if (c->desc != 0 && c->desc->kinds[i] != ARG_NONE)
            shown = i + 1;
    for (int i = 0; i < shown; i++) {
        if (i > 0)
            out_str(o, ", ");
        out_hex(o, c->a[i].v);
        if (c->a[i].str != 0) {
            out_str(o, " ");
            out_quoted(o, c->a[i].str, c->a[i].str_len);
        }
    }
    out_str(o, ")");
    if (c->route == ROUTE_FORK) {
        static const char *const modes[] = {"exits", "returns", "execs"};
        out_str(o, " [child ");
        out_str(o, modes[c->child_mode]);
        out_str(o, "]");
    } else if (c->route == ROUTE_SIGRETURN) {
        out_str(o, " [crafted frame]");
    }
    if (c->why != 0) {
        out_str(o, (c->route == ROUTE_SKIP) ? " skipped: " : " note: ");
        out_str(o, c->why);
    }
}

static void log_call(const struct fuzz_state *s, const struct call *c)
{
    struct out o = {.len = 0};
    describe_call(&o, s, c);
    out_line(&o, LOG_FD);
}

static void log_result(const struct fuzz_state *s, long result)
{
    struct out o = {.len = 0};
    out_str(&o, "  = ");
    out_dec(&o, result);
    if (result < 0 && result > -4096) {
        out_str(&o, " (errno ");
        out_dec(&o, -result);
        out_str(&o, ")");
    } else if (result > 0xffff) {
        out_str(&o, " ");
        out_hex(&o, (uint64_t)result);
    }
    if (s->depth > 0) {
        out_str(&o, " [pid ");
        out_dec(&o, s->pid);
        out_str(&o, "]");
    }
    out_line(&o, LOG_FD);
}

/* --- what the results tell us ------------------------------------------------------------------ */

static void track_result(struct fuzz_state *s, const struct call *c, long result)
{
    if (c->desc == 0 || result < 0 || c->route == ROUTE_SKIP)
        return;
    if (call_is(c, "open") || call_is(c, "openat") || call_is(c, "creat") || call_is(c, "dup") ||
        call_is(c, "dup2") || call_is(c, "dup3")) {
        add_fd(s, result);
    } else if (call_is(c, "fcntl")) {
        uint32_t cmd = (uint32_t)c->a[1].v;
        if (cmd == 0 || cmd == 1030) /* F_DUPFD, F_DUPFD_CLOEXEC */
            add_fd(s, result);
    } else if (call_is(c, "close")) {
        forget_fd(s, (int32_t)c->a[0].v);
    } else if ((call_is(c, "pipe") || call_is(c, "pipe2")) && c->a[0].cls == PTR_STRUCT &&
               c->a[0].v + 8 <= structs_end()) {
        const int32_t *fds = (const int32_t *)c->a[0].v;
        add_fd(s, fds[0]);
        add_fd(s, fds[1]);
    } else if (c->route == ROUTE_FORK && result > 0) {
        s->progress->forks++;
        if (s->nchildren < MAX_CHILDREN)
            s->children[s->nchildren++] = (int32_t)result;
        else
            s->children[rng_below(&s->rng, MAX_CHILDREN)] = (int32_t)result;
    } else if (call_is(c, "mmap") && result > 0 && c->a[1].v <= (1u << 20)) {
        uint32_t i = s->nmaps < MAX_MAPPINGS ? s->nmaps++ : (uint32_t)rng_below(&s->rng, MAX_MAPPINGS);
        s->map_addr[i] = (uint64_t)result;
        s->map_len[i] = c->a[1].v;
    } else if (call_is(c, "brk")) {
        s->brk = (uint64_t)result;
    }
}

/* --- making the call ------------------------------------------------------------------------- */

/* A decimal number as a string in the struct area. */
static uint64_t number_string(uint64_t v)
{
    struct out o = {.len = 0};
    out_udec(&o, v);
    char *p = structs_alloc(o.len + 1);
    if (p != 0)
        memcpy(p, o.buf, o.len);
    return (uint64_t)p;
}

/* execve of the fuzzer itself as an exec'd child (main.c, batch_run_execed). */
static void exec_child_arguments(struct fuzz_state *s)
{
    static const char path[] = "/proc/self/exe";
    char flags[4] = {0};
    int n = 0;
    if (s->cfg->rw)
        flags[n++] = 'w';
    if (s->cfg->verbose)
        flags[n++] = 'v';
    if (s->cfg->fuzz_known_bugs)
        flags[n++] = 'k';
    flags[n++] = '-';
    uint64_t *argv = structs_alloc((EXEC_CHILD_ARGC + 1) * 8);
    char *strings = structs_alloc(sizeof path + sizeof EXEC_CHILD_FLAG + sizeof flags);
    if (argv == 0 || strings == 0)
        return;
    memcpy(strings, path, sizeof path);
    memcpy(strings + sizeof path, EXEC_CHILD_FLAG, sizeof EXEC_CHILD_FLAG);
    memcpy(strings + sizeof path + sizeof EXEC_CHILD_FLAG, flags, sizeof flags);
    argv[0] = (uint64_t)strings;
    argv[1] = (uint64_t)strings + sizeof path;
    argv[2] = number_string(s->cfg->seed);
    argv[3] = number_string(s->batch);
    argv[4] = number_string(rng_next(&s->rng));
    argv[5] = number_string(s->depth + 1);
    argv[6] = number_string((uint32_t)s->supervisor_pgid);
    argv[7] = (uint64_t)strings + sizeof path + sizeof EXEC_CHILD_FLAG;
    argv[8] = 0;
    fuzz_fork_exec[0] = argv[0];
    fuzz_fork_exec[1] = (uint64_t)argv;
    fuzz_fork_exec[2] = 0;
}

/* A forked child execs a malformed program (elf_mutant.h). */
static bool prepare_mutant_exec(struct fuzz_state *s, struct call *c)
{
    if (!elf_mutant_write(&s->rng))
        return false;
    c->desc = syscall_find(57 /* fork */);
    c->nr = 57;
    c->route = ROUTE_FORK;
    c->child_mode = CHILD_EXECS;
    c->why = "the child execs an ELF mutant (" ELF_MUTANT_PATH ")";
    char *path = structs_alloc(sizeof ELF_MUTANT_PATH);
    uint64_t *argv = structs_alloc(2 * 8);
    if (path == 0 || argv == 0)
        return false;
    memcpy(path, ELF_MUTANT_PATH, sizeof ELF_MUTANT_PATH);
    argv[0] = (uint64_t)path;
    argv[1] = 0;
    fuzz_fork_exec[0] = (uint64_t)path;
    fuzz_fork_exec[1] = (uint64_t)argv;
    fuzz_fork_exec[2] = 0;
    return true;
}

static void prepare_call(struct fuzz_state *s, struct call *c)
{
    memset(c, 0, sizeof *c);
    struct rng *r = &s->rng;
    if (s->cfg->rw && rng_one_in(r, 60) && prepare_mutant_exec(s, c))
        return;
    memset(c, 0, sizeof *c);
    bool generic;
    if (rng_one_in(r, 40)) {
        c->nr = syscall_pick_unknown(r);
        generic = true;
    } else {
        c->desc = syscall_pick(r);
        c->nr = c->desc->nr;
        generic = !c->desc->hinted || rng_one_in(r, 16);
    }
    struct arg_context ctx = {.s = s, .last_room = 0};
    for (int i = 0; i < 6; i++) {
        enum arg_kind k = generic ? ARG_ANY : c->desc->kinds[i];
        if (!generic && k != ARG_NONE && rng_one_in(r, 24))
            k = ARG_ANY; /* now and then one argument of the wrong kind */
        c->kind[i] = k;
        c->a[i] = args_generate(&ctx, k);
    }
    if (!s->cfg->fuzz_known_bugs)
        known_bugs_avoid(s, c);
    guards_apply(s, c);
    if (c->route == ROUTE_FORK && c->child_mode == CHILD_EXECS && s->depth < 2 &&
        rng_one_in(r, 2)) {
        exec_child_arguments(s);
    } else if (c->route == ROUTE_FORK && c->child_mode == CHILD_EXECS) {
        /* What the child passes to execve, checked like a fuzzed execve. */
        struct call exec = {.nr = 59, .desc = syscall_find(59)};
        exec.a[0] = args_generate(&ctx, ARG_EXEC_PATH);
        exec.a[1] = args_generate(&ctx, ARG_ARGV);
        exec.a[2] = args_generate(&ctx, ARG_ARGV);
        if (!s->cfg->fuzz_known_bugs)
            known_bugs_avoid(s, &exec);
        for (int i = 0; i < 3; i++)
            fuzz_fork_exec[i] = exec.a[i].v;
    }
}

static void note_progress(struct fuzz_state *s, const struct call *c)
{
    struct progress *pg = s->progress;
    pg->calls_made++;
    if (s->depth == 0) {
        pg->call = s->call;
        pg->nr = (int32_t)c->nr;
        for (int i = 0; i < 6; i++)
            pg->args[i] = c->a[i].v;
    } else {
        pg->sub_calls++;
    }
    pg->last_pid = s->pid;
    pg->last_depth = s->depth;
    pg->last_call = s->call;
    pg->last_nr = (int32_t)c->nr;
}

/* The process just forked and we are its child: fuzz a little, then exit. */
static void become_child(struct fuzz_state *s)
{
    s->parent_pid = s->pid;
    s->pid = (int32_t)raw0(SYS_getpid);
    fuzz_resume_pid = s->pid;
    s->depth++;
    s->rng = rng_from(s->rng.state, 0xc41d + s->depth);
    signals_seed(rng_next(&s->rng));
    s->nchildren = 0;
    s->calls_end = s->call + 1 + (uint32_t)rng_below(&s->rng, CHILD_CALLS);
    memory_cow_scribble(&s->rng);
}

static void one_call(struct fuzz_state *s)
{
    struct call c;
    structs_reset();
    prepare_call(s, &c);
    if (s->depth == 0 && s->cfg->stop_after >= 0 && s->call >= (uint64_t)s->cfg->stop_after)
        raw_exit(0);
    note_progress(s, &c);
    if (s->cfg->verbose)
        log_call(s, &c);
    long result = 0;
    switch (c.route) {
    case ROUTE_SKIP:
        s->progress->skipped++;
        return;
    case ROUTE_SIGRETURN:
        signals_crafted_sigreturn(&s->rng, s->cfg->verbose ? LOG_FD : -1);
        s->progress->resumed++;
        if (s->cfg->verbose)
            log_result(s, 0);
        return;
    case ROUTE_FORK:
        result = fuzz_fork_call(c.nr, (long)c.a[0].v, (long)c.a[1].v, (long)c.a[2].v,
                                (long)c.a[3].v, (long)c.a[4].v, c.child_mode);
        if (result == 0) { /* the child, told to return */
            become_child(s);
            return;
        }
        break;
    case ROUTE_SYSCALL:
        checks_before(&c);
        result = fuzz_call(c.nr, (long)c.a[0].v, (long)c.a[1].v, (long)c.a[2].v,
                           (long)c.a[3].v, (long)c.a[4].v, (long)c.a[5].v);
        if (call_is(&c, "arch_prctl"))
            raw2(SYS_arch_prctl, ARCH_SET_FS, (long)fuzz_resume_fs); /* our TLS back */
        break;
    }
    if (fuzz_resumed != 0) { /* a tampered handler frame sent us to the landing */
        fuzz_resumed = 0;
        s->progress->resumed++;
        if (s->cfg->verbose)
            log_result(s, result);
        return;
    }
    if (s->cfg->verbose)
        log_result(s, result);
    track_result(s, &c, result);
    checks_after(s, &c, result);
    checks_cow(s, &c);
}

/* One batch in eight (--pressure-odds) fuzzes with little memory left, one
 * in sixteen with a full process table (pressure.h). */
static void apply_pressure(struct fuzz_state *s)
{
    struct out o = {.len = 0};
    uint32_t odds = s->cfg->pressure_odds != 0 ? s->cfg->pressure_odds : 8;
    if (rng_one_in(&s->rng, odds) && known_bugs_allow_memory_exhaustion(s)) {
        uint64_t keep = (1 + rng_below(&s->rng, 512)) * 4096;
        pressure_eat_memory(keep);
        out_str(&o, "pressure: memory eaten down to ");
        out_udec(&o, keep);
        out_str(&o, " bytes free");
    } else if (rng_one_in(&s->rng, 16)) {
        uint32_t n = pressure_fill_process_table();
        out_str(&o, "pressure: the process table filled with ");
        out_udec(&o, n);
        out_str(&o, " sleeping children");
    }
    if (o.len > 0 && s->cfg->verbose)
        out_line(&o, LOG_FD);
}

__attribute__((noreturn)) static void fuzz_until_done(struct fuzz_state *s)
{
    for (s->call = 0; s->call < s->calls_end; s->call++)
        one_call(s);
    raw_exit(0);
}

void batch_run(const struct fuzz_config *cfg, struct progress *pg, uint32_t batch,
               struct supervisor_identity sup)
{
    struct fuzz_state *s = &state;
    memset(s, 0, sizeof *s);
    s->cfg = cfg;
    s->progress = pg;
    s->batch = batch;
    s->rng = rng_from(cfg->seed, batch);
    s->supervisor_pid = sup.pid;
    s->supervisor_pgid = sup.pgid;
    s->pid = (int32_t)raw0(SYS_getpid);
    raw2(SYS_setpgid, 0, 0); /* signals to "our group" never reach the supervisor */
    fuzz_resume_pid = s->pid;
    raw2(SYS_arch_prctl, ARCH_GET_FS, (long)&fuzz_resume_fs);
    signals_seed(rng_next(&s->rng));
    signals_install_wake_handler();

    s->parent_pid = sup.pid;
    int file_fd = setup_files(s);
    memory_setup(&s->rng, file_fd);
    s->cow_seed = rng_next(&s->rng);
    memory_cow_fill(s->cow_seed);
    s->brk = (uint64_t)raw1(12 /* brk */, 0);
    s->calls_end = cfg->calls;
    apply_pressure(s);
    fuzz_until_done(s);
}

void batch_run_execed(const struct fuzz_config *cfg, uint64_t child_seed, uint32_t depth,
                      struct supervisor_identity sup)
{
    static struct progress private_progress; /* nobody reads it */
    struct fuzz_state *s = &state;
    memset(s, 0, sizeof *s);
    s->cfg = cfg;
    s->progress = &private_progress;
    s->batch = (uint32_t)cfg->exec_child_batch;
    s->rng = rng_from(child_seed, depth);
    s->supervisor_pid = sup.pid;
    s->supervisor_pgid = sup.pgid;
    s->pid = (int32_t)raw0(SYS_getpid);
    s->parent_pid = (int32_t)raw0(110 /* getppid */);
    s->depth = depth;
    fuzz_resume_pid = s->pid;
    raw2(SYS_arch_prctl, ARCH_GET_FS, (long)&fuzz_resume_fs);
    signals_seed(rng_next(&s->rng));
    signals_install_wake_handler();

    /* The descriptors execve left open are what this image fuzzes. */
    for (int fd = 0; fd < 64; fd++)
        if (raw3(72 /* fcntl */, fd, 1 /* F_GETFD */, 0) >= 0)
            add_fd(s, fd);
    memory_protect_init(0);
    memory_setup(&s->rng, (int)open_path("/file", O_RDONLY));
    s->cow_seed = rng_next(&s->rng);
    memory_cow_fill(s->cow_seed);
    s->brk = (uint64_t)raw1(12 /* brk */, 0);
    s->calls_end = cfg->calls;
    fuzz_until_done(s);
}
