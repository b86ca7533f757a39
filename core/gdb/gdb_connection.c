#include "core/gdb/gdb_connection.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/log.h"

int gdb_address_parse(const char *spec, char host[16], uint16_t *port, char *why,
                      size_t why_size)
{
    const char *colon = strrchr(spec, ':');
    const char *port_text = colon ? colon + 1 : spec;
    if (colon) {
        size_t n = (size_t)(colon - spec);
        char name[64];
        if (n == 0 || n >= sizeof name) {
            snprintf(why, why_size, "'%s' is not [HOST:]PORT", spec);
            return -1;
        }
        memcpy(name, spec, n);
        name[n] = 0;
        if (strcmp(name, "localhost") == 0)
            strcpy(name, GDB_DEFAULT_HOST);
        struct in_addr a;
        if (inet_pton(AF_INET, name, &a) != 1) {
            snprintf(why, why_size, "'%s' is not an IPv4 address (e.g. 127.0.0.1)", name);
            return -1;
        }
        strcpy(host, name);
    } else {
        strcpy(host, GDB_DEFAULT_HOST);
    }
    char *end = NULL;
    errno = 0;
    unsigned long p = strtoul(port_text, &end, 10);
    if (port_text[0] < '0' || port_text[0] > '9' || *end != 0 || errno || p == 0 || p > 65535) {
        snprintf(why, why_size, "'%s' is not a port number 1..65535", port_text);
        return -1;
    }
    *port = (uint16_t)p;
    return 0;
}

int gdb_connection_listen(struct gdb_connection *c, const char *spec)
{
    char host[16], why[128];
    uint16_t port;
    c->listen_fd = c->fd = c->reserved_fd = -1;
    if (gdb_address_parse(spec, host, &port, why, sizeof why) != 0) {
        log_error("--gdb: %s", why);
        return -1;
    }
    snprintf(c->where, sizeof c->where, "%s:%u", host, port);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(port)};
    inet_pton(AF_INET, host, &sa.sin_addr);
    int one = 1;
    c->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (c->listen_fd < 0 ||
        setsockopt(c->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        bind(c->listen_fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(c->listen_fd, 1) != 0) {
        log_error("--gdb: cannot listen on %s: %s", c->where, strerror(errno));
        return -1;
    }
    c->reserved_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (c->reserved_fd < 0) {
        log_error("--gdb: cannot open /dev/null: %s", strerror(errno));
        return -1;
    }
    return 0;
}

int gdb_connection_accept(struct gdb_connection *c, bool (*give_up)(void *), void *opaque)
{
    for (;;) {
        if (give_up(opaque))
            return -1;
        int fd = accept4(c->listen_fd, NULL, NULL, SOCK_CLOEXEC);
        if (fd < 0 && errno == EINTR)
            continue;
        if (fd < 0) {
            log_error("gdb: accept on %s failed: %s", c->where, strerror(errno));
            return -1;
        }
        /* dup3 onto the reserved number replaces the /dev/null there. */
        if (syscall(SYS_dup3, fd, c->reserved_fd, O_CLOEXEC) < 0) {
            log_error("gdb: cannot keep the debugger's socket: %s", strerror(errno));
            close(fd);
            return -1;
        }
        close(fd);
        close(c->listen_fd); /* one debugger per run */
        c->listen_fd = -1;
        c->fd = c->reserved_fd;
        return 0;
    }
}

size_t gdb_connection_read(struct gdb_connection *c, uint8_t *buf, size_t cap,
                           bool (*give_up)(void *), void *opaque)
{
    while (c->fd >= 0) {
        if (give_up(opaque))
            return 0;
        ssize_t n = read(c->fd, buf, cap);
        if (n > 0)
            return (size_t)n;
        if (n < 0 && errno == EINTR)
            continue;
        return 0;
    }
    return 0;
}

int gdb_connection_write(struct gdb_connection *c, const uint8_t *buf, size_t len)
{
    size_t done = 0;
    while (c->fd >= 0 && done < len) {
        ssize_t n = write(c->fd, buf + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        done += (size_t)n;
    }
    return done == len ? 0 : -1;
}

void gdb_connection_hang_up(struct gdb_connection *c)
{
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
}
