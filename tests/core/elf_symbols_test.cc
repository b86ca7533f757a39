// The ELF symbol lookup shared by the guest kernel's crash reports and panics
// (guest/kernel/lib/elf_symbols.c): which symbol holds an address, names
// read within bounds. The tables are untrusted (a program's own file), so
// truncated tables, huge or wrapping values and names without a NUL must
// give no name — never a read outside the bytes given. Then the real
// kernel.elf: its .symtab is there, the lookup names its functions, and
// core/kernel_symbols.c copies it into guest RAM.
#include <elf.h>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/support/data_args.h"

extern "C" {
#include "core/guest_memory.h"
#include "core/kernel_symbols.h"
#include "lib/elf_symbols.h"
#include "minivm/boot_info.h"
}

namespace {

Elf64_Sym Sym(uint32_t name, unsigned type, uint64_t value, uint64_t size, uint16_t shndx = 1) {
  Elf64_Sym s{};
  s.st_name = name;
  s.st_info = ELF64_ST_INFO(STB_GLOBAL, type);
  s.st_shndx = shndx;
  s.st_value = value;
  s.st_size = size;
  return s;
}

std::vector<uint8_t> Bytes(const std::vector<Elf64_Sym>& syms) {
  std::vector<uint8_t> b(syms.size() * sizeof(Elf64_Sym));
  if (!b.empty()) memcpy(b.data(), syms.data(), b.size());
  return b;
}

elf_symbol_match Lookup(const std::vector<uint8_t>& table, uint64_t addr) {
  elf_symbol_match m{};
  elf_symbols_scan(table.data(), table.size(), addr, &m);
  return m;
}

// "\0main\0helper\0data\0"
const char kStrtab[] = "\0main\0helper\0data";
constexpr uint32_t kMain = 1, kHelper = 6, kData = 13;

TEST(ElfSymbols, TheSymbolHoldingTheAddressWins) {
  auto table = Bytes({Sym(kMain, STT_FUNC, 0x1000, 0x40), Sym(kHelper, STT_FUNC, 0x1040, 0x20)});
  elf_symbol_match m = Lookup(table, 0x1044);
  ASSERT_TRUE(m.found);
  EXPECT_TRUE(m.inside);
  EXPECT_EQ(m.name, kHelper);
  EXPECT_EQ(m.value, 0x1040u);
  m = Lookup(table, 0x1000);
  EXPECT_EQ(m.name, kMain);
  EXPECT_TRUE(m.inside);
}

TEST(ElfSymbols, PastASymbolsEndIsOnlyTheNearestBefore) {
  auto table = Bytes({Sym(kMain, STT_FUNC, 0x1000, 0x10)});
  elf_symbol_match m = Lookup(table, 0x1800);
  ASSERT_TRUE(m.found);
  EXPECT_FALSE(m.inside);
  EXPECT_EQ(m.name, kMain);
  EXPECT_FALSE(Lookup(table, 0xfff).found) << "nothing starts at or below it";
}

TEST(ElfSymbols, ContainingBeatsANearerSizeZeroLabel) {
  auto table = Bytes({Sym(kHelper, STT_NOTYPE, 0x1020, 0), Sym(kMain, STT_FUNC, 0x1000, 0x100)});
  elf_symbol_match m = Lookup(table, 0x1030);
  EXPECT_EQ(m.name, kMain);
  EXPECT_TRUE(m.inside);
}

TEST(ElfSymbols, DataUndefinedAbsoluteAndSectionSymbolsAreNotCode) {
  auto table = Bytes({Sym(kData, STT_OBJECT, 0x2000, 0x100), Sym(kMain, STT_FUNC, 0x2000, 0x100, 0),
                      Sym(kMain, STT_FUNC, 0x2000, 0x100, SHN_ABS),
                      Sym(kHelper, STT_SECTION, 0x2000, 0x100)});
  EXPECT_FALSE(Lookup(table, 0x2010).found);
}

TEST(ElfSymbols, IfuncCountsAsCode) {
  auto table = Bytes({Sym(kMain, STT_GNU_IFUNC, 0x3000, 0x10)});
  EXPECT_TRUE(Lookup(table, 0x3008).found);
}

TEST(ElfSymbols, ATruncatedLastEntryIsIgnored) {
  auto table = Bytes({Sym(kMain, STT_FUNC, 0x1000, 0x40), Sym(kHelper, STT_FUNC, 0x1040, 0x40)});
  // Cut the second entry short: only whole entries count.
  std::vector<uint8_t> cut(table.begin(), table.end() - 1);
  elf_symbol_match m{};
  elf_symbols_scan(cut.data(), cut.size(), 0x1044, &m);
  EXPECT_EQ(m.name, kMain);
  EXPECT_FALSE(m.inside);
  m = {};
  elf_symbols_scan(cut.data(), sizeof(Elf64_Sym) - 1, 0x1044, &m);
  EXPECT_FALSE(m.found);
}

TEST(ElfSymbols, HugeSizesAndValuesDoNotWrap) {
  auto table = Bytes({Sym(kMain, STT_FUNC, 0xffffffffffffff00ull, ~0ull),
                      Sym(kHelper, STT_FUNC, 0x10, ~0ull)});
  elf_symbol_match m = Lookup(table, 0x20);
  ASSERT_TRUE(m.found);
  EXPECT_EQ(m.name, kHelper) << "a symbol above the address never holds it";
  EXPECT_TRUE(m.inside);
  m = Lookup(table, ~0ull);
  EXPECT_EQ(m.name, kMain);
}

TEST(ElfSymbols, PiecesScannedInTurnGiveTheWholeTablesAnswer) {
  std::vector<Elf64_Sym> syms;
  for (uint32_t i = 0; i < 100; i++) syms.push_back(Sym(kMain, STT_FUNC, 0x1000 + i * 0x10, 0x10));
  syms[57].st_name = kHelper;
  auto table = Bytes(syms);
  elf_symbol_match whole = Lookup(table, 0x1000 + 57 * 0x10 + 3);
  elf_symbol_match pieces{};
  for (size_t at = 0; at < table.size(); at += 7 * sizeof(Elf64_Sym))
    elf_symbols_scan(table.data() + at, std::min(table.size() - at, 7 * sizeof(Elf64_Sym)),
                     0x1000 + 57 * 0x10 + 3, &pieces);
  EXPECT_EQ(whole.name, kHelper);
  EXPECT_EQ(pieces.name, kHelper);
  EXPECT_EQ(pieces.value, whole.value);
}

TEST(ElfSymbols, NamesAreReadWithinTheTable) {
  char out[32];
  EXPECT_TRUE(elf_symbol_name(kStrtab, sizeof kStrtab, kHelper, out, sizeof out));
  EXPECT_STREQ(out, "helper");
  // Offset out of the table, at its end, or on the leading NUL (empty name).
  EXPECT_FALSE(elf_symbol_name(kStrtab, sizeof kStrtab, sizeof kStrtab, out, sizeof out));
  EXPECT_STREQ(out, "");
  EXPECT_FALSE(elf_symbol_name(kStrtab, sizeof kStrtab, 0xffffffffu, out, sizeof out));
  EXPECT_FALSE(elf_symbol_name(kStrtab, sizeof kStrtab, 0, out, sizeof out));
}

TEST(ElfSymbols, ANameWithoutNulIsRefusedNotOverread) {
  const char strtab[] = {'\0', 'm', 'a', 'i', 'n'};  // no NUL after "main"
  char out[32];
  EXPECT_FALSE(elf_symbol_name(strtab, sizeof strtab, 1, out, sizeof out));
  EXPECT_STREQ(out, "");
}

TEST(ElfSymbols, LongNamesAreCutAndControlBytesMasked) {
  std::string strtab = std::string(1, '\0') + std::string(100, 'x') + '\0' + "a\x1b[2Jb" + '\0';
  char out[16];
  EXPECT_TRUE(elf_symbol_name(strtab.data(), strtab.size(), 1, out, sizeof out));
  EXPECT_EQ(std::string(out), std::string(15, 'x'));
  EXPECT_TRUE(elf_symbol_name(strtab.data(), strtab.size(), 102, out, sizeof out));
  EXPECT_STREQ(out, "a?[2Jb");
  // A name cut by the buffer, even with no NUL left in the table, is fine:
  // nothing past cap - 1 characters is needed.
  std::string open_end = std::string(1, '\0') + std::string(40, 'y');
  EXPECT_TRUE(elf_symbol_name(open_end.data(), open_end.size(), 1, out, sizeof out));
}

// The real kernel ELF: its symbol table, looked up as a panic does.
struct KernelElf {
  std::vector<uint8_t> bytes;
  const Elf64_Shdr* symtab = nullptr;
  const Elf64_Shdr* strtab = nullptr;
};

KernelElf LoadKernel() {
  KernelElf k;
  std::ifstream in(minivm_test::DataPath("kernel"), std::ios::binary);
  k.bytes.assign(std::istreambuf_iterator<char>(in), {});
  auto* eh = reinterpret_cast<const Elf64_Ehdr*>(k.bytes.data());
  auto* sh = reinterpret_cast<const Elf64_Shdr*>(k.bytes.data() + eh->e_shoff);
  for (int i = 0; i < eh->e_shnum; i++) {
    if (sh[i].sh_type == SHT_SYMTAB) {
      k.symtab = &sh[i];
      k.strtab = &sh[sh[i].sh_link];
    }
  }
  return k;
}

// The address of function `name` in the kernel, by a plain search of the table.
uint64_t FunctionAddress(const KernelElf& k, const std::string& name, uint64_t* size) {
  auto* syms = reinterpret_cast<const Elf64_Sym*>(k.bytes.data() + k.symtab->sh_offset);
  const char* strings = reinterpret_cast<const char*>(k.bytes.data() + k.strtab->sh_offset);
  for (size_t i = 0; i < k.symtab->sh_size / sizeof(Elf64_Sym); i++) {
    if (ELF64_ST_TYPE(syms[i].st_info) == STT_FUNC && name == strings + syms[i].st_name) {
      *size = syms[i].st_size;
      return syms[i].st_value;
    }
  }
  return 0;
}

TEST(KernelElfSymbols, TheKernelKeepsItsSymbolsAndTheLookupNamesThem) {
  KernelElf k = LoadKernel();
  ASSERT_NE(k.symtab, nullptr) << "kernel.elf lost its .symtab: panics would not be symbolized";
  ASSERT_GT(k.symtab->sh_size / sizeof(Elf64_Sym), 100u);
  const uint8_t* table = k.bytes.data() + k.symtab->sh_offset;
  const uint8_t* strings = k.bytes.data() + k.strtab->sh_offset;
  for (const char* function : {"panic", "trap_dispatch", "kmain", "elf_symbols_scan"}) {
    SCOPED_TRACE(function);
    uint64_t size = 0;
    uint64_t start = FunctionAddress(k, function, &size);
    ASSERT_NE(start, 0u);
    ASSERT_GT(size, 4u);
    elf_symbol_match m{};
    elf_symbols_scan(table, k.symtab->sh_size, start + size - 1, &m);
    ASSERT_TRUE(m.found);
    EXPECT_TRUE(m.inside);
    EXPECT_EQ(m.value, start);
    char name[64];
    ASSERT_TRUE(elf_symbol_name(strings, k.strtab->sh_size, m.name, name, sizeof name));
    EXPECT_STREQ(name, function);
  }
}

TEST(KernelElfSymbols, TheVmmCopiesTheTablesAfterTheKernel) {
  KernelElf k = LoadKernel();
  ASSERT_NE(k.symtab, nullptr);
  guest_memory mem{};
  ASSERT_EQ(guest_memory_init(&mem, 64ull << 20), 0);
  uint64_t end = 0x345678;  // where the kernel image ended
  kernel_symbols syms{};
  ASSERT_EQ(kernel_symbols_place(&mem, k.bytes.data(), k.bytes.size(), &end, &syms), 0);
  EXPECT_EQ(syms.symtab_gpa, 0x346000u) << "page-aligned, after the image";
  EXPECT_EQ(syms.symtab_size, k.symtab->sh_size);
  EXPECT_EQ(syms.strtab_size, k.strtab->sh_size);
  EXPECT_GE(syms.strtab_gpa, syms.symtab_gpa + syms.symtab_size);
  EXPECT_EQ(end, syms.strtab_gpa + syms.strtab_size) << "the free memory starts after them";
  EXPECT_EQ(memcmp(guest_memory_ptr(&mem, syms.symtab_gpa, syms.symtab_size),
                   k.bytes.data() + k.symtab->sh_offset, syms.symtab_size),
            0);
  EXPECT_EQ(memcmp(guest_memory_ptr(&mem, syms.strtab_gpa, syms.strtab_size),
                   k.bytes.data() + k.strtab->sh_offset, syms.strtab_size),
            0);
  guest_memory_destroy(&mem);
}

TEST(KernelElfSymbols, BrokenSectionHeadersAreRefusedAndMissingTablesSkipped) {
  KernelElf k = LoadKernel();
  guest_memory mem{};
  ASSERT_EQ(guest_memory_init(&mem, 64ull << 20), 0);
  kernel_symbols syms{};
  uint64_t end = 0x200000;
  // Section headers beyond the file: an error.
  std::vector<uint8_t> broken = k.bytes;
  reinterpret_cast<Elf64_Ehdr*>(broken.data())->e_shoff = broken.size() - 10;
  EXPECT_EQ(kernel_symbols_place(&mem, broken.data(), broken.size(), &end, &syms), -1);
  // A .symtab reaching past the file, or a stripped kernel: no symbols, no error.
  std::vector<uint8_t> overlong = k.bytes;
  const Elf64_Ehdr* eh = reinterpret_cast<const Elf64_Ehdr*>(overlong.data());
  auto* sh = reinterpret_cast<Elf64_Shdr*>(overlong.data() + eh->e_shoff);
  for (int i = 0; i < eh->e_shnum; i++)
    if (sh[i].sh_type == SHT_SYMTAB) sh[i].sh_size = ~0ull - 7;
  EXPECT_EQ(kernel_symbols_place(&mem, overlong.data(), overlong.size(), &end, &syms), 0);
  EXPECT_EQ(syms.symtab_size, 0u);
  EXPECT_EQ(end, 0x200000u) << "nothing placed";
  for (int i = 0; i < eh->e_shnum; i++)
    if (sh[i].sh_type == SHT_SYMTAB) sh[i].sh_type = SHT_PROGBITS;
  EXPECT_EQ(kernel_symbols_place(&mem, overlong.data(), overlong.size(), &end, &syms), 0);
  EXPECT_EQ(syms.symtab_size, 0u);
  guest_memory_destroy(&mem);
}

}  // namespace
