#!/usr/bin/env bash
# Builds each fuzz target with clang's libFuzzer, ASan and UBSan (outside
# Bazel: the sources are compiled directly, plugins linked in rather than
# dlopen()ed) and fuzzes it for SECONDS (default 5). Fails if any target
# finds a crash, a leak or a broken invariant.
#
#   tests/fuzz/run.sh                  # smoke: 5 s per target
#   tests/fuzz/run.sh 600              # long run: 10 min per target
#   tests/fuzz/run.sh 60 fileio elf    # only these targets
#
# Work files go to $FUZZ_WORK (default /tmp/minivm-fuzz): build/ (binaries),
# corpus/<target>/ (inputs found, kept between runs; the seeds in
# tests/fuzz/corpus/<target>/ are only read), logs/<target>.log and
# crashes/<target>/ (the input of each crash: fix the bug, then copy it into
# tests/fuzz/corpus/<target>/ as a regression seed).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SECONDS_EACH=${1:-5}
shift || true
ALL_TARGETS=(console fileio platform rng clock timer elf config boot_params gdb_rsp)
TARGETS=("${@:-${ALL_TARGETS[@]}}")
WORK=${FUZZ_WORK:-/tmp/minivm-fuzz}
CC=${FUZZ_CC:-clang}
CXX=${FUZZ_CXX:-clang++}

if ! command -v "$CC" >/dev/null || ! command -v "$CXX" >/dev/null; then
    echo "run.sh: $CC/$CXX not found (tools/setup.sh installs clang)" >&2
    exit 2
fi

SAN=(-fsanitize=address,undefined -fno-sanitize-recover=all)
COMMON=(-g -O1 -fno-omit-frame-pointer -D_GNU_SOURCE -I"$ROOT" -I"$ROOT/core/include"
        -I"$ROOT/plugins" -Wall -Wno-unused-parameter)
CFLAGS=(-std=gnu11 "${COMMON[@]}")
CXXFLAGS=(-std=c++17 "${COMMON[@]}")

