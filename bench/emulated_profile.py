#!/usr/bin/env python3
"""Where the guest kernel's emulated instructions go (docs/performance.md).

Under kvm_pvm every guest-kernel instruction is emulated, and the
kvm:kvm_emulate_insn tracepoint records its guest RIP and bytes. This maps
them to kernel functions:

  perf record -e kvm:kvm_emulate_insn -o emu.data bazel-bin/minivm -- PROGRAM
  bench/emulated_profile.py bazel-bin/guest/kernel/kernel.elf emu.data [DEPTH [MIN]]

prints the total, then a call tree of inclusive counts (DEPTH levels, entries
of at least MIN instructions) and the functions by their own count. The call
stack is rebuilt from the instruction stream (a function entered is pushed,
`ret` pops, iretq/sysret clear), so it is approximate around entries/exits.
"""
import bisect
import collections
import re
import subprocess
import sys

from insn_profile import symbols  # the kernel's function symbols, by address


def records(data):
    rx = re.compile(r'kvm:kvm_emulate_insn: [0-9a-f]+:([0-9a-f]+):([0-9a-f ]+) \(')
    out = subprocess.run(['perf', 'script', '-i', data], capture_output=True, text=True).stdout
    for line in out.splitlines():
        m = rx.search(line)
        if m:
            yield int(m.group(1), 16), m.group(2).split()


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    elf, data = sys.argv[1], sys.argv[2]
    depth = int(sys.argv[3]) if len(sys.argv) > 3 else 6
    minimum = int(sys.argv[4]) if len(sys.argv) > 4 else 50
    syms = symbols(elf)
    addrs = [a for a, _ in syms]
    name = lambda rip: syms[bisect.bisect_right(addrs, rip) - 1][1] if rip >= addrs[0] else '?'
    stack, inclusive, own, order, total = [], collections.Counter(), collections.Counter(), [], 0
    for rip, insn in records(data):
        total += 1
        f = name(rip)
        if not stack or stack[-1] != f:
            if f in stack:
                del stack[stack.index(f) + 1:]
            else:
                stack.append(f)
        own[f] += 1
        for d in range(1, min(len(stack), depth) + 1):
            key = tuple(stack[:d])
            if key not in inclusive:
                order.append(key)
            inclusive[key] += 1
        if insn[0] in ('c3', 'c2') and stack:
            stack.pop()
        elif ' '.join(insn[:3]) in ('48 cf', '48 0f 07') or insn[:2] == ['0f', '07']:
            stack.clear()  # iretq, sysret: back to user mode
    print('emulated instructions:', total)
    print('\n== call tree (inclusive) ==')
    for key in order:
        if inclusive[key] >= minimum:
            print('  ' * (len(key) - 1) + '%s %d' % (key[-1], inclusive[key]))
    print('\n== own instructions ==')
    for f, n in own.most_common(30):
        print('%8d  %s' % (n, f))


if __name__ == '__main__':
    main()
