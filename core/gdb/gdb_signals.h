/* Linux signal numbers as gdb's remote protocol numbers them (gdb's own
 * table, signals.def), for the `X` and `T` stop replies. */
#ifndef MINIVM_CORE_GDB_GDB_SIGNALS_H
#define MINIVM_CORE_GDB_GDB_SIGNALS_H

#ifdef __cplusplus
extern "C" {
#endif

/* gdb's number for Linux signal `signo` (1..64); 143 (GDB_SIGNAL_UNKNOWN)
 * for anything else. */
int gdb_signal_from_linux(int signo);

#ifdef __cplusplus
}
#endif

#endif
