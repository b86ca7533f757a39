/*
 * Hypercall ABI of the console device (kind "console"): the guest program's
 * stdin, stdout and stderr are the host's fds 0, 1 and 2.
 * One port; `outl` the GPA of a struct console_args.
 */
#ifndef MINIVM_CONSOLE_ABI_H
#define MINIVM_CONSOLE_ABI_H

#include <minivm/hypercall.h>

#define CONSOLE_KIND "console"

/*
 * Every operation first writes out what the output ring holds (below), so
 * output reaches the host in the order the program wrote it.
 */
enum console_op {
    CONSOLE_OP_WRITE = 1, /* stream 1 or 2; writes the segments in order; result = bytes written */
    CONSOLE_OP_READ = 2,  /* stream 0; reads into the segments; result = bytes read, 0 at EOF */
    CONSOLE_OP_INFO = 3,  /* stream 0..2; fills `info`; result 0 */
    CONSOLE_OP_RING = 4,  /* seg[0] = the output ring (GPA, length >= sizeof(struct
                             console_ring)); once per VM; result 0 or -EINVAL */
    CONSOLE_OP_FLUSH = 5, /* only the ring write-out; result 0 */
};

/*
 * The output ring: small writes to stdout/stderr, coalesced without an exit
 * each. The guest appends records at `head` and advances it; the host writes
 * out [tail, head) whenever the guest makes a console call, on its periodic
 * tick (so output waits at most a few ticks), and when the VM ends however it
 * ends, then advances `tail`. Each side writes only its own index; the host
 * reads `head` once per write-out and never trusts `tail` from guest memory.
 */
#define CONSOLE_RING_BYTES 16384u     /* the data area: a power of two */
#define CONSOLE_RING_RECORD_MAX 1024u /* the largest payload of one record */

struct console_ring {
    uint32_t head;      /* guest: bytes appended, free-running (mod 2^32) */
    uint32_t tail;      /* host: bytes written out, free-running */
    uint32_t direct[3]; /* host: non-zero = the guest writes this stream without the ring
                           (a terminal, or a write-out failed and the next write must
                           report why) */
    uint32_t pad;
    uint8_t data[CONSOLE_RING_BYTES];
};

/* A record in `data` (header then `len` bytes; both may wrap around its end). */
struct console_record {
    uint16_t len;   /* 1..CONSOLE_RING_RECORD_MAX */
    uint8_t stream; /* 1 or 2 */
    uint8_t pad;
};

/* CONSOLE_OP_INFO answer: what ioctl(TCGETS/TIOCGWINSZ) needs. */
struct console_info {
    uint32_t is_tty;      /* 1 if the host fd is a terminal */
    uint16_t rows, cols;  /* window size when is_tty */
    uint32_t termios[15]; /* struct termios of the host fd (Linux x86-64 layout, 60 bytes) when is_tty */
};

struct console_args {
    struct minivm_hc_header hdr;
    uint32_t stream;   /* 0 stdin, 1 stdout, 2 stderr */
    uint32_t nseg;     /* 1..MINIVM_SG_MAX for READ/WRITE */
    struct minivm_sg seg[MINIVM_SG_MAX];
    struct console_info info;
};

#endif
