// Paths of a test's data files, passed as NAME=PATH arguments, e.g. in BUILD:
//   args = ["minivm=$(rootpath //:minivm)"], data = ["//:minivm"]
// Link :data_args_main (instead of gtest_main) and call DataPath("minivm").
#ifndef MINIVM_TESTS_SUPPORT_DATA_ARGS_H
#define MINIVM_TESTS_SUPPORT_DATA_ARGS_H

#include <string>

namespace minivm_test {

// Records every NAME=PATH argument (PATH made absolute, symlinks kept).
// Returns false after printing why if an argument is not NAME=PATH.
bool ParseDataArgs(int argc, char** argv);

// The absolute path given as NAME; aborts the test binary if there is none.
const std::string& DataPath(const std::string& name);

// Whether NAME was given (for optional data).
bool HasDataPath(const std::string& name);

}  // namespace minivm_test

#endif  // MINIVM_TESTS_SUPPORT_DATA_ARGS_H
