/*
 * The commands of the GDB remote protocol that minivm answers, over an
 * abstract target (struct gdb_target_ops): registers, memory, break- and
 * watchpoints. No I/O and no KVM here: the stub (gdb_stub.c) supplies the
 * target and sends the replies; the unit tests and the fuzz target supply a
 * fake one. Every number in a packet is parsed with bounds (rsp_hex.h); a
 * malformed packet gets an `E` reply, an unknown one the empty reply.
 */
#ifndef MINIVM_CORE_GDB_GDB_SESSION_H
#define MINIVM_CORE_GDB_GDB_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/gdb/x86_registers.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Z/z packet types. */
enum gdb_point_type {
    GDB_POINT_SOFTWARE = 0,
    GDB_POINT_HARDWARE = 1,
    GDB_POINT_WRITE = 2,
    GDB_POINT_READ = 3,
    GDB_POINT_ACCESS = 4,
};

struct gdb_target_ops {
    /* Thread `thread`'s registers (the stopped thread's are the vCPU's).
     * 0, or -1 when they cannot be read / written. */
    int (*get_registers)(void *ctx, uint32_t thread, struct x86_registers *regs);
    int (*set_registers)(void *ctx, uint32_t thread, const struct x86_registers *regs);
    /* The followed process's threads: how many ids were written (at most `max`). */
    size_t (*list_threads)(void *ctx, uint32_t *threads, size_t max);
    /* Guest-virtual memory of the followed process: how many bytes, from the
     * start, could be read / written (0: none). */
    size_t (*read_memory)(void *ctx, uint64_t addr, uint8_t *buf, size_t len);
    size_t (*write_memory)(void *ctx, uint64_t addr, const uint8_t *buf, size_t len);
    /* 0 done, -1 failed (no room, unmapped, misaligned), 1 type unsupported. */
    int (*insert_point)(void *ctx, enum gdb_point_type type, uint64_t addr, uint64_t len);
    int (*remove_point)(void *ctx, enum gdb_point_type type, uint64_t addr, uint64_t len);
};

/* What the stub does after a packet. */
enum gdb_action {
    GDB_ACTION_REPLY,    /* send `reply` (possibly empty) and read the next packet */
    GDB_ACTION_CONTINUE, /* resume the guest; the stop reply comes later */
    GDB_ACTION_STEP,     /* execute one instruction of the followed thread */
    GDB_ACTION_DETACH,   /* send `reply` (OK), forget breakpoints, run free */
    GDB_ACTION_KILL,     /* end the VM */
};

/* The largest reply (bounded by the PacketSize announced, minus framing). */
#define GDB_REPLY_MAX 4096u

/* Most threads listed to gdb. */
#define GDB_THREADS_MAX 64u

struct gdb_session {
    const struct gdb_target_ops *ops;
    void *ctx;
    bool no_ack;       /* QStartNoAckMode accepted: no `+` either way */
    bool multiprocess; /* gdb offered multiprocess+: ids are written pPID.TID */
    uint32_t pid;      /* the followed process */
    uint32_t thread;   /* the thread that stopped (its id: the guest's tid) */
    uint32_t selected; /* the thread `Hg` chose for register packets */
    char stop_reply[96]; /* the last stop, answered again for `?` */
};

void gdb_session_init(struct gdb_session *s, const struct gdb_target_ops *ops, void *ctx,
                      uint32_t thread);

/* The guest stopped in `thread` of process `pid`: register packets go to
 * it until `Hg`. */
void gdb_session_stopped(struct gdb_session *s, uint32_t pid, uint32_t thread);

/* A thread id as this session writes them ("2a", or "p2.2a"). */
void gdb_session_thread_text(const struct gdb_session *s, uint32_t thread, char *text,
                             size_t size);

/* The stop reply for the program's end: `W` (exit status) or `X` (gdb's
 * signal number), with the process named under multiprocess. */
void gdb_session_end_text(const struct gdb_session *s, char kind, int code, char *text,
                          size_t size);

/*
 * Handles one packet (data between `$` and `#`, unescaped). Writes the reply
 * into `reply` (at most GDB_REPLY_MAX bytes, not framed) and its length into
 * *reply_len. For CONTINUE/STEP the registers were already updated when the
 * packet named an address to resume at.
 */
enum gdb_action gdb_session_handle(struct gdb_session *s, const uint8_t *packet, size_t len,
                                   uint8_t *reply, size_t *reply_len);

#ifdef __cplusplus
}
#endif

#endif
