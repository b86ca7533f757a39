#include "fs/locks.h"

#include "arch/percpu.h"
#include "fs/file.h"
#include "kernel/sched.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/kheap.h"
#include "proc/process.h"
#include "proc/signal.h"

/* Linux gives up looking for a deadlock after this many hops. */
#define DEADLOCK_SEARCH_MAX 10

enum lock_kind { LOCK_POSIX, LOCK_OFD, LOCK_FLOCK };

struct file_lock {
    struct file_lock *next;
    enum lock_kind kind;
    uint64_t dev, ino;        /* the file */
    struct lock_range range;  /* flock: the whole file, type F_RDLCK/F_WRLCK */
    int32_t pid;              /* POSIX: the owner; others: who took it */
    const struct file *owner; /* OFD and flock: the open file that owns it */
};

/* Every lock held in the VM: few at any time, so a list. */
static struct file_lock *held;
/* Waiters sleep on this; every release or change wakes them to look again. */
static const char locks_changed = 0;

/* The identity of the file `f` refers to. */
static int file_identity(struct file *f, uint64_t *dev, uint64_t *ino)
{
    struct fileio_stat st;
    if (f->ops->stat == 0) {
        *dev = 0;
        *ino = (uint64_t)(uintptr_t)f; /* a kind without stat: the open file itself */
        return 0;
    }
    int err = f->ops->stat(f, &st);
    if (err != 0)
        return err;
    *dev = st.dev;
    *ino = st.ino;
    return 0;
}

static bool same_owner(const struct file_lock *a, const struct file_lock *b)
{
    if (a->kind == LOCK_POSIX || b->kind == LOCK_POSIX)
        return a->kind == b->kind && a->pid == b->pid;
    return a->owner == b->owner;
}

static bool overlap(const struct lock_range *a, const struct lock_range *b)
{
    return a->start <= b->end && b->start <= a->end;
}

/* The ranges overlap or sit side by side (so that one lock could cover both). */
static bool touch(const struct lock_range *a, const struct lock_range *b)
{
    bool a_reaches = a->end == LOCK_OFFSET_MAX || a->end + 1 >= b->start;
    bool b_reaches = b->end == LOCK_OFFSET_MAX || b->end + 1 >= a->start;
    return a_reaches && b_reaches;
}

/* Does held lock `l` stand in the way of request `req`? */
static bool conflicts(const struct file_lock *l, const struct file_lock *req)
{
    if (l->dev != req->dev || l->ino != req->ino || same_owner(l, req))
        return false;
    if ((l->kind == LOCK_FLOCK) != (req->kind == LOCK_FLOCK))
        return false; /* flock and byte-range locks do not see each other */
    if (l->range.type != F_WRLCK && req->range.type != F_WRLCK)
        return false;
    return req->kind == LOCK_FLOCK || overlap(&l->range, &req->range);
}

/* The conflicting lock that starts first in the file (F_GETLK reports it,
 * as Linux reports the first of an owner's locks, which it keeps sorted). */
static struct file_lock *first_conflict(const struct file_lock *req)
{
    struct file_lock *first = 0;
    for (struct file_lock *l = held; l != 0; l = l->next) {
        if (conflicts(l, req) && (first == 0 || l->range.start < first->range.start))
            first = l;
    }
    return first;
}

static void unlink_lock(struct file_lock **link)
{
    struct file_lock *l = *link;
    *link = l->next;
    kfree(l);
}

static void insert(struct file_lock *l)
{
    l->next = held;
    held = l;
}

/*
 * Would `p` waiting for `blocker` close a cycle? Follows POSIX owners: the
 * blocker's owner waits for a lock whose owner waits ... back to `p`.
 */
