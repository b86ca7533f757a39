#include "tests/e2e_devices/guest_runner.h"

#include "tests/support/data_args.h"

namespace minivm_test {

GuestRunner::GuestRunner(const char* devices) {
  if (devices == nullptr) return;
  config_ = config_dir_.Write("vm.ini", std::string("[plugin platform]\n"
                                                    "[plugin console]\n"
                                                    "[plugin fileio]\n") +
                                            devices);
}

RunResult GuestRunner::Run(const std::string& program, const std::vector<std::string>& args,
                           const std::string& stdin_data) const {
  std::vector<std::string> argv = {DataPath("minivm")};
  if (!config_.empty()) argv.insert(argv.end(), {"-c", config_});
  argv.insert(argv.end(), {"--root", root_.path(), "--timeout", "60s"});
  argv.insert(argv.end(), flags_.begin(), flags_.end());
  argv.push_back("--");
  argv.push_back(program[0] == '/' ? program : DataPath(program));
  argv.insert(argv.end(), args.begin(), args.end());
  RunOptions options;
  options.cwd = cwd_.empty() ? root_.path() : cwd_;
  options.stdin_data = stdin_data;
  return RunCommand(argv, options);
}

}  // namespace minivm_test
