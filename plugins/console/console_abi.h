/*
 * Hypercall ABI of the console device (kind "console"): the guest program's
 * stdin, stdout and stderr are the host's fds 0, 1 and 2.
 * One port; `outl` the GPA of a struct console_args.
 */
#ifndef MINIVM_CONSOLE_ABI_H
#define MINIVM_CONSOLE_ABI_H

#include <minivm/hypercall.h>

#define CONSOLE_KIND "console"

enum console_op {
    CONSOLE_OP_WRITE = 1, /* stream 1 or 2; writes the segments in order; result = bytes written */
    CONSOLE_OP_READ = 2,  /* stream 0; reads into the segments; result = bytes read, 0 at EOF */
    CONSOLE_OP_INFO = 3,  /* stream 0..2; fills `info`; result 0 */
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
