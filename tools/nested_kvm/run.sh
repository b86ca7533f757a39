#!/usr/bin/env bash
# Runs COMMAND [ARGS...] inside a QEMU-emulated VM that has /dev/kvm (nested
# AMD SVM under TCG), with the same working directory and environment, and
# exits with its status. For developing and testing minivm on a machine without
# /dev/kvm: about 10 s to boot, every instruction emulated. As a Bazel wrapper:
#   bazel test --run_under=$PWD/tools/nested_kvm/run.sh //tests/e2e:programs_test
# With MINIVM_INSN_COUNT=FILE, QEMU also counts the instructions the guest
# kernel of minivm executes in the whole run (tools/insn_count/, exact: every
# instruction of the inner guest goes through QEMU) and writes them to FILE;
# MINIVM_KERNEL_ELF names the kernel (default: bazel-bin/guest/kernel/kernel.elf of
# this checkout).
set -uo pipefail
(($#)) || { echo "usage: tools/nested_kvm/run.sh COMMAND [ARGS...]" >&2; exit 2; }

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=$("$here/prepare.sh") || exit 125
job=$(mktemp -d /tmp/nested_kvm.XXXXXX)

{
    export -p
    # A Bazel test's scratch directory on tmpfs inside the VM: over 9p some
    # file operations (mkfifo, utimensat, partial reads into a read-only
    # tail) do not behave as on a local filesystem.
    if [[ -n ${TEST_TMPDIR:-} ]]; then
        printf 'mount -t tmpfs tmpfs %q || exit 125\n' "$TEST_TMPDIR"
    fi
    # /dev/shm as on a Debian machine (tests compare with its tmpfs).
    printf 'mkdir -p /dev/shm && mount -t tmpfs -o mode=1777 shm /dev/shm || exit 125\n'
    # Loopback up, as on any machine (minivm --gdb listens on 127.0.0.1).
    printf 'ip link set lo up 2>/dev/null || /bin/busybox ip link set lo up\n'
    printf 'cd %q || exit 125\n' "$PWD"
    printf '%q ' "$@"
    printf '>%q 2>%q </dev/null\n' "$job/stdout" "$job/stderr"
    printf 'echo $? > %q\n' "$job/status"
} > "$job/command.sh"

plugin=()
if [[ -n ${MINIVM_INSN_COUNT:-} ]]; then
    plugin=(-plugin "$("$here/../insn_count/build.sh" "${MINIVM_KERNEL_ELF:-$here/../../bazel-bin/guest/kernel/kernel.elf}"),out=$MINIVM_INSN_COUNT") ||
        exit 125
fi

# nokaslr: the outer kernel's text then lies above minivm's guest kernel's
# (tools/insn_count counts by address).
qemu-system-x86_64 "${plugin[@]}" -machine q35 -cpu max,+svm -smp 1 -m "${MINIVM_NESTED_MEMORY:-4G}" \
    -nographic -no-reboot -kernel "$cache/vmlinuz" -initrd "$cache/initrd.gz" \
    -append "console=ttyS0 quiet nokaslr panic=-1 nested_job=$job/command.sh" \
    -virtfs local,path=/,mount_tag=host,security_model=passthrough,multidevs=remap \
    </dev/null >"$job/console" 2>&1 &
qemu=$!
trap 'kill $qemu 2>/dev/null' EXIT INT TERM
wait $qemu

cat "$job/stdout" 2>/dev/null
cat "$job/stderr" >&2 2>/dev/null
if [[ ! -s $job/status ]]; then
    echo "nested_kvm: the VM ended without a status; its console:" >&2
    tail -n 40 "$job/console" >&2
    exit 125
fi
status=$(<"$job/status")
rm -rf "$job"
exit "$status"
