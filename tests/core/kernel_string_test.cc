// The guest kernel's string functions (guest/kernel/lib/string.c, built for
// the host as kernel_*) against the C library's: the same sign for every
// comparison, lengths and positions, on random and hand-picked inputs; and
// no read past the first difference or terminator (the bytes after it lie on
// an inaccessible page).
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <random>
#include <string>

#include "gtest/gtest.h"

extern "C" {
int kernel_memcmp(const void *a, const void *b, size_t n);
int kernel_strcmp(const char *a, const char *b);
int kernel_strncmp(const char *a, const char *b, size_t n);
size_t kernel_strnlen(const char *s, size_t max);
size_t kernel_strlen(const char *s);
void *kernel_memchr(const void *s, int c, size_t n);
}

namespace {

int Sign(int v) { return (v > 0) - (v < 0); }

// Strings over a small alphabet (with bytes above 0x7f, which compare as
// unsigned), so that long common prefixes and equal strings are frequent.
std::string RandomString(std::mt19937 &rng, size_t max_len) {
  static const unsigned char kAlphabet[] = {'a', 'b', '/', 0x80, 0xff};
  std::string s(rng() % (max_len + 1), 'a');
  for (char &c : s) c = static_cast<char>(kAlphabet[rng() % sizeof kAlphabet]);
  return s;
}

TEST(KernelStringTest, ComparisonsAgreeWithTheCLibrary) {
  std::mt19937 rng(15);
  for (int round = 0; round < 20000; round++) {
    std::string a = RandomString(rng, 12), b = rng() % 3 == 0 ? a : RandomString(rng, 12);
    if (rng() % 4 == 0 && !b.empty()) b[rng() % b.size()] ^= 1;  // one byte off
    size_t n = rng() % 16;
    SCOPED_TRACE("a=\"" + a + "\" b=\"" + b + "\" n=" + std::to_string(n));
    EXPECT_EQ(Sign(kernel_strcmp(a.c_str(), b.c_str())), Sign(strcmp(a.c_str(), b.c_str())));
    EXPECT_EQ(Sign(kernel_strncmp(a.c_str(), b.c_str(), n)),
              Sign(strncmp(a.c_str(), b.c_str(), n)));
    size_t m = std::min({n, a.size(), b.size()});
    EXPECT_EQ(Sign(kernel_memcmp(a.data(), b.data(), m)), Sign(memcmp(a.data(), b.data(), m)));
    EXPECT_EQ(kernel_strnlen(a.c_str(), n), strnlen(a.c_str(), n));
    EXPECT_EQ(kernel_strlen(a.c_str()), a.size());
  }
}

TEST(KernelStringTest, EdgeCases) {
  EXPECT_EQ(kernel_memcmp("a", "b", 0), 0);
  EXPECT_EQ(kernel_strncmp("abc", "xyz", 0), 0);
  EXPECT_EQ(kernel_strcmp("", ""), 0);
  EXPECT_LT(kernel_strcmp("", "a"), 0);
  EXPECT_GT(kernel_strcmp("a", ""), 0);
  EXPECT_LT(kernel_strcmp("ab", "abc"), 0);
  EXPECT_GT(kernel_strcmp("abc", "ab"), 0);
  EXPECT_GT(kernel_strcmp("a\xff", "a\x01"), 0);  // unsigned bytes
  EXPECT_EQ(kernel_strncmp("abcX", "abcY", 3), 0);
  EXPECT_LT(kernel_strncmp("abcX", "abcY", 4), 0);
  EXPECT_EQ(kernel_strncmp("abc", "abc", SIZE_MAX), 0);
  EXPECT_GT(kernel_memcmp("ab\x90", "ab\x10", 3), 0);
  const char text[] = "hello";
  EXPECT_EQ(kernel_memchr(text, 'l', 5), text + 2);
  EXPECT_EQ(kernel_memchr(text, 'z', 5), nullptr);
  EXPECT_EQ(kernel_memchr(text, 'h', 0), nullptr);
}

// Two pages, the second inaccessible: strings placed to end right before it.
class GuardedBuffer {
 public:
  GuardedBuffer() {
    page_ = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    void *m = mmap(nullptr, 2 * page_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    base_ = static_cast<char *>(m);
    if (m != MAP_FAILED) mprotect(base_ + page_, page_, PROT_NONE);
  }
  ~GuardedBuffer() { munmap(base_, 2 * page_); }
  bool ok() const { return base_ != MAP_FAILED; }
  // `bytes` copied so that its last byte is the page's last.
  const char *AtEnd(const std::string &bytes) {
    char *p = base_ + page_ - bytes.size();
    memcpy(p, bytes.data(), bytes.size());
    return p;
  }

 private:
  size_t page_ = 0;
  char *base_ = nullptr;
};

TEST(KernelStringTest, ReadsNoFurtherThanTheDifferenceOrTheTerminator) {
  GuardedBuffer a_buf, b_buf;
  ASSERT_TRUE(a_buf.ok() && b_buf.ok());
  // b ends (NUL) at the page end; a goes on in memory that b never has.
  const char *b = b_buf.AtEnd(std::string("abc", 4));
  static const char a[] = "abcdefgh";
  EXPECT_GT(kernel_strcmp(a, b), 0);
  EXPECT_GT(kernel_strncmp(a, b, 100), 0);
  EXPECT_LT(kernel_strcmp(b, a), 0);
  // Both end at their page end, equal: nothing after the NULs is read.
  const char *a2 = a_buf.AtEnd(std::string("abc", 4));
  EXPECT_EQ(kernel_strcmp(a2, b), 0);
  EXPECT_EQ(kernel_strncmp(a2, b, 1000), 0);
  // A difference in the last accessible byte, and no terminator at all.
  const char *c = a_buf.AtEnd("abcx");
  const char *d = b_buf.AtEnd("abcy");
  EXPECT_LT(kernel_memcmp(c, d, 4), 0);
  EXPECT_LT(kernel_strncmp(c, d, 4), 0);
  EXPECT_EQ(kernel_strncmp(c, d, 3), 0);
  EXPECT_EQ(kernel_strnlen(c, 4), 4u);
}

}  // namespace
