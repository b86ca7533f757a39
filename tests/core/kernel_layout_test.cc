// The two guest kernel builds against their address-space contracts
// (core/include/minivm/boot_info.h, guest/kernel/linker.ld.S). No VM needed:
// these read the ELF files. What they guard: each build is linked in its own
// window, and the kvm_pvm build's entry area (what every user PGD maps, see
// guest/kernel/arch/user_entry.h) holds the exception path and nothing else
// of the kernel's, with IDT gates on the selector that build needs.
#include <elf.h>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "minivm/boot_info.h"
#include "tests/support/data_args.h"

namespace {

constexpr uint64_t kPage = 4096;

struct KernelImage {
    std::vector<uint8_t> bytes;
    const Elf64_Ehdr* header() const { return reinterpret_cast<const Elf64_Ehdr*>(bytes.data()); }
    std::vector<Elf64_Phdr> loads;
    std::map<std::string, uint64_t> symbols;
};

KernelImage Load(const std::string& name) {
    KernelImage k;
    std::ifstream in(minivm_test::DataPath(name), std::ios::binary);
    k.bytes.assign(std::istreambuf_iterator<char>(in), {});
    EXPECT_GE(k.bytes.size(), sizeof(Elf64_Ehdr)) << name;
    if (k.bytes.size() < sizeof(Elf64_Ehdr)) return k;
    const Elf64_Ehdr* eh = k.header();
    for (int i = 0; i < eh->e_phnum; i++) {
        Elf64_Phdr ph;
        std::memcpy(&ph, k.bytes.data() + eh->e_phoff + i * eh->e_phentsize, sizeof ph);
        if (ph.p_type == PT_LOAD) k.loads.push_back(ph);
    }
    // The symbol table names the linker script's bounds and the entry code.
    for (int i = 0; i < eh->e_shnum; i++) {
        Elf64_Shdr sh;
        std::memcpy(&sh, k.bytes.data() + eh->e_shoff + i * eh->e_shentsize, sizeof sh);
        if (sh.sh_type != SHT_SYMTAB) continue;
        Elf64_Shdr strtab;
        std::memcpy(&strtab, k.bytes.data() + eh->e_shoff + sh.sh_link * eh->e_shentsize,
                    sizeof strtab);
        for (uint64_t off = 0; off + sizeof(Elf64_Sym) <= sh.sh_size; off += sizeof(Elf64_Sym)) {
            Elf64_Sym sym;
            std::memcpy(&sym, k.bytes.data() + sh.sh_offset + off, sizeof sym);
            const char* sym_name =
                reinterpret_cast<const char*>(k.bytes.data() + strtab.sh_offset + sym.st_name);
            k.symbols[sym_name] = sym.st_value;
        }
    }
    return k;
}

uint64_t Symbol(const KernelImage& k, const std::string& name) {
    auto it = k.symbols.find(name);
    EXPECT_NE(it, k.symbols.end()) << "no symbol " << name;
    return it == k.symbols.end() ? 0 : it->second;
}

// The 16-byte IDT gate `vector` of the image, read from its file bytes.
struct Gate {
    uint64_t offset;
    uint16_t selector;
    int ist;  // 0: the current stack (or TSS.RSP0 on a privilege change)
};

Gate ReadGate(const KernelImage& k, uint64_t idt, int vector) {
    uint64_t va = idt + 16 * vector;
    for (const Elf64_Phdr& ph : k.loads) {
        if (va >= ph.p_vaddr && va + 16 <= ph.p_vaddr + ph.p_filesz) {
            uint8_t g[16];
            std::memcpy(g, k.bytes.data() + ph.p_offset + (va - ph.p_vaddr), 16);
            uint64_t offset = g[0] | (uint64_t)g[1] << 8 | (uint64_t)g[6] << 16 |
                              (uint64_t)g[7] << 24;
            uint64_t high;
            std::memcpy(&high, g + 8, 4);
            return {offset | (high & 0xffffffffu) << 32, (uint16_t)(g[2] | g[3] << 8), g[4] & 7};
        }
    }
    ADD_FAILURE() << "IDT gate " << vector << " is not in the file";
    return {0, 0, 0};
}

void ExpectLinkedInWindow(const KernelImage& k, uint64_t window) {
    ASSERT_FALSE(k.loads.empty());
    for (const Elf64_Phdr& ph : k.loads)
        EXPECT_EQ(ph.p_vaddr, window + ph.p_paddr) << std::hex << ph.p_vaddr;
    EXPECT_EQ(k.header()->e_entry - window, Symbol(k, "_start") - window);
    EXPECT_LT(k.header()->e_entry - window, 1ull << 30);
}

// Double fault, NMI and machine check have IST stacks of their own in both
// builds; `other_ist` is what every other gate must name.
void ExpectGatesPointAtStubs(const KernelImage& k, uint16_t selector, int other_ist) {
    uint64_t idt = Symbol(k, "idt_table");
    uint64_t stubs = Symbol(k, "isr_stubs");
    for (int v = 0; v < 256; v++) {
        Gate g = ReadGate(k, idt, v);
        EXPECT_EQ(g.offset, stubs + 16 * v) << "vector " << v;
        EXPECT_EQ(g.selector, selector) << "vector " << v;
        if (v == 2 || v == 8 || v == 18)
            EXPECT_NE(g.ist, 0) << "vector " << v;
        else
            EXPECT_EQ(g.ist, other_ist) << "vector " << v;
    }
}

bool Inside(uint64_t va, uint64_t start, uint64_t end) { return va >= start && va < end; }

TEST(KernelLayout, HigherHalfKernelIsLinkedInItsWindowWithKernelCodeGates) {
    KernelImage k = Load("kernel");
    ExpectLinkedInWindow(k, MINIVM_KERNEL_VIRT_BASE);
    ExpectGatesPointAtStubs(k, 0x10, 0);
}

TEST(KernelLayout, PvmKernelIsLinkedInTheLowerHalfWindowWithUserCodeGates) {
    KernelImage k = Load("kernel_pvm");
    ExpectLinkedInWindow(k, MINIVM_PVM_KERNEL_VIRT_BASE);
    // Native kernel code runs on the hardware's 0x33; gates naming 0x10 make
    // the host's delivery raise #SS (docs/pvm.md §6), and so does any IST
    // stack (§9).
    ExpectGatesPointAtStubs(k, 0x33, 0);
}

TEST(KernelLayout, PvmEntryAreaHoldsTheExceptionPathAndNoKernelData) {
    KernelImage k = Load("kernel_pvm");
    const char* parts[] = {"text", "rodata", "data", "stack"};
    std::map<std::string, std::pair<uint64_t, uint64_t>> area;
    for (const char* part : parts) {
        uint64_t start = Symbol(k, std::string("__entry_") + part + "_start");
        uint64_t end = Symbol(k, std::string("__entry_") + part + "_end");
        area[part] = {start, end};
        EXPECT_EQ(start % kPage, 0u) << part;
        EXPECT_EQ(end % kPage, 0u) << part;
        EXPECT_GT(end, start) << part;
        EXPECT_LE(end - start, 4 * kPage) << part << ": the entry area should stay small";
        // All in the kernel window's PML4 slot, which the user PGD points at
        // the entry area's own tables.
        EXPECT_EQ(start >> 39, MINIVM_PVM_KERNEL_VIRT_BASE >> 39) << part;
        EXPECT_EQ((end - 1) >> 39, MINIVM_PVM_KERNEL_VIRT_BASE >> 39) << part;
    }
    EXPECT_EQ(area["stack"].second - area["stack"].first, kPage);
    auto in = [&](const char* part, const char* sym) {
        return Inside(Symbol(k, sym), area[part].first, area[part].second);
    };
    EXPECT_TRUE(in("text", "isr_stubs"));
    EXPECT_TRUE(in("text", "isr_common"));
    EXPECT_TRUE(in("text", "pvm_user_return"));
    EXPECT_TRUE(in("rodata", "idt_table"));
    EXPECT_TRUE(in("data", "pvm_kernel_root"));
    EXPECT_TRUE(in("data", "pvm_return_cell"));
    // The kernel's own state stays out of what user code can read.
    for (const char* sym : {"percpu_cpu0", "boot_stack", "syscall_entry", "trap_dispatch"})
        for (const char* part : parts) EXPECT_FALSE(in(part, sym)) << sym << " in " << part;
}

}  // namespace
