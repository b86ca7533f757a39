// dispatch_port_access / dispatch_mmio_access: how a VM exit reaches a
// plugin's handler, and every access that must be refused before it does.
#include <string.h>

#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"

extern "C" {
#include "core/vcpu_run.h"
#include "core/vmm.h"
}

namespace {

// What a fake device saw, and what it answers.
struct FakeDevice {
  struct Call {
    uint64_t where;  // port, or offset in the MMIO window
    bool is_write;
    uint8_t size;
    uint64_t value;
  };
  std::vector<Call> calls;
  uint64_t read_value = 0;
  int result = 0;
};

int FakePort(void* opaque, uint16_t port, bool is_write, uint8_t size, uint32_t* value) {
  auto* dev = static_cast<FakeDevice*>(opaque);
  dev->calls.push_back({port, is_write, size, is_write ? *value : 0});
  if (!is_write) *value = (uint32_t)dev->read_value;
  return dev->result;
}

int FakeMmio(void* opaque, uint64_t offset, bool is_write, uint8_t size, uint64_t* value) {
  auto* dev = static_cast<FakeDevice*>(opaque);
  dev->calls.push_back({offset, is_write, size, is_write ? *value : 0});
  if (!is_write) *value = dev->read_value;
  return dev->result;
}

constexpr uint16_t kPortBase = 0x500;
constexpr uint64_t kMmioBase = 0xd0000000;
constexpr uint64_t kMmioSize = 0x1000;

class DispatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    vmm_.reset(new vmm());
    memset(vmm_.get(), 0, sizeof(struct vmm));
    range_table_init(&vmm_->ports, "port");
    range_table_init(&vmm_->mmio, "MMIO");
    range_entry port = {};
    port.start = kPortBase;
    port.size = 4;
    port.owner = "fakeport";
    strcpy(port.kind, "fake");
    port.handler.port = FakePort;
    port.opaque = &port_dev_;
    ASSERT_EQ(range_table_register(&vmm_->ports, &port), 0);
    range_entry mmio = {};
    mmio.start = kMmioBase;
    mmio.size = kMmioSize;
    mmio.owner = "fakemmio";
    strcpy(mmio.kind, "fake");
    mmio.handler.mmio = FakeMmio;
    mmio.opaque = &mmio_dev_;
    ASSERT_EQ(range_table_register(&vmm_->mmio, &mmio), 0);
  }

  int Port(uint16_t port, bool is_write, uint8_t size, uint32_t count, uint8_t* data) {
    testing::internal::CaptureStderr();
    int rc = dispatch_port_access(vmm_.get(), port, is_write, size, count, data);
    err_ = testing::internal::GetCapturedStderr();
    return rc;
  }

  int Mmio(uint64_t gpa, bool is_write, uint32_t len, uint8_t* data) {
    testing::internal::CaptureStderr();
    int rc = dispatch_mmio_access(vmm_.get(), gpa, is_write, len, data);
    err_ = testing::internal::GetCapturedStderr();
    return rc;
  }

  std::unique_ptr<vmm> vmm_;
  FakeDevice port_dev_, mmio_dev_;
  std::string err_;
};

TEST_F(DispatchTest, PortWritesOfEachWidthReachTheHandler) {
  uint8_t data[8] = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88};
  for (uint8_t size : {1, 2, 4}) {
    ASSERT_EQ(Port(kPortBase + 1, true, size, 1, data), 0) << (int)size << err_;
    EXPECT_EQ(err_, "");
  }
  ASSERT_EQ(port_dev_.calls.size(), 3u);
  const uint64_t expected[] = {0x11, 0x2211, 0x44332211};
  for (size_t i = 0; i < 3; i++) {
    EXPECT_EQ(port_dev_.calls[i].where, kPortBase + 1u);  // ports are absolute
    EXPECT_TRUE(port_dev_.calls[i].is_write);
    EXPECT_EQ(port_dev_.calls[i].size, 1u << i);
    EXPECT_EQ(port_dev_.calls[i].value, expected[i]) << "only `size` bytes are passed";
  }
}

TEST_F(DispatchTest, PortReadReturnsOnlySizeBytes) {
  port_dev_.read_value = 0xa1b2c3d4;
  for (uint8_t size : {1, 2, 4}) {
    uint8_t data[8];
    memset(data, 0xee, sizeof data);
    ASSERT_EQ(Port(kPortBase, false, size, 1, data), 0) << err_;
    uint32_t got = 0;
    memcpy(&got, data, size);
    EXPECT_EQ(got, 0xa1b2c3d4u & (size == 4 ? 0xffffffffu : (1u << (8 * size)) - 1));
    EXPECT_EQ(data[size], 0xee) << "wrote past the access";
  }
  EXPECT_FALSE(port_dev_.calls.back().is_write);
}

TEST_F(DispatchTest, StringAndOddSizedPortAccessesAreRefused) {
  uint8_t data[16] = {};
  struct {
    uint8_t size;
    uint32_t count;
  } bad[] = {{1, 3}, {1, 0}, {4, 2}, {3, 1}, {8, 1}, {0, 1}};
  for (const auto& b : bad) {
    EXPECT_EQ(Port(kPortBase, true, b.size, b.count, data), -1) << (int)b.size << "x" << b.count;
    EXPECT_PRED_FORMAT2(testing::IsSubstring, "port 0x500 of plugin fakeport", err_);
  }
  EXPECT_TRUE(port_dev_.calls.empty());
}

