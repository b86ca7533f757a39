// Runs a program in minivm with a chosen device set, for the device tests.
#ifndef MINIVM_TESTS_E2E_DEVICES_GUEST_RUNNER_H
#define MINIVM_TESTS_E2E_DEVICES_GUEST_RUNNER_H

#include <string>
#include <vector>

#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace minivm_test {

const char kBusybox[] = "/bin/busybox";  // Debian's busybox-static (tools/setup.sh)

class GuestRunner {
 public:
  // `devices`: INI [plugin ...] sections added to platform, console and fileio
  // (which every run needs); nullptr: no config file, the built-in defaults.
  explicit GuestRunner(const char* devices);

  // minivm -c CONFIG --root ROOT -- PROGRAM ARGS, in the root. PROGRAM is a
  // data-argument name (a Bazel-built program) or an absolute host path.
  RunResult Run(const std::string& program, const std::vector<std::string>& args = {},
                const std::string& stdin_data = "") const;

  const TempDir& root() const { return root_; }

  // More minivm flags (--mount, --workdir, ...) before the program, and the
  // host directory minivm starts in (default: the root).
  void set_flags(const std::vector<std::string>& flags) { flags_ = flags; }
  void set_cwd(const std::string& cwd) { cwd_ = cwd; }

 private:
  TempDir config_dir_;
  TempDir root_;
  std::string config_;  // empty: built-in defaults
  std::vector<std::string> flags_;
  std::string cwd_;  // empty: the root
};

}  // namespace minivm_test

#endif  // MINIVM_TESTS_E2E_DEVICES_GUEST_RUNNER_H
