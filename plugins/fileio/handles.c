#include "handles.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

int handles_init(struct handle_table *t, uint32_t cap)
{
    t->slots = calloc(cap, sizeof *t->slots);
    if (t->slots == NULL)
        return -1;
    t->cap = cap;
    for (uint32_t i = 0; i < cap; i++)
        t->slots[i].fd = -1;
    return 0;
}

void handles_fini(struct handle_table *t)
{
    for (uint32_t i = 0; i < t->cap; i++) {
        if (t->slots[i].fd >= 0)
            close(t->slots[i].fd);
    }
    free(t->slots);
    t->slots = NULL;
    t->cap = 0;
}

int32_t handles_free_slot(const struct handle_table *t)
{
    for (uint32_t i = 0; i < t->cap; i++) {
        if (t->slots[i].fd < 0)
            return (int32_t)i;
    }
    return -EMFILE;
}

void handles_set(struct handle_table *t, int32_t h, int fd, bool is_dir)
{
    t->slots[h].fd = fd;
    t->slots[h].is_dir = is_dir;
}

const struct handle *handles_get(const struct handle_table *t, int32_t h)
{
    if (h < 0 || (uint32_t)h >= t->cap || t->slots[h].fd < 0)
        return NULL;
    return &t->slots[h];
}

int handles_close(struct handle_table *t, int32_t h)
{
    if (handles_get(t, h) == NULL)
        return -EBADF;
    /* Linux releases the fd even when close() reports an error (a delayed
     * write error, say): free the slot, still pass the error on. EINTR is
     * not an error here: the fd is gone either way. */
    int r = close(t->slots[h].fd);
    int err = r < 0 && errno != EINTR ? -errno : 0;
    t->slots[h].fd = -1;
    return err;
}
