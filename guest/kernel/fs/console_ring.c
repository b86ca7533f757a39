#include "fs/console_ring.h"

#include "console/console_abi.h"
#include "kernel/devices.h"
#include "kernel/hypercall.h"
#include "lib/string.h"
#include "mm/addr.h"
#include "mm/kheap.h"
#include "mm/uaccess.h"

/* Only the host writes `tail` and `direct`, and it may do so at any exit. */
static volatile struct console_ring *ring;

/* Not console.c's block: a flush may come between its filling and its call. */
static struct console_args ring_block __attribute__((aligned(64)));

static int64_t ring_call(uint32_t op, uint64_t gpa, uint64_t len)
{
    memset(&ring_block, 0, sizeof ring_block);
    ring_block.hdr.op = op;
    ring_block.nseg = len ? 1 : 0;
    ring_block.seg[0] = (struct minivm_sg){.gpa = gpa, .len = len};
    return hypercall(devices()->console, &ring_block.hdr);
}

void console_ring_init(void)
{
    if (!devices()->has_console)
        return;
    /* Larger than a page: kzalloc gives physically contiguous, zeroed pages. */
    struct console_ring *r = kzalloc(sizeof *r);
    if (r == 0)
        return;
    if (ring_call(CONSOLE_OP_RING, virt_to_phys(r), sizeof *r) != 0) {
        kfree(r);
        return;
    }
    ring = r;
    hypercall_before_other_devices(devices()->console, console_ring_flush);
}

void console_ring_flush(void)
{
    if (ring != 0 && ring->head != ring->tail)
        ring_call(CONSOLE_OP_FLUSH, 0, 0);
}

/* Copies into the data area at free-running offset `at`, wrapping at its end:
 * from the kernel (`kernel_src`) or from the user (`user_src`). */
static int ring_put(uint32_t at, const void *kernel_src, uint64_t user_src, uint32_t len)
{
    uint32_t start = at % CONSOLE_RING_BYTES;
    uint32_t first = len < CONSOLE_RING_BYTES - start ? len : CONSOLE_RING_BYTES - start;
    uint8_t *data = (uint8_t *)ring->data;
    if (kernel_src != 0) {
        memcpy(data + start, kernel_src, first);
        if (first < len)
            memcpy(data, (const uint8_t *)kernel_src + first, len - first);
        return 0;
    }
    if (copy_from_user(data + start, user_src, first) != 0)
        return -1;
    return first < len ? copy_from_user(data, user_src + first, len - first) : 0;
}

/* A record header where the ring puts it: at any byte offset. */
struct unaligned_record {
    struct console_record rec;
} __attribute__((packed, may_alias));

bool console_ring_write(uint32_t stream, uint64_t ubuf, uint64_t len, int64_t *result)
{
    volatile struct console_ring *r = ring;
    if (r == 0 || stream - 1 > 1 || len - 1 >= CONSOLE_RING_RECORD_MAX || r->direct[stream])
        return false; /* no ring, stdin, an empty or a large write, a direct stream */
    uint32_t need = (uint32_t)(sizeof(struct console_record) + len);
    uint32_t head = r->head;
    if (CONSOLE_RING_BYTES - (head - r->tail) < need) {
        console_ring_flush();
        /* A failed write-out sends the stream around the ring: the direct
         * write then reports the error (EPIPE) as Linux would. */
        if (r->direct[stream] || CONSOLE_RING_BYTES - (head - r->tail) < need)
            return false;
    }
    struct console_record rec = {.len = (uint16_t)len, .stream = (uint8_t)stream};
    uint32_t start = head % CONSOLE_RING_BYTES;
    if (start + need <= CONSOLE_RING_BYTES) {
        /* The usual case: record and bytes in one piece, no wrap to handle. */
        uint8_t *at = (uint8_t *)r->data + start;
        /* A bad user buffer: the direct path answers with what Linux would. */
        if (copy_from_user(at + sizeof rec, ubuf, len) != 0)
            return false;
        /* One (unaligned) store, not a string copy of four bytes. */
        ((struct unaligned_record *)at)->rec = rec;
    } else {
        if (ring_put(head + sizeof rec, 0, ubuf, (uint32_t)len) != 0)
            return false;
        ring_put(head, &rec, 0, sizeof rec);
    }
    /* Published last: the host never reads past head. */
    __asm__ volatile("" ::: "memory");
    r->head = head + need;
    *result = (int64_t)len;
    return true;
}
