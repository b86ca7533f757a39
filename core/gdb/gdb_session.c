#include "core/gdb/gdb_session.h"

#include <stdio.h>
#include <string.h>

#include "core/gdb/rsp_framing.h"
#include "core/gdb/rsp_hex.h"

_Static_assert(2 * X86_REGISTERS_BYTES < GDB_REPLY_MAX, "a `g` reply fits");

/* PacketSize: the longest packet gdb may send (hex), as the decoder takes it. */
#define SUPPORTED_FEATURES                                                                     \
    "PacketSize=1000;qXfer:features:read+;swbreak+;hwbreak+;QStartNoAckMode+;vContSupported+"
#define MULTIPROCESS ";multiprocess+"
_Static_assert(RSP_PACKET_MAX == 0x1000, "PacketSize above matches the decoder's bound");

void gdb_session_init(struct gdb_session *s, const struct gdb_target_ops *ops, void *ctx,
                      uint32_t thread)
{
    memset(s, 0, sizeof *s);
    s->ops = ops;
    s->ctx = ctx;
    s->pid = s->thread = s->selected = thread;
}

void gdb_session_stopped(struct gdb_session *s, uint32_t pid, uint32_t thread)
{
    s->pid = pid;
    s->thread = s->selected = thread;
}

void gdb_session_thread_text(const struct gdb_session *s, uint32_t thread, char *text,
                             size_t size)
{
    if (s->multiprocess)
        snprintf(text, size, "p%x.%x", s->pid, thread);
    else
        snprintf(text, size, "%x", thread);
}

void gdb_session_end_text(const struct gdb_session *s, char kind, int code, char *text,
                          size_t size)
{
    if (s->multiprocess)
        snprintf(text, size, "%c%02x;process:%x", kind, code & 0xff, s->pid);
    else
        snprintf(text, size, "%c%02x", kind, code & 0xff);
}

static bool thread_alive(struct gdb_session *s, uint64_t thread)
{
    uint32_t ids[GDB_THREADS_MAX];
    size_t n = s->ops->list_threads(s->ctx, ids, GDB_THREADS_MAX);
    for (size_t i = 0; i < n; i++) {
        if (ids[i] == thread)
            return true;
    }
    return false;
}

/* The reply being built; writes past GDB_REPLY_MAX are dropped (and never
 * happen: every producer below bounds its own size). */
struct reply {
    uint8_t *buf;
    size_t len;
};

static void put(struct reply *r, const char *text)
{
    size_t n = strlen(text);
    if (n > GDB_REPLY_MAX - r->len)
        n = GDB_REPLY_MAX - r->len;
    memcpy(r->buf + r->len, text, n);
    r->len += n;
}

static void put_hex(struct reply *r, const uint8_t *bytes, size_t n)
{
    if (2 * n > GDB_REPLY_MAX - r->len)
        n = (GDB_REPLY_MAX - r->len) / 2;
    r->len += rsp_hex_encode(bytes, n, (char *)r->buf + r->len);
}

static void put_error(struct reply *r, int code)
{
    char text[8];
    snprintf(text, sizeof text, "E%02x", code & 0xff);
    put(r, text);
}

/* A packet's cursor: the bytes after the command letter(s). */
struct cursor {
    const uint8_t *p;
    const uint8_t *end;
};

static bool take(struct cursor *c, char ch)
{
    if (c->p < c->end && *c->p == (uint8_t)ch) {
        c->p++;
        return true;
    }
    return false;
}

static bool number(struct cursor *c, uint64_t *v)
{
    return rsp_hex_parse_u64(&c->p, c->end, v);
}

static bool starts_with(const uint8_t *packet, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);
    return len >= n && memcmp(packet, prefix, n) == 0;
}

static bool contains(const uint8_t *packet, size_t len, const char *text)
{
    size_t n = strlen(text);
    for (size_t i = 0; i + n <= len; i++) {
        if (memcmp(packet + i, text, n) == 0)
            return true;
    }
    return false;
}

/* One part of a thread id: hex, or -1 ("all"). -2 when malformed. */
static int64_t id_part(struct cursor *c)
{
    uint64_t v = 0;
    if (take(c, '-'))
        return take(c, '1') ? -1 : -2;
    if (!number(c, &v) || v > 0x7fffffff)
        return -2;
    return (int64_t)v;
}

/* A thread id: "TID", or "pPID[.TID]" under multiprocess; 0 and -1 mean
 * any / all. The thread (0 for any or all, or a process named without a
 * thread), or -1 when malformed. The process part is not checked: there
 * is one. */
static int64_t parse_thread(struct cursor *c)
{
    if (take(c, 'p')) {
        if (id_part(c) == -2)
            return -1;
        if (!take(c, '.'))
            return 0;
    }
    int64_t tid = id_part(c);
    return tid == -2 ? -1 : tid < 0 ? 0 : tid;
}

