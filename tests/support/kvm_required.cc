#include "tests/support/kvm_required.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

namespace minivm_test {

KvmState CheckKvm(std::string* why) {
  const char* device = getenv("MINIVM_KVM_DEVICE");
  if (device == nullptr || *device == '\0') device = "/dev/kvm";
  if (access(device, F_OK) != 0) {
    *why = std::string("needs KVM: ") + device + " is absent";
    return KvmState::kAbsent;
  }
  int fd = open(device, O_RDWR | O_CLOEXEC);
  if (fd < 0) {
    *why = std::string("needs KVM: ") + device + " exists but cannot be opened: " +
           strerror(errno);
    return KvmState::kUnusable;
  }
  close(fd);
  why->clear();
  return KvmState::kUsable;
}

bool KvmRequired() {
  const char* value = getenv("MINIVM_REQUIRE_KVM");
  return value != nullptr && strcmp(value, "1") == 0;
}

}  // namespace minivm_test
