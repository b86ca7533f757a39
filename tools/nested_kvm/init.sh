#!/bin/busybox sh
# PID 1 of the emulated VM: load KVM and 9p, mount the host's / (as QEMU sees
# it) and run the job script named on the kernel command line inside it.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
while read -r m; do
    insmod "/modules/$m.ko" || echo "nested_kvm: insmod $m failed"
done < /modules/order
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000,cache=none host /host
mount --bind /dev /host/dev
mount -t proc proc /host/proc
mount -t sysfs sys /host/sys
job=$(sed -n 's/.*nested_job=\([^ ]*\).*/\1/p' /proc/cmdline)
chroot /host /bin/bash "$job"
poweroff -f
