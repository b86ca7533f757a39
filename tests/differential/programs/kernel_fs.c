/*
 * The guest kernel's own filesystems as a program sees them: tmpfs at /tmp
 * (files, directories, links, rename, truncate, times, open-unlinked files,
 * FIFOs and socket nodes,
 * errno values, mmap of a file shared across fork and private copy-on-write),
 * /proc (self, exe, fd, cmdline, environ, auxv, status, stat, maps, mounts,
 * cpuinfo) and /sys's CPU list. Natively /tmp is the host's: everything
 * happens in a fresh subdirectory that is removed at the end. Output is
 * deterministic (no pids, times or paths) for the differential suite.
 *
 * Usage: kernel_fs         every check; where the host's /tmp cannot map a
 *                          file shared and writable (9p), that check passes
 *        kernel_fs strict  under minivm (e2e): shared mappings must work,
 *                          and POSIX shared memory (/dev/shm) is checked too
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static int strict;
static char base[64]; /* the test directory: /tmp/kernel_fs.XXXXXX */

static void check(int ok, const char *what)
{
    printf("%s: %s\n", what, ok ? "ok" : "FAILED");
    fflush(stdout);
}

/* A path inside the test directory (one of two rotating buffers). */
static const char *at(const char *name)
{
    static char bufs[2][128];
    static int next;
    char *b = bufs[next++ & 1];
    snprintf(b, sizeof bufs[0], "%s/%s", base, name);
    return b;
}

static int fails_with(int result, int err)
{
    return result == -1 && errno == err;
}

static ssize_t read_file(const char *path, char *buf, size_t size)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -1;
    size_t done = 0;
    ssize_t n;
    while (done < size - 1 && (n = read(fd, buf + done, size - 1 - done)) > 0)
        done += (size_t)n;
    close(fd);
    buf[done] = 0;
    return (ssize_t)done;
}

