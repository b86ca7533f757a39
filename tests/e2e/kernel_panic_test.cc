// A guest kernel panic names the kernel's own functions (issue 14, part 2):
// the VMM copies kernel.elf's symbol table into the guest at boot and the
// kernel symbolizes the faulting rip and its backtrace. The kernel booted is
// kernel_panic_test.elf, kernel.elf built to take a kernel-mode page fault
// in panic_test_fault() once it is up (guest/kernel/BUILD).
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

TEST(KernelPanicTest, PanicNamesTheFaultingFunctionAndTheBacktrace) {
  MINIVM_NEED_KVM();
  TempDir dir;
  // A short path: runfiles paths can exceed an INI line.
  std::string kernel = dir.Symlink("kernel.elf", DataPath("panic_kernel"));
  std::string config = dir.Write("kernel.ini", "[vm]\nkernel = " + kernel + "\n");
  RunOptions options;
  options.cwd = dir.path();
  RunResult r = RunCommand({DataPath("minivm"), "-c", config, "--root", dir.path(), "--timeout",
                            "60s", "--", DataPath("hello_glibc")},
                           options);
  ASSERT_TRUE(r.exited) << r;
  EXPECT_EQ(r.status, 125) << r;
  EXPECT_EQ(r.out, "") << r;
  EXPECT_NE(r.err.find("minivm: guest kernel panic: kernel fault: vector 14 (#PF page fault) "
                       "error 0x2 at panic_test_fault+0x"),
            std::string::npos)
      << r;
  // The backtrace: one named frame a line, the exception path up to the
  // boot entry, whose frame ends the chain.
  std::vector<std::string> frames;
  std::istringstream in(r.err);
  bool in_backtrace = false;
  for (std::string line; std::getline(in, line);) {
    if (line == "minivm: guest kernel panic: backtrace:") {
      in_backtrace = true;
      continue;
    }
    std::istringstream words(line);
    std::string minivm, guest, kernel_word, panic, addr, name;
    if (in_backtrace && words >> minivm >> guest >> kernel_word >> panic >> addr >> name)
      frames.push_back(name);
  }
  ASSERT_GE(frames.size(), 2u) << r;
  EXPECT_EQ(frames.front().rfind("trap_dispatch+0x", 0), 0u) << r;
  EXPECT_EQ(frames.back().rfind("_start+0x", 0), 0u) << r;
  for (const std::string& f : frames) EXPECT_NE(f, "?") << "unnamed frame in\n" << r.err;
}

}  // namespace
}  // namespace minivm_test
