/*
 * A file's mode, owner, times and filesystem as an unprivileged user sees
 * them on a writable directory (issue 12): chmod & co., chown & co. (to its
 * own ids, and EPERM for anyone else's), mknod, utime/utimes/futimesat,
 * statfs/fstatfs, the xattr calls on a filesystem that has no attribute of
 * that name, sendfile and copy_file_range between files, and the identity
 * calls. Run in an empty scratch directory as
 * uid/gid 1000 natively (what minivm's guest is); prints only what is the
 * same on both sides (no owners: host files keep the host's).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <grp.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <sys/sendfile.h>
#include <sys/time.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <utime.h>

#define PIPEFS_MAGIC 0x50495045
#define TMPFS_MAGIC 0x01021994
#define PROC_SUPER_MAGIC 0x9fa0
#define SYSFS_MAGIC 0x62656572

static void result(const char *what, int r)
{
    if (r < 0)
        printf("%s: %s\n", what, strerror(errno));
    else
        printf("%s: ok\n", what);
}

static void show_mode(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0) {
        printf("stat %s: %s\n", path, strerror(errno));
        return;
    }
    printf("%s: mode %04o\n", path, (unsigned)(st.st_mode & 07777));
}

static void show_times(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        printf("stat %s: %s\n", path, strerror(errno));
        return;
    }
    printf("%s: atime %lld.%09ld mtime %lld.%09ld\n", path, (long long)st.st_atim.tv_sec,
           st.st_atim.tv_nsec, (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
}

static void modes(void)
{
    int fd = open("f", O_RDWR | O_CREAT | O_EXCL, 0666);
    result("create f", fd);
    show_mode("f");
    result("chmod f 600", chmod("f", 0600));
    show_mode("f");
    result("fchmod f 640", fchmod(fd, 0640));
    show_mode("f");
    result("fchmodat f 604", fchmodat(AT_FDCWD, "f", 0604, 0));
    show_mode("f");
    result("chmod keeps only the permission bits", chmod("f", S_IFDIR | 02750));
    show_mode("f");
    result("chmod missing", chmod("missing", 0600));
    result("symlink l -> f", symlink("f", "l"));
    result("chmod through l", chmod("l", 0644));
    show_mode("f");
    result("fchmodat l nofollow", fchmodat(AT_FDCWD, "l", 0600, AT_SYMLINK_NOFOLLOW));
    result("mkdir d", mkdir("d", 0755));
    result("chmod d 700", chmod("d", 0700));
    show_mode("d");
    int dir = open("d", O_RDONLY | O_DIRECTORY);
    result("open d", dir);
    result("fchmodat in d", fchmodat(dir, "../f", 0600, 0));
    show_mode("f");
    int path_fd = open("f", O_PATH);
    result("fchmod O_PATH fd", fchmod(path_fd, 0600));
    result("fchmod bad fd", fchmod(-1, 0600));
    close(path_fd);
    close(dir);
    close(fd);
}

static void owners(void)
{
    int fd = open("f", O_RDONLY);
    uid_t uid = getuid();
    gid_t gid = getgid();
    result("chown f to itself", chown("f", uid, gid));
    result("chown f -1 -1", chown("f", (uid_t)-1, (gid_t)-1));
    result("fchown f own group", fchown(fd, (uid_t)-1, gid));
    result("lchown l -1 -1", lchown("l", (uid_t)-1, (gid_t)-1));
    result("fchownat l nofollow", fchownat(AT_FDCWD, "l", uid, (gid_t)-1, AT_SYMLINK_NOFOLLOW));
    result("fchownat empty path", fchownat(fd, "", uid, gid, AT_EMPTY_PATH));
    result("fchownat bad flags", fchownat(AT_FDCWD, "f", uid, gid, 0x8000));
    result("chown f to another user", chown("f", 4242, (gid_t)-1));
    result("chown f to another group", chown("f", (uid_t)-1, 4242));
    result("fchown f to another user", fchown(fd, 4242, 4242));
    result("chown missing", chown("missing", uid, gid));
    close(fd);
}

static void nodes(void)
{
    result("mknod regular", mknod("reg", S_IFREG | 0640, 0));
    show_mode("reg");
    result("mknod default type", mknod("reg2", 0600, 0));
    show_mode("reg2");
    result("mknod existing", mknod("reg", S_IFREG | 0600, 0));
    result("mknod char device", mknod("null", S_IFCHR | 0600, makedev(1, 3)));
    result("mknod block device", mknodat(AT_FDCWD, "blk", S_IFBLK | 0600, makedev(8, 0)));
    result("mknod directory", mknod("dir", S_IFDIR | 0700, 0));
    result("mknod bad type", mknod("bad", 0170000 | 0600, 0));
}

static void times(void)
{
    struct utimbuf ub = {.actime = 1000000000, .modtime = 1100000000};
    result("utime f", utime("f", &ub));
    show_times("f");
    struct timeval tv[2] = {{1200000000, 250000}, {1300000000, 500000}};
    result("utimes f", utimes("f", tv));
    show_times("f");
    tv[1].tv_usec = 1000000;
    result("utimes bad usec", utimes("f", tv));
    tv[1].tv_usec = 7;
    result("futimesat d/../f", futimesat(AT_FDCWD, "d/../f", tv));
    show_times("f");
    result("utime missing", utime("missing", &ub));
}

static void filesystems(void)
{
    struct statfs here, of_fd, of_pipe;
    result("statfs .", statfs(".", &here));
    printf("statfs .: namelen %ld read-only %d\n", (long)here.f_namelen,
           (int)(here.f_flags & ST_RDONLY) != 0);
    int fd = open("f", O_RDONLY);
    result("fstatfs f", fstatfs(fd, &of_fd));
    printf("same filesystem: %d\n", of_fd.f_type == here.f_type && of_fd.f_bsize == here.f_bsize);
    close(fd);
    result("statfs missing", statfs("missing", &here));
    result("fstatfs bad fd", fstatfs(-1, &here));
    int p[2];
    if (pipe(p) == 0) {
        result("fstatfs pipe", fstatfs(p[0], &of_pipe));
        printf("pipe is pipefs: %d\n", of_pipe.f_type == PIPEFS_MAGIC);
        close(p[0]);
        close(p[1]);
    }
}

static void attributes(void)
{
    char value[64];
    ssize_t n = getxattr("f", "user.none", value, sizeof value);
    printf("getxattr f: %s\n",
           n < 0 && (errno == ENODATA || errno == EOPNOTSUPP) ? "no attribute" : strerror(errno));
    n = lgetxattr("l", "user.none", value, sizeof value);
    printf("lgetxattr l: %s\n",
           n < 0 && (errno == ENODATA || errno == EOPNOTSUPP) ? "no attribute" : strerror(errno));
    result("getxattr missing", (int)getxattr("missing", "user.x", value, sizeof value));
    result("fgetxattr bad fd", (int)fgetxattr(-1, "user.x", value, sizeof value));
    result("getxattr empty name", (int)getxattr("f", "", value, sizeof value));
    n = listxattr("f", value, sizeof value);
    printf("listxattr f: %s\n", n >= 0 ? "ok" : strerror(errno));
    result("listxattr missing", (int)listxattr("missing", value, sizeof value));
    result("setxattr bad flags", setxattr("f", "user.x", "v", 1, 8));
    result("removexattr missing", removexattr("missing", "user.x"));
}

/* Fills `name` with `size` bytes of a pattern. */
static void make_file(const char *name, int size)
{
    int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    char block[1000];
    for (int i = 0; i < size; i += (int)sizeof block) {
        for (int j = 0; j < (int)sizeof block; j++)
            block[j] = (char)('a' + (i / 1000 + j) % 26);
        int n = size - i < (int)sizeof block ? size - i : (int)sizeof block;
        if (write(fd, block, (size_t)n) != n)
            break;
    }
    close(fd);
}