static int write_file(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return -1;
    ssize_t n = write(fd, text, strlen(text));
    close(fd);
    return n == (ssize_t)strlen(text) ? 0 : -1;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in `dir` other than "." and "..", sorted, joined by spaces. */
static void list_dir(const char *dir, char *out, size_t size)
{
    static char *names[4096];
    int n = 0;
    out[0] = 0;
    DIR *d = opendir(dir);
    if (d == NULL) {
        snprintf(out, size, "(opendir: %s)", strerror(errno));
        return;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 4096) {
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof names[0], cmp_names);
    for (int i = 0; i < n; i++) {
        if (i > 0)
            strncat(out, " ", size - strlen(out) - 1);
        strncat(out, names[i], size - strlen(out) - 1);
        free(names[i]);
    }
}

static void files_and_errors(void)
{
    int fd = open(at("f"), O_RDWR | O_CREAT | O_EXCL, 0666);
    check(fd >= 0 && write(fd, "hello world", 11) == 11, "create and write");
    check(fails_with(open(at("f"), O_RDWR | O_CREAT | O_EXCL, 0600), EEXIST), "O_EXCL: EEXIST");
    char buf[64] = {0};
    check(pread(fd, buf, 5, 6) == 5 && memcmp(buf, "world", 5) == 0, "pread");
    check(lseek(fd, 0, SEEK_END) == 11 && lseek(fd, 0, SEEK_SET) == 0, "lseek");
    check(read(fd, buf, sizeof buf) == 11 && read(fd, buf, sizeof buf) == 0, "read to the end");
    check(lseek(fd, 20, SEEK_SET) == 20 && write(fd, "!", 1) == 1 &&
              pread(fd, buf, 10, 11) == 10 && buf[0] == 0 && buf[8] == 0 && buf[9] == '!',
          "a gap reads as zeros");
    close(fd);
    fd = open(at("f"), O_WRONLY | O_APPEND);
    check(fd >= 0 && lseek(fd, 0, SEEK_SET) == 0 && write(fd, "+", 1) == 1 &&
              lseek(fd, 0, SEEK_CUR) == 22,
          "O_APPEND writes at the end");
    close(fd);
    struct stat st;
    check(stat(at("f"), &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0777) == 0644 &&
              st.st_size == 22 && st.st_nlink == 1 && st.st_uid == getuid(),
          "stat: type, mode, size, links, owner");
    /* Loosely: natively the host's /tmp may be another machine's (a test
     * VM's 9p), whose clock is not exactly ours. */
    time_t now = time(NULL);
    check(st.st_mtime >= now - 300 && st.st_mtime <= now + 300, "stat: modification time is now");
    fd = open(at("f"), O_RDWR | O_TRUNC);
    check(fd >= 0 && fstat(fd, &st) == 0 && st.st_size == 0, "O_TRUNC");
    close(fd);

    check(fails_with(open(at("missing"), O_RDONLY), ENOENT), "missing: ENOENT");
    check(fails_with(open(at("f/x"), O_RDONLY), ENOTDIR), "below a file: ENOTDIR");
    check(fails_with(open(at("f"), O_RDONLY | O_DIRECTORY), ENOTDIR), "O_DIRECTORY file: ENOTDIR");
    check(mkdir(at("d"), 0755) == 0, "mkdir");
    check(fails_with(mkdir(at("d"), 0755), EEXIST), "mkdir again: EEXIST");
    check(fails_with(open(at("d"), O_WRONLY), EISDIR), "directory for writing: EISDIR");
    check(fails_with(unlink(at("d")), EISDIR), "unlink directory: EISDIR");
    check(fails_with(rmdir(at("f")), ENOTDIR), "rmdir file: ENOTDIR");
    check(write_file(at("d/inner"), "x") == 0, "file in a directory");
    check(fails_with(rmdir(at("d")), ENOTEMPTY), "rmdir non-empty: ENOTEMPTY");
    check(fails_with(rename(at("d"), at("d/inner2")), EINVAL), "rename into itself: EINVAL");
    check(fails_with(rename(at("f"), at("d")), EISDIR), "rename file over directory: EISDIR");
    check(stat(at("d"), &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & 0777) == 0755,
          "directory mode");
}

static void links_and_renames(void)
{
    struct stat a, b;
    check(write_file(at("orig"), "content") == 0 && link(at("orig"), at("hard")) == 0, "link");
    check(stat(at("orig"), &a) == 0 && stat(at("hard"), &b) == 0 && a.st_ino == b.st_ino &&
              a.st_nlink == 2,
          "hard link: same inode, two links");
    check(fails_with(link(at("orig"), at("hard")), EEXIST), "link over a name: EEXIST");
    check(fails_with(link(at("d"), at("dlink")), EPERM), "link a directory: EPERM");
    check(symlink("orig", at("sym")) == 0, "symlink");
    char buf[64] = {0};
    check(readlink(at("sym"), buf, sizeof buf) == 4 && memcmp(buf, "orig", 4) == 0, "readlink");
    check(lstat(at("sym"), &b) == 0 && S_ISLNK(b.st_mode) && b.st_size == 4, "lstat: a link");
    check(stat(at("sym"), &b) == 0 && b.st_ino == a.st_ino, "stat follows the link");
    check(read_file(at("sym"), buf, sizeof buf) == 7 && strcmp(buf, "content") == 0,
          "open follows the link");
    check(fails_with(open(at("sym"), O_RDONLY | O_NOFOLLOW), ELOOP), "O_NOFOLLOW: ELOOP");
    check(symlink("d", at("dsym")) == 0 && read_file(at("dsym/inner"), buf, sizeof buf) == 1,
          "a path through a directory link");
    check(symlink("..", at("d/up")) == 0 && read_file(at("d/up/orig"), buf, sizeof buf) == 7,
          "a link to ..");
    check(unlink(at("orig")) == 0 && stat(at("hard"), &b) == 0 && b.st_nlink == 1,
          "unlink one name");
    check(fails_with(stat(at("sym"), &b), ENOENT), "dangling link: ENOENT");
    check(rename(at("hard"), at("renamed")) == 0 && fails_with(access(at("hard"), F_OK), ENOENT) &&
              read_file(at("renamed"), buf, sizeof buf) == 7,
          "rename");
    check(write_file(at("other"), "other") == 0 && rename(at("other"), at("renamed")) == 0 &&
              read_file(at("renamed"), buf, sizeof buf) == 5 && strcmp(buf, "other") == 0,
          "rename replaces a file");
    check(mkdir(at("e"), 0700) == 0 && rename(at("e"), at("d/e")) == 0 &&
              stat(at("d/e"), &b) == 0 && S_ISDIR(b.st_mode),
          "rename a directory");

    char names[512];
    list_dir(base, names, sizeof names);
    printf("listing: %s\n", names);
    list_dir(at("d"), names, sizeof names);
    printf("listing of d: %s\n", names);
}

static void truncate_and_times(void)
{
    check(write_file(at("t"), "0123456789") == 0, "file to truncate");
    int fd = open(at("t"), O_RDWR);
    char buf[16];
    check(ftruncate(fd, 3) == 0 && pread(fd, buf, sizeof buf, 0) == 3, "ftruncate shrinks");
    check(ftruncate(fd, 8) == 0 && pread(fd, buf, sizeof buf, 0) == 8 && buf[2] == '2' &&
              buf[3] == 0 && buf[7] == 0,
          "ftruncate grows with zeros");
    close(fd);
    struct stat st;
    check(truncate(at("t"), 0) == 0 && stat(at("t"), &st) == 0 && st.st_size == 0, "truncate");
    check(fails_with(truncate(at("d"), 0), EISDIR), "truncate a directory: EISDIR");
    struct timespec times[2] = {{1000000000, 0}, {1200000000, 0}};
    check(utimensat(AT_FDCWD, at("t"), times, 0) == 0 && stat(at("t"), &st) == 0 &&
              st.st_atim.tv_sec == 1000000000 && st.st_mtim.tv_sec == 1200000000 &&
              st.st_mtim.tv_nsec == 0,
          "utimensat");
    struct timespec omit_atime[2] = {{0, UTIME_OMIT}, {1300000000, 0}};
    fd = open(at("t"), O_RDONLY);
    check(futimens(fd, omit_atime) == 0 && fstat(fd, &st) == 0 &&
              st.st_atim.tv_sec == 1000000000 && st.st_mtim.tv_sec == 1300000000,
          "futimens, UTIME_OMIT");
    close(fd);
}

static void open_unlinked(void)
{
    int fd = open(at("gone"), O_RDWR | O_CREAT, 0600);
    struct stat st;
    char buf[8] = {0};
    check(fd >= 0 && unlink(at("gone")) == 0 && write(fd, "still", 5) == 5 &&
              pread(fd, buf, 5, 0) == 5 && strcmp(buf, "still") == 0,
          "an unlinked file stays usable");
    check(fstat(fd, &st) == 0 && st.st_nlink == 0, "its link count is 0");
    close(fd);
}

/* One result of mappings(): printed on its own line in strict mode, folded
 * into one line otherwise (a host /tmp that cannot map files shared prints
 * only that line, natively). */
static int mapping_results;
static void mapping_check(int ok, const char *label, const char *what)
{
    if (strict) {
        char line[160];
        snprintf(line, sizeof line, "%s: %s", label, what);
        check(ok, line);
    }
    mapping_results &= ok;
}

/* A file mapped shared across fork and twice in one process; a private
 * mapping copies on write; no writable shared mapping of a read-only fd. */
static void mappings(const char *path, const char *label)
{
    mapping_results = 1;
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    mapping_check(fd >= 0 && ftruncate(fd, 8192) == 0, label, "file");
    char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED && !strict && (errno == EINVAL || errno == ENODEV))
        p = NULL; /* the host's /tmp cannot (9p): strict mode checks minivm */
    mapping_check(p != MAP_FAILED, label, "shared mapping");
    if (p != NULL && p != MAP_FAILED) {
        pid_t pid = fork();
        if (pid == 0) {
            memcpy(p, "from the child", 14);
            p[5000] = 'x';
            _exit(0);
        }
        int status;
        waitpid(pid, &status, 0);
        char buf[16] = {0};
        mapping_check(memcmp(p, "from the child", 14) == 0 && p[5000] == 'x' &&
                          pread(fd, buf, 14, 0) == 14 && memcmp(buf, "from the child", 14) == 0,
                      label, "the child's writes reach the parent and the file");
        char *q = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
        p[1] = 'R';
        mapping_check(q != MAP_FAILED && q[1] == 'R', label, "a second mapping sees the first");
        mapping_check(pwrite(fd, "W", 1, 2) == 1 && p[2] == 'W' && q[2] == 'W', label,
                      "write() reaches the mappings");
        char *r = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
        mapping_check(r != MAP_FAILED && r[0] == 'f' && (r[0] = 'Z', p[0] == 'f') &&
                          pread(fd, buf, 1, 0) == 1 && buf[0] == 'f' && r[0] == 'Z',
                      label, "a private mapping copies on write");
        munmap(p, 8192);
        munmap(q, 4096);
        munmap(r, 4096);
    }
    close(fd);
    fd = open(path, O_RDONLY);
    void *w = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    mapping_check(w == MAP_FAILED && errno == EACCES, label,
                  "writable shared mapping of a read-only fd: EACCES");
    close(fd);
    unlink(path);
    if (!strict) {
        char line[160];
        snprintf(line, sizeof line, "%s: shared and private mappings", label);
        check(mapping_results, line);
    }
}

