#include "proc/debug_populate.h"

#include "mm/addr.h"

void debug_populate(struct mm *mm)
{
    for (struct vma *v = mm->vmas; v != 0; v = v->next) {
        if ((v->flags & (VMA_STACK | VMA_HEAP)) || !(v->prot & (PROT_READ | PROT_EXEC)) ||
            v->end - v->start > DEBUG_POPULATE_MAX)
            continue;
        uint32_t access = (v->prot & PROT_WRITE) ? ACCESS_WRITE : ACCESS_READ;
        for (uint64_t va = v->start; va < v->end; va += PAGE_SIZE) {
            if (mm_fault(mm, va, access, false) != 0)
                return;
        }
    }
}
