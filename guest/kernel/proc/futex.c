#include "proc/futex.h"

#include "kernel/sched.h"
#include "lib/errno.h"
#include "mm/mm.h"
#include "mm/uaccess.h"
#include "proc/process.h"
#include "proc/signal.h"
#include "proc/thread.h"

/* Which word a futex is: (address space, virtual address) for private
 * memory, (0, physical address) for shared memory. */
struct futex_key {
    uint64_t space, addr;
};

/* A sleeping waiter, on its own kernel stack while it waits. */
struct futex_waiter {
    struct futex_waiter *next;
    struct thread *thread;
    struct futex_key key;
    uint32_t bitset;
    int woken;
};

static struct futex_waiter *waiters;

static bool same_key(struct futex_key a, struct futex_key b)
{
    return a.space == b.space && a.addr == b.addr;
}

/* The key of `uaddr` in `p`'s address space, faulting the page in. */
static int futex_key(struct process *p, bool private_op, uint64_t uaddr, uint32_t access,
                     struct futex_key *key)
{
    if (uaddr & 3)
        return -EINVAL;
    if (!user_range_valid(uaddr, sizeof(uint32_t)))
        return -EFAULT;
    uint64_t pa;
    if (mm_translate(p->mm, uaddr, access, false, &pa) != 0)
        return -EFAULT;
    const struct vma *v = private_op ? 0 : mm_find_vma(p->mm, uaddr);
    if (v != 0 && (v->flags & VMA_SHARED))
        *key = (struct futex_key){0, pa};
    else
        *key = (struct futex_key){(uint64_t)p->mm, uaddr};
    return 0;
}

static void unlink_waiter(struct futex_waiter *w)
{
    for (struct futex_waiter **link = &waiters; *link != 0; link = &(*link)->next) {
        if (*link == w) {
            *link = w->next;
            return;
        }
    }
}

int futex_wait(struct process *p, bool private_op, uint64_t uaddr, uint32_t val, uint32_t bitset,
               uint64_t deadline_ns, int restartable)
{
    if (bitset == 0)
        return -EINVAL;
    uint32_t cur;
    struct futex_key key;
    int err = futex_key(p, private_op, uaddr, ACCESS_READ, &key);
    if (err == 0)
        err = copy_from_user(&cur, uaddr, sizeof cur);
    if (err != 0)
        return err;
    if (cur != val)
        return -EAGAIN;
    struct futex_waiter w = {.thread = current_thread(), .key = key, .bitset = bitset};
    w.next = waiters;
    waiters = &w;
    int result = 0;
    while (!w.woken) {
        if (signal_pending()) {
            result = restartable ? -ERESTARTSYS : -EINTR;
            break;
        }
        if (sched_block(&w, deadline_ns)) {
            result = w.woken ? 0 : -ETIMEDOUT;
            break;
        }
    }
    if (!w.woken)
        unlink_waiter(&w);
    return w.woken ? 0 : result;
}

/* Wakes up to `n` waiters keyed `key` meeting `bitset`; how many. */
static int64_t wake_key(struct futex_key key, int32_t n, uint32_t bitset)
{
    int64_t woken = 0;
    struct futex_waiter **link = &waiters;
    while (*link != 0 && woken < n) {
        struct futex_waiter *w = *link;
        if (!same_key(w->key, key) || !(w->bitset & bitset)) {
            link = &w->next;
            continue;
        }
        *link = w->next;
        w->woken = 1;
        sched_wake_thread(w->thread);
        woken++;
    }
    return woken;
}

int64_t futex_wake(struct process *p, bool private_op, uint64_t uaddr, int32_t n, uint32_t bitset)
{
    if (bitset == 0)
        return -EINVAL;
    struct futex_key key;
    int err = futex_key(p, private_op, uaddr, ACCESS_READ, &key);
    if (err != 0)
        return err;
    return n <= 0 ? 0 : wake_key(key, n, bitset);
}

int64_t futex_requeue(struct process *p, bool private_op, uint64_t uaddr, uint64_t uaddr2, int32_t n, int32_t n2,
                      int check, uint32_t cmpval)
{
    if (n < 0 || n2 < 0)
        return -EINVAL;
    struct futex_key key, key2;
    int err = futex_key(p, private_op, uaddr, ACCESS_READ, &key);
    if (err == 0)
        err = futex_key(p, private_op, uaddr2, ACCESS_READ, &key2);
    if (err != 0)
        return err;
    if (check) {
        uint32_t cur;
        err = copy_from_user(&cur, uaddr, sizeof cur);
        if (err != 0)
            return err;
        if (cur != cmpval)
            return -EAGAIN;
    }
    int64_t done = wake_key(key, n, FUTEX_BITSET_MATCH_ANY);
    for (struct futex_waiter *w = waiters; w != 0 && n2 > 0; w = w->next) {
        if (same_key(w->key, key)) {
            w->key = key2;
            n2--;
            done++;
        }
    }
    return done;
}

/* FUTEX_OP_* of the encoded operation (Linux's layout). */
enum { OP_SET, OP_ADD, OP_OR, OP_ANDN, OP_XOR };
enum { CMP_EQ, CMP_NE, CMP_LT, CMP_LE, CMP_GT, CMP_GE };
#define FUTEX_OP_OPARG_SHIFT 8u

int64_t futex_wake_op(struct process *p, bool private_op, uint64_t uaddr, uint64_t uaddr2, int32_t n, int32_t n2,
                      uint32_t encoded_op)
{
    uint32_t op = (encoded_op >> 28) & 7, cmp = (encoded_op >> 24) & 15;
    int32_t oparg = (int32_t)(encoded_op << 8) >> 20;
    int32_t cmparg = (int32_t)(encoded_op << 20) >> 20;
    if ((encoded_op >> 28) & FUTEX_OP_OPARG_SHIFT) {
        if (oparg < 0 || oparg > 31)
            return -EINVAL;
        oparg = (int32_t)(1u << oparg);
    }
    if (op > OP_XOR || cmp > CMP_GE)
        return -ENOSYS;
    struct futex_key key, key2;
    int err = futex_key(p, private_op, uaddr, ACCESS_READ, &key);
    if (err == 0)
        err = futex_key(p, private_op, uaddr2, ACCESS_WRITE, &key2);
    uint32_t old;
    if (err == 0)
        err = copy_from_user(&old, uaddr2, sizeof old);
    if (err != 0)
        return err;
    uint32_t arg = (uint32_t)oparg, next = op == OP_SET    ? arg
                                          : op == OP_ADD  ? old + arg
                                          : op == OP_OR   ? old | arg
                                          : op == OP_ANDN ? old & ~arg
                                                          : old ^ arg;
    err = copy_to_user(uaddr2, &next, sizeof next);
    if (err != 0)
        return err;
    int64_t woken = n > 0 ? wake_key(key, n, FUTEX_BITSET_MATCH_ANY) : 0;
    int32_t o = (int32_t)old;
    int meets = cmp == CMP_EQ   ? o == cmparg
                : cmp == CMP_NE ? o != cmparg
                : cmp == CMP_LT ? o < cmparg
                : cmp == CMP_LE ? o <= cmparg
                : cmp == CMP_GT ? o > cmparg
                                : o >= cmparg;
    if (meets && n2 > 0)
        woken += wake_key(key2, n2, FUTEX_BITSET_MATCH_ANY);
    return woken;
}
