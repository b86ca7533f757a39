#!/usr/bin/env bash
# Boots the guest syscall fuzzer (guest_fuzz) under minivm for many seeds,
# read-only and --rw, each run in a fresh scratch root, and fails on anything
# but a clean run: a status other than 0 (the fuzzer's 1 = it found
# something, 128+N = its protected supervisor died, 124 = the run needed
# --timeout, 125 = minivm failed or the guest kernel panicked), a run minivm
# did not end by itself, a change on the host outside the scratch root (a
# sentinel directory beside it, and the listing of their parent), a change
# in the read-only root, or a process left in minivm's session.
#
#   tests/fuzz/guest/run.sh SECONDS [SEEDS...]
#
# Runs each SEED in each mode, then fresh random seeds until SECONDS have
# passed (0: only the SEEDS). Without /dev/kvm it runs itself inside
# tools/nested_kvm. A failure prints the seed, the last batch, minivm's
# message and a verbose replay (each call before it is made) of that batch.
#
# Environment: MINIVM, GUEST_FUZZ (the binaries; default: built with Bazel),
# FUZZ_OUT (logs; default a new /tmp/guest-fuzz.* directory),
# FUZZ_BATCHES (40), FUZZ_CALLS (200), FUZZ_MODES ("ro rw"),
# FUZZ_KNOWN_BUGS=1 (also make the calls known_bugs.c avoids),
# FUZZ_TIMEOUT (minivm --timeout per run, seconds; default 600),
# FUZZ_MEMORY (minivm --memory; default 128M),
# FUZZ_ARGS (more guest_fuzz options).
#
# NEVER run guest_fuzz itself outside minivm: it makes random kill(),
# unlink() and rename() calls (it refuses to, but do not test that).
set -uo pipefail

