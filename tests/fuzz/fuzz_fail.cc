#include <cstdarg>
#include <cstdio>
#include <cstdlib>

#include "tests/fuzz/fuzz_target.h"

void FuzzFail(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  std::fputs("fuzz invariant broken: ", stderr);
  std::vfprintf(stderr, fmt, ap);
  std::fputc('\n', stderr);
  va_end(ap);
  std::abort();
}
