#include "arch/ext_state.h"

#include "arch/context_switch.h"
#include "arch/cpu.h"
#include "arch/percpu.h"
#include "arch/segments.h"
#include "arch/trap_frame.h"
#include "arch/user_entry.h"
#include "arch/vectors.h"
#include "kernel/log.h"
#include "kernel/panic.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/addr.h"
#include "mm/kernel_vm.h"
#include "mm/paging.h"
#include "mm/pmm.h"

#ifdef MINIVM_KERNEL_PVM
/* Native mode runs the kernel's own XSAVE: nothing to do here. */
void ext_state_init(bool enabled) { (void)enabled; }
int ext_state_alloc(uint64_t *area_pa) { *area_pa = 0; return 0; }
void ext_state_free(uint64_t *area_pa) { *area_pa = 0; }
void ext_state_save(uint64_t area_pa) { (void)area_pa; }
void ext_state_restore(uint64_t area_pa) { (void)area_pa; }
void ext_state_reset(uint64_t area_pa) { (void)area_pa; }
bool ext_state_trap(struct trap_frame *tf) { (void)tf; return false; }
#else

/* Below USER_SPACE_START (mmap_min_addr): no mapping of the program's can be
 * there, and the pages are mapped only while an upcall runs. */
#define STUB_VA 0x1000ull
#define AREA_VA 0x2000ull
#define STUB_SAVE STUB_VA
#define STUB_RESTORE (STUB_VA + 0x10)
#define STUB_TRAP_OFFSET 4 /* the UD2 after each 4-byte instruction */
/* XSAVE components beyond FXSAVE's: AVX (YMM_Hi128), opmask, ZMM_Hi256,
 * Hi16_ZMM. Their standard-format area ends at 2688 bytes: one page. */
#define EXT_FEATURES 0xe4u
#define MXCSR_OFFSET 24
#define MXCSR_DEFAULT 0x1f80u

/* arch/upper/trap_entry.S: the common way out to user mode, with the
 * trap frame on the stack. */
extern char trap_return[];

static bool enabled;
static uint64_t stub_pa;
static bool upcall_active;
static uint64_t upcall_sp;
static int upcall_result;
/* The kernel stack for traps during an upcall (the thread's own holds its
 * user frame at the top). */
static uint8_t upcall_stack[4096] __attribute__((aligned(16)));

void ext_state_init(bool on)
{
    if (!on)
        return;
    stub_pa = pmm_alloc_zeroed_page();
    if (stub_pa == 0)
        panic("out of memory for the vector-state stub");
    uint8_t *code = phys_to_virt(stub_pa);
    memset(code, 0xcc, PAGE_SIZE); /* int3 */
    static const uint8_t save[] = {0x48, 0x0f, 0xae, 0x27, 0x0f, 0x0b};    /* xsave64 (%rdi); ud2 */
    static const uint8_t restore[] = {0x48, 0x0f, 0xae, 0x2f, 0x0f, 0x0b}; /* xrstor64 (%rdi); ud2 */
    memcpy(code + (STUB_SAVE - STUB_VA), save, sizeof save);
    memcpy(code + (STUB_RESTORE - STUB_VA), restore, sizeof restore);
    enabled = true;
}

static void init_area(uint64_t pa)
{
    memset(phys_to_virt(pa), 0, PAGE_SIZE); /* XSTATE_BV 0: every component initial */
    uint32_t mxcsr = MXCSR_DEFAULT;         /* XRSTOR of AVX state loads MXCSR too */
    memcpy((uint8_t *)phys_to_virt(pa) + MXCSR_OFFSET, &mxcsr, sizeof mxcsr);
}

int ext_state_alloc(uint64_t *area_pa)
{
    *area_pa = 0;
    if (!enabled)
        return 0;
    *area_pa = pmm_alloc_page();
    if (*area_pa == 0)
        return -ENOMEM;
    init_area(*area_pa);
    return 0;
}

void ext_state_free(uint64_t *area_pa)
{
    if (*area_pa != 0)
        pmm_free_page(*area_pa);
    *area_pa = 0;
}

void ext_state_reset(uint64_t area_pa)
{
    if (area_pa != 0)
        init_area(area_pa);
}

/* Runs the stub at `entry` in user mode of the loaded address space with
 * the save area `area_pa`; back here when its UD2 traps. */
static int upcall(uint64_t entry, uint64_t area_pa)
{
    uint64_t root = address_space_loaded();
    if (root == 0 || root == kernel_vm_root())
        return -EINVAL;
    uint64_t *stub_pte = pt_walk(root, STUB_VA, true, USER_TABLE_FLAGS);
    uint64_t *area_pte = pt_walk(root, AREA_VA, true, USER_TABLE_FLAGS);
    if (stub_pte == 0 || area_pte == 0)
        return -ENOMEM;
    *stub_pte = stub_pa | PTE_P | PTE_U;
    *area_pte = area_pa | PTE_P | PTE_U | PTE_W | PTE_NX;
    invlpg(STUB_VA);
    invlpg(AREA_VA);
    struct trap_frame *tf =
        (struct trap_frame *)(upcall_stack + sizeof upcall_stack - sizeof(struct trap_frame));
    memset(tf, 0, sizeof *tf);
    tf->rip = entry;
    tf->cs = SEL_USER_CODE;
    tf->rflags = RFLAGS_IF | RFLAGS_RESERVED1;
    tf->rsp = AREA_VA + PAGE_SIZE;
    tf->ss = SEL_USER_DATA;
    tf->rdi = AREA_VA;
    tf->rax = EXT_FEATURES;
    tf->rdx = 0;
    uint64_t kstack = this_cpu()->kernel_rsp;
    percpu_set_kernel_stack((uint64_t)(upcall_stack + sizeof upcall_stack));
    upcall_active = true;
    /* Leaves for user mode; the trap the stub ends with switches back. */
    context_switch(&upcall_sp, context_prepare_return(tf, trap_return));
    percpu_set_kernel_stack(kstack);
    *stub_pte = 0;
    *area_pte = 0;
    invlpg(STUB_VA);
    invlpg(AREA_VA);
    return upcall_result;
}

bool ext_state_trap(struct trap_frame *tf)
{
    if (!upcall_active || !trap_from_user(tf))
        return false;
    /* An interrupt while the stub runs: it goes on (the tick's work waits
     * for the next tick). */
    if (tf->vector >= FIRST_EXTERNAL_VECTOR || tf->vector == VEC_NMI)
        return true;
    bool done = tf->vector == VEC_UD && (tf->rip == STUB_SAVE + STUB_TRAP_OFFSET ||
                                         tf->rip == STUB_RESTORE + STUB_TRAP_OFFSET);
    if (!done)
        ktrace("vector state: %s stub trapped (vector %lu at %#lx): state dropped",
               tf->rip - STUB_VA < 0x10 ? "save" : "restore", tf->vector, tf->rip);
    upcall_result = done ? 0 : -EFAULT;
    upcall_active = false;
    uint64_t abandoned_sp; /* this trap's stack is not returned to */
    context_switch(&abandoned_sp, upcall_sp);
    __builtin_unreachable();
}

void ext_state_save(uint64_t area_pa)
{
    if (area_pa == 0)
        return;
    if (upcall(STUB_SAVE, area_pa) != 0)
        init_area(area_pa);
}

void ext_state_restore(uint64_t area_pa)
{
    if (area_pa == 0)
        return;
    if (upcall(STUB_RESTORE, area_pa) != 0) {
        /* A save area the program made unloadable: the initial state. */
        init_area(area_pa);
        upcall(STUB_RESTORE, area_pa);
    }
}
#endif
