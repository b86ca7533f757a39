#include "tests/plugins/fake_host.h"

#include <dlfcn.h>
#include <sys/mman.h>
#include <unistd.h>

#include <minivm/boot_info.h>

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

// The core's opaque per-plugin handle; here it just leads back to the host.
struct minivm_plugin_ctx {
  FakeHost *host;
};

namespace {

FakeHost *HostOf(minivm_plugin_ctx *ctx) { return ctx->host; }

std::string Format(const char *fmt, va_list ap) {
  char buf[1024];
  vsnprintf(buf, sizeof buf, fmt, ap);
  return buf;
}

extern "C" {

int ApiRegisterPorts(minivm_plugin_ctx *ctx, const char *kind, uint16_t base, uint16_t count,
                     minivm_port_handler handler, void *opaque) {
  return HostOf(ctx)->RegisterPorts(kind, base, count, handler, opaque);
}

int ApiRegisterMmio(minivm_plugin_ctx *ctx, const char *kind, uint64_t gpa, uint64_t size,
                    minivm_mmio_handler handler, void *opaque) {
  return HostOf(ctx)->RegisterMmio(kind, gpa, size, handler, opaque);
}

void *ApiGuestPtr(minivm_plugin_ctx *ctx, uint64_t gpa, uint64_t len) {
  return HostOf(ctx)->GuestPtr(gpa, len);
}

int ApiCopyFromGuest(minivm_plugin_ctx *ctx, void *dst, uint64_t gpa, uint64_t len) {
  void *src = HostOf(ctx)->GuestPtr(gpa, len);
  if (src == nullptr) return -1;
  std::memcpy(dst, src, len);
  return 0;
}

int ApiCopyToGuest(minivm_plugin_ctx *ctx, uint64_t gpa, const void *src, uint64_t len) {
  void *dst = HostOf(ctx)->GuestPtr(gpa, len);
  if (dst == nullptr) return -1;
  std::memcpy(dst, src, len);
  return 0;
}

void ApiLog(minivm_plugin_ctx *ctx, minivm_log_level, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  std::string line = Format(fmt, ap);
  va_end(ap);
  std::fprintf(stderr, "fake host log: %s\n", line.c_str());
  HostOf(ctx)->AddLog(line);
}

const char *ApiConfigGet(minivm_plugin_ctx *ctx, const char *key, int *line) {
  return HostOf(ctx)->ConfigGet(key, line);
}

int ApiConfigError(minivm_plugin_ctx *ctx, const char *key, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  std::string line = std::string(key) + ": " + Format(fmt, ap);
  va_end(ap);
  HostOf(ctx)->AddConfigError(line);
  return -1;
}

const char *ApiVmSetting(minivm_plugin_ctx *ctx, const char *name) {
  return HostOf(ctx)->VmSetting(name);
}

void ApiRequestExit(minivm_plugin_ctx *ctx, int status, const char *message) {
  HostOf(ctx)->RequestExit(status, message);
}

int ApiSeccompAllow(minivm_plugin_ctx *ctx, int nr) {
  HostOf(ctx)->SeccompAllow(nr, -1, 0);
  return 0;
}

int ApiSeccompAllowArg(minivm_plugin_ctx *ctx, int nr, unsigned arg_index, uint64_t value) {
  if (arg_index > 5) return -1;
  HostOf(ctx)->SeccompAllow(nr, static_cast<int>(arg_index), value);
  return 0;
}

int ApiRegisterTick(minivm_plugin_ctx *ctx, void (*tick)(void *), void *opaque) {
  if (tick == nullptr) return -1;
  HostOf(ctx)->AddTick(tick, opaque);
  return 0;
}

int ApiRaiseInterrupt(minivm_plugin_ctx *ctx, uint32_t vector) {
  return HostOf(ctx)->RaiseInterrupt(vector);
}

int ApiRunMustStop(minivm_plugin_ctx *ctx) { return HostOf(ctx)->exit_request().has_value() ? 1 : 0; }

}  // extern "C"

}  // namespace

FakeHost::FakeHost(uint64_t ram_size) : ram_size_(ram_size) {
  void *p = mmap(nullptr, ram_size, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) throw std::runtime_error("cannot map guest RAM");
  ram_ = static_cast<uint8_t *>(p);
  ctx_ = new minivm_plugin_ctx{this};
  api_ = minivm_host_api{
      MINIVM_HOST_API_VERSION, sizeof(minivm_host_api), ApiRegisterPorts, ApiRegisterMmio,
      ApiGuestPtr, ApiCopyFromGuest, ApiCopyToGuest, ApiLog, ApiConfigGet, ApiConfigError,
      ApiVmSetting, ApiRequestExit, ApiSeccompAllow, ApiSeccompAllowArg, ApiRegisterTick,
      ApiRaiseInterrupt, ApiRunMustStop,
  };
}

