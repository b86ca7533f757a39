// An MMIO device plugin (rng, clock) loaded from its .so into a fake host,
// with register accesses addressed by offset in the device's window, as the
// guest kernel makes them.
#ifndef MINIVM_TESTS_PLUGINS_MMIO_FIXTURE_H
#define MINIVM_TESTS_PLUGINS_MMIO_FIXTURE_H

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "tests/plugins/fake_host.h"

class MmioDevice {
 public:
  // `so`: runfile of the plugin, e.g. "plugins/rng/rng.so"; `kind`: its device kind.
  MmioDevice(const char *so, const char *kind) : so_(so), kind_(kind) {}

  FakeHost &host() { return host_; }
  // Loads the plugin with the keys set so far (host().SetConfig). Returns init's result.
  int Load();
  // Load() that must succeed, with the window found.
  ::testing::AssertionResult LoadOk();
  uint64_t base() const { return base_; }

  // One access at `offset` in the window: the handler's result (non-zero: the
  // device refused it, and the core would end the VM).
  int Read(uint64_t offset, uint8_t size, uint64_t *value);
  int Write(uint64_t offset, uint8_t size, uint64_t value);
  // A read that must succeed (a failure is recorded and 0 returned).
  uint64_t Get(uint64_t offset, uint8_t size = 8);

  // True if init reported `key` through config_error.
  bool ConfigErrorFor(const std::string &key) const;

 private:
  FakeHost host_;
  std::string so_, kind_;
  uint64_t base_ = 0;
};

#endif  // MINIVM_TESTS_PLUGINS_MMIO_FIXTURE_H
