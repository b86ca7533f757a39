#!/usr/bin/env bash
# Builds minivm and the PVM probe, then measures a guest-kernel syscall round trip
# in each mode (docs/pvm.md). Not part of `bazel test`. Usage: bench/pvm_probe/run.sh [N]
set -euo pipefail
cd "$(dirname "$0")/../.."
n="${1:-1000000}"
bazel build //:minivm //bench:hello //bench:getppid_loop //bench/pvm_probe:pvm_probe >/dev/null
run() { bazel-bin/minivm -c bench/pvm_probe/probe.ini --trace -- bazel-bin/bench/hello "$@"; }
echo "native Linux, $n getppid:"; /usr/bin/time -f "  %e s" bazel-bin/bench/getppid_loop "$n"
run info 1
run native "$n" 0x3                 # direct IRETQ return: one exit per syscall, no isolation
run native "$n" 0x103               # SYSRETQ return with the PGD-pair flip: one exit, isolated
run emulated "$(( n / 100 ))"       # today's way: every kernel instruction emulated
run isolation 1000 0x3 || true      # shows that an IRETQ return leaves the kernel PGD loaded
# docs/pvm.md §6: user-mode exceptions in native mode, and leaving native mode
run uexc 10000 0x100403             # gates with selector 0x33, SYSRETQ + trampoline return: isolated faults
run uexc 10000 0x300403             # the same plus one kernel-mode #PF through the same IDT
run uexc 100 0x3 || true            # gates with selector 0x10: the host's delivery fails (#SS, triple fault)
run uexc 100 0x9003 || true         # IRETQ entry: the "user" #PF arrives with CS 0x10 (still supervisor)
run toggle 10 0x3 || true           # VIF MSR = 0 raises #GP: native mode cannot be left
