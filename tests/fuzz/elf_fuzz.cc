// Fuzzes the core's ELF handling with arbitrary file contents:
//  - elf_image_parse: on success every PT_LOAD file range and the program
//    headers lie inside the data;
//  - kernel_load into a 16 MiB guest: on success the image ends inside low
//    RAM, the entry point is in the kernel's virtual window, and the
//    window's page tables can be built for its segments;
//  - program_open (the user program check) on the same bytes as a file: it
//    accepts exactly the parsable images without PT_INTERP (else 126).
#include <elf.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "tests/fuzz/fuzz_target.h"

extern "C" {
#include "core/elf_image.h"
#include "core/exit_status.h"
#include "core/guest_memory.h"
#include "core/kernel_loader.h"
#include "core/long_mode.h"
#include "core/program.h"
#include "minivm/boot_info.h"
}

namespace {

struct guest_memory guest;

void CheckParsed(const elf_image &elf, const uint8_t *data, size_t size) {
  const uint8_t *ph = reinterpret_cast<const uint8_t *>(elf.phdrs);
  FUZZ_CHECK(ph >= data && ph + elf.ehdr->e_phnum * sizeof(Elf64_Phdr) <= data + size,
             "program headers outside the image");
  for (unsigned i = 0; i < elf.ehdr->e_phnum; i++) {
    const Elf64_Phdr &p = elf.phdrs[i];
    if (p.p_type != PT_LOAD) continue;
    FUZZ_CHECK(p.p_offset <= size && p.p_filesz <= size - p.p_offset && p.p_filesz <= p.p_memsz,
               "accepted PT_LOAD %u with a bad file range", i);
  }
}

// program_open on `data` as a file; returns its status (0: runnable).
int ProgramStatus(const uint8_t *data, size_t size) {
  int fd = memfd_create("fuzz-program", MFD_CLOEXEC);
  FUZZ_CHECK(fd >= 0, "memfd_create failed");
  FUZZ_CHECK(write(fd, data, size) == static_cast<ssize_t>(size), "memfd write failed");
  char path[64];
  snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
  struct program program;
  int status = program_open(&program, path);
  program_close(&program);
  close(fd);
  return status;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  FUZZ_CHECK(guest_memory_init(&guest, GUEST_MEMORY_MIN) == 0, "no guest memory");
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char why[128] = "";
  elf_image elf;
  bool parsed = elf_image_parse(&elf, data, size, why, sizeof why) == 0;
  FUZZ_CHECK(parsed || why[0] != '\0', "refused without a reason");
  if (parsed) CheckParsed(elf, data, size);

  kernel_image image{};
  if (kernel_load(&guest, data, size, "fuzz", &image) == 0) {
    uint64_t entry = image.entry, end = image.phys_end, base = image.virt_base;
    FUZZ_CHECK(parsed, "kernel_load accepted what elf_image_parse refuses");
    FUZZ_CHECK(end >= MINIVM_KERNEL_PHYS_BASE && end <= guest.low_size, "kernel ends at 0x%llx",
               static_cast<unsigned long long>(end));
    FUZZ_CHECK(base == MINIVM_KERNEL_VIRT_BASE || base == MINIVM_PVM_KERNEL_VIRT_BASE,
               "kernel window 0x%llx", static_cast<unsigned long long>(base));
    FUZZ_CHECK(entry >= base + MINIVM_KERNEL_PHYS_BASE, "kernel entry 0x%llx",
               static_cast<unsigned long long>(entry));
    // Whatever segments were accepted, the window's page tables fit.
    FUZZ_CHECK(long_mode_build_page_tables(&guest, LONG_MODE_LAYOUT_UPPER, &image) == 0,
               "no page tables for %u accepted segments", image.segment_count);
  }

  int status = ProgramStatus(data, size);
  bool runnable = parsed && !elf.has_interp;
  FUZZ_CHECK(status == (runnable ? 0 : EXIT_STATUS_NOT_RUNNABLE),
             "program_open gave %d for a%s image", status, runnable ? " runnable" : "n unrunnable");
  return 0;
}
