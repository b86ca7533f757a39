// The KVM policy for tests (design.md §8): a test that needs /dev/kvm skips,
// with the reason, only when /dev/kvm is absent; with MINIVM_REQUIRE_KVM=1 in
// the environment it fails instead. Bazel passes the variable only with
// `--test_env=MINIVM_REQUIRE_KVM`.
//
// Use at the top of a test body or in SetUp():
//   TEST(Boot, Exits) { MINIVM_NEED_KVM(); ... }
#ifndef MINIVM_TESTS_SUPPORT_KVM_REQUIRED_H
#define MINIVM_TESTS_SUPPORT_KVM_REQUIRED_H

#include <string>

#include "gtest/gtest.h"

namespace minivm_test {

enum class KvmState {
  kUsable,     // /dev/kvm exists and opens read-write
  kAbsent,     // no /dev/kvm: skip (or fail when required)
  kUnusable,   // /dev/kvm exists but cannot be opened: always a failure
};

// Checks /dev/kvm (or $MINIVM_KVM_DEVICE, for testing this helper). `why`
// receives a sentence for the skip/failure message.
KvmState CheckKvm(std::string* why);

// True when MINIVM_REQUIRE_KVM=1.
bool KvmRequired();

}  // namespace minivm_test

// Skips or fails the current test unless KVM is usable; returns from the
// calling function in either case.
#define MINIVM_NEED_KVM()                                                        \
  do {                                                                           \
    std::string minivm_kvm_why_;                                                 \
    switch (::minivm_test::CheckKvm(&minivm_kvm_why_)) {                         \
      case ::minivm_test::KvmState::kUsable:                                     \
        break;                                                                   \
      case ::minivm_test::KvmState::kAbsent:                                     \
        if (::minivm_test::KvmRequired())                                        \
          FAIL() << minivm_kvm_why_ << " and MINIVM_REQUIRE_KVM=1";              \
        GTEST_SKIP() << minivm_kvm_why_ << " (set MINIVM_REQUIRE_KVM=1 to fail)"; \
      case ::minivm_test::KvmState::kUnusable:                                   \
        FAIL() << minivm_kvm_why_;                                               \
    }                                                                            \
  } while (0)

#endif  // MINIVM_TESTS_SUPPORT_KVM_REQUIRED_H
