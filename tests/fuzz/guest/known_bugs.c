/*
 * KNOWN GUEST-KERNEL BUGS THE FUZZER AVOIDS FOR NOW: REMOVE EACH ENTRY WHEN
 * ITS BUG IS FIXED. This is the one place; `guest_fuzz --known-bugs` (run.sh:
 * FUZZ_KNOWN_BUGS=1) turns every entry off to check the fixes.
 *
 * None is avoided now. Fixed, with their regression tests (docs/security.md):
 * fsync on a read-only root (SIGSYS), a non-canonical CLONE_SETTLS (panic),
 * an orphan's clone() exit signal after reparenting (killed pid 1), slow
 * execve of big argument strings, fork failing for good once memory had run
 * out (and after some thousand forks), kill(-1) signalling the caller, an
 * unkillable vfork parent, MAP_SHARED anonymous pages untouched before fork.
 */
#include "tests/fuzz/guest/known_bugs.h"

void known_bugs_avoid(struct fuzz_state *s, struct call *c)
{
    (void)s;
    (void)c;
}

bool known_bugs_allow_memory_exhaustion(const struct fuzz_state *s)
{
    (void)s;
    return true;
}
