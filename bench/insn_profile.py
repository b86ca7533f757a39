#!/usr/bin/env python3
"""Guest-kernel instructions per operation, by function (bench/per_op.sh --profile).

  bench/insn_profile.py [--top K] KERNEL_ELF COUNTS_N1 N1 COUNTS_N2 N2
  bench/insn_profile.py [--top K] KERNEL_ELF COUNTS

COUNTS is a file written by tools/insn_count's QEMU plugin (MINIVM_INSN_COUNT
of tools/nested_kvm/run.sh): among its lines, `rip <hex address> <count>`, one
per guest-kernel instruction address executed.
Each address is given to the function that holds it: the greatest symbol of
`nm -n KERNEL_ELF` (types t, T, w, W) at or below it ('?' below the first).
With two runs of the same probe at N1 and N2 operations, prints
(count at N2 - count at N1) / (N2 - N1) per function, the one-time costs
cancelled; with one run, its own counts. The K largest (default 25) first, then
the total of all functions. Only the standard library.
"""
import bisect
import collections
import subprocess
import sys


def symbols(elf):
    syms = []
    out = subprocess.run(['nm', '-n', elf], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in 'tTwW':
            syms.append((int(parts[0], 16), parts[2]))
    syms.sort(key=lambda s: s[0])  # stable: nm's order among aliases
    return syms


def per_function(path, syms):
    addrs = [a for a, _ in syms]
    counts = collections.Counter()
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) != 3 or parts[0] != 'rip':
                continue
            rip, n = int(parts[1], 16), int(parts[2])
            i = bisect.bisect_right(addrs, rip) - 1
            counts[syms[i][1] if i >= 0 else '?'] += n
    return counts


def main():
    args = sys.argv[1:]
    top = 25
    if len(args) >= 2 and args[0] == '--top':
        top, args = int(args[1]), args[2:]
    if len(args) not in (2, 5):
        sys.exit(__doc__)
    syms = symbols(args[0])
    if not syms:
        sys.exit('insn_profile.py: no function symbols in %s' % args[0])
    if len(args) == 2:
        rows = {f: float(n) for f, n in per_function(args[1], syms).items()}
        unit = 'instructions in the run'
    else:
        n1, n2 = int(args[2]), int(args[4])
        if n2 == n1:
            sys.exit('insn_profile.py: N1 and N2 must differ')
        c1, c2 = per_function(args[1], syms), per_function(args[3], syms)
        rows = {f: (c2[f] - c1[f]) / (n2 - n1) for f in set(c1) | set(c2)}
        unit = 'instructions per operation'
    ranked = sorted(rows.items(), key=lambda kv: (-abs(kv[1]), kv[0]))
    print('%12s  function (%s)' % ('count', unit))
    for f, v in ranked[:top]:
        if v:
            print('%12.1f  %s' % (v, f))
    rest = sum(v for _, v in ranked[top:])
    if rest:
        print('%12.1f  (the other %d functions)' % (rest, len(ranked) - top))
    print('%12.1f  total' % sum(rows.values()))


if __name__ == '__main__':
    main()