/* O_TMPFILE: a file with no name, gone when closed (strict mode only: the
 * host's /tmp may not have it). */
static void unnamed_file(void)
{
    int fd = open(base, O_TMPFILE | O_RDWR, 0600);
    char buf[8] = {0};
    struct stat st;
    check(fd >= 0 && write(fd, "anon", 4) == 4 && pread(fd, buf, 4, 0) == 4 &&
              strcmp(buf, "anon") == 0 && fstat(fd, &st) == 0 && st.st_nlink == 0,
          "O_TMPFILE");
    close(fd);
    check(fails_with(open(base, O_TMPFILE | O_RDONLY, 0600), EINVAL), "O_TMPFILE read-only: EINVAL");
}

static void shared_memory(void)
{
    /* POSIX shared memory lives in /dev/shm. */
    char name[64];
    snprintf(name, sizeof name, "/kernel_fs.%d", (int)getpid());
    int fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
    check(fd >= 0 && ftruncate(fd, 4096) == 0, "shm_open");
    char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    pid_t pid = fork();
    if (pid == 0) {
        int cfd = shm_open(name, O_RDWR, 0);
        char *c = cfd >= 0 ? mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, cfd, 0) : NULL;
        if (c != NULL && c != MAP_FAILED)
            strcpy(c, "shared");
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    check(p != MAP_FAILED && strcmp(p, "shared") == 0, "shm: another process's mapping");
    check(shm_unlink(name) == 0, "shm_unlink");
    close(fd);
}

