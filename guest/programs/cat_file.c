/*
 * Copies the file named by argv[1] to stdout with open/read/write. On failure
 * prints "cat_file: PATH: strerror" on stderr and exits 1, so a path outside
 * the guest's root shows which errno the guest saw.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int fail(const char *path)
{
    fprintf(stderr, "cat_file: %s: %s\n", path, strerror(errno));
    return 1;
}

static int write_all(const char *buf, ssize_t len)
{
    while (len > 0) {
        ssize_t n = write(STDOUT_FILENO, buf, (size_t)len);
        if (n < 0)
            return -1;
        buf += n;
        len -= n;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: cat_file PATH\n");
        return 2;
    }
    int fd = open(argv[1], O_RDONLY);
    if (fd < 0)
        return fail(argv[1]);
    char buf[65536];
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0)
            return fail(argv[1]);
        if (n == 0)
            break;
        if (write_all(buf, n) != 0)
            return fail("stdout");
    }
    close(fd);
    return 0;
}