TEST_F(DispatchTest, UnregisteredPortIsRefused) {
  uint8_t data[4] = {};
  EXPECT_EQ(Port(0x7777, true, 4, 1, data), -1);
  EXPECT_PRED_FORMAT2(testing::IsSubstring, "guest wrote port 0x7777, which no plugin registered",
                      err_);
  EXPECT_EQ(Port(kPortBase + 4, false, 1, 1, data), -1);
  EXPECT_PRED_FORMAT2(testing::IsSubstring, "guest read port 0x504", err_);
  EXPECT_TRUE(port_dev_.calls.empty());
}

TEST_F(DispatchTest, PortHandlerRefusalIsPropagated) {
  port_dev_.result = -1;
  port_dev_.read_value = 0x12345678;
  uint8_t data[4] = {9, 9, 9, 9};
  EXPECT_EQ(Port(kPortBase + 2, false, 2, 1, data), -1);
  EXPECT_PRED_FORMAT2(testing::IsSubstring,
                      "plugin fakeport refused a 2-byte read at port 0x502", err_);
  EXPECT_EQ(port_dev_.calls.size(), 1u);
  EXPECT_EQ(data[0], 9) << "a refused read must not reach the guest";
}

TEST_F(DispatchTest, MmioAccessesOfEachWidthGetWindowOffsets) {
  uint8_t data[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  const uint32_t lens[] = {1, 2, 4, 8};
  for (uint32_t len : lens) {
    ASSERT_EQ(Mmio(kMmioBase + 0x10 * len, true, len, data), 0) << len << err_;
  }
  ASSERT_EQ(mmio_dev_.calls.size(), 4u);
  const uint64_t expected[] = {0x01, 0x0201, 0x04030201, 0x0807060504030201ull};
  for (size_t i = 0; i < 4; i++) {
    EXPECT_EQ(mmio_dev_.calls[i].where, 0x10u * lens[i]) << "offset relative to the window";
    EXPECT_EQ(mmio_dev_.calls[i].size, lens[i]);
    EXPECT_EQ(mmio_dev_.calls[i].value, expected[i]);
  }
  mmio_dev_.read_value = 0x1122334455667788ull;
  for (uint32_t len : lens) {
    uint8_t out[9];
    memset(out, 0xee, sizeof out);
    ASSERT_EQ(Mmio(kMmioBase + kMmioSize - len, false, len, out), 0) << len << err_;
    uint64_t got = 0;
    memcpy(&got, out, len);
    EXPECT_EQ(got, len == 8 ? mmio_dev_.read_value
                            : mmio_dev_.read_value & ((1ull << (8 * len)) - 1));
    EXPECT_EQ(out[len], 0xee);
    EXPECT_EQ(mmio_dev_.calls.back().where, kMmioSize - len);
  }
}

TEST_F(DispatchTest, MmioBadLengthsAreRefused) {
  uint8_t data[16] = {};
  for (uint32_t len : {0u, 3u, 5u, 16u, 0xffffffffu}) {
    EXPECT_EQ(Mmio(kMmioBase, true, len, data), -1) << len;
    EXPECT_PRED_FORMAT2(testing::IsSubstring, std::to_string(len) + "-byte MMIO access", err_);
  }
  EXPECT_TRUE(mmio_dev_.calls.empty());
}

TEST_F(DispatchTest, MmioOutsideOrStraddlingTheWindowIsRefused) {
  uint8_t data[8] = {};
  EXPECT_EQ(Mmio(0xc0000000, true, 4, data), -1);
  EXPECT_PRED_FORMAT2(testing::IsSubstring,
                      "guest wrote 4 bytes at 0xc0000000, which is neither RAM nor a registered "
                      "MMIO window",
                      err_);
  EXPECT_EQ(Mmio(kMmioBase - 1, false, 1, data), -1);
  EXPECT_PRED_FORMAT2(testing::IsSubstring, "guest read 1 bytes at 0xcfffffff", err_);
  EXPECT_EQ(Mmio(kMmioBase + kMmioSize, false, 1, data), -1);
  EXPECT_EQ(Mmio(kMmioBase + kMmioSize - 4, false, 8, data), -1);  // straddles the end
  EXPECT_EQ(Mmio(kMmioBase - 2, false, 4, data), -1);              // straddles the start
  EXPECT_EQ(Mmio(UINT64_MAX - 3, false, 8, data), -1);
  EXPECT_TRUE(mmio_dev_.calls.empty());
}

TEST_F(DispatchTest, MmioHandlerRefusalIsPropagated) {
  mmio_dev_.result = 1;
  uint8_t data[8] = {};
  EXPECT_EQ(Mmio(kMmioBase + 8, true, 8, data), -1);
  EXPECT_PRED_FORMAT2(testing::IsSubstring,
                      "plugin fakemmio refused a 8-byte MMIO write at 0xd0000008", err_);
}

}  // namespace
