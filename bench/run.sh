#!/usr/bin/env bash
# bench/run.sh [--quick]  — the benchmark of issue 6 (see docs/performance.md).
# MINIVM=/path/to/minivm uses that build (with plugins/ beside it) instead of //:minivm.
# Installs what is missing (Debian packages), builds the probes and minivm with
# Bazel, runs every workload side by side with hyperfine (native, minivm,
# qemu-x86_64 user mode, the bare-KVM floor), measures peak RSS, the exits per
# clock_gettime and the exits and emulated guest-kernel instructions per thread
# operation, then renders bench/results/results.md and results.png.
# A contender that cannot run a probe is recorded as "failed to run", never fatal.
set -uo pipefail
self=$(realpath "$0")
cd "$(dirname "$self")/.."

quick=0
for arg in "$@"; do
    case $arg in
    --quick) quick=1 ;;
    -h | --help) sed -n '2,9p' "$self" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument $arg (try --help)" >&2; exit 2 ;;
    esac
done
if ((quick)); then
    runs_short=15 runs_long=3 warmup=1 rss_runs=3 limit=20
else
    runs_short=50 runs_long=10 warmup=3 rss_runs=5 limit=60
fi

say() { printf '\n== %s\n' "$*" >&2; }

# --- 1. tools ----------------------------------------------------------------
declare -A need=([hyperfine]=hyperfine [qemu-x86_64]=qemu-user [gnuplot]=gnuplot-nox
    [musl-gcc]=musl-tools [/bin/busybox]=busybox-static [/usr/bin/time]=time [python3]=python3)
