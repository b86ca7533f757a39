#include "core/gdb/x86_registers.h"

#include <stddef.h>
#include <string.h>

/* Where each register lives in struct x86_registers, and its size. */
struct register_slot {
    uint16_t offset;
    uint8_t size;
};

#define SLOT(field, index, sz) {(uint16_t)(offsetof(struct x86_registers, field) + (index) * (sz)), sz}

static const struct register_slot slots[X86_REGISTER_COUNT] = {
    SLOT(gpr, 0, 8),  SLOT(gpr, 1, 8),  SLOT(gpr, 2, 8),  SLOT(gpr, 3, 8),
    SLOT(gpr, 4, 8),  SLOT(gpr, 5, 8),  SLOT(gpr, 6, 8),  SLOT(gpr, 7, 8),
    SLOT(gpr, 8, 8),  SLOT(gpr, 9, 8),  SLOT(gpr, 10, 8), SLOT(gpr, 11, 8),
    SLOT(gpr, 12, 8), SLOT(gpr, 13, 8), SLOT(gpr, 14, 8), SLOT(gpr, 15, 8),
    SLOT(rip, 0, 8),  SLOT(eflags, 0, 4),
    SLOT(segment, 0, 4), SLOT(segment, 1, 4), SLOT(segment, 2, 4),
    SLOT(segment, 3, 4), SLOT(segment, 4, 4), SLOT(segment, 5, 4),
    SLOT(st, 0, 10), SLOT(st, 1, 10), SLOT(st, 2, 10), SLOT(st, 3, 10),
    SLOT(st, 4, 10), SLOT(st, 5, 10), SLOT(st, 6, 10), SLOT(st, 7, 10),
    SLOT(x87, 0, 4), SLOT(x87, 1, 4), SLOT(x87, 2, 4), SLOT(x87, 3, 4),
    SLOT(x87, 4, 4), SLOT(x87, 5, 4), SLOT(x87, 6, 4), SLOT(x87, 7, 4),
    SLOT(xmm, 0, 16),  SLOT(xmm, 1, 16),  SLOT(xmm, 2, 16),  SLOT(xmm, 3, 16),
    SLOT(xmm, 4, 16),  SLOT(xmm, 5, 16),  SLOT(xmm, 6, 16),  SLOT(xmm, 7, 16),
    SLOT(xmm, 8, 16),  SLOT(xmm, 9, 16),  SLOT(xmm, 10, 16), SLOT(xmm, 11, 16),
    SLOT(xmm, 12, 16), SLOT(xmm, 13, 16), SLOT(xmm, 14, 16), SLOT(xmm, 15, 16),
    SLOT(mxcsr, 0, 4), SLOT(orig_rax, 0, 8), SLOT(fs_base, 0, 8), SLOT(gs_base, 0, 8),
};

_Static_assert(sizeof slots / sizeof slots[0] == X86_REGISTER_COUNT, "one slot per register");

size_t x86_register_size(unsigned regno)
{
    return regno < X86_REGISTER_COUNT ? slots[regno].size : 0;
}

bool x86_register_get(const struct x86_registers *regs, unsigned regno, uint8_t *bytes)
{
    if (regno >= X86_REGISTER_COUNT)
        return false;
    memcpy(bytes, (const uint8_t *)regs + slots[regno].offset, slots[regno].size);
    return true;
}

bool x86_register_set(struct x86_registers *regs, unsigned regno, const uint8_t *bytes)
{
    if (regno >= X86_REGISTER_COUNT)
        return false;
    memcpy((uint8_t *)regs + slots[regno].offset, bytes, slots[regno].size);
    return true;
}

void x86_registers_pack(const struct x86_registers *regs, uint8_t *image)
{
    for (unsigned i = 0; i < X86_REGISTER_COUNT; i++) {
        x86_register_get(regs, i, image);
        image += slots[i].size;
    }
}

