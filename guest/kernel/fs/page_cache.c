#include "fs/page_cache.h"

#include "fs/file.h"
#include "fs/fileio.h"
#include "fs/vfs.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/addr.h"
#include "mm/kheap.h"
#include "mm/vm_object.h"

/* Cached files known at once; beyond it the least recently used one that
 * nothing maps is dropped. Each holds a host handle open (fileio's max_open
 * is 256 by default). */
#define CACHED_FILES_MAX 64

struct cached_file {
    /* A handle of its own on the file (not the mapper's: that one's locks and
     * lifetime are the program's): what fills read through. */
    struct file *file;
    uint64_t dev, ino, size;
    int64_t mtime_sec, mtime_nsec;
    struct vm_object *object;
    uint64_t last_use;
    bool listed; /* in `cache` (false once forgotten: mappings may still use it) */
};

static struct cached_file *cache[CACHED_FILES_MAX];
static uint64_t use_clock;

static int fill(void *owner, uint64_t first, const uint64_t *pas, uint32_t count)
{
    struct cached_file *c = owner;
    int64_t n = fileio_read_pages(c->file, first * PAGE_SIZE, pas, count);
    if (n < 0)
        return (int)n;
    /* Past the end of the file pages read as zeros. */
    for (uint32_t i = 0; i < count; i++) {
        uint64_t page_start = (uint64_t)i * PAGE_SIZE;
        if ((uint64_t)n >= page_start + PAGE_SIZE)
            continue;
        uint64_t from = (uint64_t)n > page_start ? (uint64_t)n - page_start : 0;
        memset((char *)phys_to_virt(pas[i]) + from, 0, PAGE_SIZE - from);
    }
    return 0;
}

/* The object is gone: so is what filled it. */
static void release(void *owner)
{
    struct cached_file *c = owner;
    file_put(c->file);
    kfree(c);
}

static bool same_identity(const struct cached_file *c, uint64_t dev, uint64_t ino,
                          const struct file *f)
{
    return c->dev == dev && c->ino == ino && fileio_same_device(c->file, f);
}

static bool unchanged(const struct cached_file *c, const struct fileio_stat *st)
{
    return c->size == (uint64_t)st->size && c->mtime_sec == st->mtime_sec &&
           c->mtime_nsec == st->mtime_nsec;
}

/* Takes slot i's file out of the table (its object lives on while mapped). */
static void unlist(unsigned i)
{
    struct cached_file *c = cache[i];
    cache[i] = 0;
    c->listed = false;
    vm_object_put(c->object); /* the table's reference */
}

/* A free slot: an empty one, else the least recently used file nothing
 * maps; -1 when every slot holds a mapped file. */
static int free_slot(void)
{
    int victim = -1;
    for (unsigned i = 0; i < CACHED_FILES_MAX; i++) {
        if (cache[i] == 0)
            return (int)i;
        if (!vm_object_mapped(cache[i]->object) &&
            (victim < 0 || cache[i]->last_use < cache[victim]->last_use))
            victim = (int)i;
    }
    if (victim >= 0)
        unlist((unsigned)victim);
    return victim;
}

struct vm_object *page_cache_object(struct file *f)
{
    struct fileio_stat st;
    if (f->ops->stat == 0 || f->ops->stat(f, &st) != 0)
        return 0;
    for (unsigned i = 0; i < CACHED_FILES_MAX; i++) {
        struct cached_file *c = cache[i];
        if (c == 0 || !same_identity(c, st.dev, st.ino, f))
            continue;
        if (!unchanged(c, &st)) {
            unlist(i); /* changed on the host: read it afresh */
            break;
        }
        c->last_use = ++use_clock;
        vm_object_get(c->object);
        return c->object;
    }
    /* Our own handle, by the name the file was opened by: it must be the
     * same file still (not renamed over meanwhile). */
    struct file *own;
    struct fileio_stat own_st;
    if (f->path == 0 || vfs_open(f->path, O_RDONLY, 0, &own) != 0)
        return 0;
    if (!fileio_is_host_file(own) || own->ops->stat(own, &own_st) != 0 ||
        own_st.dev != st.dev || own_st.ino != st.ino || !fileio_same_device(own, f)) {
        file_put(own);
        return 0;
    }
    int slot = free_slot();
    struct cached_file *c = kzalloc(sizeof *c);
    if (c == 0) {
        file_put(own);
        return 0;
    }
    *c = (struct cached_file){.file = own, .dev = st.dev, .ino = st.ino,
                              .size = (uint64_t)st.size, .mtime_sec = st.mtime_sec,
                              .mtime_nsec = st.mtime_nsec, .last_use = ++use_clock};
    struct vm_object_source source = {.fill = fill, .release = release, .owner = c};
    c->object = vm_object_create_backed(&source);
    if (c->object == 0) {
        file_put(own);
        kfree(c);
        return 0;
    }
    if (slot >= 0) {
        cache[slot] = c;
        c->listed = true;
        vm_object_get(c->object); /* the table's reference */
    }
    return c->object;
}

void page_cache_forget(struct file *f)
{
    bool any = false;
    for (unsigned i = 0; i < CACHED_FILES_MAX && !any; i++)
        any = cache[i] != 0;
    uint64_t dev, ino;
    if (!any || fileio_identity(f, &dev, &ino) != 0)
        return;
    for (unsigned i = 0; i < CACHED_FILES_MAX; i++) {
        if (cache[i] != 0 && same_identity(cache[i], dev, ino, f))
            unlist(i);
    }
}

uint64_t page_cache_reclaim(uint64_t pages)
{
    uint64_t freed = 0;
    while (freed < pages) {
        int victim = -1;
        for (unsigned i = 0; i < CACHED_FILES_MAX; i++) {
            if (cache[i] != 0 && !vm_object_mapped(cache[i]->object) &&
                (victim < 0 || cache[i]->last_use < cache[victim]->last_use))
                victim = (int)i;
        }
        if (victim < 0)
            break;
        freed += vm_object_pages(cache[victim]->object);
        unlist((unsigned)victim);
    }
    return freed;
}