# Sources per target, relative to the workspace root.
HARNESS=(tests/fuzz/fuzz_fail.cc)
PLUGIN_HOST=(tests/plugins/fake_host.cc tests/support/runfiles.cc)
COMMON_PLUGIN=(plugins/common/*.c)
sources() {
    local t=$1
    case $t in
    console | platform | fileio | timer)
        echo tests/fuzz/${t}_fuzz.cc tests/fuzz/hypercall_harness.cc "${HARNESS[@]}" \
            "${PLUGIN_HOST[@]}" plugins/$t/*.c "${COMMON_PLUGIN[@]}"
        if [[ $t == fileio ]]; then echo tests/support/temp_dir.cc; fi
        ;;
    rng | clock)
        echo tests/fuzz/${t}_fuzz.cc tests/fuzz/mmio_harness.cc "${HARNESS[@]}" \
            "${PLUGIN_HOST[@]}" plugins/$t/*.c "${COMMON_PLUGIN[@]}"
        ;;
    elf)
        echo tests/fuzz/elf_fuzz.cc "${HARNESS[@]}" core/elf_image.c core/kernel_loader.c \
            core/long_mode.c core/guest_memory.c core/program.c core/log.c
        ;;
    config)
        echo tests/fuzz/config_fuzz.cc "${HARNESS[@]}" tests/support/runfiles.cc core/config.c \
            core/plugin_loader.c core/host_api.c core/interrupts.c core/log.c core/range_table.c \
            core/guest_memory.c core/resource_paths.c core/vcpu_run.c core/gdb/*.c
        ;;
    boot_params)
        echo tests/fuzz/boot_params_fuzz.cc "${HARNESS[@]}" core/boot_params.c \
            core/guest_memory.c core/range_table.c core/log.c
        ;;
    gdb_rsp)
        echo tests/fuzz/gdb_rsp_fuzz.cc "${HARNESS[@]}" core/gdb/rsp_framing.c core/gdb/rsp_hex.c \
            core/gdb/gdb_session.c core/gdb/x86_registers.c core/gdb/guest_page_walk.c \
            core/guest_memory.c core/log.c
        ;;
    *)
        echo "run.sh: unknown target $t (targets: ${ALL_TARGETS[*]})" >&2
        return 1
        ;;
    esac
}

build() {
    local t=$1 out=$WORK/build/$t
    local srcs
    srcs=$(cd "$ROOT" && sources "$t")
    mkdir -p "$out/obj"
    local objs=() defines=()
    if [[ $t =~ ^(console|platform|fileio|rng|clock|timer)$ ]]; then
        defines=(-DMINIVM_FUZZ_LINKED_PLUGIN)
    fi
    for src in $srcs; do
        local obj=$out/obj/$(echo "$src" | tr / _).o
        if [[ $src == *.c ]]; then
            "$CC" "${CFLAGS[@]}" "${SAN[@]}" -fsanitize=fuzzer-no-link -c "$ROOT/$src" -o "$obj"
        else
            "$CXX" "${CXXFLAGS[@]}" "${defines[@]}" "${SAN[@]}" -fsanitize=fuzzer-no-link \
                -c "$ROOT/$src" -o "$obj"
        fi
        objs+=("$obj")
    done
    "$CXX" "${SAN[@]}" -fsanitize=fuzzer "${objs[@]}" -o "$out/fuzzer" -ldl -linih -lpthread
    if [[ $t == config ]]; then
        # The fixture plugin the config target points every plugin section at.
        "$CC" -std=gnu11 -I"$ROOT/core/include" -shared -fPIC \
            "$ROOT/tests/core/fixtures/plugins/good.c" -o "$out/good.so"
    fi
}

# The final figures of a run: executions, then the last coverage line.
summarize() {
    local t=$1 log=$2
    local execs cov
    execs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | awk '{print $2}' | tail -1 || true)
    cov=$(grep -E '^#[0-9]+' "$log" | grep -o 'cov: [0-9]* ft: [0-9]* corp: [0-9]*/[^ ]*' | tail -1 || true)
    printf '%-12s execs %-10s %s\n' "$t" "${execs:-?}" "${cov:-(no coverage line)}"
}

failed=()
mkdir -p "$WORK/logs"
for t in "${TARGETS[@]}"; do
    echo "== $t: building" >&2
    build "$t"
    mkdir -p "$WORK/corpus/$t" "$WORK/crashes/$t"
    log=$WORK/logs/$t.log
    echo "== $t: fuzzing for ${SECONDS_EACH}s (log: $log)" >&2
    # TEST_TMPDIR: where fileio's per-input root directory goes; a tmpfs is
    # several times faster than a disk for creating and removing it.
    tmp=${FUZZ_TMPDIR:-$([[ -w /dev/shm ]] && echo /dev/shm || echo "$WORK")}
    env=(ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 TEST_TMPDIR="$tmp")
    if [[ $t == config ]]; then
        env+=(MINIVM_FUZZ_GOOD_PLUGIN="$WORK/build/config/good.so")
    fi
    # -close_fd_mask=3: the targets print (console output, plugin logs);
    # libFuzzer keeps its own report on a copy of stderr.
    if (cd "$WORK" && env "${env[@]}" "$WORK/build/$t/fuzzer" \
        -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=4096 -close_fd_mask=3 \
        -print_final_stats=1 -artifact_prefix="$WORK/crashes/$t/" \
        "$WORK/corpus/$t" "$ROOT/tests/fuzz/corpus/$t") >"$log" 2>&1; then
        summarize "$t" "$log"
    else
        summarize "$t" "$log"
        echo "== $t: FAILED; see $log and $WORK/crashes/$t/" >&2
        grep -E 'ERROR: |SUMMARY: |fuzz invariant|runtime error' "$log" | head -5 >&2 || true
        failed+=("$t")
    fi
done
if ((${#failed[@]})); then
    echo "run.sh: crashes in: ${failed[*]}" >&2
    exit 1
fi
echo "run.sh: ${#TARGETS[@]} targets, no crash" >&2