/* Largest memory transfer per packet: a reply of hex must fit. */
#define MEMORY_CHUNK_MAX (GDB_REPLY_MAX / 2)

static void read_registers(struct gdb_session *s, struct reply *r)
{
    struct x86_registers regs;
    uint8_t image[X86_REGISTERS_BYTES];
    if (s->ops->get_registers(s->ctx, s->selected, &regs) != 0) {
        put_error(r, 1);
        return;
    }
    x86_registers_pack(&regs, image);
    put_hex(r, image, sizeof image);
}

static void write_registers(struct gdb_session *s, struct cursor *c, struct reply *r)
{
    struct x86_registers regs;
    uint8_t image[X86_REGISTERS_BYTES];
    size_t n = 0;
    /* gdb may send fewer registers than it knows (a shorter g reply); only the
     * complete set is accepted, so no register is left half-written. */
    if (!rsp_hex_decode(c->p, (size_t)(c->end - c->p), image, sizeof image, &n) ||
        n != sizeof image) {
        put_error(r, 1);
        return;
    }
    x86_registers_unpack(&regs, image);
    put(r, s->ops->set_registers(s->ctx, s->selected, &regs) == 0 ? "OK" : "E01");
}

static void read_register(struct gdb_session *s, struct cursor *c, struct reply *r)
{
    uint64_t regno;
    struct x86_registers regs;
    uint8_t bytes[16];
    if (!number(c, &regno) || c->p != c->end || regno >= X86_REGISTER_COUNT) {
        put_error(r, 1);
        return;
    }
    if (s->ops->get_registers(s->ctx, s->selected, &regs) != 0) {
        put_error(r, 1);
        return;
    }
    x86_register_get(&regs, (unsigned)regno, bytes);
    put_hex(r, bytes, x86_register_size((unsigned)regno));
}

static void write_register(struct gdb_session *s, struct cursor *c, struct reply *r)
{
    uint64_t regno;
    struct x86_registers regs;
    uint8_t bytes[16];
    size_t n = 0;
    if (!number(c, &regno) || !take(c, '=') || regno >= X86_REGISTER_COUNT ||
        !rsp_hex_decode(c->p, (size_t)(c->end - c->p), bytes, sizeof bytes, &n) ||
        n != x86_register_size((unsigned)regno)) {
        put_error(r, 1);
        return;
    }
    if (s->ops->get_registers(s->ctx, s->selected, &regs) != 0) {
        put_error(r, 1);
        return;
    }
    x86_register_set(&regs, (unsigned)regno, bytes);
    put(r, s->ops->set_registers(s->ctx, s->selected, &regs) == 0 ? "OK" : "E01");
}

/* "ADDR,LEN" with LEN at most `max`. */
static bool address_and_length(struct cursor *c, uint64_t *addr, uint64_t *len, uint64_t max)
{
    return number(c, addr) && take(c, ',') && number(c, len) && *len <= max;
}

static void read_memory(struct gdb_session *s, struct cursor *c, struct reply *r)
{
    uint64_t addr, len;
    uint8_t buf[MEMORY_CHUNK_MAX];
    if (!address_and_length(c, &addr, &len, MEMORY_CHUNK_MAX) || c->p != c->end) {
        put_error(r, 1);
        return;
    }
    if (len == 0)
        return; /* an empty reply would read as "unsupported"; gdb never asks for 0 */
    size_t n = s->ops->read_memory(s->ctx, addr, buf, (size_t)len);
    if (n == 0)
        put_error(r, 14); /* EFAULT, as gdbserver says */
    else
        put_hex(r, buf, n);
}

/* M (hex data) and X (binary data) differ only in how the bytes are written. */
static void write_memory(struct gdb_session *s, struct cursor *c, struct reply *r, bool binary)
{
    uint64_t addr, len;
    uint8_t buf[RSP_PACKET_MAX];
    size_t n = 0;
    if (!address_and_length(c, &addr, &len, sizeof buf) || !take(c, ':')) {
        put_error(r, 1);
        return;
    }
    size_t data_len = (size_t)(c->end - c->p);
    if (binary) {
        if (data_len != len) {
            put_error(r, 1);
            return;
        }
        memcpy(buf, c->p, data_len);
        n = data_len;
    } else if (!rsp_hex_decode(c->p, data_len, buf, sizeof buf, &n) || n != len) {
        put_error(r, 1);
        return;
    }
    if (n == 0) {
        put(r, "OK"); /* gdb probes X support with an empty write */
        return;
    }
    put(r, s->ops->write_memory(s->ctx, addr, buf, n) == n ? "OK" : "E0e");
}