static int same_content(const char *a, const char *b)
{
    FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
    int same = fa != NULL && fb != NULL;
    while (same) {
        int ca = fgetc(fa), cb = fgetc(fb);
        same = ca == cb;
        if (ca == EOF)
            break;
    }
    if (fa != NULL)
        fclose(fa);
    if (fb != NULL)
        fclose(fb);
    return same;
}

static void copies(void)
{
    make_file("src", 200000);
    int in = open("src", O_RDONLY);
    int out = open("dst", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    off_t off = 1000;
    printf("sendfile 150000 from 1000: %zd\n", sendfile(out, in, &off, 150000));
    printf("offset now %lld, position %lld\n", (long long)off, (long long)lseek(in, 0, SEEK_CUR));
    printf("sendfile at the position: %zd\n", sendfile(out, in, NULL, 5000));
    printf("position now %lld\n", (long long)lseek(in, 0, SEEK_CUR));
    off = 199000;
    printf("sendfile past the end: %zd\n", sendfile(out, in, &off, 5000));
    close(out);
    printf("dst size %lld\n", (long long)lseek(open("dst", O_RDONLY), 0, SEEK_END));

    out = open("copy", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    lseek(in, 0, SEEK_SET);
    ssize_t total = 0, n;
    while ((n = copy_file_range(in, NULL, out, NULL, 70000, 0)) > 0)
        total += n;
    printf("copy_file_range copied %zd, last %zd\n", total, n);
    printf("positions %lld %lld\n", (long long)lseek(in, 0, SEEK_CUR),
           (long long)lseek(out, 0, SEEK_CUR));
    close(out);
    printf("copy is the same: %d\n", same_content("src", "copy"));
    off_t from = 10, to = 100;
    out = open("copy", O_RDWR);
    printf("copy_file_range with offsets: %zd\n", copy_file_range(in, &from, out, &to, 50, 0));
    printf("offsets now %lld %lld\n", (long long)from, (long long)to);
    result("copy_file_range flags", (int)copy_file_range(in, NULL, out, NULL, 10, 1));
    from = 0;
    to = 10;
    result("copy_file_range overlapping", (int)copy_file_range(out, &from, out, &to, 100, 0));
    int dir = open(".", O_RDONLY | O_DIRECTORY);
    result("copy_file_range from a directory", (int)copy_file_range(dir, NULL, out, NULL, 10, 0));
    int ro = open("copy", O_RDONLY);
    result("copy_file_range to a read-only fd", (int)copy_file_range(in, NULL, ro, NULL, 10, 0));
    int app = open("copy", O_WRONLY | O_APPEND);
    result("copy_file_range to O_APPEND", (int)copy_file_range(in, NULL, app, NULL, 10, 0));
    int p[2];
    if (pipe(p) == 0) {
        result("copy_file_range to a pipe", (int)copy_file_range(in, NULL, p[1], NULL, 10, 0));
        off_t at = 100;
        printf("sendfile to a pipe: %zd\n", sendfile(p[1], in, &at, 30));
        char got[31] = "", want[31] = "";
        read(p[0], got, 30);
        pread(in, want, 30, 100);
        printf("the pipe got the file's bytes: %d, offset now %lld\n", memcmp(got, want, 30) == 0,
               (long long)at);
        close(p[0]);
        close(p[1]);
    }
    close(app);
    close(ro);
    close(dir);
    close(out);
    close(in);
}

static void identity(void)
{
    uid_t r, e, s;
    gid_t gr, ge, gs;
    result("getresuid", getresuid(&r, &e, &s));
    printf("uids agree: %d\n", r == getuid() && e == geteuid() && s == getuid());
    result("getresgid", getresgid(&gr, &ge, &gs));
    printf("gids agree: %d\n", gr == getgid() && ge == getegid() && gs == getgid());
    printf("getgroups: %d\n", getgroups(0, NULL));
    result("setgroups", setgroups(0, NULL));
    result("setresuid to itself", setresuid((uid_t)-1, getuid(), (uid_t)-1));
    result("setresgid to itself", setresgid(getgid(), (gid_t)-1, (gid_t)-1));
    result("setresuid to root", setresuid(0, 0, 0));
    result("setreuid to root", setreuid((uid_t)-1, 0));
    result("setuid to root", setuid(0));
}

/* The kernel's own filesystems report Linux's magic numbers. */
static void kernel_filesystems(void)
{
    static const struct {
        const char *path;
        long magic;
    } known[] = {{"/dev/shm", TMPFS_MAGIC}, {"/proc", PROC_SUPER_MAGIC},
                 {"/proc/self/status", PROC_SUPER_MAGIC},
                 {"/sys/devices/system/cpu/online", SYSFS_MAGIC}};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        struct statfs st;
        int r = statfs(known[i].path, &st);
        result(known[i].path, r);
        if (r == 0)
            printf("%s: type is %#lx: %d\n", known[i].path, known[i].magic,
                   (long)st.f_type == known[i].magic);
    }
    struct statfs st;
    if (statfs("/dev/shm", &st) == 0)
        printf("/dev/shm: blocks %d, free %d, read-only %d\n", st.f_blocks > 0,
               st.f_bfree > 0 && st.f_bfree <= st.f_blocks, (int)(st.f_flags & ST_RDONLY) != 0);
}

static void remove_tree(const char *dir)
{
    static const char *const names[] = {"f", "l", "reg", "reg2", "d", "copy", "big", "big2",
                                        "src", "dst", "sparse", "null", "blk", "dir", "bad"};
    char path[512];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (unlink(path) != 0)
            rmdir(path);
    }
    rmdir(dir);
}

/* The same calls in a tmpfs (issue 12: chmod and chown work there too). */
static void in_tmpfs(void)
{
    char dir[64];
    snprintf(dir, sizeof dir, "/dev/shm/file_metadata.%d", (int)getpid());
    if (mkdir(dir, 0755) != 0 || chdir(dir) != 0) {
        perror(dir);
        return;
    }
    printf("-- in /dev/shm\n");
    modes();
    owners();
    nodes();
    times();
    filesystems();
    copies();
    chdir("/");
    remove_tree(dir);
}

int main(void)
{
    umask(022);
    if (mkdir("scratch", 0755) != 0 || chdir("scratch") != 0) {
        perror("scratch");
        return 1;
    }
    modes();
    owners();
    nodes();
    times();
    filesystems();
    attributes();
    copies();
    identity();
    kernel_filesystems();
    in_tmpfs();
    return 0;
}
