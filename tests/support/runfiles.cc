#include "tests/support/runfiles.h"

#include <cstdlib>

namespace minivm_test {

std::string RunfilePath(const std::string &rel) {
  const char *srcdir = std::getenv("TEST_SRCDIR");
  const char *workspace = std::getenv("TEST_WORKSPACE");
  if (srcdir != nullptr && workspace != nullptr)
    return std::string(srcdir) + "/" + workspace + "/" + rel;
  // Run by hand from the workspace root: bazel-bin holds the outputs.
  return "bazel-bin/" + rel;
}

}  // namespace minivm_test
