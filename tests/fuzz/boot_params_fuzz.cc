// Fuzzes boot-info building (boot_params_write) with arbitrary argv/envp,
// program sizes, kernel end and device tables, over a 16 MiB guest or one
// with RAM above the MMIO hole. An input is
//
//   u8 memory (bit 0: the large guest), u32 kernel end, u32 program size,
//   u32 big (bit 0: argv[0] is a string of big>>1 bytes, up to 3 MiB),
//   u8 argc, u8 envc, u8 port devices, u8 MMIO devices,
//   per device: u32 start, u16 size, short string kind,
//   short string: the working directory (refused unless absolute),
//   rest: the argv then envp strings, NUL-separated ("" when they run out).
//
// On success the layout must hold: boot info, free range, program and
// strings (then the working directory) in that order inside low RAM, with
// the exact bytes; when everything fits it must succeed.
#include <sys/mman.h>

#include <cstring>
#include <string>
#include <vector>

#include "tests/fuzz/fuzz_input.h"
#include "tests/fuzz/fuzz_target.h"

extern "C" {
#include "core/boot_params.h"
#include "core/guest_memory.h"
#include "core/range_table.h"
#include "minivm/boot_info.h"
}

namespace {

constexpr uint64_t kMaxProgram = 24ull << 20;
constexpr uint64_t kMaxBigString = 3ull << 20;
constexpr uint64_t kArgsMax = 2ull << 20;  // boot_params.c's ARGS_MAX_BYTES
constexpr uint64_t kPage = MINIVM_PAGE_SIZE;

guest_memory small_guest, large_guest;
uint8_t *program_buffer;  // kMaxProgram bytes; the input's head is copied in
std::string *big_string;

uint64_t AlignUp(uint64_t v) { return (v + kPage - 1) & ~(kPage - 1); }

void AddDevices(FuzzInput &in, range_table *table, size_t count, bool ports) {
  for (size_t i = 0; i < count; i++) {
    range_entry e;
    memset(&e, 0, sizeof e);
    e.start = ports ? in.U32() & 0xffff : MINIVM_MMIO_HOLE_START + uint64_t{in.U32()};
    e.size = uint64_t{in.U16()} + 1;
    std::string kind = in.ShortString();
    strncpy(e.kind, kind.c_str(), sizeof e.kind - 1);
    e.owner = "fuzz";
    range_table_register(table, &e);  // refusals (overlap, empty kind) are fine
  }
}

void CheckLayout(const boot_params &p, const std::vector<char *> &argv,
                 const std::vector<char *> &envp, uint64_t strings_bytes,
                 const std::string &cwd) {
  const guest_memory *mem = p.memory;
  const auto *info = static_cast<const minivm_boot_info *>(
      guest_memory_ptr(mem, MINIVM_BOOT_INFO_GPA, sizeof(minivm_boot_info)));
  FUZZ_CHECK(info->magic == MINIVM_BOOT_INFO_MAGIC && info->argc == argv.size() &&
                 info->envc == envp.size(),
             "boot info header");
  FUZZ_CHECK(info->device_count == p.ports->count + p.mmio->count, "device count");
  uint64_t free_start = AlignUp(p.kernel_phys_end);
  FUZZ_CHECK(info->free[0].start == free_start &&
                 info->free[0].start + info->free[0].size == info->program_gpa,
             "free range [0x%llx +0x%llx) does not end at the program 0x%llx",
             static_cast<unsigned long long>(info->free[0].start),
             static_cast<unsigned long long>(info->free[0].size),
             static_cast<unsigned long long>(info->program_gpa));
  FUZZ_CHECK(info->program_gpa % kPage == 0 && info->program_size == p.program_size &&
                 info->program_gpa + info->program_size <= info->strings_gpa &&
                 info->strings_size == strings_bytes &&
                 info->strings_gpa + info->strings_size <= mem->low_size,
             "program/strings outside low RAM or overlapping");
  FUZZ_CHECK(memcmp(guest_memory_ptr(mem, info->program_gpa, p.program_size), p.program,
                    p.program_size) == 0,
             "program bytes differ");
  const char *s = static_cast<const char *>(
      guest_memory_ptr(mem, info->strings_gpa, info->strings_size));
  for (const std::vector<char *> *list : {&argv, &envp}) {
    for (char *want : *list) {
      FUZZ_CHECK(strcmp(s, want) == 0, "strings differ");
      s += strlen(want) + 1;
    }
  }
  FUZZ_CHECK(info->cwd_gpa == info->strings_gpa + info->strings_size &&
                 info->cwd_size == cwd.size() + 1 &&
                 info->cwd_gpa + info->cwd_size <= mem->low_size &&
                 memcmp(guest_memory_ptr(mem, info->cwd_gpa, info->cwd_size), cwd.c_str(),
                        info->cwd_size) == 0,
             "working directory");
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  FUZZ_CHECK(guest_memory_init(&small_guest, GUEST_MEMORY_MIN) == 0 &&
                 guest_memory_init(&large_guest, MINIVM_MMIO_HOLE_START + (4 << 20)) == 0,
             "no guest memory");
  void *p = mmap(nullptr, kMaxProgram, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  FUZZ_CHECK(p != MAP_FAILED, "no program buffer");
  program_buffer = static_cast<uint8_t *>(p);
  big_string = new std::string(kMaxBigString, 'A');
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  FuzzInput in(data, size);
  const guest_memory *mem = in.U8() & 1 ? &large_guest : &small_guest;
  uint64_t kernel_room = mem->low_size - MINIVM_KERNEL_PHYS_BASE + 1;
  uint64_t kernel_end = MINIVM_KERNEL_PHYS_BASE + in.U32() % kernel_room;
  uint64_t program_size = in.U32() % kMaxProgram;
  uint32_t big = in.U32();
  size_t argc = in.U8(), envc = in.U8();
  size_t nports = in.U8() % 48, nmmio = in.U8() % 48;
  range_table ports, mmio;
  range_table_init(&ports, "port");
  range_table_init(&mmio, "MMIO");
  AddDevices(in, &ports, nports, true);
  AddDevices(in, &mmio, nmmio, false);
  std::string cwd = in.ShortString().c_str();  // a C string, as the CLI gives it

  // The rest: NUL-separated strings, all kept alive in `text`.
  std::string text(reinterpret_cast<const char *>(in.rest()), in.remaining());
  text.push_back('\0');
  std::vector<char *> strings;
  for (size_t pos = 0; pos < text.size(); pos = text.find('\0', pos) + 1)
    strings.push_back(&text[pos]);
  static char empty[] = "";
  std::vector<char *> argv, envp;
  for (size_t i = 0; i < argc + envc; i++)
    (i < argc ? argv : envp).push_back(i < strings.size() ? strings[i] : empty);
  if ((big & 1) && argc > 0) {
    big_string->assign((big >> 1) % kMaxBigString, 'A');
    argv[0] = &(*big_string)[0];
  }
  uint64_t strings_bytes = 0;
  for (char *s : argv) strings_bytes += strlen(s) + 1;
  for (char *s : envp) strings_bytes += strlen(s) + 1;

  size_t head = in.remaining() < program_size ? in.remaining() : program_size;
  memcpy(program_buffer, in.rest(), head);
  boot_params p;
  memset(&p, 0, sizeof p);
  p.memory = mem;
  p.ports = &ports;
  p.mmio = &mmio;
  p.kernel_phys_end = kernel_end;
  p.program = program_buffer;
  p.program_size = program_size;
  p.argv = argv.data();
  p.argc = argv.size();
  p.envp = envp.data();
  p.envc = envp.size();
  p.cwd = cwd.c_str();
  p.tsc_khz = big;
  int rc = boot_params_write(&p);

  uint64_t room = mem->low_size - AlignUp(kernel_end);
  bool fits = strings_bytes <= kArgsMax && ports.count + mmio.count <= MINIVM_BOOT_MAX_DEVICES &&
              !cwd.empty() && cwd[0] == '/' &&
              AlignUp(program_size) + AlignUp(strings_bytes + cwd.size() + 1) + kPage +
                      (4 << 20) <=
                  room;
  if (rc == 0)
    CheckLayout(p, argv, envp, strings_bytes, cwd);
  else
    FUZZ_CHECK(!fits, "refused a program of %llu bytes with %llu bytes of strings",
               static_cast<unsigned long long>(program_size),
               static_cast<unsigned long long>(strings_bytes));
  memset(program_buffer, 0, head);
  return 0;
}
