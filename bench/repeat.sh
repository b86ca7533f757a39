#!/usr/bin/env bash
# repeat.sh --parallel|--sequential N COMMAND [ARGS...]
# Runs COMMAND N times, all at once or one after another, with its output
# discarded; fails (status 1, naming how many failed) unless every run exits 0.
set -u
mode=$1 n=$2
shift 2
failed=0
if [[ $mode == --parallel ]]; then
    pids=()
    for ((i = 0; i < n; i++)); do
        "$@" >/dev/null 2>&1 &
        pids+=($!)
    done
    for pid in "${pids[@]}"; do
        wait "$pid" || failed=$((failed + 1))
    done
else
    for ((i = 0; i < n; i++)); do
        "$@" >/dev/null 2>&1 || failed=$((failed + 1))
    done
fi
if ((failed)); then
    echo "repeat.sh: $failed of $n runs of $1 failed" >&2
    exit 1
fi
