#!/usr/bin/env bash
# Prepares what tools/nested_kvm/run.sh boots: Debian's kernel (downloaded with
# apt, never installed on this machine) and an initramfs that loads KVM and 9p.
# Only for machines without /dev/kvm (e.g. hosts that are themselves kvm_pvm
# guests): QEMU's TCG emulates AMD SVM, so KVM runs inside the emulated VM.
# Idempotent; prints the cache directory.
set -euo pipefail

cache=${MINIVM_NESTED_CACHE:-/var/cache/minivm-nested}
mkdir -p "$cache"
if [[ -s $cache/vmlinuz && -s $cache/initrd.gz ]]; then
    echo "$cache"
    exit 0
fi

need=()
command -v qemu-system-x86_64 >/dev/null || need+=(qemu-system-x86)
command -v cpio >/dev/null || need+=(cpio)
command -v depmod >/dev/null || [[ -x /usr/sbin/depmod ]] || need+=(kmod)
[[ -x /bin/busybox ]] && /bin/busybox --list >/dev/null 2>&1 || need+=(busybox-static)
if ((${#need[@]})); then
    echo "nested_kvm: installing ${need[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
image=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-/ {print $2; exit}')
(cd "$work" && apt-get download "$image" >/dev/null 2>&1)
dpkg -x "$work"/linux-image-*.deb "$work/root"
release=$(ls "$work/root/lib/modules")
/usr/sbin/depmod -b "$work/root" "$release"

# The modules KVM (AMD) and the 9p share need, in load order.
modules=(virt/lib/irqbypass drivers/crypto/ccp/ccp arch/x86/kvm/kvm arch/x86/kvm/kvm-amd
    drivers/virtio/virtio_ring drivers/virtio/virtio drivers/virtio/virtio_pci_legacy_dev
    drivers/virtio/virtio_pci_modern_dev drivers/virtio/virtio_pci net/9p/9pnet
    net/9p/9pnet_virtio fs/netfs/netfs fs/fscache/fscache fs/9p/9p)
initrd=$work/initrd
mkdir -p "$initrd"/{bin,proc,sys,dev,host,modules}
cp /bin/busybox "$initrd/bin/busybox"
for m in "${modules[@]}"; do
    cp "$work/root/lib/modules/$release/kernel/$m.ko" "$initrd/modules/"
done
printf '%s\n' "${modules[@]##*/}" > "$initrd/modules/order"
cp "$(dirname "$0")/init.sh" "$initrd/init"
chmod +x "$initrd/init"
(cd "$initrd" && find . | cpio -o -H newc 2>/dev/null | gzip) > "$cache/initrd.gz"
cp "$work/root/boot/vmlinuz-$release" "$cache/vmlinuz"
echo "$cache"
