// The RSP framing and hex helpers (core/gdb/rsp_framing.h, rsp_hex.h): what
// gdb sends is decoded byte by byte, with checksums, escapes and bounds.
#include <gtest/gtest.h>

#include <string>

extern "C" {
#include "core/gdb/rsp_framing.h"
#include "core/gdb/rsp_hex.h"
}

namespace {

// Feeds `bytes`; returns the inputs seen, one letter each (P packet, B bad,
// I interrupt), and the last packet's payload in *last.
std::string Feed(rsp_decoder *d, const std::string &bytes, std::string *last = nullptr) {
  std::string seen;
  for (unsigned char c : bytes) {
    switch (rsp_decoder_feed(d, c)) {
      case RSP_INPUT_PACKET:
        seen += 'P';
        if (last) *last = std::string(reinterpret_cast<char *>(d->data), d->len);
        break;
      case RSP_INPUT_BAD:
        seen += 'B';
        break;
      case RSP_INPUT_INTERRUPT:
        seen += 'I';
        break;
      case RSP_INPUT_NONE:
        break;
    }
  }
  return seen;
}

std::string Frame(const std::string &payload) {
  unsigned sum = 0;
  for (unsigned char c : payload) sum += c;
  char cs[3];
  snprintf(cs, sizeof cs, "%02x", sum & 0xff);
  return "$" + payload + "#" + cs;
}

TEST(RspDecoder, DecodesAPacketWithItsChecksum) {
  rsp_decoder d;
  rsp_decoder_init(&d);
  std::string last;
  EXPECT_EQ(Feed(&d, "+$g#67", &last), "P");
  EXPECT_EQ(last, "g");
  EXPECT_EQ(Feed(&d, Frame("qSupported:multiprocess+;swbreak+"), &last), "P");
  EXPECT_EQ(last, "qSupported:multiprocess+;swbreak+");
}

TEST(RspDecoder, RefusesABadChecksumOrANonHexOne) {
  rsp_decoder d;
  rsp_decoder_init(&d);
  EXPECT_EQ(Feed(&d, "$g#68"), "B");
  EXPECT_EQ(Feed(&d, "$g#zz"), "B");
  EXPECT_EQ(Feed(&d, "$g#67"), "P");  // and recovers
}

TEST(RspDecoder, UnescapesBinaryDataAndSumsTheRawBytes) {
  rsp_decoder d;
  rsp_decoder_init(&d);
  // X packet data "#}$*" escaped as }\x03 }] }\x04 }\x0a.
  std::string raw = "X1,4:}\x03}]}\x04}\x0a";
  std::string last;
  EXPECT_EQ(Feed(&d, Frame(raw), &last), "P");
  EXPECT_EQ(last, "X1,4:#}$*");
}

TEST(RspDecoder, ReportsCtrlCOnlyOutsideAPacket) {
  rsp_decoder d;
  rsp_decoder_init(&d);
  EXPECT_EQ(Feed(&d, "\x03"), "I");
  std::string last;
  EXPECT_EQ(Feed(&d, Frame(std::string("a\x03z", 3)), &last), "P");
  EXPECT_EQ(last, std::string("a\x03z", 3));
}

TEST(RspDecoder, DropsAnOverlongPacketWhole) {
  rsp_decoder d;
  rsp_decoder_init(&d);
  std::string big(RSP_PACKET_MAX + 1, 'a');
  EXPECT_EQ(Feed(&d, Frame(big)), "B");
  std::string exact(RSP_PACKET_MAX, 'a');
  std::string last;
  EXPECT_EQ(Feed(&d, Frame(exact), &last), "P");
  EXPECT_EQ(last.size(), RSP_PACKET_MAX);
}

TEST(RspDecoder, StartsOverAtADollarInsideAPacket) {
  rsp_decoder d;
  rsp_decoder_init(&d);
  std::string last;
  EXPECT_EQ(Feed(&d, "$mlost" + Frame("g"), &last), "P");
  EXPECT_EQ(last, "g");
}

TEST(RspEncode, EscapesAndChecksums) {
  uint8_t out[64];
  const char data[] = "a#b$c}d*";
  size_t n = rsp_encode(reinterpret_cast<const uint8_t *>(data), 8, out, sizeof out);
  std::string framed(reinterpret_cast<char *>(out), n);
  EXPECT_EQ(framed.substr(0, 13), "$a}\x03" "b}\x04" "c}]d}\x0a");
  // What the encoder writes, the decoder reads back.
  rsp_decoder d;
  rsp_decoder_init(&d);
  std::string last;
  EXPECT_EQ(Feed(&d, framed, &last), "P");
  EXPECT_EQ(last, std::string(data, 8));
}

TEST(RspEncode, RefusesWhatDoesNotFit) {
  uint8_t out[8];
  const uint8_t data[] = {'1', '2', '3', '4', '5'};
  EXPECT_EQ(rsp_encode(data, 5, out, sizeof out), 0u);
  EXPECT_EQ(rsp_encode(data, 4, out, sizeof out), 8u);
}

TEST(RspHex, ParsesBoundedNumbers) {
  const uint8_t text[] = "ffffffffffffffff,10000000000000000";
  const uint8_t *p = text, *end = text + sizeof text - 1;
  uint64_t v = 0;
  ASSERT_TRUE(rsp_hex_parse_u64(&p, end, &v));
  EXPECT_EQ(v, ~0ull);
  EXPECT_EQ(*p, ',');
  p++;
  EXPECT_FALSE(rsp_hex_parse_u64(&p, end, &v));  // 17 digits
  const uint8_t none[] = ",1";
  p = none;
  EXPECT_FALSE(rsp_hex_parse_u64(&p, none + 2, &v));
}

TEST(RspHex, DecodesOnlyWholeBytesThatFit) {
  uint8_t out[2];
  size_t n = 0;
  const uint8_t good[] = "0aFf";
  EXPECT_TRUE(rsp_hex_decode(good, 4, out, 2, &n));
  EXPECT_EQ(n, 2u);
  EXPECT_EQ(out[0], 0x0a);
  EXPECT_EQ(out[1], 0xff);
  EXPECT_FALSE(rsp_hex_decode(good, 3, out, 2, &n));
  const uint8_t bad[] = "0g";
  EXPECT_FALSE(rsp_hex_decode(bad, 2, out, 2, &n));
  const uint8_t longer[] = "010203";
  EXPECT_FALSE(rsp_hex_decode(longer, 6, out, 2, &n));
}

}  // namespace