/* --- /proc and /sys ---------------------------------------------------------------- */

static const char *basename_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash != NULL ? slash + 1 : path;
}

/* The value after "Key:" in /proc/self/status, or NULL. */
static const char *status_field(const char *status, const char *key)
{
    static char value[128];
    size_t n = strlen(key);
    for (const char *line = status; line != NULL && *line; line = strchr(line, '\n')) {
        if (*line == '\n')
            line++;
        if (strncmp(line, key, n) == 0 && line[n] == ':') {
            const char *v = line + n + 1;
            while (*v == '\t' || *v == ' ')
                v++;
            size_t len = strcspn(v, "\n");
            if (len >= sizeof value)
                len = sizeof value - 1;
            memcpy(value, v, len);
            value[len] = 0;
            return value;
        }
    }
    return NULL;
}

/* `number` is one of the space-separated names in `names` (others may be
 * open too: natively, what the test runner leaves open). */
static int has_name(const char *names, int number)
{
    char want[16];
    int n = snprintf(want, sizeof want, "%d", number);
    for (const char *s = names; (s = strstr(s, want)) != NULL; s++) {
        if ((s == names || s[-1] == ' ') && (s[n] == ' ' || s[n] == 0))
            return 1;
    }
    return 0;
}

static void proc_self(int argc, char **argv)
{
    static char buf[65536];
    char link[4096];
    char expect[64];

    ssize_t n = readlink("/proc/self", link, sizeof link - 1);
    snprintf(expect, sizeof expect, "%d", (int)getpid());
    check(n > 0 && (link[n] = 0, strcmp(link, expect) == 0), "/proc/self names the pid");
    n = readlink("/proc/self/exe", link, sizeof link - 1);
    check(n > 0 && (link[n] = 0, strcmp(basename_of(link), basename_of(argv[0])) == 0),
          "/proc/self/exe names the program");
    n = read_file("/proc/self/exe", buf, 5);
    check(n == 4 && memcmp(buf, "\177ELF", 4) == 0, "/proc/self/exe reads the program");

    /* cmdline and environ: the strings execve put there. */
    n = read_file("/proc/self/cmdline", buf, sizeof buf);
    size_t want = 0;
    int same = 1;
    for (int i = 0; i < argc; i++) {
        same = same && strcmp(buf + want, argv[i]) == 0;
        want += strlen(argv[i]) + 1;
    }
    check(n == (ssize_t)want && same, "/proc/self/cmdline");
    n = read_file("/proc/self/environ", buf, sizeof buf);
    want = 0;
    same = 1;
    for (char **e = environ; *e != NULL; e++) {
        same = same && strcmp(buf + want, *e) == 0;
        want += strlen(*e) + 1;
    }
    check(n == (ssize_t)want && same, "/proc/self/environ");
    n = read_file("/proc/self/auxv", buf, sizeof buf);
    int pagesz = 0;
    for (unsigned long *a = (unsigned long *)buf; (char *)(a + 2) <= buf + n && a[0] != 0; a += 2)
        pagesz |= a[0] == AT_PAGESZ && a[1] == getauxval(AT_PAGESZ);
    check(n > 0 && n % 16 == 0 && pagesz, "/proc/self/auxv");

    n = read_file("/proc/self/comm", buf, sizeof buf);
    snprintf(expect, sizeof expect, "%.15s\n", basename_of(argv[0]));
    check(n > 0 && strcmp(buf, expect) == 0, "/proc/self/comm");

    read_file("/proc/self/status", buf, sizeof buf);
    static const char *const keys[] = {"Name", "State", "Tgid", "Pid", "PPid", "Uid", "Gid",
                                       "FDSize", "VmSize", "VmRSS", "Threads", "SigBlk",
                                       "SigIgn", "SigCgt"};
    int all = 1;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        all = all && status_field(buf, keys[i]) != NULL;
    check(all, "/proc/self/status has its fields");
    const char *pid = status_field(buf, "Pid");
    check(pid != NULL && atoi(pid) == getpid(), "status: Pid");
    const char *ppid = status_field(buf, "PPid");
    check(ppid != NULL && atoi(ppid) == getppid(), "status: PPid");
    const char *threads = status_field(buf, "Threads");
    check(threads != NULL && strcmp(threads, "1") == 0, "status: Threads");

    read_file("/proc/self/stat", buf, sizeof buf);
    char *close_paren = strrchr(buf, ')');
    int fields = 2;
    for (char *s = close_paren != NULL ? close_paren + 1 : buf; *s; s++)
        fields += *s == ' ';
    int stat_pid = atoi(buf), stat_ppid = 0;
    char state = 0;
    if (close_paren != NULL)
        sscanf(close_paren + 1, " %c %d", &state, &stat_ppid);
    check(stat_pid == getpid() && stat_ppid == getppid() && state == 'R' && fields == 52,
          "/proc/self/stat: pid, state, ppid and 52 fields");

    read_file("/proc/self/maps", buf, sizeof buf);
    int has_stack = 0, has_program = 0, well_formed = 1;
    for (char *line = buf; *line; line = strchr(line, '\n') + 1) {
        unsigned long start, end;
        char perms[5];
        well_formed = well_formed && sscanf(line, "%lx-%lx %4s", &start, &end, perms) == 3 &&
                      start < end && (perms[3] == 'p' || perms[3] == 's');
        size_t len = strcspn(line, "\n");
        has_stack |= len >= 7 && memcmp(line + len - 7, "[stack]", 7) == 0;
        const char *prog = basename_of(argv[0]);
        size_t plen = strlen(prog);
        has_program |= len > plen && line[len - plen - 1] == '/' &&
                       memcmp(line + len - plen, prog, plen) == 0;
        if (line[len] == 0)
            break;
    }
    check(well_formed, "/proc/self/maps: address ranges");
    check(has_stack, "/proc/self/maps: [stack]");
    check(has_program, "/proc/self/maps: the program");

    /* fd/: a link per descriptor, and opening one opens the file afresh. */
    int fd = open(at("fdtest"), O_RDWR | O_CREAT, 0600);
    write(fd, "abcdef", 6);
    char fdpath[64];
    snprintf(fdpath, sizeof fdpath, "/proc/self/fd/%d", fd);
    n = readlink(fdpath, link, sizeof link - 1);
    check(n > 0 && (link[n] = 0, strcmp(link, at("fdtest")) == 0), "/proc/self/fd/N names the file");
    int again = open(fdpath, O_RDONLY);
    check(again >= 0 && again != fd && read(again, buf, 3) == 3 && memcmp(buf, "abc", 3) == 0 &&
              lseek(fd, 0, SEEK_CUR) == 6,
          "/proc/self/fd/N opens the file with its own position");
    close(again);
    struct stat st;
    check(lstat(fdpath, &st) == 0 && S_ISLNK(st.st_mode), "/proc/self/fd/N is a link");
    static char names[65536];
    list_dir("/proc/self/fd", names, sizeof names);
    check(has_name(names, 0) && has_name(names, 1) && has_name(names, 2) && has_name(names, fd),
          "/proc/self/fd lists the descriptors");
    close(fd);

    /* /proc/PID/fd/N of a pipe, by the process's own pid: the pipe again. */
    int pipefd[2];
    pipe(pipefd);
    snprintf(fdpath, sizeof fdpath, "/proc/%d/fd/%d", (int)getpid(), pipefd[1]);
    int writer = open(fdpath, O_WRONLY);
    char c = 0;
    check(writer >= 0 && write(writer, "p", 1) == 1 && read(pipefd[0], &c, 1) == 1 && c == 'p',
          "/proc/PID/fd/N of a pipe opens the pipe");
    close(writer);
    close(pipefd[0]);
    close(pipefd[1]);

    /* Another process's directory: a child waiting on a pipe. */
    pipe(pipefd);
    pid_t child = fork();
    if (child == 0) {
        char c;
        close(pipefd[1]);
        read(pipefd[0], &c, 1);
        _exit(0);
    }
    close(pipefd[0]);
    char path[64], own[4096];
    snprintf(path, sizeof path, "/proc/%d/cmdline", (int)child);
    n = read_file(path, buf, sizeof buf);
    ssize_t own_n = read_file("/proc/self/cmdline", own, sizeof own);
    check(n > 0 && n == own_n && memcmp(buf, own, (size_t)n) == 0, "/proc/PID/cmdline of a child");
    snprintf(path, sizeof path, "/proc/%d/status", (int)child);
    read_file(path, buf, sizeof buf);
    ppid = status_field(buf, "PPid");
    check(ppid != NULL && atoi(ppid) == getpid(), "/proc/PID/status of a child: its parent");
    snprintf(expect, sizeof expect, "%d", (int)child);
    list_dir("/proc", names, sizeof names);
    check(strstr(names, expect) != NULL && strstr(names, "self") != NULL, "/proc lists the child");
    write(pipefd[1], "x", 1);
    close(pipefd[1]);
    int status;
    waitpid(child, &status, 0);
    snprintf(path, sizeof path, "/proc/%d", (int)child);
    check(fails_with(access(path, F_OK), ENOENT), "a reaped child's directory is gone");
}