static void change_point(struct gdb_session *s, struct cursor *c, struct reply *r, bool insert)
{
    uint64_t type, addr, kind;
    if (!number(c, &type) || type > GDB_POINT_ACCESS || !take(c, ',') || !number(c, &addr) ||
        !take(c, ',') || !number(c, &kind) || kind == 0 || kind > 64) {
        put_error(r, 1);
        return;
    }
    /* Anything after the kind (";X..." conditions, commands) is not
     * supported: the point is set unconditionally, as gdb also evaluates
     * conditions itself when the stub does not offer to. */
    int rc = insert ? s->ops->insert_point(s->ctx, (enum gdb_point_type)type, addr, kind)
                    : s->ops->remove_point(s->ctx, (enum gdb_point_type)type, addr, kind);
    if (rc == 1)
        return; /* empty: this type is not supported */
    put(r, rc == 0 ? "OK" : "E01");
}

/* "c [ADDR]", "s [ADDR]", "C SIG[;ADDR]", "S SIG[;ADDR]": the signal is not
 * delivered (the stub cannot inject a guest signal); an address sets rip. */
static enum gdb_action resume(struct gdb_session *s, struct cursor *c, struct reply *r,
                              bool with_signal, enum gdb_action action)
{
    uint64_t addr, signo;
    if (with_signal && (!number(c, &signo) || signo > 0xff)) {
        put_error(r, 1);
        return GDB_ACTION_REPLY;
    }
    if (with_signal && c->p != c->end && !take(c, ';')) {
        put_error(r, 1);
        return GDB_ACTION_REPLY;
    }
    if (c->p == c->end)
        return action;
    struct x86_registers regs;
    if (!number(c, &addr) || c->p != c->end ||
        s->ops->get_registers(s->ctx, s->thread, &regs) != 0) {
        put_error(r, 1);
        return GDB_ACTION_REPLY;
    }
    regs.rip = addr;
    if (s->ops->set_registers(s->ctx, s->thread, &regs) != 0) {
        put_error(r, 1);
        return GDB_ACTION_REPLY;
    }
    return action;
}

/* "vCont;ACTION[:TID](;ACTION[:TID])*": the action for our thread is the
 * first one naming it or naming no thread. */
static enum gdb_action vcont(struct gdb_session *s, struct cursor *c, struct reply *r)
{
    while (take(c, ';')) {
        if (c->p >= c->end) {
            break;
        }
        uint8_t verb = *c->p++;
        if (verb == 'C' || verb == 'S') {
            uint64_t signo;
            if (!number(c, &signo)) {
                break;
            }
        } else if (verb != 'c' && verb != 's') {
            break;
        }
        bool ours = true;
        if (take(c, ':')) {
            int64_t tid = parse_thread(c);
            if (tid < 0)
                break;
            ours = tid == 0 || tid == s->thread;
        }
        if (ours)
            return verb == 's' || verb == 'S' ? GDB_ACTION_STEP : GDB_ACTION_CONTINUE;
    }
    put_error(r, 1);
    return GDB_ACTION_REPLY;
}

/* qXfer:features:read:target.xml:OFFSET,LENGTH */
static void read_features(struct cursor *c, struct reply *r)
{
    uint64_t offset, length;
    const uint8_t *annex = c->p;
    static const char name[] = "target.xml:";
    if ((size_t)(c->end - annex) < sizeof name - 1 || memcmp(annex, name, sizeof name - 1) != 0) {
        put(r, "E00");
        return;
    }
    c->p += sizeof name - 1;
    if (!number(c, &offset) || !take(c, ',') || !number(c, &length) || c->p != c->end) {
        put_error(r, 1);
        return;
    }
    size_t total = x86_target_xml_len();
    if (offset >= total) {
        put(r, "l");
        return;
    }
    /* Escaping can double a byte when framed: half the packet is safe. */
    uint64_t n = total - offset;
    if (n > length)
        n = length;
    if (n > GDB_REPLY_MAX / 2 - 1)
        n = GDB_REPLY_MAX / 2 - 1;
    put(r, offset + n < total ? "m" : "l");
    memcpy(r->buf + r->len, x86_target_xml + offset, (size_t)n);
    r->len += (size_t)n;
}

