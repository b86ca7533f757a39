// sanitize_text on its own: what may and may not reach the host terminal.
extern "C" {
#include "platform/sanitize.h"
}

#include <gtest/gtest.h>

#include <string>

namespace {

std::string Sanitize(const std::string &in, size_t cap = 4096) {
  std::string out(cap, '\xff');
  size_t n = sanitize_text(reinterpret_cast<const unsigned char *>(in.data()), in.size(),
                           out.data(), cap);
  EXPECT_EQ(out[n], '\0');
  return out.substr(0, n);
}

TEST(SanitizeTest, PrintableAsciiPassesThrough) {
  EXPECT_EQ(Sanitize("panic: rip=0x401000 {ok} ~"), "panic: rip=0x401000 {ok} ~");
}

TEST(SanitizeTest, CsiSequencesAreRemovedWhole) {
  EXPECT_EQ(Sanitize("a\x1b[1;31mb\x1b[0mc\x1b[2Jd\x1b[?25le"), "abcde");
}

TEST(SanitizeTest, StringSequencesAreRemovedUpToTheirTerminator) {
  EXPECT_EQ(Sanitize("a\x1b]0;title\x07" "b"), "ab") << "OSC ended by BEL";
  EXPECT_EQ(Sanitize("a\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\" "b"), "alinkb")
      << "OSC ended by ST (hyperlink)";
  EXPECT_EQ(Sanitize("a\x1bPq#0;2\x1b\\b"), "ab") << "DCS";
}

TEST(SanitizeTest, OtherEscapesAreRemoved) {
  EXPECT_EQ(Sanitize("a\x1b" "cb"), "ab") << "RIS (reset terminal)";
  EXPECT_EQ(Sanitize("a\x1b(0b"), "ab") << "charset switch";
  EXPECT_EQ(Sanitize("a\x1b" "7b\x1b" "8"), "ab");
}

TEST(SanitizeTest, UnterminatedSequencesDropTheRest) {
  EXPECT_EQ(Sanitize("ok\x1b[31"), "ok");
  EXPECT_EQ(Sanitize("ok\x1b]0;half a title"), "ok");
  EXPECT_EQ(Sanitize("ok\x1b"), "ok");
}

TEST(SanitizeTest, ControlAndHighBytes) {
  EXPECT_EQ(Sanitize("a\tb"), "a b");
  EXPECT_EQ(Sanitize(std::string("a\r\b\x7f\x00\x01z", 8)), "az");
  EXPECT_EQ(Sanitize("caf\xc3\xa9 \x9b" "31m"), "caf?? ?31m") << "C1 CSI is neutralised";
}

TEST(SanitizeTest, LinesAreNonEmptyWithoutTrailingNewline) {
  EXPECT_EQ(Sanitize("\n\none\n\r\n\x1b[0m\ntwo\n\n"), "one\ntwo");
  EXPECT_EQ(Sanitize("\n\n"), "");
}

TEST(SanitizeTest, OutputIsBoundedByCapacity) {
  EXPECT_EQ(Sanitize(std::string(100, 'x'), 11), std::string(10, 'x'));
  EXPECT_EQ(Sanitize("abcdef", 1), "");
}

}  // namespace
