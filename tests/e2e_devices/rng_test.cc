// The rng device (issue 4): with `seed = N` getrandom() and AT_RANDOM are the
// same bytes on every run, other seeds give other bytes; without the device
// the kernel's ChaCha20 fallback still serves them.
#include <regex>
#include <string>

#include "gtest/gtest.h"
#include "tests/e2e_devices/guest_runner.h"
#include "tests/support/kvm_required.h"

namespace minivm_test {
namespace {

const std::regex kOutput("getrandom [0-9a-f]{64}\nat_random [0-9a-f]{32}\n");

class RngTest : public testing::TestWithParam<const char*> {
 protected:
  void SetUp() override { MINIVM_NEED_KVM(); }

  // The program's output (checked for its shape) under `devices`.
  std::string Bytes(const char* devices) {
    RunResult r = GuestRunner(devices).Run(GetParam());
    EXPECT_TRUE(r.exited && r.status == 0) << r;
    EXPECT_TRUE(std::regex_match(r.out, kOutput)) << r;
    return r.out;
  }
};

TEST_P(RngTest, SeededDeviceRepeatsItsBytes) {
  std::string first = Bytes("[plugin rng]\nseed = 42\n");
  EXPECT_EQ(Bytes("[plugin rng]\nseed = 42\n"), first);
}

TEST_P(RngTest, OtherSeedsGiveOtherBytes) {
  std::string a = Bytes("[plugin rng]\nseed = 42\n");
  std::string b = Bytes("[plugin rng]\nseed = 43\n");
  EXPECT_NE(a.substr(0, 75), b.substr(0, 75)) << "getrandom lines";
  EXPECT_NE(a.substr(75), b.substr(75)) << "AT_RANDOM lines";
}

TEST_P(RngTest, UnseededDeviceDiffersEachRun) {
  EXPECT_NE(Bytes("[plugin rng]\n"), Bytes("[plugin rng]\n"));
}

TEST_P(RngTest, WithoutTheDeviceTheFallbackServes) {
  EXPECT_NE(Bytes(""), Bytes(""));
}

TEST_P(RngTest, DefaultConfigHasTheDevice) {
  EXPECT_NE(Bytes(nullptr), Bytes(nullptr));
}

INSTANTIATE_TEST_SUITE_P(Libc, RngTest, testing::Values("random_bytes", "random_bytes_musl"));

// /dev/urandom reads the same device.
TEST(RngDevnode, SeededUrandomRepeats) {
  MINIVM_NEED_KVM();
  const char* devices = "[plugin rng]\nseed = 7\n";
  RunResult a = GuestRunner(devices).Run(kBusybox, {"od", "-An", "-tx1", "-N32", "/dev/urandom"});
  RunResult b = GuestRunner(devices).Run(kBusybox, {"od", "-An", "-tx1", "-N32", "/dev/urandom"});
  ASSERT_TRUE(a.exited && a.status == 0) << a;
  EXPECT_EQ(a.out.size(), 2u * (16 * 3 + 1)) << a;
  EXPECT_EQ(a.out, b.out);
}

}  // namespace
}  // namespace minivm_test
