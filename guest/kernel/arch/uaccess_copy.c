#include "arch/uaccess_copy.h"

#include "arch/trap_frame.h"

extern char uaccess_copy_insn[], uaccess_copy_failed[];
extern char uaccess_strncpy_load8[], uaccess_strncpy_load1[], uaccess_strncpy_failed[];

/* Each instruction that touches user memory, and where a fault in it resumes. */
static const struct {
    const char *insn, *resume;
} fixups[] = {
    {uaccess_copy_insn, uaccess_copy_failed},
    {uaccess_strncpy_load8, uaccess_strncpy_failed},
    {uaccess_strncpy_load1, uaccess_strncpy_failed},
};

bool uaccess_copy_fixup(struct trap_frame *tf)
{
    for (unsigned i = 0; i < sizeof fixups / sizeof fixups[0]; i++) {
        if (tf->rip == (uint64_t)fixups[i].insn) {
            tf->rip = (uint64_t)fixups[i].resume;
            return true;
        }
    }
    return false;
}
