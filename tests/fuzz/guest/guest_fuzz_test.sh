#!/usr/bin/env bash
# A short round of the guest syscall fuzzer with fixed seeds, read-only and
# --rw (run.sh does the runs and the checks). Like every test that needs KVM
# (tests/support/kvm_required.h): skips without /dev/kvm, fails instead with
# MINIVM_REQUIRE_KVM=1.
#
#   guest_fuzz_test.sh MINIVM GUEST_FUZZ RUN_SH SEEDS...
set -uo pipefail
(($# >= 4)) || { echo "usage: guest_fuzz_test.sh MINIVM GUEST_FUZZ RUN_SH SEEDS..." >&2; exit 2; }
minivm=$1 fuzzer=$2 runner=$3
shift 3

device=${MINIVM_KVM_DEVICE:-/dev/kvm}
if [[ ! -e $device ]]; then
    why="needs KVM: $device is absent"
    if [[ ${MINIVM_REQUIRE_KVM:-} == 1 ]]; then
        echo "FAILED: $why and MINIVM_REQUIRE_KVM=1"
        exit 1
    fi
    echo "SKIPPED: $why (set MINIVM_REQUIRE_KVM=1 to fail)"
    if [[ -n ${XML_OUTPUT_FILE:-} ]]; then
        cat > "$XML_OUTPUT_FILE" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<testsuites tests="1" failures="0" skipped="1">
  <testsuite name="guest_fuzz_test" tests="1" failures="0" skipped="1">
    <testcase name="FixedSeeds" status="notrun"><skipped message="$why"/></testcase>
  </testsuite>
</testsuites>
XML
    fi
    exit 0
fi
if [[ ! -r $device || ! -w $device ]]; then
    echo "FAILED: needs KVM: $device exists but cannot be opened"
    exit 1
fi

export MINIVM=$minivm GUEST_FUZZ=$fuzzer
export FUZZ_OUT=${TEST_UNDECLARED_OUTPUTS_DIR:-$(mktemp -d)}
exec "$runner" 0 "$@"
