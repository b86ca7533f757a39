/*
 * The TCP side of --gdb [HOST:]PORT: one listening socket opened before the
 * sandbox, one debugger accepted when the guest first stops. The accepted
 * socket is moved onto a descriptor number reserved at start-up, so the
 * seccomp filter can name it (read/write on that number only).
 * Every blocking call gives up when `give_up` says so (the run's --timeout),
 * since the timers' signals interrupt it (no SA_RESTART).
 */
#ifndef MINIVM_CORE_GDB_GDB_CONNECTION_H
#define MINIVM_CORE_GDB_GDB_CONNECTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GDB_DEFAULT_HOST "127.0.0.1"

/* "[HOST:]PORT" → dotted IPv4 host (default 127.0.0.1; "localhost" too) and
 * port 1..65535. 0, or -1 with `why` filled. */
int gdb_address_parse(const char *spec, char host[16], uint16_t *port, char *why,
                      size_t why_size);

struct gdb_connection {
    int listen_fd;
    int fd;          /* the debugger, once accepted; -1 before */
    int reserved_fd; /* the number `fd` takes (a /dev/null until then) */
    char where[32];  /* "HOST:PORT", for messages */
};

/* Listens on `spec`. 0, or -1 with a message. */
int gdb_connection_listen(struct gdb_connection *c, const char *spec);

/* Waits for the debugger. 0, or -1 (logged) on error or when give_up(). */
int gdb_connection_accept(struct gdb_connection *c, bool (*give_up)(void *), void *opaque);

/* Bytes read (> 0), or 0 when the debugger went away / give_up(). */
size_t gdb_connection_read(struct gdb_connection *c, uint8_t *buf, size_t cap,
                           bool (*give_up)(void *), void *opaque);
/* 0, or -1 when the debugger went away. */
int gdb_connection_write(struct gdb_connection *c, const uint8_t *buf, size_t len);

/* Closes the debugger's socket (the listening one was closed at accept). */
void gdb_connection_hang_up(struct gdb_connection *c);

#ifdef __cplusplus
}
#endif

#endif
