#include "arch/uaccess_copy.h"

#include "arch/trap_frame.h"

extern char uaccess_copy_insn[], uaccess_copy_failed[];

bool uaccess_copy_fixup(struct trap_frame *tf)
{
    if (tf->rip != (uint64_t)uaccess_copy_insn)
        return false;
    tf->rip = (uint64_t)uaccess_copy_failed;
    return true;
}
