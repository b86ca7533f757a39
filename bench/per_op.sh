#!/usr/bin/env bash
# bench/per_op.sh [options] — guest-kernel instructions and VM exits per operation
# (issue 15; see docs/performance.md). Each probe runs in minivm twice, N1 and N2
# operations; per op = (count at N2 - count at N1) / (N2 - N1), start-up cancelled.
#   --source count|trace  count: each run in tools/nested_kvm/run.sh with
#                         MINIVM_INSN_COUNT: QEMU counts every instruction of the
#                         guest kernel (tools/insn_count; exact, any host, no
#                         /dev/kvm needed; a REP string instruction counts once);
#                         trace: `minivm --trace`'s vCPU statistics, whose
#                         insn_emulation is the kernel's instructions on kvm_pvm.
#                         Default: trace on a kvm_pvm host with /dev/kvm, else count.
#   --minivm PATH         this minivm (its plugins/ beside it); default: build //:minivm
#   --no-build            take bazel-bin as it is
#   --only OP[,OP...]     only these rows (default all): boot getppid getppid_pvm_entry console_write
#                         pipe_write pipe_roundtrip anon_fault file_fault
#                         fork_exit_wait fork_exec_wait
#   --profile OP|all      with --source count: per-function instructions per op
#                         (bench/insn_profile.py over the guest kernel's symbols)
#   --timeout SECONDS     cap of one minivm run (default 600)
#   --no-tick             run minivm without the timer device (configs/vm.ini less
#                         [plugin timer]): no preemption ticks, whose number grows
#                         with the run's wall-clock time (the default with count,
#                         whose emulated runs are slow; --tick keeps the timer)
# Writes the table to stdout and bench/results/per_op.md (profiles: per_op_profile.txt).
set -uo pipefail
self=$(realpath "$0")
start=$PWD
cd "$(dirname "$self")/.."

# Operations, in the table's order: name, then N1 and N2 for each source.
# boot has no N: one run of hello_musl; with count, its figure is the kernel's
# instructions before the first entry into user mode (tools/insn_count's mark).
OPS=(boot getppid getppid_pvm_entry console_write pipe_write pipe_roundtrip anon_fault file_fault fork_exit_wait
    fork_exec_wait)
# count runs under QEMU's emulation: a little shorter where an operation is long.
declare -A N1_COUNT=([getppid]=1000 [getppid_pvm_entry]=1000 [console_write]=1000 [pipe_write]=1000 [pipe_roundtrip]=1000
    [anon_fault]=1000 [file_fault]=1000 [fork_exit_wait]=20 [fork_exec_wait]=10)
declare -A N2_COUNT=([getppid]=10000 [getppid_pvm_entry]=10000 [console_write]=10000 [pipe_write]=10000 [pipe_roundtrip]=10000
    [anon_fault]=10000 [file_fault]=10000 [fork_exit_wait]=200 [fork_exec_wait]=60)
declare -A N1_TRACE=([getppid]=1000 [getppid_pvm_entry]=1000 [console_write]=1000 [pipe_write]=1000 [pipe_roundtrip]=1000
    [anon_fault]=1000 [file_fault]=1000 [fork_exit_wait]=20 [fork_exec_wait]=20)
declare -A N2_TRACE=([getppid]=10000 [getppid_pvm_entry]=10000 [console_write]=10000 [pipe_write]=10000 [pipe_roundtrip]=10000
    [anon_fault]=10000 [file_fault]=10000 [fork_exit_wait]=200 [fork_exec_wait]=200)
declare -A LABEL=([boot]="boot to the first user instruction (static musl hello)"
    [getppid]="syscall(SYS_getppid)"
    [getppid_pvm_entry]="getppid the way kvm_pvm's emulated kernel takes every syscall (a fault on the trampoline)"
    [console_write]="one-byte write(2) to the console"
    [pipe_write]="one-byte write(2) to a pipe"
    [pipe_roundtrip]="pipe round trip between two processes (1 byte each way)"
    [anon_fault]="anonymous page fault (first write, per page)"
    [file_fault]="file page fault (first read of a MAP_PRIVATE file page, per page)"
    [fork_exit_wait]="fork + child _exit + waitpid"
    [fork_exec_wait]="fork + execve of a static musl program + exit + waitpid")
# Targets on the kernel's instructions per op (issue 15); none: reference only.
# pipe_roundtrip's, "≤ 2× a getppid pair", is computed from the getppid row.
declare -A TARGET=([boot]=6000 [getppid]=70 [getppid_pvm_entry]=70 [console_write]=120 [anon_fault]=200
    [fork_exec_wait]=20000)

