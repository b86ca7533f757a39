#!/usr/bin/env bash
# Installs what minivm needs on Debian 12 (idempotent; run as root or with sudo).
# Everything comes from Debian's own packages: Bazel builds offline (see WORKSPACE).
set -euo pipefail

packages=(
    gcc g++ make binutils            # host + guest kernel toolchain
    bazel-bootstrap bazel-rules-java bazel-platforms
    googletest libgtest-dev          # unit tests
    libinih-dev                      # INI config parsing
    libseccomp-dev                   # VMM self-sandboxing
    musl-tools                       # musl static test programs
    busybox-static                   # real-world static binaries for the tests
    clang libclang-rt-14-dev         # fuzzing: tests/fuzz/run.sh (libFuzzer, ASan, UBSan)
    xz-utils                         # fixtures of the differential suite
    gdb                              # minivm --gdb's end-to-end test (tests/e2e:gdb_test)
    bzip2 file bc sqlite3 make python3 perl  # Debian's programs in the differential suite
)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    sudo_cmd=()
    [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
    echo "setup: installing ${missing[*]}" >&2
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if [[ ! -c /dev/kvm ]]; then
    echo "setup: warning: /dev/kvm is missing; minivm needs KVM to run programs" >&2
fi
