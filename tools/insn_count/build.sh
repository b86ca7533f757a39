#!/usr/bin/env bash
# Builds insn_count_plugin.so (cached by its source's checksum) and prints the
# -plugin argument that counts the text of the guest kernel KERNEL_ELF:
#   tools/insn_count/build.sh bazel-bin/guest/kernel/kernel.elf
#   -> /var/cache/minivm-insn-count/<sum>.so,start=0x...,end=0x...,mark=0x...
# The caller appends ",out=FILE" (tools/nested_kvm/run.sh does, with MINIVM_INSN_COUNT).
set -euo pipefail
(($# == 1)) || { echo "usage: tools/insn_count/build.sh KERNEL_ELF" >&2; exit 2; }
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
kernel=$1
[[ -r $kernel ]] || { echo "insn_count: cannot read the guest kernel $kernel" >&2; exit 1; }

cache=/var/cache/minivm-insn-count
mkdir -p "$cache"
sum=$(cat "$here/insn_count_plugin.c" "$here/qemu_plugin_v1.h" | sha256sum | cut -c1-16)
so=$cache/$sum.so
if [[ ! -s $so ]]; then
    gcc -shared -fPIC -O2 -Wall -Wextra -Werror -fvisibility=hidden \
        -o "$so.tmp" "$here/insn_count_plugin.c" && mv "$so.tmp" "$so"
fi

# The executable segments of the kernel (program headers with E): their
# lowest start and highest end.
read -r start end < <(readelf -lW "$kernel" | python3 -c '
import sys
spans = [(int(f[2], 16), int(f[2], 16) + int(f[5], 16))
         for f in (line.split() for line in sys.stdin)
         if f and f[0] == "LOAD" and "E" in f[6:-1]]
if spans:
    print(hex(min(s for s, _ in spans)), hex(max(e for _, e in spans)))')
[[ -n ${start:-} ]] || { echo "insn_count: no executable segment in $kernel" >&2; exit 1; }
# The first entry into user mode ends the boot (the plugin's mark=), unless
# MINIVM_INSN_MARK names another kernel symbol (to split the boot in phases).
mark=$(nm "$kernel" | awk -v sym="${MINIVM_INSN_MARK:-trap_return_to_user}" \
    '$3 == sym && !seen++ { print "0x" $1 }')
echo "$so,start=$start,end=$end${mark:+,mark=$mark}"
