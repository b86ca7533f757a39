/* minivm's documented exit statuses (design.md §6; README "Exit status"). */
#ifndef MINIVM_CORE_EXIT_STATUS_H
#define MINIVM_CORE_EXIT_STATUS_H

enum minivm_exit_status {
    EXIT_STATUS_TIMEOUT = 124,       /* --timeout expired */
    EXIT_STATUS_VMM_FAILURE = 125,   /* minivm failed: config, plugin, KVM, guest kernel panic */
    EXIT_STATUS_NOT_RUNNABLE = 126,  /* program is not a static x86-64 ELF executable */
    EXIT_STATUS_NOT_FOUND = 127,     /* program not found */
    EXIT_STATUS_SIGNAL_BASE = 128,   /* + signal number when the program dies of a signal */
};

#endif