void x86_registers_unpack(struct x86_registers *regs, const uint8_t *image)
{
    for (unsigned i = 0; i < X86_REGISTER_COUNT; i++) {
        x86_register_set(regs, i, image);
        image += slots[i].size;
    }
}

/* gdb's features/i386/64bit-{core,sse,linux,segments}.xml, abridged: gdb
 * checks registers by name and order; the eflags/mxcsr flag fields are only
 * for display and are left out (plain integers). */
const char x86_target_xml[] =
    "<?xml version=\"1.0\"?>"
    "<!DOCTYPE target SYSTEM \"gdb-target.dtd\">"
    "<target version=\"1.0\">"
    "<architecture>i386:x86-64</architecture>"
    "<osabi>GNU/Linux</osabi>"
    "<feature name=\"org.gnu.gdb.i386.core\">"
    "<reg name=\"rax\" bitsize=\"64\" type=\"int64\" regnum=\"0\"/>"
    "<reg name=\"rbx\" bitsize=\"64\" type=\"int64\"/>"
    "<reg name=\"rcx\" bitsize=\"64\" type=\"int64\"/>"
    "<reg name=\"rdx\" bitsize=\"64\" type=\"int64\"/>"
    "<reg name=\"rsi\" bitsize=\"64\" type=\"int64\"/>"
    "<reg name=\"rdi\" bitsize=\"64\" type=\"int64\"/>"
    "<reg name=\"rbp\" bitsize=\"64\" type=\"data_ptr\"/>"
    "<reg name=\"rsp\" bitsize=\"64\" type=\"data_ptr\"/>"
    "<reg name=\"r8\" bitsize=\"64\" type=\"int64\"/>"
    "<reg name=\"r9\" bitsize=\"64\" type=\"int64\"/>"
    "<reg name=\"r10\" bitsize=\"64\" type=\"int64\"/>"
    "<reg name=\"r11\" bitsize=\"64\" type=\"int64\"/>"
    "<reg name=\"r12\" bitsize=\"64\" type=\"int64\"/>"
    "<reg name=\"r13\" bitsize=\"64\" type=\"int64\"/>"
    "<reg name=\"r14\" bitsize=\"64\" type=\"int64\"/>"
    "<reg name=\"r15\" bitsize=\"64\" type=\"int64\"/>"
    "<reg name=\"rip\" bitsize=\"64\" type=\"code_ptr\"/>"
    "<reg name=\"eflags\" bitsize=\"32\" type=\"int32\"/>"
    "<reg name=\"cs\" bitsize=\"32\" type=\"int32\"/>"
    "<reg name=\"ss\" bitsize=\"32\" type=\"int32\"/>"
    "<reg name=\"ds\" bitsize=\"32\" type=\"int32\"/>"
    "<reg name=\"es\" bitsize=\"32\" type=\"int32\"/>"
    "<reg name=\"fs\" bitsize=\"32\" type=\"int32\"/>"
    "<reg name=\"gs\" bitsize=\"32\" type=\"int32\"/>"
    "<reg name=\"st0\" bitsize=\"80\" type=\"i387_ext\"/>"
    "<reg name=\"st1\" bitsize=\"80\" type=\"i387_ext\"/>"
    "<reg name=\"st2\" bitsize=\"80\" type=\"i387_ext\"/>"
    "<reg name=\"st3\" bitsize=\"80\" type=\"i387_ext\"/>"
    "<reg name=\"st4\" bitsize=\"80\" type=\"i387_ext\"/>"
    "<reg name=\"st5\" bitsize=\"80\" type=\"i387_ext\"/>"
    "<reg name=\"st6\" bitsize=\"80\" type=\"i387_ext\"/>"
    "<reg name=\"st7\" bitsize=\"80\" type=\"i387_ext\"/>"
    "<reg name=\"fctrl\" bitsize=\"32\" type=\"int\" group=\"float\"/>"
    "<reg name=\"fstat\" bitsize=\"32\" type=\"int\" group=\"float\"/>"
    "<reg name=\"ftag\" bitsize=\"32\" type=\"int\" group=\"float\"/>"
    "<reg name=\"fiseg\" bitsize=\"32\" type=\"int\" group=\"float\"/>"
    "<reg name=\"fioff\" bitsize=\"32\" type=\"int\" group=\"float\"/>"
    "<reg name=\"foseg\" bitsize=\"32\" type=\"int\" group=\"float\"/>"
    "<reg name=\"fooff\" bitsize=\"32\" type=\"int\" group=\"float\"/>"
    "<reg name=\"fop\" bitsize=\"32\" type=\"int\" group=\"float\"/>"
    "</feature>"
    "<feature name=\"org.gnu.gdb.i386.sse\">"
    "<vector id=\"v4f\" type=\"ieee_single\" count=\"4\"/>"
    "<vector id=\"v2d\" type=\"ieee_double\" count=\"2\"/>"
    "<vector id=\"v16i8\" type=\"int8\" count=\"16\"/>"
    "<vector id=\"v8i16\" type=\"int16\" count=\"8\"/>"
    "<vector id=\"v4i32\" type=\"int32\" count=\"4\"/>"
    "<vector id=\"v2i64\" type=\"int64\" count=\"2\"/>"
    "<union id=\"vec128\">"
    "<field name=\"v4_float\" type=\"v4f\"/>"
    "<field name=\"v2_double\" type=\"v2d\"/>"
    "<field name=\"v16_int8\" type=\"v16i8\"/>"
    "<field name=\"v8_int16\" type=\"v8i16\"/>"
    "<field name=\"v4_int32\" type=\"v4i32\"/>"
    "<field name=\"v2_int64\" type=\"v2i64\"/>"
    "<field name=\"uint128\" type=\"uint128\"/>"
    "</union>"
    "<reg name=\"xmm0\" bitsize=\"128\" type=\"vec128\" regnum=\"40\"/>"
    "<reg name=\"xmm1\" bitsize=\"128\" type=\"vec128\"/>"
    "<reg name=\"xmm2\" bitsize=\"128\" type=\"vec128\"/>"
    "<reg name=\"xmm3\" bitsize=\"128\" type=\"vec128\"/>"
    "<reg name=\"xmm4\" bitsize=\"128\" type=\"vec128\"/>"
    "<reg name=\"xmm5\" bitsize=\"128\" type=\"vec128\"/>"
    "<reg name=\"xmm6\" bitsize=\"128\" type=\"vec128\"/>"
    "<reg name=\"xmm7\" bitsize=\"128\" type=\"vec128\"/>"
    "<reg name=\"xmm8\" bitsize=\"128\" type=\"vec128\"/>"
    "<reg name=\"xmm9\" bitsize=\"128\" type=\"vec128\"/>"
    "<reg name=\"xmm10\" bitsize=\"128\" type=\"vec128\"/>"
    "<reg name=\"xmm11\" bitsize=\"128\" type=\"vec128\"/>"
    "<reg name=\"xmm12\" bitsize=\"128\" type=\"vec128\"/>"
    "<reg name=\"xmm13\" bitsize=\"128\" type=\"vec128\"/>"
    "<reg name=\"xmm14\" bitsize=\"128\" type=\"vec128\"/>"
    "<reg name=\"xmm15\" bitsize=\"128\" type=\"vec128\"/>"
    "<reg name=\"mxcsr\" bitsize=\"32\" type=\"int\" group=\"vector\"/>"
    "</feature>"
    "<feature name=\"org.gnu.gdb.i386.linux\">"
    "<reg name=\"orig_rax\" bitsize=\"64\" type=\"int\" regnum=\"57\"/>"
    "</feature>"
    "<feature name=\"org.gnu.gdb.i386.segments\">"
    "<reg name=\"fs_base\" bitsize=\"64\" type=\"int\"/>"
    "<reg name=\"gs_base\" bitsize=\"64\" type=\"int\"/>"
    "</feature>"
    "</target>";

size_t x86_target_xml_len(void)
{
    return sizeof x86_target_xml - 1;
}
