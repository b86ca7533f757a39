// instant_parse (plugins/clock/instant.c), the clock's `start` values:
// ISO 8601 UTC with an optional fraction, or whole seconds since the epoch,
// from 1970 to 2200-01-01T00:00:00Z; everything else refused.
#include <gtest/gtest.h>

#include <cstdint>

extern "C" {
#include "clock/instant.h"
}

namespace {

constexpr int64_t kSecond = 1000000000;

struct Good {
  const char *text;
  int64_t ns;
};

TEST(InstantTest, AcceptsIsoAndEpochSeconds) {
  for (Good g : {Good{"1970-01-01T00:00:00Z", 0},
                 {"2024-01-01T00:00:00Z", 1704067200 * kSecond},
                 {"2024-02-29T12:34:56Z", 1709210096 * kSecond},
                 {"2024-01-01T00:00:00.5Z", 1704067200 * kSecond + kSecond / 2},
                 {"2024-01-01T00:00:00.123456789Z", 1704067200 * kSecond + 123456789},
                 {"2024-01-01T00:00:00.1234567891Z", 1704067200 * kSecond + 123456789},
                 {"2200-01-01T00:00:00Z", 7258118400 * kSecond},
                 {"0", 0},
                 {"1704067200", 1704067200 * kSecond},
                 {"7258118400", 7258118400 * kSecond}}) {
    int64_t ns = -1;
    EXPECT_EQ(instant_parse(g.text, &ns), 0) << g.text;
    EXPECT_EQ(ns, g.ns) << g.text;
  }
}

TEST(InstantTest, RefusesEverythingElse) {
  for (const char *text :
       {"", "Z", "now", " 0", "+5", "-1", "1e9", "0x10", "12abc", "2024-01-01",
        "2024-01-01T00:00:00", "2024-01-01T00:00:00z", "2024-01-01 00:00:00Z",
        "2024-01-01T00:00:00+00:00", "2024-01-01T00:00:00.Z", "2024-01-01T00:00Z",
        "2024-13-01T00:00:00Z", "2024-01-32T00:00:00Z", "2024-01-01T24:00:00Z",
        "1969-12-31T23:59:59Z", "2200-01-01T00:00:01Z", "7258118401",
        // Past what nanoseconds in an int64_t can hold (2262): must not wrap.
        "9999999999", "9223372037", "99999999999999999999", "9999-12-31T23:59:59Z"}) {
    int64_t ns = 42;
    EXPECT_EQ(instant_parse(text, &ns), -1) << "\"" << text << "\"";
    EXPECT_EQ(ns, 42) << "\"" << text << "\" changed the result";
  }
}

TEST(InstantTest, RefusesDaysTheMonthDoesNotHave) {
  int64_t ns;
  EXPECT_EQ(instant_parse("2023-02-29T00:00:00Z", &ns), -1);
  EXPECT_EQ(instant_parse("2024-04-31T00:00:00Z", &ns), -1);
  EXPECT_EQ(instant_parse("2024-02-29T00:00:00Z", &ns), 0) << "2024 is a leap year";
}

}  // namespace
