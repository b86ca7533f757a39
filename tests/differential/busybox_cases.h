// The busybox applet cases of the differential suite (issue 3): each runs
// natively and under minivm in the same fixture directory.
#ifndef MINIVM_TESTS_DIFFERENTIAL_BUSYBOX_CASES_H
#define MINIVM_TESTS_DIFFERENTIAL_BUSYBOX_CASES_H

#include <ostream>
#include <string>
#include <vector>

namespace minivm_test {

struct DifferentialCase {
  std::string name;               // test name: letters, digits, '_'
  std::vector<std::string> args;  // after the program path
  std::string stdin_data;
};

const std::vector<DifferentialCase>& BusyboxCases();

// For gtest messages: "busybox sort -n numbers.txt".
inline void PrintTo(const DifferentialCase& c, std::ostream* os) {
  *os << "busybox";
  for (const std::string& arg : c.args) *os << " " << arg;
}

}  // namespace minivm_test

#endif
