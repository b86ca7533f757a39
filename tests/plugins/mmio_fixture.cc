#include "tests/plugins/mmio_fixture.h"

int MmioDevice::Load() {
  int r = host_.Load(so_);
  const FakeHost::MmioRegistration *reg = host_.FindMmioKind(kind_);
  base_ = r == 0 && reg != nullptr ? reg->gpa : 0;
  return r;
}

::testing::AssertionResult MmioDevice::LoadOk() {
  int r = Load();
  if (r != 0) return ::testing::AssertionFailure() << so_ << ": init returned " << r << " "
                                                   << host_.load_error();
  if (base_ == 0) return ::testing::AssertionFailure() << "no " << kind_ << " window";
  return ::testing::AssertionSuccess();
}

int MmioDevice::Read(uint64_t offset, uint8_t size, uint64_t *value) {
  *value = 0;
  return host_.Mmio(base_ + offset, false, size, value);
}

int MmioDevice::Write(uint64_t offset, uint8_t size, uint64_t value) {
  return host_.Mmio(base_ + offset, true, size, &value);
}

uint64_t MmioDevice::Get(uint64_t offset, uint8_t size) {
  uint64_t v = 0;
  EXPECT_EQ(Read(offset, size, &v), 0) << size << "-byte read at 0x" << std::hex << offset;
  return v;
}

bool MmioDevice::ConfigErrorFor(const std::string &key) const {
  for (const std::string &e : host_.config_errors())
    if (e.rfind(key + ": ", 0) == 0) return true;
  return false;
}