int FakeHost::RaiseInterrupt(uint32_t vector) {
  // The core's rule: 0..31 are the CPU's exceptions.
  if (vector < 32 || vector > 255) {
    AddLog("cannot raise interrupt vector " + std::to_string(vector));
    return -1;
  }
  interrupts_.push_back(vector);
  return 0;
}

void FakeHost::Tick() {
  for (const auto &[fn, opaque] : ticks_) fn(opaque);
}

void FakeHost::Finish() {
  if (initialised_ && descriptor_->fini != nullptr) descriptor_->fini(state_);
  initialised_ = false;
}

FakeHost::~FakeHost() {
  Finish();
  if (dl_ != nullptr) dlclose(dl_);
  delete ctx_;
  munmap(ram_, ram_size_);
}

int FakeHost::Load(const std::string &rel) {
  std::string path = RunfilePath(rel);
  dl_ = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (dl_ == nullptr) {
    load_error_ = dlerror();
    return -100;
  }
  descriptor_ = static_cast<const minivm_plugin_descriptor *>(
      dlsym(dl_, MINIVM_PLUGIN_DESCRIPTOR_SYMBOL));
  if (descriptor_ == nullptr) {
    load_error_ = path + ": no " MINIVM_PLUGIN_DESCRIPTOR_SYMBOL;
    return -100;
  }
  int r = Init(descriptor_);
  if (r == -100) load_error_ = path + ": " + load_error_;
  return r;
}

int FakeHost::Init(const minivm_plugin_descriptor *descriptor) {
  descriptor_ = descriptor;
  if (descriptor_->abi_version != MINIVM_PLUGIN_ABI_VERSION || descriptor_->init == nullptr) {
    load_error_ = "unusable descriptor";
    return -100;
  }
  int r = descriptor_->init(ctx_, &api_, &state_);
  initialised_ = r == 0;
  return r;
}

void *FakeHost::GuestPtr(uint64_t gpa, uint64_t len) {
  // Written so that gpa + len cannot overflow.
  if (gpa > ram_size_ || len > ram_size_ - gpa) return nullptr;
  return ram_ + gpa;
}

int FakeHost::RegisterPorts(const char *kind, uint16_t base, uint16_t count,
                            minivm_port_handler handler, void *opaque) {
  if (count == 0 || uint32_t{base} + count > 0x10000) return -1;
  for (const Registration &r : registrations_) {
    if (base < r.base + r.count && r.base < base + count) return -1;
  }
  registrations_.push_back(Registration{kind, base, count, handler, opaque});
  return 0;
}

int FakeHost::RegisterMmio(const char *kind, uint64_t gpa, uint64_t size,
                           minivm_mmio_handler handler, void *opaque) {
  // The core's rules: inside the MMIO hole, no overlap.
  if (gpa < MINIVM_MMIO_HOLE_START || gpa >= MINIVM_MMIO_HOLE_END || size == 0 ||
      size > MINIVM_MMIO_HOLE_END - gpa)
    return -1;
  for (const MmioRegistration &r : mmio_) {
    if (gpa < r.gpa + r.size && r.gpa < gpa + size) return -1;
  }
  mmio_.push_back(MmioRegistration{kind, gpa, size, handler, opaque});
  return 0;
}

const FakeHost::MmioRegistration *FakeHost::FindMmioKind(const std::string &kind) const {
  for (const MmioRegistration &r : mmio_) {
    if (r.kind == kind) return &r;
  }
  return nullptr;
}

int FakeHost::Mmio(uint64_t gpa, bool is_write, uint8_t size, uint64_t *value) {
  for (const MmioRegistration &r : mmio_) {
    if (gpa >= r.gpa && gpa - r.gpa < r.size && size <= r.size - (gpa - r.gpa))
      return r.handler(r.opaque, gpa - r.gpa, is_write, size, value);
  }
  return -100;
}

const FakeHost::Registration *FakeHost::FindKind(const std::string &kind) const {
  for (const Registration &r : registrations_) {
    if (r.kind == kind) return &r;
  }
  return nullptr;
}

const char *FakeHost::ConfigGet(const char *key, int *line) {
  keys_read_.push_back(key);
  auto it = config_.find(key);
  if (line != nullptr) *line = it == config_.end() ? 0 : 7;
  return it == config_.end() ? nullptr : it->second.c_str();
}

const char *FakeHost::VmSetting(const char *name) {
  auto it = settings_.find(name);
  return it == settings_.end() ? nullptr : it->second.c_str();
}

void FakeHost::RequestExit(int status, const char *message) {
  if (exit_) return;  // the first request wins, as in the core
  exit_ = ExitRequest{status, message != nullptr ? std::optional<std::string>(message)
                                                 : std::nullopt};
}

int FakeHost::Io(uint16_t port, bool is_write, uint8_t size, uint32_t *value) {
  for (const Registration &r : registrations_) {
    if (port >= r.base && port < r.base + r.count)
      return r.handler(r.opaque, port, is_write, size, value);
  }
  return -100;
}