static void proc_global(void)
{
    static char buf[65536];
    check(read_file("/proc/cpuinfo", buf, sizeof buf) > 0 && strncmp(buf, "processor", 9) == 0 &&
              strstr(buf, "\nflags") != NULL,
          "/proc/cpuinfo");
    check(read_file("/proc/meminfo", buf, sizeof buf) > 0 && strncmp(buf, "MemTotal:", 9) == 0 &&
              strstr(buf, "\nMemFree:") != NULL,
          "/proc/meminfo");
    double up = 0, idle = 0;
    check(read_file("/proc/uptime", buf, sizeof buf) > 0 && sscanf(buf, "%lf %lf", &up, &idle) == 2,
          "/proc/uptime");
    check(read_file("/proc/mounts", buf, sizeof buf) > 0 && strstr(buf, " /proc proc ") != NULL,
          "/proc/mounts lists /proc");
    check(read_file("/proc/sys/kernel/ostype", buf, sizeof buf) > 0 && strcmp(buf, "Linux\n") == 0,
          "/proc/sys/kernel/ostype");
    struct stat st;
    check(lstat("/proc/self", &st) == 0 && S_ISLNK(st.st_mode) && stat("/proc/self", &st) == 0 &&
              S_ISDIR(st.st_mode),
          "/proc/self is a link to a directory");
    check(stat("/proc/cpuinfo", &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0222) == 0,
          "/proc/cpuinfo is read-only");
    check(read_file("/sys/devices/system/cpu/online", buf, sizeof buf) > 0 && buf[0] == '0' &&
              buf[strlen(buf) - 1] == '\n',
          "/sys/devices/system/cpu/online");
    char names[4096];
    list_dir("/sys/devices/system/cpu", names, sizeof names);
    check(strstr(names, "online") != NULL && strstr(names, "possible") != NULL &&
              strstr(names, "cpu0") != NULL,
          "/sys/devices/system/cpu lists cpu0, online, possible");
}

