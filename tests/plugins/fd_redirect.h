// Temporarily replaces one of the test process's fds 0-2 with a pipe, so a
// plugin's direct I/O on the host's stdin/stdout/stderr can be observed.
#ifndef MINIVM_TESTS_PLUGINS_FD_REDIRECT_H
#define MINIVM_TESTS_PLUGINS_FD_REDIRECT_H

#include <string>
#include <thread>

// Everything written to `fd` while this object lives (until Finish) is
// collected; a reader thread drains the pipe so large writes never block.
class FdCapture {
 public:
  explicit FdCapture(int fd);
  ~FdCapture() { Finish(); }
  // Restores the original fd and returns what was written.
  std::string Finish();

 private:
  int fd_;
  int saved_ = -1;
  std::string data_;
  std::thread reader_;
};

// Makes `fd` a pipe whose other end is given to the caller, for feeding stdin
// or for a pipe with no reader (EPIPE). Restores `fd` on destruction.
class FdPipe {
 public:
  // is_read_end: `fd` becomes the pipe's read end (stdin), else its write end.
  FdPipe(int fd, bool is_read_end);
  ~FdPipe();
  int other_end() const { return other_; }
  void CloseOtherEnd();

 private:
  int fd_;
  int saved_;
  int other_;
};

// Replaces `fd` with an arbitrary fd (e.g. a pty) until destruction.
class FdSwap {
 public:
  FdSwap(int fd, int replacement);
  ~FdSwap();

 private:
  int fd_;
  int saved_;
};

#endif  // MINIVM_TESTS_PLUGINS_FD_REDIRECT_H
