#include "tests/support/subprocess.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace minivm_test {
namespace {

using Clock = std::chrono::steady_clock;

// The child's environment: ours with `extra` added or replaced.
std::vector<std::string> ChildEnvironment(const std::map<std::string, std::string>& extra) {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string entry(*e);
    std::string key = entry.substr(0, entry.find('='));
    if (extra.count(key) == 0) env.push_back(entry);
  }
  for (const auto& kv : extra) env.push_back(kv.first + "=" + kv.second);
  return env;
}

std::vector<char*> CStrings(std::vector<std::string>& strings) {
  std::vector<char*> result;
  for (auto& s : strings) result.push_back(&s[0]);
  result.push_back(nullptr);
  return result;
}

void CloseIfOpen(int& fd) {
  if (fd >= 0) close(fd);
  fd = -1;
}

}  // namespace

RunResult RunCommand(const std::vector<std::string>& argv, const RunOptions& options) {
  RunResult result;
  if (argv.empty()) {
    result.error = "empty command";
    return result;
  }
  int out_pipe[2], err_pipe[2], in_pipe[2], exec_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) || pipe2(err_pipe, O_CLOEXEC) || pipe2(in_pipe, O_CLOEXEC) ||
      pipe2(exec_pipe, O_CLOEXEC)) {
    result.error = std::string("pipe: ") + strerror(errno);
    return result;
  }
  std::vector<std::string> args(argv);
  std::vector<std::string> env = ChildEnvironment(options.env);
  std::vector<char*> c_args = CStrings(args);
  std::vector<char*> c_env = CStrings(env);

  auto start = Clock::now();
  pid_t pid = fork();
  if (pid == 0) {
    // Child: only async-signal-safe calls from here on.
    int devnull = open("/dev/null", O_RDONLY);
    dup2(options.stdin_data.empty() ? devnull : in_pipe[0], 0);
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    signal(SIGPIPE, SIG_DFL);
    if (!options.cwd.empty() && chdir(options.cwd.c_str()) != 0) {
      int err = errno;
      (void)!write(exec_pipe[1], &err, sizeof err);
      _exit(127);
    }
    execve(c_args[0], c_args.data(), c_env.data());
    int err = errno;
    (void)!write(exec_pipe[1], &err, sizeof err);
    _exit(127);
  }
  for (int* p : {&out_pipe[1], &err_pipe[1], &in_pipe[0], &exec_pipe[1]}) CloseIfOpen(*p);
  if (pid < 0) {
    result.error = std::string("fork: ") + strerror(errno);
    for (int* p : {&out_pipe[0], &err_pipe[0], &in_pipe[1], &exec_pipe[0]}) CloseIfOpen(*p);
    return result;
  }
  int exec_errno = 0;
  if (read(exec_pipe[0], &exec_errno, sizeof exec_errno) == (ssize_t)sizeof exec_errno)
    result.error = std::string("cannot run ") + argv[0] + ": " + strerror(exec_errno);
  else
    result.started = true;
  CloseIfOpen(exec_pipe[0]);
  if (options.stdin_data.empty()) CloseIfOpen(in_pipe[1]);

  // Pump the pipes until the child closes stdout and stderr, or time runs out.
  // (SIGPIPE from a child that ignores its stdin must not kill the test.)
  struct sigaction ignore = {}, old_pipe = {};
  ignore.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &ignore, &old_pipe);
  size_t stdin_written = 0;
  auto deadline = start + options.timeout;
  while (out_pipe[0] >= 0 || err_pipe[0] >= 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      kill(pid, SIGKILL);
      result.timed_out = true;
      break;
    }
    struct pollfd fds[3] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0},
                            {in_pipe[1], POLLOUT, 0}};
    if (poll(fds, 3, (int)left.count()) < 0) {
      if (errno == EINTR) continue;
      kill(pid, SIGKILL);
      result.error = std::string("poll: ") + strerror(errno);
      break;
    }
    int* read_fds[2] = {&out_pipe[0], &err_pipe[0]};
    std::string* sinks[2] = {&result.out, &result.err};
    for (int i = 0; i < 2; i++) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      char buf[65536];
      ssize_t n = read(*read_fds[i], buf, sizeof buf);
      if (n > 0)
        sinks[i]->append(buf, (size_t)n);
      else if (n == 0 || errno != EINTR)
        CloseIfOpen(*read_fds[i]);
    }
    if (fds[2].fd >= 0 && fds[2].revents != 0) {
      ssize_t n = write(in_pipe[1], options.stdin_data.data() + stdin_written,
                        options.stdin_data.size() - stdin_written);
      if (n > 0) stdin_written += (size_t)n;
      if (n < 0 && errno != EINTR && errno != EAGAIN) stdin_written = options.stdin_data.size();
      if (stdin_written == options.stdin_data.size()) CloseIfOpen(in_pipe[1]);
    }
  }
  sigaction(SIGPIPE, &old_pipe, nullptr);
  for (int* p : {&out_pipe[0], &err_pipe[0], &in_pipe[1]}) CloseIfOpen(*p);

  int wstatus = 0;
  while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
  }
  result.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  if (WIFEXITED(wstatus)) {
    result.exited = true;
    result.status = WEXITSTATUS(wstatus);
  } else if (WIFSIGNALED(wstatus)) {
    result.signal = WTERMSIG(wstatus);
  }
  return result;
}

std::ostream& operator<<(std::ostream& os, const RunResult& result) {
  if (!result.started) return os << "not started: " << result.error;
  if (result.exited)
    os << "status " << result.status;
  else
    os << "signal " << result.signal;
  if (result.timed_out) os << " (timed out)";
  os << " after " << result.elapsed.count() << " ms\n--- stdout ---\n"
     << result.out << "--- stderr ---\n"
     << result.err;
  return os;
}

}  // namespace minivm_test
