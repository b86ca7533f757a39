/* Path calls relative to directory fds and the working directory, with the
 * chroot-like root: prints what each one found (built with glibc and musl;
 * musl's open passes O_LARGEFILE). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void show(const char *what, int fd)
{
    char buf[64];
    ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof buf - 1);
    if (n < 0) {
        printf("%s: error\n", what);
        return;
    }
    buf[n] = 0;
    printf("%s: %s", what, buf);
    close(fd);
}

int main(void)
{
    int dir = open("dir", O_RDONLY | O_DIRECTORY);
    if (dir < 0) {
        perror("open dir");
        return 1;
    }
    show("openat(dir, f.txt)", openat(dir, "f.txt", O_RDONLY));
    show("openat(dir, ../top.txt)", openat(dir, "../top.txt", O_RDONLY));
    show("openat(dir, ../../../top.txt)", openat(dir, "../../../top.txt", O_RDONLY));
    show("openat(dir, /top.txt)", openat(dir, "/top.txt", O_RDONLY));
    struct stat st;
    printf("fstatat(dir, f.txt): %s\n", fstatat(dir, "f.txt", &st, 0) == 0 ? "found" : "missing");
    printf("openat(file fd, x): %s\n",
           openat(open("top.txt", O_RDONLY), "x", O_RDONLY) < 0 && errno == ENOTDIR ? "ENOTDIR"
                                                                                    : "other");
    if (fchdir(dir) != 0) {
        perror("fchdir");
        return 1;
    }
    char cwd[256];
    printf("getcwd: %s\n", getcwd(cwd, sizeof cwd));
    show("open(f.txt)", open("f.txt", O_RDONLY));
    show("open(link_up/top.txt)", open("link_up/top.txt", O_RDONLY));
    show("open(link_up/../../top.txt)", open("link_up/../../top.txt", O_RDONLY));
    if (chdir("../..") != 0) {
        perror("chdir");
        return 1;
    }
    printf("getcwd: %s\n", getcwd(cwd, sizeof cwd));
    show("open(dir/f.txt)", open("dir/f.txt", O_RDONLY));
    return 0;
}