usage() { sed -n '2,21p' "$self" | sed 's/^# \{0,1\}//'; }
source= minivm_arg= build=1 only= profile= limit= tick=1
while (($#)); do
    case $1 in
    --source) source=${2:-}; shift ;;
    --minivm) minivm_arg=${2:-}; [[ $minivm_arg == /* ]] || minivm_arg=$start/$minivm_arg; shift ;;
    --no-build) build=0 ;;
    --only) only=${2:-}; shift ;;
    --profile) profile=${2:-}; shift ;;
    --timeout) limit=${2:-}; shift ;;
    --no-tick) tick=0 ;;
    --tick) tick=2 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "per_op.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
    esac
    shift
done
if [[ -z $source ]]; then
    if [[ -d /sys/module/kvm_pvm && -c /dev/kvm ]]; then source=trace; else source=count; fi
fi
case $source in
count) limit=${limit:-600}; ((tick == 1)) && tick=0 ;;
trace) limit=${limit:-600} ;;
*) echo "per_op.sh: --source is count or trace" >&2; exit 2 ;;
esac
if [[ -n $only ]]; then
    for op in ${only//,/ }; do
        [[ -v "LABEL[$op]" ]] || { echo "per_op.sh: no operation $op (${OPS[*]})" >&2; exit 2; }
    done
fi
if [[ -n $profile && $profile != all && ! -v "LABEL[$profile]" ]]; then
    echo "per_op.sh: --profile takes all or one of: ${OPS[*]}" >&2
    exit 2
fi
if [[ -n $profile && $source != count ]]; then
    echo "per_op.sh: --profile needs --source count (the rip lines); ignored" >&2
    profile=
fi
[[ $source == count || -c /dev/kvm ]] || { echo "per_op.sh: no /dev/kvm here (try --source count)" >&2; exit 1; }
selected() { [[ -z $only || ",$only," == *",$1,"* ]]; }
say() { printf '== %s\n' "$*" >&2; }

# --- build, and private copies (a concurrent bazel build cannot swap them) ---------
work=$(mktemp -d /tmp/minivm-perop.XXXXXX)
trap 'rm -rf "$work"' EXIT
probes=(hello_musl getppid_loop_musl write_bytes_musl pipe_write_musl pipe_pingpong_musl
    anon_fault_musl file_fault_musl fork_wait_musl fork_exec_musl exit_zero_musl)
if ((build)); then
    say "building the probes and minivm"
    targets=()
    for p in "${probes[@]}"; do targets+=("//bench:$p"); done
    targets+=(//guest/programs:syscall_trampoline)
    bazel build "${targets[@]}" //guest/kernel:kernel.elf 2>"$work/build.log" ||
        { cat "$work/build.log" >&2; exit 1; }
    if [[ -z $minivm_arg ]]; then
        # As bench/run.sh: core/BUILD embeds the kernel with .incbin, which Bazel does
        # not track; a flag naming the kernel's hash makes it redo the embedding.
        kernel_sha=$(sha256sum bazel-bin/guest/kernel/kernel.elf | cut -c1-16)
        bazel build --per_file_copt=".*embedded_kernel\.S@-DMINIVM_KERNEL_SHA=$kernel_sha" //:minivm \
            2>>"$work/build.log" || { cat "$work/build.log" >&2; exit 1; }
    fi
fi
minivm_src=${minivm_arg:-bazel-bin/minivm}
[[ -x $minivm_src ]] || { echo "per_op.sh: no minivm at $minivm_src" >&2; exit 1; }
mkdir -p "$work/minivm" "$work/root/bin" "$work/counts"
cp "$minivm_src" "$work/minivm/minivm"
(cd "$(dirname "$minivm_src")" && find plugins -type f -name '*.so' -exec cp --parents {} "$work/minivm/" \; 2>/dev/null)
minivm=$work/minivm/minivm
for p in "${probes[@]}"; do
    cp "bazel-bin/bench/$p" "$work/root/bin/" || { echo "per_op.sh: bench probe $p not built" >&2; exit 1; }
done
cp bazel-bin/guest/programs/syscall_trampoline "$work/root/bin/" ||
    { echo "per_op.sh: //guest/programs:syscall_trampoline not built" >&2; exit 1; }
kernel_elf=bazel-bin/guest/kernel/kernel.elf
# count: QEMU counts by the kernel's addresses (its text, from this ELF).
if [[ -n $profile || $source == count ]]; then
    cp "$kernel_elf" "$work/kernel.elf" || { echo "per_op.sh: no $kernel_elf" >&2; exit 1; }
    if [[ -z $minivm_arg ]] && ! python3 -c 'import sys; sys.exit(open(sys.argv[1], "rb").read() not in open(sys.argv[2], "rb").read())' \
        "$work/kernel.elf" "$minivm"; then
        echo "per_op.sh: $kernel_elf is not the kernel minivm embeds: counts and symbols would be wrong" >&2
        exit 1
    fi
fi
# --no-tick: the default device set without the timer (a config that declares
# plugin sections is the whole set).
config=()
if ((!tick)); then
    awk '/^\[/ { skip = ($0 == "[plugin timer]") } !skip' configs/vm.ini >"$work/no_tick.ini"
    config=(-c "$work/no_tick.ini")
fi
# The file that file_fault maps: as many pages as the largest N2.
pages=$(printf '%s\n' "${N2_COUNT[file_fault]}" "${N2_TRACE[file_fault]}" | sort -n | tail -1)
head -c $((pages * 4096)) /dev/urandom >"$work/root/pages"

# --- the host ---------------------------------------------------------------------
pvm_host=0
[[ -d /sys/module/kvm_pvm ]] && pvm_host=1

# args OP N DIR: the probe's command line, its programs under DIR (/bin in the guest).
args() {
    local op=$1 n=$2 d=$3
    case $op in
    boot) echo "$d/hello_musl" ;;
    getppid) echo "$d/getppid_loop_musl $n" ;;
    getppid_pvm_entry) echo "$d/syscall_trampoline loop $n" ;;
    console_write) echo "$d/write_bytes_musl $n" ;;
    pipe_write) echo "$d/pipe_write_musl $n" ;;
    pipe_roundtrip) echo "$d/pipe_pingpong_musl $n" ;;
    anon_fault) echo "$d/anon_fault_musl $n" ;;
    file_fault) echo "$d/file_fault_musl $n ${d%/bin}/pages" ;;
    fork_exit_wait) echo "$d/fork_wait_musl $n" ;;
    fork_exec_wait) echo "$d/fork_exec_musl $n /bin/exit_zero_musl" ;;
    esac
}

# measure OP N: one minivm run; prints "KERNEL EXITS" (KERNEL "-" when the source
# has no kernel count here), or "failed: REASON". count: the counts file stays in
# $work/counts/OP.N for the profile.
measure_run() {
    local op=$1 n=$2 rc cmd
    local out=$work/counts/$op.$n
    # The guest's root is $work/root: fork_exec finds /bin/exit_zero_musl there.
    # The program itself is given by its host path.
    read -ra cmd <<<"$(args "$op" "$n" "$work/root/bin")"
    [[ $op == fork_exec_wait ]] && cmd[2]=/bin/exit_zero_musl
    [[ $op == file_fault ]] && cmd[2]=/pages
    if [[ $source == count ]]; then
        rm -f "$out"
        # boot without --trace: its messages would be counted (formatting them
        # costs thousands of instructions); the boot row then has no exits.
        local trace=(--trace)
        [[ $op == boot ]] && trace=()
        MINIVM_INSN_COUNT=$out MINIVM_KERNEL_ELF=$work/kernel.elf timeout "$limit" \
            tools/nested_kvm/run.sh "$minivm" "${config[@]}" "${trace[@]}" --root "$work/root" -- "${cmd[@]}" \
            >/dev/null 2>"$work/err" </dev/null
    else
        timeout "$limit" "$minivm" "${config[@]}" --trace --root "$work/root" -- "${cmd[@]}" \
            >/dev/null 2>"$work/err" </dev/null
    fi
    rc=$?
    if ((rc == 124)); then
        echo "failed: did not finish in $limit s"
        return
    elif ((rc != 0)); then
        echo "failed: exit status $rc: $(grep -v '^minivm: trace: \|^$' "$work/err" | tail -1 | cut -c1-160)"
        return
    fi
    local kernel=-
    if [[ $source == count ]]; then
        [[ -s $out ]] || { echo "failed: QEMU wrote no counts file"; return; }
        kernel=$(awk '$1 == "kernel" { print $2 }' "$out")
        [[ -n $kernel ]] || { echo "failed: no kernel line in the counts file"; return; }
        if [[ $op == boot ]]; then
            # The boot alone: up to the first entry into user mode. Without
            # the mark, the whole run (an upper bound), marked with "<=".
            local boot
            boot=$(awk '$1 == "before_mark" { print $2 }' "$out")
            echo "${boot:-<=$kernel} -"
            return
        fi
    fi
    sed -n 's/^minivm: trace: vCPU statistics: //p' "$work/err" | tail -1 |
        awk -v pvm=$pvm_host -v kernel="$kernel" '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); s[kv[1]] = kv[2] } }
            END { if (!("exits" in s)) { print "failed: no vCPU statistics (exits=) in --trace"; exit }
                  print (kernel != "-" ? kernel : pvm ? s["insn_emulation"] + 0 : "-"), s["exits"] }'
}

measure() {
    local r
    r=$(measure_run "$@")
    [[ $r == failed* || $r =~ ^(-|[0-9]+|\<=[0-9]+)\ ([0-9]+|-)$ ]] || r="failed: unexpected counts: ${r:-none}"
    echo "$r"
}

raw() { # raw OP N "KERNEL EXITS"|"failed: ...": the counts of one run, for the record
    local counts=$work/counts/$1.$2
    if [[ $3 == failed* ]]; then
        echo "$3"
    elif [[ $source == count ]]; then
        # and the REP string iterations (counted once per instruction in kernel),
        # and for the boot the whole run's count
        echo "kernel ${3%% *}, exits ${3##* }$(awk '$1 == "rep_iterations" { printf ", %s %s", $1, $2 }
            $1 == "kernel" { whole = $2 } $1 == "before_mark" { marked = 1 }
            END { if (marked && boot) printf ", whole run %s", whole }' boot=$([[ $1 == boot ]] && echo 1 || echo 0) "$counts")"
    else
        echo "kernel ${3%% *}, exits ${3##* }"
    fi
}

# --- the runs ---------------------------------------------------------------------
declare -A RESULT RAW
for op in "${OPS[@]}"; do
    selected "$op" || continue
    say "$op"
    # First natively (a probe that fails there says nothing about minivm).
    read -ra cmd <<<"$(args "$op" 3 "$work/root/bin")"
    [[ $op == fork_exec_wait ]] && cmd[2]=$work/root/bin/exit_zero_musl
    # (getppid_pvm_entry jumps to minivm's trampoline page: natively a SIGSEGV.)
    if [[ $op != getppid_pvm_entry ]] && ! "${cmd[@]}" >/dev/null 2>"$work/err"; then
        RESULT[$op]="failed: natively: $(tail -1 "$work/err" | cut -c1-160)"
        continue
    fi
    if [[ $op == boot ]]; then
        r=$(measure boot 1)
        RAW[$op]="one run: $(raw boot 1 "$r")"
        RESULT[$op]=$r
        continue
    fi
    if [[ $source == count ]]; then n1=${N1_COUNT[$op]} n2=${N2_COUNT[$op]}; else n1=${N1_TRACE[$op]} n2=${N2_TRACE[$op]}; fi
    r1=$(measure "$op" "$n1")
    r2=$(measure "$op" "$n2")
    RAW[$op]="N=$n1: $(raw "$op" "$n1" "$r1"); N=$n2: $(raw "$op" "$n2" "$r2")"
    echo "   $op: ${RAW[$op]}" >&2
    if [[ $r1 == failed* ]]; then RESULT[$op]="$r1 (N=$n1)"; continue; fi
    if [[ $r2 == failed* ]]; then RESULT[$op]="$r2 (N=$n2)"; continue; fi
    RESULT[$op]=$(awk -v a="$r1" -v b="$r2" -v n1="$n1" -v n2="$n2" 'BEGIN {
        split(a, x, " "); split(b, y, " ")
        k = (x[1] == "-" ? "-" : sprintf("%.1f", (y[1] - x[1]) / (n2 - n1)))
        printf "%s %.2f\n", k, (y[2] - x[2]) / (n2 - n1) }')
done

# --- the table ----------------------------------------------------------------------
fmt() { # thousands separators, one decimal kept
    awk -v v="$1" 'BEGIN { s = sprintf("%.1f", v); if (s == "-0.0") s = "0.0"; sub(/\.0$/, "", s); i = index(s, ".")
        ip = i ? substr(s, 1, i - 1) : s; fp = i ? substr(s, i) : ""; neg = ip ~ /^-/; sub(/^-/, "", ip)
        while (length(ip) > 3) { fp = "," substr(ip, length(ip) - 2) fp; ip = substr(ip, 1, length(ip) - 3) }
        print (neg ? "-" : "") ip fp }'
}
getppid_k=
[[ ${RESULT[getppid]:-failed} != failed* ]] && getppid_k=${RESULT[getppid]%% *}
[[ $getppid_k == - ]] && getppid_k=
table=$work/table.md
{
    echo "| operation | kernel insns per op | VM exits per op | target | met? |"
    echo "|---|---|---|---|---|"
    for op in "${OPS[@]}"; do
        selected "$op" || continue
        r=${RESULT[$op]:-failed: not run}
        target=reference met=—
        limit_k=${TARGET[$op]:-}
        if [[ $op == pipe_roundtrip ]]; then
            if [[ -n $getppid_k ]]; then
                limit_k=$(awk -v g="$getppid_k" 'BEGIN { print 4 * g }')
                target="≤ 2× a getppid pair (4 × $(fmt "$getppid_k") = $(fmt "$limit_k"))"
            else
                target="≤ 2× a getppid pair (no getppid figure)" met="unknown"
            fi
        elif [[ -n $limit_k ]]; then
            target="≤ $(fmt "$limit_k")"
        fi
        if [[ $r == failed* ]]; then
            echo "| ${LABEL[$op]} | $r | — | $target | failed |"
            continue
        fi
        k=${r%% *} e=${r##* }
        if [[ $k == - ]]; then
            kcell="n/a (--trace counts the kernel's instructions on kvm_pvm only)"
            [[ -n $limit_k ]] && met=unknown
        else
            kcell=$(fmt "$k")
            if [[ -n $limit_k ]]; then
                if awk -v k="$k" -v t="$limit_k" 'BEGIN { exit !(k <= t) }'; then met=met; else met="**not met**"; fi
            fi
            if [[ $op == boot && $k == "<="* ]]; then
                # No boot-only figure: the whole run (boot, the program, its exit) bounds it.
                kcell="≤ $(fmt "${k#<=}")"
                if awk -v k="${k#<=}" -v t="$limit_k" 'BEGIN { exit !(k <= t) }'; then met=met; else met="unknown (whole run over the target)"; fi
            fi
        fi
        ecell=$(fmt "$e")
        [[ $e == - ]] && ecell="— (run without --trace)"
        [[ $op == boot && $e != - ]] && ecell="$ecell (whole run)"
        echo "| ${LABEL[$op]} | $kcell | $ecell | $target | $met |"
    done
} >"$table"

mkdir -p bench/results
{
    echo "# Per-operation cost of the guest kernel (bench/per_op.sh, issue 15)"
    echo
    echo '```'
    echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$([[ -n $(git status --porcelain --untracked-files=no -- . ':!docs' ':!bench/results' 2>/dev/null) ]] && echo ' (with uncommitted changes)')"
    echo "source: $source$([[ $source == trace ]] && ((pvm_host)) && echo ' (kvm_pvm: insn_emulation)')$( ((tick)) || echo ', --no-tick')"
    echo "host: $(uname -sr), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
    echo '```'
    echo
    cat "$table"
    echo
    echo "Per op: (count at N2 - count at N1) / (N2 - N1). Raw counts (kernel instructions, VM exits):"
    echo
    for op in "${OPS[@]}"; do
        selected "$op" && echo "- $op: ${RAW[$op]:-${RESULT[$op]:-not run}}"
    done
} >bench/results/per_op.md
cat "$table"

# --- the profiles ---------------------------------------------------------------------
if [[ -n $profile ]]; then
    for op in "${OPS[@]}"; do
        [[ $profile == all || $profile == "$op" ]] && selected "$op" || continue
        echo
        if [[ $op == boot ]]; then
            if [[ -s $work/counts/boot.1.mark ]]; then
                echo "## boot (hello_musl, up to its first user instruction)"
                python3 bench/insn_profile.py "$work/kernel.elf" "$work/counts/boot.1.mark"
            elif [[ -s $work/counts/boot.1 ]]; then
                echo "## boot (the whole run of hello_musl, not only the boot)"
                python3 bench/insn_profile.py "$work/kernel.elf" "$work/counts/boot.1"
            else
                echo "## boot: no counts"
            fi
        else
            n1=${N1_COUNT[$op]} n2=${N2_COUNT[$op]}
            if [[ ! -s $work/counts/$op.$n1 || ! -s $work/counts/$op.$n2 || ${RESULT[$op]} == failed* ]]; then
                echo "## $op: no profile (${RESULT[$op]:-not run})"
                continue
            fi
            echo "## $op (per op, N=$n1 and N=$n2)"
            python3 bench/insn_profile.py "$work/kernel.elf" "$work/counts/$op.$n1" "$n1" "$work/counts/$op.$n2" "$n2"
        fi
    done | tee bench/results/per_op_profile.txt
fi
