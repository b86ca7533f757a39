/*
 * Invariants every call must keep, checked in the guest without Linux to
 * compare with: numbers outside the table fail with ENOSYS; errors are
 * errnos Linux has; a bounded output (read, getrandom, getcwd, readlink,
 * getdents64) stays within its length, in the result and in memory (canary
 * bytes after it); mmap returns a mappable address; getpid and friends name
 * the caller; monotonic clocks never go back; a regular file read or written
 * holds the buffer's bytes (read back with pread); a file mapping shows the
 * file's bytes; and a forked child's writes never reach its parent's private
 * memory (memory.h's copy-on-write canary).
 * A broken invariant is recorded in the progress page for the supervisor.
 */
#ifndef GUEST_FUZZ_CHECKS_H
#define GUEST_FUZZ_CHECKS_H

#include "tests/fuzz/guest/call.h"
#include "tests/fuzz/guest/fuzz.h"

/* Just before the call: arms the canary after a bounded output buffer. */
void checks_before(const struct call *c);
/* After a call that returned `result` to this process. */
void checks_after(struct fuzz_state *s, const struct call *c, long result);
/* The batch process's copy-on-write canary is intact (depth 0 only). */
void checks_cow(struct fuzz_state *s, const struct call *c);

void checks_report(struct fuzz_state *s, const struct call *c, long result, const char *what);

#endif