/* chdir through a symlink lands in its target: getcwd names the directory
 * (LTP getcwd03), and ".." from there is the target's parent. */
static void cwd_through_symlink(void)
{
    char here[512], real[512], via[512];
    if (getcwd(here, sizeof here) == NULL)
        return;
    check(mkdir(at("target"), 0755) == 0 && mkdir(at("target/inner"), 0755) == 0 &&
              symlink("target/inner", at("link")) == 0,
          "a directory and a symlink to it");
    check(chdir(at("target/inner")) == 0 && getcwd(real, sizeof real) != NULL, "chdir to it");
    check(chdir(at("link")) == 0 && getcwd(via, sizeof via) != NULL, "chdir through the link");
    check(strcmp(real, via) == 0, "getcwd names the target, not the link");
    check(chdir("..") == 0 && getcwd(via, sizeof via) != NULL &&
              strcmp(via, at("target")) == 0,
          "\"..\" from there is the target's parent");
    chdir(here);
    unlink(at("link"));
    rmdir(at("target/inner"));
    rmdir(at("target"));
}

/* Named pipes: mkfifo, the opens that wait for the other side, data through
 * the name, ENXIO for a non-blocking writer alone, O_RDWR, readdir's type.
 * In /dev/shm, a tmpfs natively too (9p, where a test's /tmp may be, keeps
 * no FIFOs). */
