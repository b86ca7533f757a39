// elf_image_parse: which ELF files minivm accepts as x86-64 executables, and
// the reason it gives for the others.
#include <elf.h>
#include <string.h>

#include <string>
#include <vector>

#include "gtest/gtest.h"

extern "C" {
#include "core/elf_image.h"
}

namespace {

// A minimal static x86-64 executable: header, two program headers, 16 bytes of code.
class ElfBuilder {
 public:
  ElfBuilder() {
    Elf64_Ehdr eh;
    memset(&eh, 0, sizeof eh);
    memcpy(eh.e_ident, ELFMAG, SELFMAG);
    eh.e_ident[EI_CLASS] = ELFCLASS64;
    eh.e_ident[EI_DATA] = ELFDATA2LSB;
    eh.e_ident[EI_VERSION] = EV_CURRENT;
    eh.e_type = ET_EXEC;
    eh.e_machine = EM_X86_64;
    eh.e_version = EV_CURRENT;
    eh.e_entry = 0x401000;
    eh.e_phoff = sizeof(Elf64_Ehdr);
    eh.e_ehsize = sizeof(Elf64_Ehdr);
    eh.e_phentsize = sizeof(Elf64_Phdr);
    eh.e_phnum = 2;
    Elf64_Phdr ph[2];
    memset(ph, 0, sizeof ph);
    ph[0].p_type = PT_NOTE;
    ph[1].p_type = PT_LOAD;
    ph[1].p_flags = PF_R | PF_X;
    ph[1].p_offset = kCodeOffset;
    ph[1].p_vaddr = ph[1].p_paddr = 0x401000;
    ph[1].p_filesz = 16;
    ph[1].p_memsz = 0x1000;
    ph[1].p_align = 0x1000;
    bytes_.resize(kCodeOffset + 16, 0xf4);  // hlt
    memcpy(&bytes_[0], &eh, sizeof eh);
    memcpy(&bytes_[eh.e_phoff], ph, sizeof ph);
  }
  static constexpr size_t kCodeOffset = sizeof(Elf64_Ehdr) + 2 * sizeof(Elf64_Phdr);

  Elf64_Ehdr* ehdr() { return reinterpret_cast<Elf64_Ehdr*>(&bytes_[0]); }
  Elf64_Phdr* phdr(size_t i) {
    return reinterpret_cast<Elf64_Phdr*>(&bytes_[ehdr()->e_phoff + i * sizeof(Elf64_Phdr)]);
  }
  std::vector<uint8_t>& bytes() { return bytes_; }

