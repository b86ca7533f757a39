#include "tests/plugins/fd_redirect.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <stdexcept>

namespace {

int Check(int r, const char *what) {
  if (r < 0) throw std::runtime_error(what);
  return r;
}

// gtest and the test itself write through stdio; flush so nothing buffered
// before a swap comes out on the wrong side of it.
void FlushStdio() {
  std::fflush(stdout);
  std::fflush(stderr);
}

}  // namespace

FdCapture::FdCapture(int fd) : fd_(fd) {
  int p[2];
  Check(pipe2(p, O_CLOEXEC), "pipe2");
  FlushStdio();
  saved_ = Check(fcntl(fd, F_DUPFD_CLOEXEC, 10), "dup");
  Check(dup2(p[1], fd), "dup2");
  close(p[1]);
  int rd = p[0];
  reader_ = std::thread([this, rd] {
    char buf[65536];
    ssize_t n;
    while ((n = read(rd, buf, sizeof buf)) > 0) data_.append(buf, static_cast<size_t>(n));
    close(rd);
  });
}

std::string FdCapture::Finish() {
  if (saved_ >= 0) {
    FlushStdio();
    dup2(saved_, fd_);  // drops the last write end: the reader sees EOF
    close(saved_);
    saved_ = -1;
    reader_.join();
  }
  return data_;
}

FdPipe::FdPipe(int fd, bool is_read_end) : fd_(fd) {
  int p[2];
  Check(pipe2(p, O_CLOEXEC), "pipe2");
  FlushStdio();
  saved_ = Check(fcntl(fd, F_DUPFD_CLOEXEC, 10), "dup");
  Check(dup2(is_read_end ? p[0] : p[1], fd), "dup2");
  close(is_read_end ? p[0] : p[1]);
  other_ = is_read_end ? p[1] : p[0];
}

void FdPipe::CloseOtherEnd() {
  if (other_ >= 0) close(other_);
  other_ = -1;
}

FdPipe::~FdPipe() {
  CloseOtherEnd();
  FlushStdio();
  dup2(saved_, fd_);
  close(saved_);
}

FdSwap::FdSwap(int fd, int replacement) : fd_(fd) {
  FlushStdio();
  saved_ = Check(fcntl(fd, F_DUPFD_CLOEXEC, 10), "dup");
  Check(dup2(replacement, fd), "dup2");
}

FdSwap::~FdSwap() {
  FlushStdio();
  dup2(saved_, fd_);
  close(saved_);
}