missing=() optional=()
for cmd in "${!need[@]}"; do command -v "$cmd" >/dev/null 2>&1 || missing+=("${need[$cmd]}"); done
command -v perf >/dev/null 2>&1 || optional=(linux-perf)
if ((${#missing[@]} + ${#optional[@]})); then
    sudo_cmd=()
    [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
    say "installing ${missing[*]} ${optional[*]}"
    "${sudo_cmd[@]}" apt-get update -qq
    if ((${#missing[@]})); then
        DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null ||
            { echo "run.sh: could not install ${missing[*]}" >&2; exit 1; }
    fi
    if ((${#optional[@]})); then
        DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${optional[@]}" >/dev/null 2>&1 ||
            echo "run.sh: linux-perf not installed (optional: VM-exit counts are skipped)" >&2
    fi
fi

# --- 2. build ----------------------------------------------------------------
out=bench/results raw=bench/results/raw
rm -rf "$raw" && mkdir -p "$raw"
work=$(mktemp -d /tmp/minivm-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

say "building the probes"
bazel build //bench:all 2>"$work/build.log" || { cat "$work/build.log" >&2; exit 1; }
bin=$work/bin
mkdir -p "$bin"
for p in hello_musl cpu_hash getppid_loop clock_loop write_bytes order_check_musl kvm_floor \
    mutex_loop futex_pingpong thread_churn; do
    cp "bazel-bin/bench/$p" "$bin/"
done

say "building minivm"
minivm=$work/minivm/minivm
minivm_error=
mkdir -p "$work/minivm"
if [[ -n ${MINIVM:-} ]]; then
    # A minivm built elsewhere: MINIVM=/path/to/minivm (its plugins/ beside it).
    cp "$MINIVM" "$minivm"
    (cd "$(dirname "$MINIVM")" && find plugins -type f -name '*.so' -exec cp --parents {} "$work/minivm/" \;)
elif bazel build //guest/kernel:kernel.elf 2>"$work/minivm-build.log" &&
    # core/BUILD embeds the kernel with .incbin, which Bazel does not track, so an
    # incremental build can keep an old kernel (docs/performance.md): a per-file
    # flag naming the kernel's hash makes Bazel redo the embedding when it changed.
    kernel_sha=$(sha256sum bazel-bin/guest/kernel/kernel.elf | cut -c1-16) &&
    bazel build --per_file_copt=".*embedded_kernel\.S@-DMINIVM_KERNEL_SHA=$kernel_sha" //:minivm \
        2>>"$work/minivm-build.log"; then
    # A private copy: others may rebuild bazel-bin while this runs.
    cp bazel-bin/minivm "$minivm"
    python3 -c 'import sys; sys.exit(open(sys.argv[1], "rb").read() not in open(sys.argv[2], "rb").read())' \
        bazel-bin/guest/kernel/kernel.elf "$minivm" ||
        minivm_error="minivm embeds a stale guest kernel"
    (cd bazel-bin && find plugins -type f -name '*.so' -exec cp --parents {} "$work/minivm/" \;)
else
    minivm_error="minivm did not build"
    grep -m1 '^ERROR' "$work/minivm-build.log" | tee "$raw/minivm-build-error.txt" >&2
fi

# On kvm_pvm, also the opt-in native-mode kernel (docs/pvm.md §9), for
# reference beside the default: "minivm pvm-kernel" in every table row.
pvm=()
if [[ -z $minivm_error && -d /sys/module/kvm_pvm ]] &&
    bazel build //guest/kernel:kernel_pvm_elf 2>>"$work/minivm-build.log"; then
    cp bazel-bin/guest/kernel/kernel_pvm.elf "$work/minivm/kernel_pvm.elf"
    printf '[vm]\nkernel = %s\n' "$work/minivm/kernel_pvm.elf" >"$work/minivm/pvm.ini"
    pvm=("$minivm" -c "$work/minivm/pvm.ini")
fi
# validate_pvm WORKLOAD ARGS...: the native-mode kernel's run of ARGS, when there is one.
validate_pvm() {
    local w=$1
    shift
    ((${#pvm[@]})) && validate "$w" "minivm pvm-kernel" cmp "${pvm[@]}" "$@"
}

{
    echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "commit: $(git rev-parse --short HEAD)"
    echo "mode: $([[ $quick == 1 ]] && echo quick || echo full)"
    echo "host: $(uname -sr), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
    echo "tools: $(hyperfine --version), $(qemu-x86_64 --version | head -1)"
} >"$raw/meta.txt"

# --- 3. workloads ----------------------------------------------------------
# validate WORKLOAD LABEL REF COMMAND...: run once (at most $limit s); on success
# add LABEL to the hyperfine list, else record why in WORKLOAD.failed. REF "ref" makes
# this run's output the reference, "cmp" compares with it, "-" checks status only.
# A contender that took over 5 s is measured on its own with 2 runs, over 20 s by
# this one run alone (time budget).
declare -a names cmds slow_names slow_cmds
validate() {
    local w=$1 label=$2 ref=$3
    shift 3
    if [[ $label == minivm* && -n $minivm_error ]]; then
        printf '%s\t%s\n' "$label" "$minivm_error" >>"$raw/$w.failed"
        return
    fi
    local t0=$EPOCHREALTIME
    timeout $limit "$@" 2>"$work/err" </dev/null | cksum >"$work/out"
    local rc=${PIPESTATUS[0]} why= took
    took=$(python3 -c "print(f'{$EPOCHREALTIME - $t0:.1f}')")
    if ((rc == 124)); then
        why="did not finish in $limit s"
    elif ((rc != 0)); then
        why="exit status $rc: $(grep -v '^$' "$work/err" | tail -1 | cut -c1-160)"
    elif [[ $ref == ref ]]; then
        cp "$work/out" "$work/ref"
    elif [[ $ref == cmp ]] && ! cmp -s "$work/out" "$work/ref"; then
        why="output differs from native"
    fi
    if [[ -n $why ]]; then
        printf '%s\t%s\n' "$label" "$why" >>"$raw/$w.failed"
        echo "   $label: failed to run ($why)" >&2
    elif [[ ${took%.*} -ge 20 ]]; then
        # Too slow to repeat within the time budget: this run is the measurement.
        echo "   $label: took $took s, this single run is its measurement" >&2
        printf '{"results": [{"command": "%s", "mean": %s, "stddev": null, "runs": 1}]}\n' \
            "$label" "$took" >"$raw/$w.single${#names[@]}$RANDOM.json"
    elif [[ ${took%.*} -ge 5 ]]; then
        echo "   $label: took $took s, measured with 2 runs" >&2
        slow_names+=("$label") slow_cmds+=("$*")
    else
        names+=("$label") cmds+=("$*")
    fi
}

# measure WORKLOAD RUNS [hyperfine options...]: all validated contenders in one
# hyperfine run; if that aborts (a contender failed mid-way), each one alone.
measure() {
    local w=$1 runs=$2
    shift 2
    local args=(-N --style basic --warmup "$warmup" --runs "$runs" "$@") i
    local hf=()
    for i in "${!names[@]}"; do hf+=(-n "${names[$i]}" "${cmds[$i]}"); done
    if ((${#names[@]})) && ! hyperfine "${args[@]}" --export-json "$raw/$w.json" "${hf[@]}" >&2; then
        rm -f "$raw/$w.json"
        for i in "${!names[@]}"; do
            hyperfine "${args[@]}" --export-json "$raw/$w.$i.json" -n "${names[$i]}" "${cmds[$i]}" >&2 ||
                { rm -f "$raw/$w.$i.json"; printf '%s\tfailed during the benchmark runs\n' "${names[$i]}" >>"$raw/$w.failed"; }
        done
    fi
    for i in "${!slow_names[@]}"; do
        hyperfine -N --style basic --runs 2 "$@" --export-json "$raw/$w.slow$i.json" \
            -n "${slow_names[$i]}" "${slow_cmds[$i]}" >&2 ||
            { rm -f "$raw/$w.slow$i.json"; printf '%s\tfailed during the benchmark runs\n' "${slow_names[$i]}" >>"$raw/$w.failed"; }
    done
    names=() cmds=() slow_names=() slow_cmds=()
}

say "start-up: static musl hello"
validate startup native ref "$bin/hello_musl"
validate startup minivm cmp "$minivm" -- "$bin/hello_musl"
validate_pvm startup -- "$bin/hello_musl"
validate startup qemu-user cmp qemu-x86_64 "$bin/hello_musl"
validate startup "kvm floor" - "$bin/kvm_floor"
measure startup "$runs_short"

# Threads (issue 13, the last three): glibc's pthreads and raw futexes —
# mutex_loop (10,000,000 uncontended lock/unlock), futex_pingpong (10,000 round
# trips), thread_churn (4,000 create+join).
for probe in cpu_hash getppid_loop clock_loop mutex_loop futex_pingpong thread_churn; do
    say "$probe"
    validate "$probe" native ref "$bin/$probe"
    validate "$probe" minivm cmp "$minivm" -- "$bin/$probe"
    validate_pvm "$probe" -- "$bin/$probe"
    validate "$probe" qemu-user cmp qemu-x86_64 "$bin/$probe"
    measure "$probe" "$runs_long"
done

say "write_bytes: 100,000 one-byte writes to a pipe"
validate write_bytes native ref "$bin/write_bytes"
validate write_bytes minivm cmp "$minivm" -- "$bin/write_bytes"
validate_pvm write_bytes -- "$bin/write_bytes"
validate write_bytes qemu-user cmp qemu-x86_64 "$bin/write_bytes"
measure write_bytes "$runs_long" --output=pipe

say "order checks: stdout+stderr into one pipe, ending by exit, fault, timeout"
for mode in exit fault hang; do
    native_out=$(timeout 1 "$bin/order_check_musl" $mode 2>&1 | grep -v '^minivm:' | cksum; echo "${PIPESTATUS[0]}")
    if [[ -n $minivm_error ]]; then
        printf '%s\t%s\tfailed to run\tfailed to run\n' $mode "${native_out##*$'\n'}"
        continue
    fi
    # minivm's own one-line reports ("minivm: ...") are not the program's output.
    # Only "hang" gets a --timeout, long enough for all its writes to have happened.
    vm_timeout=()
    [[ $mode == hang ]] && vm_timeout=(--timeout $((limit / 2))s)
    vm_out=$(timeout $limit "$minivm" "${vm_timeout[@]}" -- "$bin/order_check_musl" $mode 2>&1 | grep -v '^minivm:' | cksum
        echo "${PIPESTATUS[0]}")
    verdict=same
    [[ ${native_out%$'\n'*} == "${vm_out%$'\n'*}" ]] || verdict="output differs"
    [[ ${native_out##*$'\n'} == "${vm_out##*$'\n'}" ]] || verdict+=" (status differs)"
    printf '%s\t%s\t%s\t%s\n' $mode "${native_out##*$'\n'}" "${vm_out##*$'\n'}" "$verdict"
done | tee "$raw/order.tsv" >&2

say "busybox cat of a 256 MiB file to /dev/null"
root=$work/root
mkdir -p "$root"
head -c $((256 << 20)) /dev/urandom >"$root/big"
validate cat native ref /bin/busybox cat "$root/big"
validate cat minivm cmp "$minivm" --root "$root" -- /bin/busybox cat /big
validate_pvm cat --root "$root" -- /bin/busybox cat /big
validate cat qemu-user cmp qemu-x86_64 /bin/busybox cat "$root/big"
measure cat "$runs_long"
rm -f "$root/big"

# Debian's dynamically linked programs with the host's tree as the root (issue 12).
say "python3 start-up: import json, hashlib"
py=(/usr/bin/python3 -c 'import json, hashlib')
validate python3_startup native ref "${py[@]}"
validate python3_startup minivm cmp "$minivm" --root / -- "${py[@]}"
validate python3_startup qemu-user cmp qemu-x86_64 "${py[@]}"
measure python3_startup "$runs_long"

say "bash pipeline over coreutils"
pipeline=(/bin/bash -c 'seq 1 20000 | sort -rn | uniq | head -n 3')
validate bash_pipeline native ref "${pipeline[@]}"
validate bash_pipeline minivm cmp "$minivm" --root / -- "${pipeline[@]}"
validate bash_pipeline qemu-user cmp qemu-x86_64 "${pipeline[@]}"
measure bash_pipeline "$runs_long"

say "50 minivm runs of hello at once vs 25 sequential floors"
validate parallel "minivm x50 at once" - bench/repeat.sh --parallel 50 "$minivm" -- "$bin/hello_musl"
validate parallel "kvm floor x25 in sequence" - bench/repeat.sh --sequential 25 "$bin/kvm_floor"
measure parallel "$runs_long"

say "peak RSS (/usr/bin/time -f %M, KiB)"
rss() { # rss LABEL COMMAND...: one line "LABEL<TAB>kib kib ..." or "LABEL<TAB>failed: ..."
    local label=$1 vals=() i
    shift
    if [[ $1 == "$minivm" && -n $minivm_error ]]; then
        printf '%s\tfailed: %s\n' "$label" "$minivm_error"
        return
    fi
    for ((i = 0; i < rss_runs; i++)); do
        if ! /usr/bin/time -f %M -o "$work/rss" "$@" >/dev/null 2>"$work/err"; then
            printf '%s\tfailed: %s\n' "$label" "$(grep -v '^$' "$work/err" | tail -1 | cut -c1-160)"
            return
        fi
        vals+=("$(tail -1 "$work/rss")")
    done
    printf '%s\t%s\n' "$label" "${vals[*]}"
}
{
    rss native "$bin/hello_musl"
    rss "kvm floor" "$bin/kvm_floor"
    rss minivm "$minivm" -- "$bin/hello_musl"
    rss "minivm --memory 4G" "$minivm" --memory 4G -- "$bin/hello_musl"
} | tee "$raw/rss.tsv" >&2

say "VM exits (perf stat of kvm tracepoints)"
# kvm:kvm_exit does not fire under every KVM (not under kvm_pvm, for one): count
# the exits that are traced everywhere: to the VMM, emulated instructions, MSRs.
events=kvm:kvm_userspace_exit,kvm:kvm_emulate_insn,kvm:kvm_msr
if [[ -z $minivm_error ]] && perf stat -e "$events" true >/dev/null 2>&1; then
    # 10,000 and 100,000 calls, not 1,000,000: enough to see whether each call
    # costs an exit. The difference between the two is the per-call cost; the
    # first call's one-time costs (the vDSO's data page faulting in) cancel out.
    # "clock_loop 0" shows the start-up's own count (same binary, no calls).
    for probe in "clock_loop 0" "clock_loop 10000" "clock_loop 100000" "getppid_loop 10000"; do
        if timeout $limit perf stat -x, -e "$events" -o "$work/perf" "$minivm" -- "$bin/"$probe >/dev/null 2>&1; then
            awk -F, -v p="${probe/ /@}" '/kvm:/ { n[$3] = $1; t += $1 }
                END { printf "%s\t%d\t%s %s, %s %s, %s %s\n", p, t, n["kvm:kvm_userspace_exit"], "to the VMM",
                      n["kvm:kvm_emulate_insn"], "emulated instructions", n["kvm:kvm_msr"], "MSR accesses" }' "$work/perf"
        else
            printf '%s\tfailed or cut at %s s\n' "${probe/ /@}" "$limit"
        fi
    done | tee "$raw/exits.tsv" >&2
else
    echo "skipped (no minivm, or perf cannot read kvm tracepoints)" >&2
fi

say "KVM statistics per run of Debian's programs (minivm --trace)"
# The vCPU's own counters (exits, and on kvm_pvm the emulated guest-kernel
# instructions: insn_emulation), one run each.
if [[ -z $minivm_error ]]; then
    for w in python3_startup bash_pipeline; do
        if [[ $w == python3_startup ]]; then args=("${py[@]}"); else args=("${pipeline[@]}"); fi
        stats=$(timeout $limit "$minivm" --trace --root / -- "${args[@]}" 2>&1 >/dev/null |
            sed -n 's/^minivm: trace: vCPU statistics: //p' | tail -1)
        printf '%s	%s
' "$w" "${stats:-not available}"
    done | tee "$raw/kvm_stats.tsv" >&2
fi

say "KVM statistics per thread operation (minivm --trace)"
# Each thread probe at two counts; (second run - first run) / (difference of the
# counts) is the cost of one operation (lock/unlock pair, round trip,
# create+join) with the start-up and the helper thread cancelled out. One line a
# run: "PROBE@COUNT[ pvm-kernel]<TAB>the vCPU statistics" (exits=N ...
# insn_emulation=M ...; a counter that stayed 0 is not listed). The preemption
# tick's exits count too: they grow with the run's length.
if [[ -z $minivm_error ]]; then
    thread_counts=("mutex_loop 100000" "mutex_loop 1000000" "futex_pingpong 100" "futex_pingpong 1000"
        "thread_churn 20" "thread_churn 200")
    for kernel in default pvm-kernel; do
        vm=("$minivm") suffix=
        if [[ $kernel == pvm-kernel ]]; then
            ((${#pvm[@]})) || continue
            vm=("${pvm[@]}") suffix=" pvm-kernel"
        fi
        for probe in "${thread_counts[@]}"; do
            timeout $limit "${vm[@]}" --trace -- "$bin/"$probe >/dev/null 2>"$work/trace" </dev/null
            rc=$?
            stats=$(sed -n 's/^minivm: trace: vCPU statistics: //p' "$work/trace" | tail -1)
            if ((rc == 124)); then
                stats="did not finish in $limit s"
            elif ((rc != 0)); then
                stats="failed: exit status $rc: $(grep -v '^minivm: trace: vCPU' "$work/trace" | grep -v '^$' | tail -1 | cut -c1-160)"
            fi
            printf '%s\t%s\n' "${probe/ /@}$suffix" "${stats:-not available}"
        done
    done | tee "$raw/thread_stats.tsv" >&2
fi

say "rendering"
bench/render.sh