 private:
  std::vector<uint8_t> bytes_;
};

struct Parsed {
  int rc;
  std::string why;
  elf_image image;
};

Parsed Parse(const std::vector<uint8_t>& bytes) {
  Parsed p;
  char why[128] = "(unchanged)";
  p.rc = elf_image_parse(&p.image, bytes.data(), bytes.size(), why, sizeof why);
  p.why = why;
  return p;
}

void ExpectRefused(const std::vector<uint8_t>& bytes, const std::string& reason) {
  Parsed p = Parse(bytes);
  EXPECT_EQ(p.rc, -1) << "accepted; expected: " << reason;
  EXPECT_PRED_FORMAT2(testing::IsSubstring, reason, p.why);
}

TEST(ElfImageTest, MinimalStaticExecutableIsAccepted) {
  ElfBuilder elf;
  Parsed p = Parse(elf.bytes());
  ASSERT_EQ(p.rc, 0) << p.why;
  EXPECT_EQ(p.image.data, elf.bytes().data());
  EXPECT_EQ(p.image.size, elf.bytes().size());
  EXPECT_EQ(p.image.ehdr->e_entry, 0x401000u);
  EXPECT_EQ(p.image.phdrs[1].p_type, (uint32_t)PT_LOAD);
  EXPECT_EQ(p.image.has_interp, 0);
}

TEST(ElfImageTest, StaticPieIsAccepted) {
  ElfBuilder elf;
  elf.ehdr()->e_type = ET_DYN;
  EXPECT_EQ(Parse(elf.bytes()).rc, 0);
}

// Appends `path` (as many bytes as given) and makes phdr 0 a PT_INTERP over it.
void AddInterp(ElfBuilder* elf, const std::string& path) {
  size_t at = elf->bytes().size();
  elf->bytes().insert(elf->bytes().end(), path.begin(), path.end());
  elf->phdr(0)->p_type = PT_INTERP;
  elf->phdr(0)->p_offset = at;
  elf->phdr(0)->p_filesz = path.size();
}

TEST(ElfImageTest, PtInterpNamesTheInterpreter) {
  ElfBuilder elf;
  AddInterp(&elf, std::string("/lib/ld-musl-x86_64.so.1") + '\0');
  Parsed p = Parse(elf.bytes());
  ASSERT_EQ(p.rc, 0) << p.why;
  EXPECT_EQ(p.image.has_interp, 1);
  EXPECT_STREQ(p.image.interp, "/lib/ld-musl-x86_64.so.1");
}

TEST(ElfImageTest, MalformedInterpreterPathsAreRefused) {
  for (const std::string& bad : {std::string("/lib/ld.so"),  // no NUL
                                 std::string("lib/ld.so") + '\0', std::string("/a\0b", 4) + '\0',
                                 std::string(1, '\0')}) {
    ElfBuilder elf;
    AddInterp(&elf, bad);
    Parsed p = Parse(elf.bytes());
    EXPECT_EQ(p.rc, -1) << bad;
    EXPECT_EQ(p.why, "an ELF executable with a malformed interpreter path");
  }
  ElfBuilder beyond;
  AddInterp(&beyond, std::string("/lib/ld.so") + '\0');
  beyond.phdr(0)->p_filesz += 100;
  EXPECT_EQ(Parse(beyond.bytes()).rc, -1) << "past the end of the file";
}

TEST(ElfImageTest, NotElf) {
  ExpectRefused({}, "not an ELF file");
  ExpectRefused({0x7f, 'E', 'L'}, "not an ELF file");
  std::vector<uint8_t> script(200, ' ');
  memcpy(script.data(), "#!/bin/sh\n", 10);
  ExpectRefused(script, "not an ELF file");
}

TEST(ElfImageTest, Truncated) {
  ElfBuilder elf;
  std::vector<uint8_t> header_only(elf.bytes().begin(), elf.bytes().begin() + 40);
  ExpectRefused(header_only, "truncated ELF header");
  std::vector<uint8_t> no_phdrs(elf.bytes().begin(), elf.bytes().begin() + sizeof(Elf64_Ehdr));
  ExpectRefused(no_phdrs, "program headers lie outside the file");
}

TEST(ElfImageTest, WrongClassByteOrderMachineOrType) {
  {
    ElfBuilder elf;
    elf.ehdr()->e_ident[EI_CLASS] = ELFCLASS32;
    ExpectRefused(elf.bytes(), "32-bit");
  }
  {
    ElfBuilder elf;
    elf.ehdr()->e_ident[EI_DATA] = ELFDATA2MSB;
    ExpectRefused(elf.bytes(), "big-endian");
  }
  {
    ElfBuilder elf;
    elf.ehdr()->e_machine = EM_AARCH64;
    ExpectRefused(elf.bytes(), "machine 183");
  }
  {
    ElfBuilder elf;
    elf.ehdr()->e_type = ET_REL;
    ExpectRefused(elf.bytes(), "not an executable");
  }
  {
    ElfBuilder elf;
    elf.ehdr()->e_type = ET_CORE;
    ExpectRefused(elf.bytes(), "not an executable");
  }
}

TEST(ElfImageTest, BadProgramHeaderTable) {
  {
    ElfBuilder elf;
    elf.ehdr()->e_phentsize = 32;
    ExpectRefused(elf.bytes(), "bad program headers");
  }
  {
    ElfBuilder elf;
    elf.ehdr()->e_phnum = 0;
    ExpectRefused(elf.bytes(), "bad program headers");
  }
  {
    ElfBuilder elf;
    elf.ehdr()->e_phnum = 3;  // the third would overlap the end of the file
    elf.bytes().resize(sizeof(Elf64_Ehdr) + 2 * sizeof(Elf64_Phdr) + 8);
    ExpectRefused(elf.bytes(), "program headers lie outside the file");
  }
  for (uint64_t phoff : {UINT64_MAX, UINT64_MAX - 55, (uint64_t)1 << 40}) {
    ElfBuilder elf;
    elf.ehdr()->e_phoff = phoff;
    ExpectRefused(elf.bytes(), "program headers lie outside the file");
  }
}

TEST(ElfImageTest, SegmentBeyondEndOfFile) {
  const uint64_t size = ElfBuilder().bytes().size();
  struct {
    uint64_t offset, filesz;
  } cases[] = {{0, size + 1}, {size, 1}, {size + 1, 0}, {UINT64_MAX, 2}, {16, UINT64_MAX}};
  for (const auto& c : cases) {
    ElfBuilder elf;
    elf.phdr(1)->p_offset = c.offset;
    elf.phdr(1)->p_filesz = c.filesz;
    elf.phdr(1)->p_memsz = UINT64_MAX;
    SCOPED_TRACE(std::to_string(c.offset) + "+" + std::to_string(c.filesz));
    ExpectRefused(elf.bytes(), "segment beyond end of file");
  }
  ElfBuilder at_end;  // a segment that ends exactly at the end of the file is fine
  at_end.phdr(1)->p_offset = 0;
  at_end.phdr(1)->p_filesz = size;
  at_end.phdr(1)->p_memsz = size;
  EXPECT_EQ(Parse(at_end.bytes()).rc, 0);
}

TEST(ElfImageTest, FileSizeLargerThanMemorySize) {
  ElfBuilder elf;
  elf.phdr(1)->p_memsz = elf.phdr(1)->p_filesz - 1;
  ExpectRefused(elf.bytes(), "larger in the file than in memory");
}

TEST(ElfImageTest, NothingToLoad) {
  ElfBuilder elf;
  elf.phdr(1)->p_type = PT_NOTE;
  ExpectRefused(elf.bytes(), "nothing to load");
}

}  // namespace
