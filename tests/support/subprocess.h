// Runs a command as a child process and captures what it did: stdout, stderr,
// exit status or signal, wall time; kills it (SIGKILL) after a timeout.
#ifndef MINIVM_TESTS_SUPPORT_SUBPROCESS_H
#define MINIVM_TESTS_SUPPORT_SUBPROCESS_H

#include <chrono>
#include <map>
#include <ostream>
#include <string>
#include <vector>

namespace minivm_test {

struct RunOptions {
  std::chrono::milliseconds timeout{30000};
  // Added to (or replacing in) the test's own environment.
  std::map<std::string, std::string> env;
  // Fed to the child's stdin, which is then closed (empty: /dev/null).
  std::string stdin_data;
  // Working directory of the child (empty: the test's).
  std::string cwd;
};

struct RunResult {
  bool started = false;    // false: fork/exec failed; see `error`
  bool exited = false;     // ended with exit(); `status` is valid
  int status = -1;         // exit status when `exited`
  int signal = 0;          // terminating signal when not `exited`
  bool timed_out = false;  // killed by RunCommand after the timeout
  std::string out;         // everything written to stdout
  std::string err;         // everything written to stderr
  std::string error;       // why the command could not run
  std::chrono::milliseconds elapsed{0};
};

// Runs argv[0] (a path; PATH is not searched) with argv.
RunResult RunCommand(const std::vector<std::string>& argv, const RunOptions& options = {});

// For assertion messages: "status 42" / "signal 9 (timed out)" plus the output.
std::ostream& operator<<(std::ostream& os, const RunResult& result);

}  // namespace minivm_test

#endif  // MINIVM_TESTS_SUPPORT_SUBPROCESS_H
