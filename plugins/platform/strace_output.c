#include "strace_output.h"

#include "common/seccomp_grants.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int strace_output_init(struct strace_output *out, const struct plugin_host *host)
{
    const char *strace = host->api->vm_setting(host->ctx, "strace");
    const char *path = host->api->vm_setting(host->ctx, "strace_output");
    out->enabled = strace != NULL && strcmp(strace, "1") == 0;
    out->fd = STDERR_FILENO;
    if (!out->enabled || path == NULL)
        return 0; /* stderr's write(2) is granted by the platform plugin already */
    /* Like strace -o: the file is created or truncated. */
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOCTTY, 0644);
    if (fd < 0) {
        host->api->log(host->ctx, MINIVM_LOG_ERROR, "--strace-output: cannot open %s: %s", path,
                       strerror(errno));
        return -1;
    }
    const struct seccomp_grant grant = {SYS_write, 0, (uint64_t)fd};
    if (plugin_seccomp_allow(host, &grant, 1) != 0) {
        close(fd);
        return -1;
    }
    out->fd = fd;
    return 0;
}

/* Printable ASCII and newlines pass; anything else is shown as '?'. */
static size_t make_printable(const unsigned char *in, size_t len, char *text)
{
    for (size_t i = 0; i < len; i++)
        text[i] = (in[i] == '\n' || (in[i] >= 0x20 && in[i] < 0x7f)) ? (char)in[i] : '?';
    if (len == 0 || text[len - 1] != '\n')
        text[len++] = '\n'; /* the next batch starts on a line of its own */
    return len;
}

int64_t strace_output_write(struct strace_output *out, const struct plugin_host *host,
                            uint64_t gpa, uint64_t len)
{
    if (!out->enabled)
        return -EPERM;
    if (len == 0)
        return 0;
    if (len > PLATFORM_STRACE_MAX)
        len = PLATFORM_STRACE_MAX;
    if (host->api->copy_from_guest(host->ctx, out->raw, gpa, len) != 0)
        return -EFAULT;
    size_t left = make_printable(out->raw, (size_t)len, out->text);
    const char *s = out->text;
    while (left > 0) {
        ssize_t w = write(out->fd, s, left);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return 0; /* the output is gone (a closed pipe, a full disk): the program goes on */
        s += w;
        left -= (size_t)w;
    }
    return 0;
}

void strace_output_close(struct strace_output *out)
{
    if (out->fd > STDERR_FILENO)
        close(out->fd);
    out->fd = -1;
}
