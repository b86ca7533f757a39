// Debian's own dynamically linked programs in the differential suite (issue
// 12): each runs natively and under `minivm --root /` in the fixture
// directory, with the same minimal environment.
#ifndef MINIVM_TESTS_DIFFERENTIAL_DEBIAN_CASES_H
#define MINIVM_TESTS_DIFFERENTIAL_DEBIAN_CASES_H

#include <ostream>
#include <string>
#include <vector>

namespace minivm_test {

struct DebianCase {
  std::string name;               // test name: letters, digits, '_'
  std::vector<std::string> argv;  // argv[0] is an absolute host path
  std::string stdin_data;
};

const std::vector<DebianCase>& DebianCases();

inline void PrintTo(const DebianCase& c, std::ostream* os) {
  for (size_t i = 0; i < c.argv.size(); i++) *os << (i ? " " : "") << c.argv[i];
}

}  // namespace minivm_test

#endif
