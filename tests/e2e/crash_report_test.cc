// Crash reports (issue 14, part 2): a program killed by a fault gets, before
// minivm's last line "program killed by ...", "minivm: crash: ..." lines with
// the signal and si_code, the access, the registers and a backtrace named
// from the program's own ELF symbols — crash_here <- middle_frame <- main
// (guest/programs/crash.c) — by frame pointers, or by the stack scan ("?")
// where there are none, and from libc.so.6's .dynsym for a dynamic program.
#include <elf.h>

#include <cstring>
#include <fstream>
#include <functional>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/support/data_args.h"
#include "tests/support/kvm_required.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace minivm_test {
namespace {

struct Frame {
  bool guess = false;
  std::string name;  // "crash_here+0x13", or "??"
  std::string file;  // "crash_fp_glibc", or empty
};

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

bool StartsWith(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

// The backtrace lines of the report: "minivm: crash:   #N  ADDR [? ]NAME (FILE)".
std::vector<Frame> Backtrace(const std::string& err, const std::string& prefix) {
  std::vector<Frame> frames;
  for (const std::string& line : Lines(err)) {
    if (!StartsWith(line, prefix + "  #")) continue;
    std::istringstream in(line.substr(prefix.size()));
    std::string number, addr, word;
    in >> number >> addr >> word;
    Frame f;
    if (word == "?") {
      f.guess = true;
      in >> word;
    }
    f.name = word;
    std::string file;
    if (in >> file && file.size() > 2) f.file = file.substr(1, file.size() - 2);
    frames.push_back(f);
  }
  return frames;
}

// The index of the first frame at or after `from` in `function` ("function+0x..",
// or gcc's split-off "function.cold+0x.."); -1 if none.
int Find(const std::vector<Frame>& frames, const std::string& function, int from = 0) {
  for (int i = from; i < static_cast<int>(frames.size()); i++)
    if (StartsWith(frames[i].name, function + "+0x") ||
        StartsWith(frames[i].name, function + ".cold+0x"))
      return i;
  return -1;
}

std::string Show(const std::vector<Frame>& frames) {
  std::string s;
  for (const Frame& f : frames) s += (f.guess ? "? " : "") + f.name + " (" + f.file + ")\n";
  return s;
}

class CrashReportTest : public testing::Test {
 protected:
  void SetUp() override { MINIVM_NEED_KVM(); }

  RunResult Run(const std::string& program, const std::string& mode,
                const std::vector<std::string>& flags = {}, const std::string& root = "") {
    std::vector<std::string> argv = {DataPath("minivm"), "--root",
                                     root.empty() ? root_.path() : root, "--timeout", "120s"};
    argv.insert(argv.end(), flags.begin(), flags.end());
    // A Bazel-built program by its data name, or a host path.
    argv.insert(argv.end(), {"--", program[0] == '/' ? program : DataPath(program), mode});
    RunOptions options;
    options.cwd = root_.path();
    options.timeout = std::chrono::seconds(180);
    return RunCommand(argv, options);
  }

  // Every line but the last is a report line, the last minivm's death line.
  static void ExpectReportThenDeathLine(const RunResult& r, const std::string& death) {
    std::vector<std::string> lines = Lines(r.err);
    ASSERT_GE(lines.size(), 8u) << r;
    for (size_t i = 0; i + 1 < lines.size(); i++)
      EXPECT_TRUE(StartsWith(lines[i], "minivm: crash: ")) << lines[i];
    EXPECT_TRUE(StartsWith(lines.back(), "minivm: program killed by " + death)) << r;
  }

  // The write to NULL three calls deep, all reported by the frame-pointer chain.
  void ExpectWriteCrashWithFramePointers(const std::string& program) {
    RunResult r = Run(program, "write");
    ASSERT_TRUE(r.exited) << r;
    EXPECT_EQ(r.status, 139) << r;
    ExpectReportThenDeathLine(r, "SIGSEGV (signal 11) at rip 0x");
    EXPECT_NE(r.err.find("minivm: crash: pid "), std::string::npos) << r;
    EXPECT_NE(r.err.find(" killed by SIGSEGV (SEGV_MAPERR): write to address 0x0 (page not "
                         "present)\n"),
              std::string::npos)
        << r;
    EXPECT_NE(r.err.find("minivm: crash: rip "), std::string::npos) << r;
    EXPECT_NE(r.err.find("minivm: crash: r14 "), std::string::npos) << r;
    std::vector<Frame> frames = Backtrace(r.err, "minivm: crash: ");
    ASSERT_GE(frames.size(), 3u) << r;
    EXPECT_TRUE(StartsWith(frames[0].name, "crash_here+0x")) << Show(frames);
    EXPECT_FALSE(frames[0].guess);
    EXPECT_EQ(frames[0].file, program);
    // Called frames come next in order, from the chain (no "?").
    EXPECT_TRUE(StartsWith(frames[1].name, "middle_frame+0x")) << Show(frames);
    EXPECT_FALSE(frames[1].guess) << Show(frames);
    EXPECT_TRUE(StartsWith(frames[2].name, "main+0x")) << Show(frames);
    EXPECT_FALSE(frames[2].guess) << Show(frames);
    EXPECT_EQ(frames[2].file, program);
  }

  TempDir root_;
};

TEST_F(CrashReportTest, GlibcWithFramePointersNamesTheCallChain) {
  ExpectWriteCrashWithFramePointers("crash_fp_glibc");
}

TEST_F(CrashReportTest, MuslWithFramePointersNamesTheCallChain) {
  ExpectWriteCrashWithFramePointers("crash_fp_musl");
}

// -fomit-frame-pointer -O2: only the stack scan finds the callers.
TEST_F(CrashReportTest, WithoutFramePointersTheScanFindsTheCallers) {
  RunResult r = Run("crash_nofp_glibc", "write");
  ASSERT_TRUE(r.exited) << r;
  EXPECT_EQ(r.status, 139) << r;
  ExpectReportThenDeathLine(r, "SIGSEGV (signal 11)");
  std::vector<Frame> frames = Backtrace(r.err, "minivm: crash: ");
  ASSERT_FALSE(frames.empty()) << r;
  EXPECT_TRUE(StartsWith(frames[0].name, "crash_here+0x")) << Show(frames);
  int middle = Find(frames, "middle_frame", 1);
  int main_frame = Find(frames, "main", middle + 1);
  EXPECT_GT(middle, 0) << Show(frames);
  EXPECT_GT(main_frame, middle) << Show(frames);
  if (middle > 0) {
    EXPECT_TRUE(frames[middle].guess) << Show(frames);
  }
}

// strlen(NULL) in static glibc: the fault is in libc's code (an IFUNC
// variant: __strlen_avx2, __strlen_sse2, ...), read access; the callers follow.
TEST_F(CrashReportTest, FaultInsideStaticLibcNamesLibcAndTheCallers) {
  RunResult r = Run("crash_fp_glibc", "strlen");
  ASSERT_TRUE(r.exited) << r;
  EXPECT_EQ(r.status, 139) << r;
  EXPECT_NE(r.err.find("(SEGV_MAPERR): read of address 0x0"), std::string::npos) << r;
  std::vector<Frame> frames = Backtrace(r.err, "minivm: crash: ");
  ASSERT_FALSE(frames.empty()) << r;
  EXPECT_NE(frames[0].name.find("strlen"), std::string::npos) << Show(frames);
  int here = Find(frames, "crash_here", 1);
  int middle = Find(frames, "middle_frame", here + 1);
  int main_frame = Find(frames, "main", middle + 1);
  EXPECT_GT(here, 0) << Show(frames);
  EXPECT_GT(middle, here) << Show(frames);
  EXPECT_GT(main_frame, middle) << Show(frames);
}

// A dynamic PIE (Debian gcc's default) from the host's root: abort() in the
// host's libc.so.6 is named from its .dynsym, the program's own functions
// through the PIE's load bias.
TEST_F(CrashReportTest, DynamicProgramNamesLibcAbortAndTheCallers) {
  RunResult r = Run("crash_dynamic", "abort", {}, "/");
  ASSERT_TRUE(r.exited) << r;
  EXPECT_EQ(r.status, 134) << r;
  ExpectReportThenDeathLine(r, "SIGABRT (signal 6)");
  EXPECT_NE(r.err.find(" killed by SIGABRT (SI_TKILL) sent by pid "), std::string::npos) << r;
  std::vector<Frame> frames = Backtrace(r.err, "minivm: crash: ");
  int abort_frame = Find(frames, "abort");
  int here = Find(frames, "crash_here", abort_frame + 1);
  int middle = Find(frames, "middle_frame", here + 1);
  int main_frame = Find(frames, "main", middle + 1);
  ASSERT_GE(abort_frame, 0) << Show(frames);
  EXPECT_EQ(frames[abort_frame].file, "libc.so.6") << Show(frames);
  EXPECT_GT(here, abort_frame) << Show(frames);
  EXPECT_EQ(frames[here].file, "crash_dynamic") << Show(frames);
  EXPECT_GT(middle, here) << Show(frames);
  EXPECT_GT(main_frame, middle) << Show(frames);
}

// A child that crashes is its parent's business: no report on stderr unless
// --trace asks, and then as trace lines naming the child's pid.
TEST_F(CrashReportTest, ChildCrashIsReportedOnlyUnderTrace) {
  RunResult quiet = Run("crash_fp_glibc", "child");
  ASSERT_TRUE(quiet.exited) << quiet;
  EXPECT_EQ(quiet.status, 0) << quiet;
  EXPECT_EQ(quiet.out, "child killed by signal 11\n") << quiet;
  EXPECT_EQ(quiet.err, "") << quiet;

  RunResult traced = Run("crash_fp_glibc", "child", {"--trace"});
  ASSERT_TRUE(traced.exited) << traced;
  EXPECT_EQ(traced.status, 0) << traced;
  EXPECT_EQ(traced.out, "child killed by signal 11\n") << traced;
  EXPECT_NE(traced.err.find("minivm: trace: pid "), std::string::npos) << traced;
  EXPECT_NE(traced.err.find(" killed by SIGSEGV (SEGV_MAPERR): write to address 0x0"),
            std::string::npos)
      << traced;
  std::vector<Frame> frames = Backtrace(traced.err, "minivm: trace: ");
  int here = Find(frames, "crash_here");
  EXPECT_EQ(here, 0) << Show(frames);
  EXPECT_GT(Find(frames, "middle_frame", here + 1), here) << Show(frames);
}

// The program's own ELF file is the program's to make: section headers out of
// the file, absurd counts and sizes, string offsets past the table. The
// report then has fewer names (or none), and the program still dies as it
// did — never a guest kernel panic (125) or a hang.
TEST_F(CrashReportTest, AHostileElfGetsNoNamesButTheSameDeath) {
  std::ifstream in(DataPath("crash_fp_glibc"), std::ios::binary);
  const std::vector<char> original((std::istreambuf_iterator<char>(in)), {});
  ASSERT_GT(original.size(), sizeof(Elf64_Ehdr));
  auto header = [](std::vector<char>& f) { return reinterpret_cast<Elf64_Ehdr*>(f.data()); };
  // Applies `change` to every section header of `type`.
  auto each_section = [&](std::vector<char>& f, uint32_t type,
                          const std::function<void(Elf64_Shdr&)>& change) {
    Elf64_Ehdr* eh = header(f);
    auto* sh = reinterpret_cast<Elf64_Shdr*>(f.data() + eh->e_shoff);
    for (int i = 0; i < eh->e_shnum; i++)
      if (sh[i].sh_type == type) change(sh[i]);
  };
  struct Mutation {
    const char* name;
    std::function<void(std::vector<char>&)> apply;
  };
  const std::vector<Mutation> mutations = {
      {"section headers past the end",
       [&](std::vector<char>& f) { header(f)->e_shoff = f.size() - 10; }},
      {"section headers at a huge offset",
       [&](std::vector<char>& f) { header(f)->e_shoff = ~0ull - 100; }},
      {"65535 sections", [&](std::vector<char>& f) { header(f)->e_shnum = 0xffff; }},
      {"a symbol table of 2^63 bytes",
       [&](std::vector<char>& f) {
         each_section(f, SHT_SYMTAB, [](Elf64_Shdr& s) { s.sh_size = 1ull << 63; });
       }},
      {"a symbol table at a huge offset",
       [&](std::vector<char>& f) {
         each_section(f, SHT_SYMTAB, [](Elf64_Shdr& s) { s.sh_offset = ~0ull - 24; });
       }},
      {"a string table link out of range",
       [&](std::vector<char>& f) {
         each_section(f, SHT_SYMTAB, [](Elf64_Shdr& s) { s.sh_link = 0xfffffff0u; });
       }},
      {"every name offset past the string table",
       [&](std::vector<char>& f) {
         each_section(f, SHT_SYMTAB, [&](Elf64_Shdr& s) {
           auto* sym = reinterpret_cast<Elf64_Sym*>(f.data() + s.sh_offset);
           for (size_t i = 0; i < s.sh_size / sizeof(Elf64_Sym); i++)
             sym[i].st_name = 0xfffffff0u - static_cast<uint32_t>(i);
         });
       }},
      {"a string table reaching past the file",
       [&](std::vector<char>& f) {
         each_section(f, SHT_STRTAB, [](Elf64_Shdr& s) { s.sh_size = ~0ull - s.sh_offset; });
       }},
  };
  for (const Mutation& m : mutations) {
    SCOPED_TRACE(m.name);
    std::vector<char> bytes = original;
    m.apply(bytes);
    std::string path = root_.Write("hostile_elf", std::string(bytes.begin(), bytes.end()), 0755);
    RunResult r = Run(path, "write");
    ASSERT_TRUE(r.exited) << r;
    EXPECT_EQ(r.status, 139) << r;
    ExpectReportThenDeathLine(r, "SIGSEGV (signal 11)");
    std::vector<Frame> frames = Backtrace(r.err, "minivm: crash: ");
    EXPECT_FALSE(frames.empty()) << r;
  }
}

}  // namespace
}  // namespace minivm_test
