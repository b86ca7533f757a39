// Path of a runfile (e.g. "plugins/fileio/fileio.so") of the running test:
// beneath $TEST_SRCDIR/$TEST_WORKSPACE under `bazel test`, else under
// bazel-bin/ (a test binary run by hand from the workspace root).
#ifndef MINIVM_TESTS_SUPPORT_RUNFILES_H
#define MINIVM_TESTS_SUPPORT_RUNFILES_H

#include <string>

namespace minivm_test {

std::string RunfilePath(const std::string &rel);

}  // namespace minivm_test

#endif  // MINIVM_TESTS_SUPPORT_RUNFILES_H