static void fifos(void)
{
    char dir[64], path[80], sock[80];
    snprintf(dir, sizeof dir, "/dev/shm/kernel_fs_fifo.%d", (int)getpid());
    snprintf(path, sizeof path, "%s/fifo", dir);
    snprintf(sock, sizeof sock, "%s/sock", dir);
    check(mkdir(dir, 0700) == 0, "a directory in /dev/shm");
    check(mkfifo(path, 0640) == 0, "mkfifo");
    check(fails_with(mkfifo(path, 0640), EEXIST), "mkfifo again: EEXIST");
    check(fails_with(mknod(path, S_IFIFO | 0600, 0), EEXIST), "mknod over it: EEXIST");
    struct stat st;
    check(lstat(path, &st) == 0 && S_ISFIFO(st.st_mode) && (st.st_mode & 07777) == 0640 &&
              st.st_size == 0,
          "stat: a FIFO, mode 0640, size 0");
    check(fails_with(open(path, O_WRONLY | O_NONBLOCK), ENXIO), "non-blocking writer alone: ENXIO");
    int rd = open(path, O_RDONLY | O_NONBLOCK);
    check(rd >= 0, "non-blocking reader opens at once");
    char buf[64];
    check(read(rd, buf, sizeof buf) == 0, "read without a writer: end of file");
    int wr = open(path, O_WRONLY | O_NONBLOCK);
    check(wr >= 0, "non-blocking writer opens once a reader exists");
    check(write(wr, "abc", 3) == 3 && read(rd, buf, sizeof buf) == 3 && memcmp(buf, "abc", 3) == 0,
          "bytes pass through the name");
    struct stat fst;
    check(fstat(wr, &fst) == 0 && S_ISFIFO(fst.st_mode) && fst.st_ino == st.st_ino,
          "fstat of an end is the FIFO's node");
    close(wr);
    close(rd);

    /* Blocking opens meet: the child writes, the parent reads to EOF. */
    pid_t child = fork();
    if (child == 0) {
        int fd = open(path, O_WRONLY); /* waits for the parent's reader */
        const char *text = "through a named pipe\n";
        _exit(fd >= 0 && write(fd, text, strlen(text)) == (ssize_t)strlen(text) ? 0 : 1);
    }
    int fd = open(path, O_RDONLY); /* waits for the child's writer */
    ssize_t total = 0, n;
    while (fd >= 0 && (n = read(fd, buf + total, sizeof buf - 1 - (size_t)total)) > 0)
        total += n;
    buf[total > 0 ? total : 0] = 0;
    int status = 0;
    waitpid(child, &status, 0);
    check(fd >= 0 && strcmp(buf, "through a named pipe\n") == 0 && WIFEXITED(status) &&
              WEXITSTATUS(status) == 0,
          "a blocking reader and writer meet");
    close(fd);

    int both = open(path, O_RDWR);
    check(both >= 0 && write(both, "x", 1) == 1 && read(both, buf, 1) == 1 && buf[0] == 'x',
          "O_RDWR does not wait and reads its own bytes");
    close(both);

    check(mknod(sock, S_IFSOCK | 0600, 0) == 0, "mknod of a socket node");
    check(fails_with(open(sock, O_RDONLY), ENXIO), "opening a socket node: ENXIO");
    DIR *d = opendir(dir);
    int fifo_type = 0;
    struct dirent *e;
    while (d != NULL && (e = readdir(d)) != NULL)
        if (strcmp(e->d_name, "fifo") == 0)
            fifo_type = e->d_type == DT_FIFO;
    if (d != NULL)
        closedir(d);
    check(fifo_type, "readdir: DT_FIFO");
    check(unlink(path) == 0 && unlink(sock) == 0 && rmdir(dir) == 0, "unlink both");
}

/* Removes the test directory and what is in it (one level of subdirectories). */
static void remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return;
    struct dirent *e;
    char path[600];
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
            remove_tree(path);
        else
            unlink(path);
    }
    closedir(d);
    rmdir(dir);
}

int main(int argc, char **argv)
{
    strict = argc > 1 && strcmp(argv[1], "strict") == 0;
    umask(022);
    strcpy(base, "/tmp/kernel_fs.XXXXXX");
    if (mkdtemp(base) == NULL) {
        printf("mkdtemp: %s\n", strerror(errno));
        return 1;
    }
    files_and_errors();
    links_and_renames();
    truncate_and_times();
    open_unlinked();
    fifos();
    cwd_through_symlink();
    mappings(at("mapped"), "tmp file");
    if (strict) {
        mappings("/dev/shm/kernel_fs.mapped", "shm file");
        unnamed_file();
        shared_memory();
    }
    proc_self(argc, argv);
    proc_global();
    remove_tree(base);
    struct stat st;
    check(stat(base, &st) != 0, "test directory removed");
    return 0;
}
