// A stand-in for the minivm core, for testing plugins without KVM: guest RAM
// is a plain mapping, the host API table is implemented over it, and every
// registration, log line and exit request is recorded for assertions.
#ifndef MINIVM_TESTS_PLUGINS_FAKE_HOST_H
#define MINIVM_TESTS_PLUGINS_FAKE_HOST_H

#include <minivm/plugin.h>

#include <cstdint>
#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tests/support/runfiles.h"

class FakeHost {
 public:
  struct Registration {
    std::string kind;
    uint16_t base;
    uint16_t count;
    minivm_port_handler handler;
    void *opaque;
  };
  struct MmioRegistration {
    std::string kind;
    uint64_t gpa;
    uint64_t size;
    minivm_mmio_handler handler;
    void *opaque;
  };
  struct SeccompGrant {
    int syscall_nr;
    int arg_index;  // -1: any arguments
    uint64_t value;
  };
  struct ExitRequest {
    int status;
    std::optional<std::string> message;
  };

  // Guest RAM: an anonymous MAP_NORESERVE mapping, like the core's.
  explicit FakeHost(uint64_t ram_size = 32ull << 20);
  ~FakeHost();
  FakeHost(const FakeHost &) = delete;
  FakeHost &operator=(const FakeHost &) = delete;

  // The plugin's INI section and the VM-wide settings; set before Load.
  void SetConfig(const std::string &key, const std::string &value) { config_[key] = value; }
  void SetVmSetting(const std::string &name, const std::string &value) { settings_[name] = value; }

  // dlopen()s the plugin at runfiles path `rel` (e.g. "plugins/console/console.so"),
  // checks its descriptor and calls init. Returns init's result, or -100 when
  // the file or descriptor is unusable (the reason is in load_error()).
  int Load(const std::string &rel);
  // The same for a descriptor already at hand (a plugin linked into the test).
  int Init(const minivm_plugin_descriptor *descriptor);
  const std::string &load_error() const { return load_error_; }

  // Guest RAM access for setting up argument blocks and buffers.
  uint64_t ram_size() const { return ram_size_; }
  uint8_t *Ram(uint64_t gpa) { return ram_ + gpa; }
  void Poke(uint64_t gpa, const void *src, size_t len) { std::memcpy(ram_ + gpa, src, len); }
  void Poke(uint64_t gpa, const std::string &s) { Poke(gpa, s.data(), s.size()); }
  std::string Peek(uint64_t gpa, size_t len) const {
    return std::string(reinterpret_cast<const char *>(ram_ + gpa), len);
  }

  // One port access as the core dispatches it. Returns the handler's result,
  // or -100 when no registration covers `port`.
  int Io(uint16_t port, bool is_write, uint8_t size, uint32_t *value);
  int Out32(uint16_t port, uint32_t value) { return Io(port, true, 4, &value); }

  // One MMIO access at guest-physical `gpa`, as the core dispatches it: the
  // window must hold all of [gpa, gpa+size) and the handler gets the offset.
  // Returns the handler's result, or -100 when no window covers the access.
  int Mmio(uint64_t gpa, bool is_write, uint8_t size, uint64_t *value);

  // A hypercall as the guest kernel issues it: `args` is written to RAM at
  // `gpa`, the OUT is done, and `args` receives the block as the plugin left
  // it. Returns the handler's result (0 unless the plugin failed closed).
  template <class Args>
  int Hypercall(uint16_t port, uint32_t gpa, Args *args) {
    Poke(gpa, args, sizeof *args);
    int r = Out32(port, gpa);
    std::memcpy(args, ram_ + gpa, sizeof *args);
    return r;
  }

  // Runs the ticks the plugin registered, as the core does every MINIVM_TICK_MS.
  void Tick();
  // Calls the plugin's fini now, as the core does when the VM ends.
  void Finish();
  size_t tick_count() const { return ticks_.size(); }

  // What the plugin did through the API.
  const std::vector<Registration> &registrations() const { return registrations_; }
  const Registration *FindKind(const std::string &kind) const;
  const std::vector<MmioRegistration> &mmio_registrations() const { return mmio_; }
  const MmioRegistration *FindMmioKind(const std::string &kind) const;
  const std::optional<ExitRequest> &exit_request() const { return exit_; }
  const std::vector<std::string> &logs() const { return logs_; }
  const std::vector<std::string> &config_errors() const { return config_errors_; }
  const std::vector<SeccompGrant> &seccomp_grants() const { return seccomp_; }
  // Vectors raised with raise_interrupt, in order (the accepted ones only).
  const std::vector<uint32_t> &interrupts() const { return interrupts_; }
  void ClearInterrupts() { interrupts_.clear(); }
  // Keys the plugin asked for (the core reports any others as unknown).
  const std::vector<std::string> &keys_read() const { return keys_read_; }

  // Entry points of the host API table (public so the C callbacks reach them).
  void *GuestPtr(uint64_t gpa, uint64_t len);
  int RegisterPorts(const char *kind, uint16_t base, uint16_t count,
                    minivm_port_handler handler, void *opaque);
  int RegisterMmio(const char *kind, uint64_t gpa, uint64_t size, minivm_mmio_handler handler,
                   void *opaque);
  const char *ConfigGet(const char *key, int *line);
  const char *VmSetting(const char *name);
  void AddLog(const std::string &line) { logs_.push_back(line); }
  void AddConfigError(const std::string &line) { config_errors_.push_back(line); }
  void RequestExit(int status, const char *message);
  void AddTick(void (*fn)(void *), void *opaque) { ticks_.emplace_back(fn, opaque); }
  int RaiseInterrupt(uint32_t vector);
  void SeccompAllow(int nr, int arg_index, uint64_t value) {
    seccomp_.push_back(SeccompGrant{nr, arg_index, value});
  }

 private:
  uint8_t *ram_;
  uint64_t ram_size_;
  std::map<std::string, std::string> config_, settings_;
  std::vector<Registration> registrations_;
  std::vector<MmioRegistration> mmio_;
  std::optional<ExitRequest> exit_;
  std::vector<std::string> logs_, config_errors_, keys_read_;
  std::vector<SeccompGrant> seccomp_;
  std::vector<uint32_t> interrupts_;
  std::vector<std::pair<void (*)(void *), void *>> ticks_;
  std::string load_error_;
  void *dl_ = nullptr;
  const minivm_plugin_descriptor *descriptor_ = nullptr;
  void *state_ = nullptr;
  bool initialised_ = false;
  minivm_plugin_ctx *ctx_;
  minivm_host_api api_;
};

// RunfilePath("plugins/fileio/fileio.so"): where the test's plugins are.
using minivm_test::RunfilePath;

#endif  // MINIVM_TESTS_PLUGINS_FAKE_HOST_H
