// Writes the synthetic seeds of corpus/<target>/ from the real ABI structs,
// so seeds stay valid when a layout changes:
//   bazel run //tests/fuzz:make_seeds -- $PWD/tests/fuzz/corpus
// (Real files — configs/vm.ini, a test kernel ELF, a tiny static program —
// and the inputs of fixed crashes are added to the corpus by hand.)
#include <elf.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "clock/clock_abi.h"
#include "console/console_abi.h"
#include "fileio/fileio_abi.h"
#include "minivm/boot_info.h"
#include "platform/platform_abi.h"
#include "rng/rng_abi.h"
#include "timer/timer_abi.h"

namespace {

std::string out_dir;

class Bytes {
 public:
  Bytes &U8(uint8_t v) { return Raw(&v, 1); }
  Bytes &U16(uint16_t v) { return Raw(&v, 2); }
  Bytes &U32(uint32_t v) { return Raw(&v, 4); }
  Bytes &U64(uint64_t v) { return Raw(&v, 8); }
  Bytes &Str(const std::string &s) { return Raw(s.data(), s.size()); }
  Bytes &ShortStr(const std::string &s) { return U8(static_cast<uint8_t>(s.size())).Str(s); }
  Bytes &Raw(const void *p, size_t n) {
    data.append(static_cast<const char *>(p), n);
    return *this;
  }
  std::string data;
};

void Write(const std::string &target, const std::string &name, const std::string &data) {
  std::string dir = out_dir + "/" + target;
  mkdir(dir.c_str(), 0755);
  std::ofstream(dir + "/" + name, std::ios::binary) << data;
}

// --- hypercall devices (hypercall_harness.h) -------------------------------

// A guest RAM image with argument blocks and data at chosen addresses.
class Ram {
 public:
  template <class T>
  void Put(uint64_t gpa, const T &v) {
    PutBytes(gpa, &v, sizeof v);
  }
  void PutBytes(uint64_t gpa, const void *p, size_t n) {
    if (image_.size() < gpa + n) image_.resize(gpa + n);
    memcpy(&image_[gpa], p, n);
  }
  void PutStr(uint64_t gpa, const std::string &s) { PutBytes(gpa, s.data(), s.size()); }
  const std::string &image() const { return image_; }

