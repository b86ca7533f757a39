// Every example configuration in configs/ is valid as shipped: minivm loads it
// (every key known to the core or its plugin) and runs a program with it.
#include <dirent.h>

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/support/data_args.h"
#include "tests/support/kvm_required.h"
#include "tests/support/runfiles.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace minivm_test {
namespace {

std::vector<std::string> ExampleConfigs() {
  std::vector<std::string> names;
  std::string dir = RunfilePath("configs");
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d)) {
      std::string name = e->d_name;
      if (name.size() > 4 && name.compare(name.size() - 4, 4, ".ini") == 0)
        names.push_back(dir + "/" + name);
    }
    closedir(d);
  }
  return names;
}

TEST(ConfigsTest, EveryExampleConfigRunsAProgram) {
  MINIVM_NEED_KVM();
  std::vector<std::string> configs = ExampleConfigs();
  ASSERT_GE(configs.size(), 2u) << "configs/*.ini not found in the runfiles";
  for (const std::string& config : configs) {
    TempDir root;
    RunOptions options;
    options.cwd = root.path();
    RunResult r = RunCommand({DataPath("minivm"), "-c", config, "--root", root.path(), "--",
                              DataPath("hello_musl")},
                             options);
    EXPECT_TRUE(r.exited && r.status == 0) << config << ": " << r;
    EXPECT_EQ(r.out, "hello from musl\n") << config;
  }
}

}  // namespace
}  // namespace minivm_test