usage() {
    echo "usage: tests/fuzz/guest/run.sh SECONDS [SEEDS...]" >&2
    exit 2
}
[[ $# -ge 1 && $1 =~ ^[0-9]+$ ]] || usage
budget=$1
shift
seeds=("$@")
for s in "${seeds[@]}"; do [[ $s =~ ^[0-9]+$ ]] || usage; done

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../../.." && pwd)
batches=${FUZZ_BATCHES:-40}
calls=${FUZZ_CALLS:-200}
modes=(${FUZZ_MODES:-ro rw})
run_timeout=${FUZZ_TIMEOUT:-600}
# Small, so that batches that eat the guest's memory (pressure.c) are quick.
memory=${FUZZ_MEMORY:-128M}
extra=(${FUZZ_ARGS:-})
[[ ${FUZZ_KNOWN_BUGS:-0} == 1 ]] && extra+=(--known-bugs)

if [[ -z ${MINIVM:-} || -z ${GUEST_FUZZ:-} ]]; then
    (cd "$repo" && bazel build //:minivm //tests/fuzz/guest:guest_fuzz) >&2 || exit 2
    MINIVM=$repo/bazel-bin/minivm
    GUEST_FUZZ=$repo/bazel-bin/tests/fuzz/guest/guest_fuzz
fi
MINIVM=$(realpath "$MINIVM") GUEST_FUZZ=$(realpath "$GUEST_FUZZ")
export MINIVM GUEST_FUZZ
export FUZZ_OUT=${FUZZ_OUT:-$(mktemp -d /tmp/guest-fuzz.XXXXXX)}
mkdir -p "$FUZZ_OUT"

if [[ ! -c /dev/kvm ]]; then
    if [[ -n ${FUZZ_NESTED:-} || ! -x $repo/tools/nested_kvm/run.sh ]]; then
        echo "run.sh: needs /dev/kvm" >&2
        exit 2
    fi
    echo "run.sh: no /dev/kvm here: running inside tools/nested_kvm (logs: $FUZZ_OUT)" >&2
    # The scratch roots go to a tmpfs the nested VM mounts at TEST_TMPDIR.
    export FUZZ_NESTED=1 TEST_TMPDIR=${TEST_TMPDIR:-$(mktemp -d /tmp/guest-fuzz-scratch.XXXXXX)}
    exec "$repo/tools/nested_kvm/run.sh" "$here/run.sh" "$budget" "${seeds[@]}"
fi

work=$(mktemp -d "${TEST_TMPDIR:-${TMPDIR:-/tmp}}/guest-fuzz-work.XXXXXX")
trap 'rm -rf "$work"' EXIT

# The scratch root: what guest_fuzz's paths (args.c) expect to find.
make_root() {
    local root=$1
    mkdir -p "$root/dir/sub"
    printf 'the file\n%.0s' {1..600} > "$root/file"
    : > "$root/empty"
    echo deep > "$root/dir/sub/deep"
    echo inner > "$root/dir/file"
    truncate -s 1M "$root/big"
    ln -s file "$root/link"
    ln -s dir "$root/dirlink"
    ln -s /dir/file "$root/abs"
    ln -s nowhere "$root/dangling"
    ln -s loop "$root/loop"
    ln -s ../../../../sentinel "$root/escape"
    ln -s /../sentinel "$root/absescape"
    cp "$GUEST_FUZZ" "$root/prog"
    printf '#!/bin/sh\nexit 3\n' > "$root/script"
    chmod +x "$root/prog" "$root/script"
    echo 'not executable' > "$root/noexec"
}

make_sentinel() {
    mkdir -p "$1/sub"
    echo "outside the root: must never change" > "$1/secret"
    echo nested > "$1/sub/file"
    ln -s secret "$1/link"
}

# A fresh scratch directory for one run: root/ and sentinel/ beside it,
# copied from templates made once (every process costs under emulation).
template=$work/template
mkdir -p "$template/root" "$template/sentinel"
make_root "$template/root"
make_sentinel "$template/sentinel"
new_run_dir() {
    rm -rf "$1"
    cp -a "$template" "$1"
}

# What a run may not change: everything in its directory but the root
# (names, modes, owners, times, link targets, contents) and, read-only, the
# root too.
host_state() {
    local run=$1 mode=$2
    local skip=(--exclude=./root)
    [[ $mode == ro ]] && skip=()
    tar --sort=name -cf - -C "$run" "${skip[@]}" . | sha256sum
    [[ -d $run/root ]] || echo "the root is gone"
}

runs=0 failures=0 total_calls=0
start=$SECONDS

# Runs minivm in a session of its own; sets `status`, `hung`, `leftover`.
boot() {
    local log=$1
    shift
    setsid "$MINIVM" "$@" </dev/null >"$log.stdout" 2>"$log" &
    local pid=$!
    sleep $((run_timeout + 60)) &
    local timer=$! finished=""
    wait -n -p finished "$pid" "$timer"
    status=$?
    hung=0
    if [[ $finished == "$pid" ]]; then
        kill "$timer" 2>/dev/null
        wait "$timer" 2>/dev/null
    else
        hung=1
        kill -KILL -- -"$pid" 2>/dev/null
        wait "$pid"
        status=$?
    fi
    leftover=$(pgrep -s "$pid" 2>/dev/null | tr '\n' ' ')
    if [[ -n $leftover ]]; then
        kill -KILL $leftover 2>/dev/null
    fi
    # The guest's stdout is fuzzed garbage: keep a little of it.
    tail -c 65536 "$log.stdout" > "$log.stdout.tail" 2>/dev/null
    rm -f "$log.stdout"
}

fail() {
    local seed=$1 mode=$2 log=$3 why=$4
    failures=$((failures + 1))
    echo "FAIL seed=$seed mode=$mode: $why"
    grep -a 'minivm:' "$log" | tail -n 20 | sed 's/^/  /'
    grep -ao '@@fuzz[^@]*' "$log" | grep -E 'FINDING|start' | sed 's/^/  /'
    grep -ao '@@fuzz[^@]*' "$log" | grep 'batch=' | tail -n 2 | sed 's/^/  /'
}

# Replays the batch that failed with each call printed before it is made.
replay() {
    local seed=$1 mode=$2 log=$3
    local batch
    batch=$(grep -ao 'FINDING batch=[0-9]*' "$log" | head -n 1 | grep -o '[0-9]*$')
    if [[ -z $batch ]]; then # the run died in the batch after the last one reported
        batch=$(grep -ao '@@fuzz seed=[0-9]* batch=[0-9]*' "$log" | tail -n 1 | grep -o '[0-9]*$')
        batch=$((${batch:--1} + 1))
    fi
    local run=$work/replay
    new_run_dir "$run"
    local rw=()
    [[ $mode == rw ]] && rw=(--rw)
    local args=(--seed "$seed" --batches "$batches" --calls "$calls" "${rw[@]}" "${extra[@]}")
    local rlog=$FUZZ_OUT/seed-$seed-$mode-batch-$batch.replay.log
    boot "$rlog" --root "$run/root" "${rw[@]}" --memory "$memory" --timeout "${run_timeout}s" -- \
        "$GUEST_FUZZ" "${args[@]}" --only-batch "$batch" --verbose
    echo "  replay of batch $batch alone (status $status): $rlog; its last lines:"
    grep -av '^@@fuzz' "$rlog" | tail -n 12 | sed 's/^/    /'
    echo "  again: minivm --root SCRATCH ${rw[*]:+${rw[*]} }--memory $memory -- guest_fuzz ${args[*]} --only-batch $batch --verbose"
    rm -rf "$run"
}

run_one() {
    local seed=$1 mode=$2
    local run=$work/run log=$FUZZ_OUT/seed-$seed-$mode.log
    new_run_dir "$run"
    local before
    before=$(host_state "$run" "$mode")
    local rw=()
    [[ $mode == rw ]] && rw=(--rw)
    local t0=$SECONDS
    boot "$log" --root "$run/root" "${rw[@]}" --memory "$memory" --timeout "${run_timeout}s" -- \
        "$GUEST_FUZZ" --seed "$seed" --batches "$batches" --calls "$calls" "${rw[@]}" "${extra[@]}"
    local took=$((SECONDS - t0))
    runs=$((runs + 1))
    local done_line made
    done_line=$(grep -ao '@@fuzz seed=[0-9]* done [^@]*' "$log" | tail -n 1)
    made=$(sed -n 's/.* done calls=\([0-9]*\).*/\1/p' <<<"$done_line")
    total_calls=$((total_calls + ${made:-0}))

    local why=""
    if ((hung)); then
        why="minivm did not end within --timeout + 60 s: killed"
    elif ((status == 124)); then
        why="the run needed --timeout (a hang in the guest)"
    elif ((status == 125)); then
        why="minivm failed (status 125): a guest kernel panic or a VMM error"
    elif ((status > 128 && status <= 128 + 64)) && grep -aq '^minivm: program killed by' "$log"; then
        why="the supervisor (pid 2) died of signal $((status - 128))"
    elif ((status > 128 && status <= 128 + 64)); then
        why="minivm itself died of signal $((status - 128)) (31, SIGSYS: a host call outside its seccomp list)"
    elif ((status == 1)); then
        why="the fuzzer found something (status 1)"
    elif ((status != 0)); then
        why="unexpected status $status"
    elif [[ -z $done_line ]]; then
        why="status 0 without the fuzzer's summary"
    elif grep -aq '@@fuzz seed=[0-9]* FINDING' "$log"; then
        why="a process exec'd by the fuzzer found something"
    fi
    local after
    after=$(host_state "$run" "$mode")
    if [[ $before != "$after" ]]; then
        why="${why:+$why; }the host changed outside the scratch root"
        [[ $mode == ro ]] && why+=" or in the read-only root"
    fi
    if [[ -n $leftover ]]; then
        why="${why:+$why; }processes left in minivm's session: $leftover"
    fi
    if [[ -n $why ]]; then
        fail "$seed" "$mode" "$log" "$why"
        ((status != 0 || hung)) && replay "$seed" "$mode" "$log"
    else
        echo "ok seed=$seed mode=$mode: ${made:-0} calls in ${took}s ($done_line)"
    fi
    rm -rf "$run"
}

for seed in "${seeds[@]}"; do
    for mode in "${modes[@]}"; do
        run_one "$seed" "$mode"
    done
done
while ((SECONDS - start < budget)); do
    seed=$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')
    for mode in "${modes[@]}"; do
        run_one "$seed" "$mode"
    done
done

elapsed=$((SECONDS - start))
rate=$((elapsed > 0 ? total_calls / elapsed : total_calls))
echo "guest fuzz: $runs runs, $total_calls calls in ${elapsed}s ($rate calls/s), $failures failed; logs: $FUZZ_OUT"
((failures == 0))