static void query(struct gdb_session *s, const uint8_t *packet, size_t len, struct reply *r)
{
    char text[48];
    if (starts_with(packet, len, "qSupported")) {
        put(r, SUPPORTED_FEATURES);
        /* Offered by gdb: then gdb names the process ("process 2"). */
        s->multiprocess = contains(packet, len, "multiprocess+");
        if (s->multiprocess)
            put(r, MULTIPROCESS);
    } else if (len == 9 && starts_with(packet, len, "qAttached")) {
        put(r, "1");
    } else if (starts_with(packet, len, "qAttached:")) {
        put(r, "1");
    } else if (len == 2 && packet[1] == 'C') {
        put(r, "QC");
        gdb_session_thread_text(s, s->thread, text, sizeof text);
        put(r, text);
    } else if (starts_with(packet, len, "qfThreadInfo")) {
        uint32_t ids[GDB_THREADS_MAX];
        size_t n = s->ops->list_threads(s->ctx, ids, GDB_THREADS_MAX);
        if (n == 0) {
            ids[0] = s->thread;
            n = 1;
        }
        for (size_t i = 0; i < n; i++) {
            put(r, i == 0 ? "m" : ",");
            gdb_session_thread_text(s, ids[i], text, sizeof text);
            put(r, text);
        }
    } else if (starts_with(packet, len, "qsThreadInfo")) {
        put(r, "l");
    } else if (starts_with(packet, len, "qXfer:features:read:")) {
        struct cursor c = {packet + 20, packet + len};
        read_features(&c, r);
    } else if (starts_with(packet, len, "qSymbol")) {
        put(r, "OK");
    }
    /* Anything else (qOffsets, qTStatus, qThreadExtraInfo...): empty, which
     * gdb reads as "not supported" and works without. */
}

/* A whole packet's thread id (parse_thread, nothing after it). */
static int64_t thread_id(struct cursor *c)
{
    int64_t tid = parse_thread(c);
    return c->p == c->end ? tid : -1;
}

/* Hg (registers of which thread), Hc (resume: always the whole process). */
static void select_thread(struct gdb_session *s, struct cursor *c, struct reply *r, bool for_registers)
{
    int64_t tid = thread_id(c);
    if (tid < 0 || (tid > 0 && tid != s->thread && !thread_alive(s, (uint64_t)tid))) {
        put_error(r, 1);
        return;
    }
    if (for_registers)
        s->selected = tid == 0 ? s->thread : (uint32_t)tid;
    put(r, "OK");
}

static void thread_is_alive(struct gdb_session *s, struct cursor *c, struct reply *r)
{
    int64_t tid = thread_id(c);
    put(r, tid > 0 && (tid == s->thread || thread_alive(s, (uint64_t)tid)) ? "OK" : "E01");
}

enum gdb_action gdb_session_handle(struct gdb_session *s, const uint8_t *packet, size_t len,
                                   uint8_t *reply, size_t *reply_len)
{
    struct reply r = {reply, 0};
    enum gdb_action action = GDB_ACTION_REPLY;
    *reply_len = 0;
    if (len == 0)
        return action;
    struct cursor c = {packet + 1, packet + len};
    switch (packet[0]) {
    case '?':
        put(&r, s->stop_reply[0] ? s->stop_reply : "S05");
        break;
    case 'g':
        read_registers(s, &r);
        break;
    case 'G':
        write_registers(s, &c, &r);
        break;
    case 'p':
        read_register(s, &c, &r);
        break;
    case 'P':
        write_register(s, &c, &r);
        break;
    case 'm':
        read_memory(s, &c, &r);
        break;
    case 'M':
        write_memory(s, &c, &r, false);
        break;
    case 'X':
        write_memory(s, &c, &r, true);
        break;
    case 'Z':
    case 'z':
        change_point(s, &c, &r, packet[0] == 'Z');
        break;
    case 'c':
        action = resume(s, &c, &r, false, GDB_ACTION_CONTINUE);
        break;
    case 'C':
        action = resume(s, &c, &r, true, GDB_ACTION_CONTINUE);
        break;
    case 's':
        action = resume(s, &c, &r, false, GDB_ACTION_STEP);
        break;
    case 'S':
        action = resume(s, &c, &r, true, GDB_ACTION_STEP);
        break;
    case 'H':
        if (c.p < c.end && (*c.p == 'g' || *c.p == 'c')) {
            bool for_registers = *c.p++ == 'g';
            select_thread(s, &c, &r, for_registers);
        } else {
            put_error(&r, 1);
        }
        break;
    case 'T':
        thread_is_alive(s, &c, &r);
        break;
    case 'D':
        put(&r, "OK");
        action = GDB_ACTION_DETACH;
        break;
    case 'k':
        action = GDB_ACTION_KILL;
        break;
    case 'q':
        query(s, packet, len, &r);
        break;
    case 'Q':
        if (len == 15 && starts_with(packet, len, "QStartNoAckMode")) {
            s->no_ack = true;
            put(&r, "OK");
        }
        break;
    case 'v':
        if (len == 6 && starts_with(packet, len, "vCont?")) {
            put(&r, "vCont;c;C;s;S");
        } else if (starts_with(packet, len, "vCont;")) {
            c.p = packet + 5;
            action = vcont(s, &c, &r);
        } else if (starts_with(packet, len, "vKill")) {
            put(&r, "OK");
            action = GDB_ACTION_KILL;
        }
        /* vMustReplyEmpty, vFile, vRun...: empty reply */
        break;
    default:
        break; /* unknown: empty reply */
    }
    *reply_len = r.len;
    return action;
}
