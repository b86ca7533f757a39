/*
 * Mappings of host files (the page cache, issue 12): MAP_PRIVATE and
 * read-only MAP_SHARED mappings show the file's bytes at any offset, zeros
 * past its end in the last page; a private mapping's writes stay its own
 * (the file, other mappings, a forked child's view of an untouched page are
 * unchanged, a child sees them even once the mapping is read-only), and
 * MADV_DONTNEED brings the file's bytes back. Run natively
 * and under minivm on the fixture (read-only), output compared.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void report(const char *what, long value)
{
    printf("%s: %ld\n", what, value);
    fflush(stdout);
}

/* Pages of [m, m + len) that differ from the file's bytes at `offset`. */
static long pages_differing(int fd, const unsigned char *m, size_t len, off_t offset)
{
    static unsigned char buf[4096];
    long bad = 0;
    for (size_t at = 0; at < len; at += sizeof buf) {
        size_t want = len - at < sizeof buf ? len - at : sizeof buf;
        size_t got = 0;
        while (got < want) {
            ssize_t n = pread(fd, buf + got, want - got, offset + (off_t)(at + got));
            if (n <= 0)
                break;
            got += (size_t)n;
        }
        bad += got != want || memcmp(buf, m + at, want) != 0;
    }
    return bad;
}

int main(void)
{
    long page = sysconf(_SC_PAGESIZE);
    int fd = open("data.bin", O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        perror("data.bin");
        return 1;
    }
    size_t len = (size_t)st.st_size;
    report("file pages", (long)((len + page - 1) / page));

    unsigned char *whole = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
    report("private mapping: pages differing from the file", pages_differing(fd, whole, len, 0));
    unsigned char *later = mmap(NULL, len - 2 * page, PROT_READ, MAP_SHARED, fd, 2 * page);
    report("shared mapping at offset 2 pages: pages differing",
           pages_differing(fd, later, len - 2 * page, 2 * page));
    report("a writable shared mapping of a read-only fd",
           mprotect(later, page, PROT_READ | PROT_WRITE) == 0 ? 0 : -errno);

    /* Zeros past the end of the file, up to the end of its last page. */
    size_t tail = len % page;
    long nonzero = 0;
    for (size_t i = len; tail != 0 && i < len - tail + page; i++)
        nonzero += whole[i] != 0;
    report("bytes past the end that are not zero", nonzero);

    /* A private, writable mapping: writes stay in it. */
    unsigned char *own = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    unsigned char before = own[page + 7];
    own[page + 7] = (unsigned char)(before ^ 0xff);
    memset(own + 3 * page, 0xab, 16);
    report("the writer sees its write", own[page + 7] == (unsigned char)(before ^ 0xff));
    report("other mappings: pages differing from the file", pages_differing(fd, whole, len, 0));
    report("the writer: pages differing from the file", pages_differing(fd, own, len, 0));
    pid_t pid = fork();
    if (pid == 0) {
        /* The child sees the parent's private pages as they were at fork,
         * and its own writes stay its own. */
        int ok = own[page + 7] == (unsigned char)(before ^ 0xff) && own[3 * page] == 0xab &&
                 pages_differing(fd, own + 4 * page, len - 4 * page, 4 * page) == 0;
        own[5 * page] ^= 1;
        _exit(ok ? 0 : 1);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    report("child saw the pages as at fork", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    report("after the child's write, the parent: pages differing from the file",
           pages_differing(fd, own, len, 0));
    madvise(own, len, MADV_DONTNEED);
    report("after MADV_DONTNEED: pages differing from the file", pages_differing(fd, own, len, 0));

    /* A private page in a mapping made read-only afterwards: a forked child
     * still sees it. (A mapping whose pages are all its file's may be left
     * to the child's own faults; this one holds a page of its own.) The
     * program's own file is big enough for that to matter. */
    int self = open("/proc/self/exe", O_RDONLY);
    struct stat self_st;
    if (self >= 0 && fstat(self, &self_st) == 0 && self_st.st_size >= 2 * page) {
        size_t self_len = (size_t)self_st.st_size & ~(size_t)(page - 1);
        unsigned char *exe = mmap(NULL, self_len, PROT_READ | PROT_WRITE, MAP_PRIVATE, self, 0);
        size_t at = (self_len / 2) & ~(size_t)(page - 1);
        unsigned char orig = exe[at + 5];
        exe[at + 5] = (unsigned char)(orig ^ 0x5a);
        report("made read-only", mprotect(exe, self_len, PROT_READ) == 0 ? 0 : -errno);
        pid_t reader = fork();
        if (reader == 0)
            _exit(exe[at + 5] == (unsigned char)(orig ^ 0x5a) ? 0 : 1);
        waitpid(reader, &status, 0);
        report("a read-only mapping's private page, seen by a forked child",
               WIFEXITED(status) ? WEXITSTATUS(status) : -1);
        munmap(exe, self_len);
    }
    if (self >= 0)
        close(self);

    /* The same file mapped again, and by a second open. */
    int fd2 = open("data.bin", O_RDONLY);
    unsigned char *again = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd2, 0);
    close(fd2);
    report("a new mapping after the writes: pages differing", pages_differing(fd, again, len, 0));
    munmap(whole, len);
    munmap(later, len - 2 * page);
    munmap(own, len);
    munmap(again, len);
    close(fd);
    return 0;
}