static bool would_deadlock(const struct process *p, const struct file_lock *blocker)
{
    for (int hop = 0; hop < DEADLOCK_SEARCH_MAX; hop++) {
        if (blocker == 0 || blocker->kind != LOCK_POSIX)
            return false;
        if (blocker->pid == p->pid)
            return true;
        struct process *owner = process_find(blocker->pid);
        if (owner == 0 || owner->lock_request == 0)
            return false;
        blocker = first_conflict(owner->lock_request);
    }
    return false;
}

/*
 * Waits until nothing conflicts with `req` (the current process is `p`).
 * 0, or -EAGAIN (!wait), -EDEADLK, -ERESTARTSYS.
 */
static int wait_for_no_conflict(struct process *p, struct file_lock *req, bool wait)
{
    for (;;) {
        struct file_lock *blocker = first_conflict(req);
        if (blocker == 0)
            return 0;
        if (!wait)
            return -EAGAIN;
        if (req->kind == LOCK_POSIX && would_deadlock(p, blocker))
            return -EDEADLK;
        if (signal_pending())
            return -ERESTARTSYS;
        p->lock_request = req;
        sched_block(&locks_changed, 0);
        p->lock_request = 0;
    }
}

/*
 * Applies `req` (a byte range of its owner, type F_UNLCK to remove) to the
 * owner's locks on the file: the parts of differently typed locks in the
 * range go, locks of the same type that overlap or touch merge into one.
 * `spare` is a free record for a lock split in two (taken when used).
 */
static void apply_range(const struct file_lock *req, struct file_lock **spare, int64_t *start,
                        int64_t *end)
{
    struct lock_range want = req->range;
    for (struct file_lock **link = &held; *link != 0;) {
        struct file_lock *l = *link;
        if (l->kind == LOCK_FLOCK || l->dev != req->dev || l->ino != req->ino ||
            !same_owner(l, req) || !touch(&l->range, &want)) {
            link = &l->next;
            continue;
        }
        if (l->range.type == want.type) {
            /* Same type: absorb it. */
            if (l->range.start < want.start)
                want.start = l->range.start;
            if (l->range.end > want.end)
                want.end = l->range.end;
            unlink_lock(link);
            continue;
        }
        if (!overlap(&l->range, &req->range)) {
            link = &l->next; /* only side by side, and another type: stays */
            continue;
        }
        bool left = l->range.start < req->range.start;
        bool right = l->range.end > req->range.end;
        if (left && right) {
            struct file_lock *tail = *spare;
            *spare = 0;
            *tail = *l;
            tail->range.start = req->range.end + 1;
            l->range.end = req->range.start - 1;
            insert(tail);
        } else if (left) {
            l->range.end = req->range.start - 1;
        } else if (right) {
            l->range.start = req->range.end + 1;
        } else {
            unlink_lock(link);
            continue;
        }
        link = &l->next;
    }
    *start = want.start;
    *end = want.end;
}

/* A request for `p` on `f`: identity, owner, range. */
static int make_request(struct process *p, struct file *f, enum lock_kind kind,
                        const struct lock_range *r, struct file_lock *req)
{
    memset(req, 0, sizeof *req);
    req->kind = kind;
    req->range = *r;
    req->pid = p->pid;
    req->owner = kind == LOCK_POSIX ? 0 : f;
    return file_identity(f, &req->dev, &req->ino);
}

int locks_set_range(struct process *p, struct file *f, bool ofd, const struct lock_range *r,
                    bool wait)
{
    struct file_lock req;
    int err = make_request(p, f, ofd ? LOCK_OFD : LOCK_POSIX, r, &req);
    if (err != 0)
        return err;
    if (r->type != F_UNLCK) {
        err = wait_for_no_conflict(p, &req, wait);
        if (err != 0)
            return err;
    }
    /* Both records first: a change either happens whole or not at all. */
    struct file_lock *fresh = kzalloc(sizeof *fresh);
    struct file_lock *spare = kzalloc(sizeof *spare);
    if (fresh == 0 || spare == 0) {
        kfree(fresh);
        kfree(spare);
        return -ENOLCK;
    }
    int64_t start, end;
    apply_range(&req, &spare, &start, &end);
    kfree(spare);
    if (r->type == F_UNLCK) {
        kfree(fresh);
    } else {
        *fresh = req;
        fresh->range.start = start;
        fresh->range.end = end;
        insert(fresh);
    }
    f->has_locks = f->has_locks || ofd;
    sched_wake(&locks_changed);
    return 0;
}

