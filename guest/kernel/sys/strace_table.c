/*
 * How --strace prints each system call: its arguments' kinds and its
 * result's (sys/strace_decode.h), by Linux x86-64 number. A call missing
 * here prints its six raw arguments in hex.
 */
#include "sys/strace_decode.h"

#define CALL(result, n, ...) {.known = 1, .nargs = n, .ret = result, .arg = {__VA_ARGS__}}
#define SPECIAL(how) {.known = 1, .special = how}
#define TABLE_SIZE 512

static const struct strace_syscall table[TABLE_SIZE] = {
    /* descriptors */
    [0] = CALL(SR_INT, 3, SA_FD, SA_BUF_OUT, SA_ULONG),             /* read */
    [1] = CALL(SR_INT, 3, SA_FD, SA_BUF_IN, SA_ULONG),              /* write */
    [3] = CALL(SR_INT, 1, SA_FD),                                   /* close */
    [8] = CALL(SR_INT, 3, SA_FD, SA_LONG, SA_WHENCE),               /* lseek */
    [16] = CALL(SR_INT, 3, SA_FD, SA_IOCTL_REQ, SA_IOCTL_ARG),      /* ioctl */
    [17] = CALL(SR_INT, 4, SA_FD, SA_BUF_OUT, SA_ULONG, SA_LONG),   /* pread64 */
    [18] = CALL(SR_INT, 4, SA_FD, SA_BUF_IN, SA_ULONG, SA_LONG),    /* pwrite64 */
    [19] = CALL(SR_INT, 3, SA_FD, SA_IOV_OUT, SA_INT),              /* readv */
    [20] = CALL(SR_INT, 3, SA_FD, SA_IOV_IN, SA_INT),               /* writev */
    [32] = CALL(SR_INT, 1, SA_FD),                                  /* dup */
    [33] = CALL(SR_INT, 2, SA_FD, SA_FD),                           /* dup2 */
    [292] = CALL(SR_INT, 3, SA_FD, SA_FD, SA_PIPE_FLAGS),           /* dup3 */
    [72] = CALL(SR_FCNTL, 3, SA_FD, SA_FCNTL_CMD, SA_FCNTL_ARG),    /* fcntl */
    [74] = CALL(SR_INT, 1, SA_FD),                                  /* fsync */
    [75] = CALL(SR_INT, 1, SA_FD),                                  /* fdatasync */
    [77] = CALL(SR_INT, 2, SA_FD, SA_LONG),                         /* ftruncate */
    [217] = CALL(SR_INT, 3, SA_FD, SA_DIRENTS_OUT, SA_ULONG),       /* getdents64 */
    [436] = CALL(SR_INT, 3, SA_INT, SA_INT, SA_HEX),                /* close_range */
    [40] = CALL(SR_INT, 4, SA_FD, SA_FD, SA_PTR, SA_ULONG),         /* sendfile */
    [326] = CALL(SR_INT, 6, SA_FD, SA_PTR, SA_FD, SA_PTR, SA_ULONG, SA_HEX), /* copy_file_range */
    [73] = CALL(SR_INT, 2, SA_FD, SA_HEX),                          /* flock */
    [187] = CALL(SR_INT, 3, SA_FD, SA_LONG, SA_ULONG),              /* readahead */
    [221] = CALL(SR_INT, 4, SA_FD, SA_LONG, SA_LONG, SA_INT),       /* fadvise64 */
    [22] = CALL(SR_INT, 1, SA_PIPE_OUT),                            /* pipe */
    [293] = CALL(SR_INT, 2, SA_PIPE_OUT, SA_PIPE_FLAGS),            /* pipe2 */
    [7] = CALL(SR_INT, 3, SA_PTR, SA_ULONG, SA_INT),                /* poll */
    [23] = CALL(SR_INT, 5, SA_INT, SA_PTR, SA_PTR, SA_PTR, SA_PTR), /* select */
    [270] = CALL(SR_INT, 6, SA_INT, SA_PTR, SA_PTR, SA_PTR, SA_PTR, SA_PTR), /* pselect6 */
    [271] = CALL(SR_INT, 5, SA_PTR, SA_ULONG, SA_PTR, SA_PTR, SA_ULONG), /* ppoll */
    /* names and metadata */
    [2] = CALL(SR_INT, 3, SA_PATH, SA_OPEN_FLAGS, SA_OPEN_MODE),    /* open */
    [257] = CALL(SR_INT, 4, SA_DIRFD, SA_PATH, SA_OPEN_FLAGS, SA_OPEN_MODE), /* openat */
    [85] = CALL(SR_INT, 2, SA_PATH, SA_OCT),                        /* creat */
    [4] = CALL(SR_INT, 2, SA_PATH, SA_STAT_OUT),                    /* stat */
    [5] = CALL(SR_INT, 2, SA_FD, SA_STAT_OUT),                      /* fstat */
    [6] = CALL(SR_INT, 2, SA_PATH, SA_STAT_OUT),                    /* lstat */
    [262] = CALL(SR_INT, 4, SA_DIRFD, SA_PATH, SA_STAT_OUT, SA_AT_FLAGS), /* newfstatat */
    [332] = CALL(SR_INT, 5, SA_DIRFD, SA_PATH, SA_AT_FLAGS, SA_HEX, SA_STATX_OUT), /* statx */
    [21] = CALL(SR_INT, 2, SA_PATH, SA_ACCESS_MODE),                /* access */
    [269] = CALL(SR_INT, 3, SA_DIRFD, SA_PATH, SA_ACCESS_MODE),     /* faccessat */
    [439] = CALL(SR_INT, 4, SA_DIRFD, SA_PATH, SA_ACCESS_MODE, SA_AT_FLAGS), /* faccessat2 */
    [79] = CALL(SR_INT, 2, SA_STR_OUT, SA_ULONG),                   /* getcwd */
    [80] = CALL(SR_INT, 1, SA_PATH),                                /* chdir */
    [81] = CALL(SR_INT, 1, SA_FD),                                  /* fchdir */
    [82] = CALL(SR_INT, 2, SA_PATH, SA_PATH),                       /* rename */
    [264] = CALL(SR_INT, 4, SA_DIRFD, SA_PATH, SA_DIRFD, SA_PATH),  /* renameat */
    [316] = CALL(SR_INT, 5, SA_DIRFD, SA_PATH, SA_DIRFD, SA_PATH, SA_HEX), /* renameat2 */
    [86] = CALL(SR_INT, 2, SA_PATH, SA_PATH),                       /* link */
    [265] = CALL(SR_INT, 5, SA_DIRFD, SA_PATH, SA_DIRFD, SA_PATH, SA_AT_FLAGS), /* linkat */
    [88] = CALL(SR_INT, 2, SA_PATH, SA_PATH),                       /* symlink */
    [266] = CALL(SR_INT, 3, SA_PATH, SA_DIRFD, SA_PATH),            /* symlinkat */
    [83] = CALL(SR_INT, 2, SA_PATH, SA_OCT),                        /* mkdir */
    [258] = CALL(SR_INT, 3, SA_DIRFD, SA_PATH, SA_OCT),             /* mkdirat */
    [84] = CALL(SR_INT, 1, SA_PATH),                                /* rmdir */
    [87] = CALL(SR_INT, 1, SA_PATH),                                /* unlink */
    [263] = CALL(SR_INT, 3, SA_DIRFD, SA_PATH, SA_UNLINK_FLAGS),    /* unlinkat */
    [89] = CALL(SR_INT, 3, SA_PATH, SA_BUF_OUT, SA_ULONG),          /* readlink */
    [267] = CALL(SR_INT, 4, SA_DIRFD, SA_PATH, SA_BUF_OUT, SA_ULONG), /* readlinkat */
    [76] = CALL(SR_INT, 2, SA_PATH, SA_LONG),                       /* truncate */
    [95] = CALL(SR_OCT, 1, SA_OCT),                                 /* umask */
    [280] = CALL(SR_INT, 4, SA_DIRFD, SA_PATH, SA_PTR, SA_AT_FLAGS), /* utimensat */
    [133] = CALL(SR_INT, 3, SA_PATH, SA_OCT, SA_HEX),               /* mknod */
    [259] = CALL(SR_INT, 4, SA_DIRFD, SA_PATH, SA_OCT, SA_HEX),     /* mknodat */
    [132] = CALL(SR_INT, 2, SA_PATH, SA_PTR),                       /* utime */
    [235] = CALL(SR_INT, 2, SA_PATH, SA_PTR),                       /* utimes */
    [261] = CALL(SR_INT, 3, SA_DIRFD, SA_PATH, SA_PTR),             /* futimesat */
    [90] = CALL(SR_INT, 2, SA_PATH, SA_OCT),                        /* chmod */
    [91] = CALL(SR_INT, 2, SA_FD, SA_OCT),                          /* fchmod */
    [268] = CALL(SR_INT, 3, SA_DIRFD, SA_PATH, SA_OCT),             /* fchmodat */
    [452] = CALL(SR_INT, 4, SA_DIRFD, SA_PATH, SA_OCT, SA_AT_FLAGS), /* fchmodat2 */
    [92] = CALL(SR_INT, 3, SA_PATH, SA_INT, SA_INT),                /* chown */
    [93] = CALL(SR_INT, 3, SA_FD, SA_INT, SA_INT),                  /* fchown */
    [94] = CALL(SR_INT, 3, SA_PATH, SA_INT, SA_INT),                /* lchown */
    [260] = CALL(SR_INT, 5, SA_DIRFD, SA_PATH, SA_INT, SA_INT, SA_AT_FLAGS), /* fchownat */
    [137] = CALL(SR_INT, 2, SA_PATH, SA_PTR_OUT),                   /* statfs */
    [138] = CALL(SR_INT, 2, SA_FD, SA_PTR_OUT),                     /* fstatfs */
    /* sockets: there are none in the VM, but programs ask */
    [41] = CALL(SR_INT, 3, SA_SOCK_FAMILY, SA_SOCK_TYPE, SA_INT),   /* socket */
    [53] = CALL(SR_INT, 4, SA_SOCK_FAMILY, SA_SOCK_TYPE, SA_INT, SA_PTR), /* socketpair */
    [42] = CALL(SR_INT, 3, SA_FD, SA_PTR, SA_INT),                  /* connect */
    [49] = CALL(SR_INT, 3, SA_FD, SA_PTR, SA_INT),                  /* bind */
    [50] = CALL(SR_INT, 2, SA_FD, SA_INT),                          /* listen */
    /* memory */
    [9] = CALL(SR_HEX, 6, SA_PTR, SA_ULONG, SA_PROT, SA_MMAP_FLAGS, SA_FD, SA_HEX), /* mmap */
    [10] = CALL(SR_INT, 3, SA_PTR, SA_ULONG, SA_PROT),              /* mprotect */
    [11] = CALL(SR_INT, 2, SA_PTR, SA_ULONG),                       /* munmap */
    [12] = CALL(SR_HEX, 1, SA_PTR),                                 /* brk */
    [25] = CALL(SR_HEX, 5, SA_PTR, SA_ULONG, SA_ULONG, SA_MREMAP_FLAGS, SA_MREMAP_NEW), /* mremap */
    [26] = CALL(SR_INT, 3, SA_PTR, SA_ULONG, SA_HEX),               /* msync */
    [27] = CALL(SR_INT, 3, SA_PTR, SA_ULONG, SA_PTR_OUT),           /* mincore */
    [28] = CALL(SR_INT, 3, SA_PTR, SA_ULONG, SA_MADVICE),           /* madvise */
    [149] = CALL(SR_INT, 2, SA_PTR, SA_ULONG),                      /* mlock */
    [150] = CALL(SR_INT, 2, SA_PTR, SA_ULONG),                      /* munlock */
    [151] = CALL(SR_INT, 1, SA_HEX),                                /* mlockall */
    [152] = CALL(SR_INT, 0),                                        /* munlockall */
    [325] = CALL(SR_INT, 3, SA_PTR, SA_ULONG, SA_HEX),              /* mlock2 */
    /* process */
    [24] = CALL(SR_INT, 0),                                         /* sched_yield */
    [39] = CALL(SR_INT, 0),                                         /* getpid */
    [60] = CALL(SR_NONE, 1, SA_INT),                                /* exit */
    [231] = CALL(SR_NONE, 1, SA_INT),                               /* exit_group */
    [63] = CALL(SR_INT, 1, SA_UNAME_OUT),                           /* uname */
    [97] = CALL(SR_INT, 2, SA_RLIMIT_RES, SA_RLIMIT_OUT),           /* getrlimit */
    [160] = CALL(SR_INT, 2, SA_RLIMIT_RES, SA_RLIMIT_IN),           /* setrlimit */
    [302] = CALL(SR_INT, 4, SA_INT, SA_RLIMIT_RES, SA_RLIMIT_IN, SA_RLIMIT_OUT), /* prlimit64 */
    [98] = CALL(SR_INT, 2, SA_INT, SA_PTR_OUT),                     /* getrusage */
    [99] = CALL(SR_INT, 1, SA_PTR_OUT),                             /* sysinfo */
    [110] = CALL(SR_INT, 0),                                        /* getppid */
    [111] = CALL(SR_INT, 0),                                        /* getpgrp */
    [121] = CALL(SR_INT, 1, SA_INT),                                /* getpgid */
    [124] = CALL(SR_INT, 1, SA_INT),                                /* getsid */
    [157] = CALL(SR_INT, 5, SA_PRCTL_OPT, SA_PRCTL_ARG, SA_PRCTL_REST, SA_PRCTL_REST,
                  SA_PRCTL_REST), /* prctl */
    [158] = CALL(SR_INT, 2, SA_ARCH_PRCTL, SA_PTR),                 /* arch_prctl */
    [186] = CALL(SR_INT, 0),                                        /* gettid */
    [202] = CALL(SR_INT, 6, SA_PTR, SA_FUTEX_OP, SA_INT, SA_FUTEX_TIMEOUT, SA_FUTEX_UADDR2,
                  SA_FUTEX_VAL3), /* futex */
    [218] = CALL(SR_INT, 1, SA_PTR),                                /* set_tid_address */
    [273] = CALL(SR_INT, 2, SA_PTR, SA_ULONG),                      /* set_robust_list */
    [274] = CALL(SR_INT, 3, SA_INT, SA_PTR_OUT, SA_PTR_OUT),        /* get_robust_list */
    [318] = CALL(SR_INT, 3, SA_BUF_OUT_HEX, SA_ULONG, SA_GRND_FLAGS), /* getrandom */
    [334] = CALL(SR_INT, 4, SA_PTR, SA_HEX, SA_HEX, SA_HEX),        /* rseq */
    /* identity */
    [102] = CALL(SR_INT, 0),                                        /* getuid */
    [104] = CALL(SR_INT, 0),                                        /* getgid */
    [107] = CALL(SR_INT, 0),                                        /* geteuid */
    [108] = CALL(SR_INT, 0),                                        /* getegid */
    [105] = CALL(SR_INT, 1, SA_INT),                                /* setuid */
    [106] = CALL(SR_INT, 1, SA_INT),                                /* setgid */
    [113] = CALL(SR_INT, 2, SA_INT, SA_INT),                        /* setreuid */
    [114] = CALL(SR_INT, 2, SA_INT, SA_INT),                        /* setregid */
    [115] = CALL(SR_INT, 2, SA_INT, SA_PTR_OUT),                    /* getgroups */
    [116] = CALL(SR_INT, 2, SA_INT, SA_PTR),                        /* setgroups */
    [117] = CALL(SR_INT, 3, SA_INT, SA_INT, SA_INT),                /* setresuid */
    [118] = CALL(SR_INT, 3, SA_PTR_OUT, SA_PTR_OUT, SA_PTR_OUT),    /* getresuid */
    [119] = CALL(SR_INT, 3, SA_INT, SA_INT, SA_INT),                /* setresgid */
    [120] = CALL(SR_INT, 3, SA_PTR_OUT, SA_PTR_OUT, SA_PTR_OUT),    /* getresgid */
    [122] = CALL(SR_INT, 1, SA_INT),                                /* setfsuid */
    [123] = CALL(SR_INT, 1, SA_INT),                                /* setfsgid */
    /* scheduling */
    [203] = CALL(SR_INT, 3, SA_INT, SA_ULONG, SA_PTR),              /* sched_setaffinity */
    [204] = CALL(SR_INT, 3, SA_INT, SA_ULONG, SA_PTR_OUT),          /* sched_getaffinity */
    [309] = CALL(SR_INT, 3, SA_PTR_OUT, SA_PTR_OUT, SA_PTR),        /* getcpu */
    /* processes */
    [56] = SPECIAL(SS_CLONE),                                       /* clone */
    [435] = CALL(SR_INT, 2, SA_PTR, SA_ULONG),                      /* clone3 */
    [57] = CALL(SR_INT, 0),                                         /* fork */
    [58] = CALL(SR_INT, 0),                                         /* vfork */
    [59] = CALL(SR_INT, 3, SA_PATH, SA_ARGV, SA_ENVP),              /* execve */
    [61] = CALL(SR_INT, 4, SA_INT, SA_WSTATUS_OUT, SA_WAIT_OPTIONS, SA_PTR), /* wait4 */
    [247] = CALL(SR_INT, 5, SA_INT, SA_INT, SA_PTR_OUT, SA_WAIT_OPTIONS, SA_PTR), /* waitid */
    [109] = CALL(SR_INT, 2, SA_INT, SA_INT),                        /* setpgid */
    [112] = CALL(SR_INT, 0),                                        /* setsid */
    /* signals */
    [13] = CALL(SR_INT, 4, SA_SIGNO, SA_SIGACT_IN, SA_SIGACT_OUT, SA_ULONG), /* rt_sigaction */
    [14] = CALL(SR_INT, 4, SA_SIGHOW, SA_SIGSET_IN, SA_SIGSET_OUT, SA_ULONG), /* rt_sigprocmask */
    [15] = SPECIAL(SS_RT_SIGRETURN),                                /* rt_sigreturn */
    [34] = CALL(SR_INT, 0),                                         /* pause */
    [127] = CALL(SR_INT, 2, SA_SIGSET_OUT, SA_ULONG),               /* rt_sigpending */
    [130] = CALL(SR_INT, 2, SA_SIGSET_IN, SA_ULONG),                /* rt_sigsuspend */
    [128] = CALL(SR_INT, 4, SA_SIGSET_IN, SA_PTR_OUT, SA_TIMESPEC_IN, SA_ULONG), /* rt_sigtimedwait */
    [62] = CALL(SR_INT, 2, SA_INT, SA_SIGNO),                       /* kill */
    [131] = CALL(SR_INT, 2, SA_PTR, SA_PTR_OUT),                    /* sigaltstack */
    [200] = CALL(SR_INT, 2, SA_INT, SA_SIGNO),                      /* tkill */
    [234] = CALL(SR_INT, 3, SA_INT, SA_INT, SA_SIGNO),              /* tgkill */
    /* time */
    [35] = CALL(SR_INT, 2, SA_TIMESPEC_IN, SA_PTR),                 /* nanosleep */
    [96] = CALL(SR_INT, 2, SA_PTR_OUT, SA_PTR),                     /* gettimeofday */
    [100] = CALL(SR_INT, 1, SA_PTR_OUT),                            /* times */
    [201] = CALL(SR_INT, 1, SA_PTR),                                /* time */
    [228] = CALL(SR_INT, 2, SA_CLOCKID, SA_TIMESPEC_OUT),           /* clock_gettime */
    [229] = CALL(SR_INT, 2, SA_CLOCKID, SA_TIMESPEC_OUT),           /* clock_getres */
    [230] = CALL(SR_INT, 4, SA_CLOCKID, SA_HEX, SA_TIMESPEC_IN, SA_PTR), /* clock_nanosleep */
    [37] = CALL(SR_INT, 1, SA_ULONG),                               /* alarm */
    [36] = CALL(SR_INT, 2, SA_ITIMER, SA_PTR_OUT),                  /* getitimer */
    [38] = CALL(SR_INT, 3, SA_ITIMER, SA_PTR, SA_PTR_OUT),          /* setitimer */
};

const struct strace_syscall *strace_syscall_info(uint64_t nr)
{
    return nr < TABLE_SIZE && table[nr].known ? &table[nr] : 0;
}
