// Fuzzes the file I/O plugin's hypercall handler over arbitrary guest RAM
// (hypercall_harness.h) and a fresh root directory per input:
//
//   base/outside.txt           must survive every input unchanged
//   base/root/rw.txt           "read me, write me\n" (0644)
//   base/root/ro.txt           "read only\n" (0444)
//   base/root/dir/inner.txt    "inner\n"
//   base/root/link -> rw.txt, base/root/abs -> base/outside.txt,
//   base/root/up -> ../outside.txt, base/root/proc -> /proc/self
//
// flags bit 0 makes the VM writable. Beyond "no crash", each input checks
// that nothing outside the root changed and that fini closed every host fd.
#include "fileio/fileio_abi.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include "tests/fuzz/fuzz_target.h"
#include "tests/fuzz/hypercall_harness.h"
#include "tests/fuzz/plugin_under_fuzz.h"
#include "tests/support/temp_dir.h"

namespace {

constexpr char kOutside[] = "outside the root\n";

std::string ReadFile(const std::string &path) {
  std::string s;
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return "(missing)";
  char buf[256];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) s.append(buf, static_cast<size_t>(n));
  close(fd);
  return s;
}

// The lowest free fd: it changes if a run leaks one.
int LowestFreeFd() {
  int fd = dup(STDIN_FILENO);
  close(fd);
  return fd;
}

void MakeTree(const minivm_test::TempDir &base) {
  base.Write("outside.txt", kOutside);
  base.Write("root/rw.txt", "read me, write me\n");
  base.Write("root/ro.txt", "read only\n", 0444);
  base.Write("root/dir/inner.txt", "inner\n");
  base.Symlink("root/link", "rw.txt");
  base.Symlink("root/abs", base.Path("outside.txt"));
  base.Symlink("root/up", "../outside.txt");
  base.Symlink("root/proc", "/proc/self");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  HypercallInput input = ParseHypercallInput(data, size);
  int free_fd = LowestFreeFd();
  minivm_test::TempDir base;
  MakeTree(base);
  {
    FakeHost host(kFuzzRamSize);
    host.SetVmSetting("root", base.Path("root"));
    host.SetVmSetting("rw", input.flags & 1 ? "1" : "0");
    FUZZ_CHECK(LoadPluginUnderFuzz(host, "plugins/fileio/fileio.so") == 0, "fileio init: %s",
               host.load_error().c_str());
    RunHypercalls(host, FILEIO_KIND, sizeof(fileio_args), input);
  }
  FUZZ_CHECK(ReadFile(base.Path("outside.txt")) == kOutside, "a file outside the root changed");
  FUZZ_CHECK(LowestFreeFd() == free_fd, "host fd leaked (lowest free fd %d, was %d)",
             LowestFreeFd(), free_fd);
  return 0;
}