 private:
  std::string image_;
};

// flags, then one 32-bit OUT per block address, then RAM.
std::string HypercallSeed(uint8_t flags, const std::vector<uint32_t> &blocks, const Ram &ram,
                          uint8_t access = 3) {
  Bytes b;
  b.U8(flags).U8(static_cast<uint8_t>(blocks.size() - 1));
  for (uint32_t gpa : blocks) b.U8(access).U32(gpa);
  return b.Str(ram.image()).data;
}

void ConsoleSeeds() {
  constexpr uint64_t kBlock = 0x100, kData = 0x800;
  struct Case {
    const char *name;
    uint32_t op, stream, nseg;
    minivm_sg seg;
  };
  for (Case c : {Case{"write_stdout", CONSOLE_OP_WRITE, 1, 1, {kData, 6}},
                 Case{"write_stderr", CONSOLE_OP_WRITE, 2, 1, {kData, 6}},
                 Case{"read_stdin", CONSOLE_OP_READ, 0, 1, {kData, 16}},
                 Case{"info_stdout", CONSOLE_OP_INFO, 1, 0, {0, 0}},
                 Case{"bad_op", 9, 1, 1, {kData, 6}},
                 Case{"bad_stream", CONSOLE_OP_WRITE, 0, 1, {kData, 6}},
                 Case{"no_segments", CONSOLE_OP_WRITE, 1, 0, {kData, 6}},
                 Case{"segment_outside_ram", CONSOLE_OP_WRITE, 1, 1, {0xfff0, 0x100}}}) {
    console_args a{};
    a.hdr.op = c.op;
    a.stream = c.stream;
    a.nseg = c.nseg;
    a.seg[0] = c.seg;
    Ram ram;
    ram.Put(kBlock, a);
    ram.PutStr(kData, "hello\n");
    Write("console", c.name, HypercallSeed(0, {kBlock}, ram));
  }
  console_args a{};
  a.hdr.op = CONSOLE_OP_WRITE;
  a.stream = 1;
  a.nseg = 2;
  a.seg[0] = {kData, 6};
  a.seg[1] = {kData + 0x10, 6};
  Ram ram;
  ram.Put(kBlock, a);
  ram.PutStr(kData, "hello ");
  ram.PutStr(kData + 0x10, "world\n");
  Write("console", "write_two_segments", HypercallSeed(0, {kBlock}, ram));
  Write("console", "in_instead_of_out", HypercallSeed(0, {kBlock}, ram, 0));
  Write("console", "out8", HypercallSeed(0, {kBlock}, ram, 1));
}

constexpr uint64_t kFileioSlot = 0x400;  // one block per slot
constexpr uint64_t kPathA = 0x2000, kPathB = 0x2400, kData = 0x3000;
static_assert(sizeof(fileio_args) <= kFileioSlot, "fileio blocks overlap in the seeds");

struct FileioCall {
  uint32_t op;
  const char *path;  // at kPathA, or nullptr
  int32_t handle;
  uint32_t flags, mode;
  int64_t offset;
  uint64_t len;       // one segment at kData when non-zero
  const char *path2;  // RENAME target at kPathB
};

void FileioSeed(const std::string &name, bool rw, const std::vector<FileioCall> &calls,
                const std::string &data = "") {
  Ram ram;
  std::vector<uint32_t> blocks;
  for (size_t i = 0; i < calls.size(); i++) {
    const FileioCall &c = calls[i];
    fileio_args a{};
    a.hdr.op = c.op;
    a.handle = c.handle;
    a.dir = a.dir2 = FILEIO_DIR_ROOT;
    a.flags = c.flags;
    a.mode = c.mode;
    a.offset = c.offset;
    a.whence = SEEK_SET;
    // Each call's paths live in its own slot of the path area.
    uint64_t pa = kPathA + 0x80 * i, pb = kPathB + 0x80 * i;
    if (c.path) {
      ram.PutStr(pa, c.path);
      a.path_gpa = pa;
      a.path_len = strlen(c.path);
    }
    if (c.path2) {
      ram.PutStr(pb, c.path2);
      a.path2_gpa = pb;
      a.path2_len = strlen(c.path2);
    }
    if (c.len) {
      a.nseg = 1;
      a.seg[0] = {kData, c.len};
    }
    a.times[1] = a.times[3] = (1l << 30) - 1;  // UTIME_NOW
    ram.Put(kFileioSlot * i, a);
    blocks.push_back(static_cast<uint32_t>(kFileioSlot * i));
  }
  ram.PutStr(kData, data.empty() ? std::string(16, '\0') : data);
  Write("fileio", name, HypercallSeed(rw ? 1 : 0, blocks, ram));
}

void FileioSeeds() {
  using C = FileioCall;
  FileioSeed("open_read_fstat_close", false,
             {C{FILEIO_OP_OPEN, "/rw.txt", 0, O_RDONLY, 0, 0, 0, nullptr},
              C{FILEIO_OP_READ, nullptr, 0, 0, 0, -1, 64, nullptr},
              C{FILEIO_OP_FSTAT, nullptr, 0, 0, 0, 0, 0, nullptr},
              C{FILEIO_OP_CLOSE, nullptr, 0, 0, 0, 0, 0, nullptr}});
  FileioSeed("pread_lseek", false,
             {C{FILEIO_OP_OPEN, "ro.txt", 0, O_RDONLY, 0, 0, 0, nullptr},
              C{FILEIO_OP_READ, nullptr, 0, 0, 0, 5, 8, nullptr},
              C{FILEIO_OP_LSEEK, nullptr, 0, 0, 0, 3, 0, nullptr},
              C{FILEIO_OP_READ, nullptr, 0, 0, 0, -1, 8, nullptr}});
  FileioSeed("create_write_truncate_fsync", true,
             {C{FILEIO_OP_OPEN, "/new.txt", 0, O_CREAT | O_RDWR, 0644, 0, 0, nullptr},
              C{FILEIO_OP_WRITE, nullptr, 0, 0, 0, -1, 6, nullptr},
              C{FILEIO_OP_FTRUNCATE, nullptr, 0, 0, 0, 3, 0, nullptr},
              C{FILEIO_OP_FSYNC, nullptr, 0, 0, 0, 0, 0, nullptr}},
             "hello\n");
  FileioSeed("write_refused_read_only", false,
             {C{FILEIO_OP_OPEN, "/rw.txt", 0, O_WRONLY, 0, 0, 0, nullptr},
              C{FILEIO_OP_WRITE, nullptr, 0, 0, 0, -1, 6, nullptr}},
             "hello\n");
  FileioSeed("getdents", false,
             {C{FILEIO_OP_OPEN, "/dir", 0, O_RDONLY | O_DIRECTORY, 0, 0, 0, nullptr},
              C{FILEIO_OP_GETDENTS, nullptr, 0, 0, 0, 0, 512, nullptr},
              C{FILEIO_OP_GETDENTS, nullptr, 0, 0, 0, 0, 512, nullptr}});
  FileioSeed("stat_readlink_access", false,
             {C{FILEIO_OP_STAT, "/link", 0, AT_SYMLINK_NOFOLLOW, 0, 0, 0, nullptr},
              C{FILEIO_OP_READLINK, "/abs", 0, 0, 0, 0, 256, nullptr},
              C{FILEIO_OP_ACCESS, "/ro.txt", 0, 0, W_OK, 0, 0, nullptr},
              C{FILEIO_OP_STAT, "dir/inner.txt", 0, 0, 0, 0, 0, nullptr}});
  FileioSeed("escapes", false,
             {C{FILEIO_OP_OPEN, "/up", 0, O_RDONLY, 0, 0, 0, nullptr},
              C{FILEIO_OP_OPEN, "/abs", 0, O_RDONLY, 0, 0, 0, nullptr},
              C{FILEIO_OP_OPEN, "../outside.txt", 0, O_RDONLY, 0, 0, 0, nullptr},
              C{FILEIO_OP_OPEN, "/proc/environ", 0, O_RDONLY, 0, 0, 0, nullptr}});
  FileioSeed("mkdir_rename_unlink", true,
             {C{FILEIO_OP_MKDIR, "/made", 0, 0, 0755, 0, 0, nullptr},
              C{FILEIO_OP_RENAME, "/rw.txt", 0, 0, 0, 0, 0, "/made/moved.txt"},
              C{FILEIO_OP_UNLINK, "/made/moved.txt", 0, 0, 0, 0, 0, nullptr},
              C{FILEIO_OP_UNLINK, "/made", 0, AT_REMOVEDIR, 0, 0, 0, nullptr}});
  FileioSeed("utimens", true, {C{FILEIO_OP_UTIMENS, "/rw.txt", 0, 0, 0, 0, 0, nullptr}});
  FileioSeed("bad_handle_and_op", false,
             {C{FILEIO_OP_READ, nullptr, 7, 0, 0, -1, 8, nullptr},
              C{FILEIO_OP_CLOSE, nullptr, -3, 0, 0, 0, 0, nullptr},
              C{99, nullptr, 0, 0, 0, 0, 0, nullptr}});
}

void PlatformSeeds() {
  constexpr uint64_t kBlock = 0x100, kMsg = 0x800;
  struct Case {
    const char *name;
    uint8_t flags;
    uint32_t op;
    int32_t status, signo;
    const char *msg;
  };
  for (Case c : {Case{"exit", 0, PLATFORM_OP_EXIT, 3, 0, nullptr},
                 Case{"signal_death", 0, PLATFORM_OP_SIGNAL_DEATH, 0, 11, nullptr},
                 Case{"bad_signal", 0, PLATFORM_OP_SIGNAL_DEATH, 0, 65, nullptr},
                 Case{"panic", 0, PLATFORM_OP_PANIC, 0, 0, "oops\nline two \x1b[31mred\x1b[0m"},
                 Case{"trace", 1, PLATFORM_OP_TRACE, 0, 0, "unknown syscall 999\n\x1b]0;t\x07"},
                 Case{"bad_op", 0, 42, 0, 0, nullptr}}) {
    platform_args a{};
    a.hdr.op = c.op;
    a.status = c.status;
    a.signo = c.signo;
    a.rip = 0x401000;
    a.addr = 0x10;
    Ram ram;
    if (c.msg) {
      a.msg_gpa = kMsg;
      a.msg_len = strlen(c.msg);
      ram.PutStr(kMsg, c.msg);
    }
    ram.Put(kBlock, a);
    Write("platform", c.name, HypercallSeed(c.flags, {kBlock}, ram));
  }
}

void TimerSeeds() {
  constexpr uint64_t kBlock = 0x100, kWord = 0x800;
  struct Case {
    const char *name;
    uint32_t op;
    uint64_t request_gpa;
    uint32_t vector, pad, word;
  };
  for (Case c : {Case{"setup_word_set", TIMER_OP_SETUP, kWord, 0x20, 0, 1},
                 Case{"setup_word_clear", TIMER_OP_SETUP, kWord, 0xff, 0, 0},
                 Case{"misaligned_word", TIMER_OP_SETUP, kWord + 2, 0x40, 0, 1},
                 Case{"word_outside_ram", TIMER_OP_SETUP, 0xfffe, 0x40, 0, 1},
                 Case{"vector_31", TIMER_OP_SETUP, kWord, 31, 0, 1},
                 Case{"vector_256", TIMER_OP_SETUP, kWord, 256, 0, 1},
                 Case{"nonzero_pad", TIMER_OP_SETUP, kWord, 0x40, 1, 1},
                 Case{"bad_op", 2, kWord, 0x40, 0, 1}}) {
    timer_args a{};
    a.hdr.op = c.op;
    a.request_gpa = c.request_gpa;
    a.vector = c.vector;
    a.pad = c.pad;
    Ram ram;
    ram.Put(kBlock, a);
    ram.Put(kWord, c.word);
    Write("timer", c.name, HypercallSeed(0, {kBlock}, ram));
  }
  // Two SETUPs: the second (another word, another vector) replaces the first.
  timer_args first{}, second{};
  first.hdr.op = second.hdr.op = TIMER_OP_SETUP;
  first.request_gpa = kWord;
  first.vector = 0x40;
  second.request_gpa = kWord + 4;
  second.vector = 0x81;
  Ram ram;
  ram.Put(kBlock, first);
  ram.Put(kBlock + 0x40, second);
  ram.Put(kWord, uint32_t{1});
  ram.Put(kWord + 4, uint32_t{1});
  Write("timer", "second_setup_replaces", HypercallSeed(0, {kBlock, kBlock + 0x40}, ram));
  Write("timer", "in_instead_of_out", HypercallSeed(0, {kBlock}, ram, 0));
}

// --- MMIO devices (mmio_harness.h) ------------------------------------------

Bytes &Access(Bytes &b, uint16_t offset, uint8_t size, bool write, uint64_t value = 0) {
  uint8_t log2 = size == 1 ? 0 : size == 2 ? 1 : size == 4 ? 2 : 3;
  return b.U16(offset).U8(static_cast<uint8_t>(log2 | (write ? 4 : 0))).U64(value);
}

void RngSeeds() {
  auto registers = [](const std::string &address, const std::string &seed) {
    Bytes b;
    b.ShortStr(address).ShortStr(seed);
    for (uint8_t size : {1, 2, 4, 8}) Access(b, RNG_REG_DATA, size, false);
    Access(b, RNG_REG_FLAGS, 4, false);
    Access(b, RNG_REG_FILL_GPA, 8, true, 0x100);
    Access(b, RNG_REG_FILL_LEN, 8, true, 64);
    Access(b, RNG_REG_FILL_LEN, 8, false);
    return b.data;
  };
  Write("rng", "host_registers", registers("", ""));
  Write("rng", "seeded_registers", registers("", "42"));
  Write("rng", "moved_window", registers("0xC0004000", "0x2a"));
  Write("rng", "bad_seed", registers("", "-1"));
  Write("rng", "unaligned_address", registers("0xC0000010", ""));
  Bytes b;
  b.ShortStr("").ShortStr("7");
  Access(b, RNG_REG_FILL_GPA, 8, true, 0xff00);  // runs past the end of RAM
  Access(b, RNG_REG_FILL_LEN, 8, true, 0x200);
  Access(b, RNG_REG_FILL_LEN, 8, false);
  Access(b, RNG_REG_FILL_LEN, 8, true, RNG_FILL_MAX + 1);
  Access(b, RNG_REG_DATA, 4, true, 1);
  Access(b, RNG_REG_FLAGS, 8, false);
  Access(b, 0x20, 8, false);
  Write("rng", "refused_accesses", b.data);
}

void ClockSeeds() {
  auto reads = [](const std::string &start) {
    Bytes b;
    b.ShortStr("").ShortStr(start);
    for (uint16_t reg : {CLOCK_REG_REALTIME_NS, CLOCK_REG_MONOTONIC_NS, CLOCK_REG_FLAGS,
                         CLOCK_REG_MONOTONIC_NS})
      Access(b, reg, 8, false);
    Access(b, CLOCK_REG_REALTIME_NS, 4, false);
    Access(b, CLOCK_REG_MONOTONIC_NS, 8, true, 0);
    Access(b, 0x18, 8, false);
    return b.data;
  };
  Write("clock", "host_time", reads(""));
  Write("clock", "start_iso", reads("2024-01-01T00:00:00Z"));
  Write("clock", "start_fraction", reads("2024-02-29T12:34:56.789Z"));
  Write("clock", "start_epoch", reads("1704067200"));
  Write("clock", "start_bad", reads("yesterday"));
  Write("clock", "start_out_of_range", reads("10000-01-01T00:00:00Z"));
}

// --- ELF --------------------------------------------------------------------

// A minimal executable: header, PT_LOAD of 16 bytes of code (+ PT_INTERP).
std::string MiniElf(uint16_t type, uint64_t vaddr, uint64_t paddr, bool interp) {
  Elf64_Ehdr eh{};
  memcpy(eh.e_ident, ELFMAG, SELFMAG);
  eh.e_ident[EI_CLASS] = ELFCLASS64;
  eh.e_ident[EI_DATA] = ELFDATA2LSB;
  eh.e_ident[EI_VERSION] = EV_CURRENT;
  eh.e_type = type;
  eh.e_machine = EM_X86_64;
  eh.e_version = EV_CURRENT;
  eh.e_entry = vaddr;
  eh.e_phoff = sizeof eh;
  eh.e_ehsize = sizeof eh;
  eh.e_phentsize = sizeof(Elf64_Phdr);
  eh.e_phnum = interp ? 2 : 1;
  size_t code = sizeof eh + eh.e_phnum * sizeof(Elf64_Phdr);
  Elf64_Phdr ph[2]{};
  ph[0].p_type = PT_LOAD;
  ph[0].p_flags = PF_R | PF_X;
  ph[0].p_offset = code;
  ph[0].p_vaddr = vaddr;
  ph[0].p_paddr = paddr;
  ph[0].p_filesz = 16;
  ph[0].p_memsz = 0x2000;
  ph[0].p_align = 0x1000;
  ph[1].p_type = PT_INTERP;
  ph[1].p_offset = code;
  ph[1].p_filesz = 16;
  Bytes b;
  b.Raw(&eh, sizeof eh).Raw(ph, eh.e_phnum * sizeof(Elf64_Phdr));
  return b.Str(std::string(16, '\xf4')).data;
}

void ElfSeeds() {
  Write("elf", "mini_static", MiniElf(ET_EXEC, 0x401000, 0x401000, false));
  Write("elf", "mini_dynamic", MiniElf(ET_EXEC, 0x401000, 0x401000, true));
  Write("elf", "mini_pie", MiniElf(ET_DYN, 0x1000, 0x1000, false));
  Write("elf", "mini_kernel",
        MiniElf(ET_EXEC, MINIVM_KERNEL_VIRT_BASE + MINIVM_KERNEL_PHYS_BASE,
                MINIVM_KERNEL_PHYS_BASE, false));
  std::string arm = MiniElf(ET_EXEC, 0x401000, 0x401000, false);
  arm[offsetof(Elf64_Ehdr, e_machine)] = static_cast<char>(EM_AARCH64);
  Write("elf", "other_machine", arm);
  Write("elf", "truncated", MiniElf(ET_EXEC, 0x401000, 0x401000, false).substr(0, 70));
  Write("elf", "not_elf", "#!/bin/sh\necho hi\n");
}

// --- config -----------------------------------------------------------------

void ConfigSeeds() {
  Write("config", "vm_keys",
        "[vm]\nmemory = 1G\nroot = /tmp\nrw = yes\ntimeout = 2.5s\ntrace = on\n"
        "env = A=B\nenv = A=C\nprogram = /bin/true\narg = x\narg = y\nkernel = k.elf\n");
  Write("config", "plugins_with_ports",
        "; two plugins\n[plugin a]\nport = 0x600\n\n[plugin b]\npath = b\nport = 1537\n");
  Write("config", "unknown_plugin_key", "[plugin a]\nport = 0x600\ncolour = blue\n");
  Write("config", "overlapping_ports", "[plugin a]\nport = 0x600\n[plugin b]\nport = 0x600\n");
  Write("config", "bad_values", "[vm]\nmemory = lots\n");
  Write("config", "duplicate_plugin", "[plugin a]\nport = 1\n[plugin a]\nport = 2\n");
  Write("config", "long_line", "[vm]\nroot = " + std::string(300, 'x') + "\n");
  Write("config", "syntax_error", "[vm\nmemory\n= 3\n");
  Write("config", "empty_sections", "[vm]\n[plugin only_name]\n[ plugin  spaced ]\n");
}

// --- boot params (boot_params_fuzz.cc) --------------------------------------

struct Device {
  uint32_t start;
  uint16_t size_minus_one;
  const char *kind;
};

std::string BootSeed(uint8_t memory, uint32_t kernel_end, uint32_t program_size, uint32_t big,
                     uint8_t argc, uint8_t envc, const std::vector<Device> &ports,
                     const std::vector<Device> &mmio, const std::string &strings,
                     const char *cwd = "/") {
  Bytes b;
  b.U8(memory).U32(kernel_end).U32(program_size).U32(big).U8(argc).U8(envc);
  b.U8(static_cast<uint8_t>(ports.size())).U8(static_cast<uint8_t>(mmio.size()));
  for (const auto *list : {&ports, &mmio})
    for (const Device &d : *list) b.U32(d.start).U16(d.size_minus_one).ShortStr(d.kind);
  return b.ShortStr(cwd).Str(strings).data;
}

void BootSeeds() {
  std::vector<Device> ports = {{0x500, 0, "platform"}, {0x501, 0, "console"}, {0x502, 0, "fileio"}};
  std::vector<Device> mmio = {{0, 0xfff, "rng"}, {0x1000, 0xfff, "clock"}};
  std::string strings("/bin/prog\0arg\0PATH=/bin:/usr/bin\0HOME=/", 38);
  Write("boot_params", "typical", BootSeed(0, 0x100000, 8192, 0, 2, 2, ports, mmio, strings));
  Write("boot_params", "high_ram", BootSeed(1, 0x200000, 1 << 20, 0, 2, 2, ports, mmio, strings));
  Write("boot_params", "program_too_big",
        BootSeed(0, 0x100000, 13 << 20, 0, 2, 2, ports, mmio, strings));
  // argv[0] is a 2.5 MiB string: more than the 2 MiB of arguments allowed.
  Write("boot_params", "args_too_big",
        BootSeed(0, 0x100000, 4096, (5u << 20) | 1, 2, 2, ports, mmio, strings));
  Write("boot_params", "no_args", BootSeed(0, 0x100000, 0, 0, 0, 0, {}, {}, ""));
  Write("boot_params", "workdir", BootSeed(0, 0x100000, 4096, 0, 1, 0, ports, mmio, "p", "/src/app"));
  Write("boot_params", "relative_workdir",
        BootSeed(0, 0x100000, 4096, 0, 1, 0, ports, mmio, "p", "src"));
  std::vector<Device> many;
  for (uint32_t i = 0; i < 40; i++) many.push_back({0x600 + i, 0, "dev"});
  Write("boot_params", "too_many_devices", BootSeed(0, 0x100000, 4096, 0, 1, 0, many, {}, "p"));
}

}  // namespace

int main(int argc, char **argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
    return 2;
  }
  out_dir = argv[1];
  mkdir(out_dir.c_str(), 0755);
  ConsoleSeeds();
  FileioSeeds();
  PlatformSeeds();
  TimerSeeds();
  RngSeeds();
  ClockSeeds();
  ElfSeeds();
  ConfigSeeds();
  BootSeeds();
  return 0;
}