int locks_get_range(struct process *p, struct file *f, bool ofd, struct lock_range *r,
                    int32_t *pid)
{
    struct file_lock req;
    int err = make_request(p, f, ofd ? LOCK_OFD : LOCK_POSIX, r, &req);
    if (err != 0)
        return err;
    const struct file_lock *l = first_conflict(&req);
    if (l == 0) {
        r->type = F_UNLCK;
        return 0;
    }
    *r = l->range;
    *pid = l->kind == LOCK_POSIX ? l->pid : -1;
    return 0;
}

/* Removes the locks `match` selects; wakes waiters when any went. */
static void release_where(bool (*match)(const struct file_lock *l, const void *arg), const void *arg)
{
    bool any = false;
    for (struct file_lock **link = &held; *link != 0;) {
        if (match(*link, arg)) {
            unlink_lock(link);
            any = true;
        } else {
            link = &(*link)->next;
        }
    }
    if (any)
        sched_wake(&locks_changed);
}

static bool is_flock_of(const struct file_lock *l, const void *file)
{
    return l->kind == LOCK_FLOCK && l->owner == file;
}

int locks_flock(struct file *f, uint32_t op)
{
    uint32_t cmd = op & ~(uint32_t)LOCK_NB;
    if (cmd != LOCK_SH && cmd != LOCK_EX && cmd != LOCK_UN)
        return -EINVAL;
    struct process *p = current_process();
    struct lock_range whole = {cmd == LOCK_EX ? F_WRLCK : F_RDLCK, 0, LOCK_OFFSET_MAX};
    struct file_lock req;
    int err = make_request(p, f, LOCK_FLOCK, &whole, &req);
    if (err != 0)
        return err;
    /* A lock of this open file already: the same type stays; any other goes
     * first, so a conversion is not atomic (as on Linux). */
    for (struct file_lock *l = held; l != 0; l = l->next) {
        if (is_flock_of(l, f) && cmd != LOCK_UN && l->range.type == whole.type)
            return 0;
    }
    release_where(is_flock_of, f);
    if (cmd == LOCK_UN)
        return 0;
    err = wait_for_no_conflict(p, &req, !(op & LOCK_NB));
    if (err != 0)
        return err == -EAGAIN ? -EWOULDBLOCK : err;
    struct file_lock *fresh = kzalloc(sizeof *fresh);
    if (fresh == 0)
        return -ENOLCK;
    *fresh = req;
    insert(fresh);
    f->has_locks = true;
    return 0;
}

struct posix_match {
    int32_t pid;
    uint64_t dev, ino;
};

static bool is_posix_of(const struct file_lock *l, const void *arg)
{
    const struct posix_match *m = arg;
    return l->kind == LOCK_POSIX && l->pid == m->pid && l->dev == m->dev && l->ino == m->ino;
}

void locks_descriptor_closed(struct file *f)
{
    struct process *p = current_process();
    struct posix_match m = {.pid = p->pid};
    bool any = false;
    for (const struct file_lock *l = held; l != 0 && !any; l = l->next)
        any = l->kind == LOCK_POSIX && l->pid == p->pid;
    /* Only then the file's identity (a host round trip for host files). */
    if (!any || file_identity(f, &m.dev, &m.ino) != 0)
        return;
    release_where(is_posix_of, &m);
}

static bool is_owned_by(const struct file_lock *l, const void *file)
{
    return l->kind != LOCK_POSIX && l->owner == file;
}

void locks_file_released(struct file *f)
{
    if (f->has_locks)
        release_where(is_owned_by, f);
}
