/* Names of Linux x86-64 signal numbers, for the death message. */
#ifndef MINIVM_PLUGINS_PLATFORM_SIGNAL_NAME_H
#define MINIVM_PLUGINS_PLATFORM_SIGNAL_NAME_H

#include <stddef.h>

/*
 * Writes the name of signal `signo` (1..64) into `buf`, e.g. "SIGSEGV", or
 * "SIGRTMIN+3" for real-time signals (counted from the kernel's SIGRTMIN, 32).
 * Our own table rather than the host libc's: the guest's numbering is the
 * Linux x86-64 one whatever libc minivm is built with.
 */
void signal_name(int signo, char *buf, size_t cap);

#endif
