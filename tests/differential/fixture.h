// The directory every differential case runs in, natively and as minivm's
// --root: text, numbers, binary data, a small tree, and compressed/archived
// copies made by the host's own tools.
#ifndef MINIVM_TESTS_DIFFERENTIAL_FIXTURE_H
#define MINIVM_TESTS_DIFFERENTIAL_FIXTURE_H

#include <string>

namespace minivm_test {

// Fills `dir` (which exists and is empty). Returns "" or why it failed.
std::string BuildDifferentialFixture(const std::string& dir, const std::string& busybox);

}  // namespace minivm_test

#endif
