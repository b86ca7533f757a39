/* The bare-KVM floor: the least a KVM-based runner must do to run anything.
 * Open /dev/kvm, create a VM with one small memory slot and one vCPU, run a few
 * real-mode instructions that write one byte to a port and halt, tear down.
 * Every ioctl is checked; exit status 0 only if the guest did exactly that. */
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#define MEM_SIZE 0x1000
#define GUEST_ADDR 0x1000
#define PORT 0x3f8

static void die(const char *what)
{
    perror(what);
    exit(1);
}

int main(void)
{
    /* mov $0x3f8,%dx; mov $'K',%al; out %al,(%dx); hlt */
    static const uint8_t code[] = {0xba, 0xf8, 0x03, 0xb0, 'K', 0xee, 0xf4};

    int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (kvm < 0)
        die("open /dev/kvm");
    if (ioctl(kvm, KVM_GET_API_VERSION, 0) != KVM_API_VERSION) {
        fprintf(stderr, "kvm_floor: unexpected KVM API version\n");
        return 1;
    }
    int vm = ioctl(kvm, KVM_CREATE_VM, 0);
    if (vm < 0)
        die("KVM_CREATE_VM");

    uint8_t *mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED)
        die("mmap guest memory");
    memcpy(mem, code, sizeof code);
    struct kvm_userspace_memory_region region = {
        .slot = 0,
        .guest_phys_addr = GUEST_ADDR,
        .memory_size = MEM_SIZE,
        .userspace_addr = (uintptr_t)mem,
    };
    if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region) < 0)
        die("KVM_SET_USER_MEMORY_REGION");

    int vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
    if (vcpu < 0)
        die("KVM_CREATE_VCPU");
    int run_size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
    if (run_size < (int)sizeof(struct kvm_run))
        die("KVM_GET_VCPU_MMAP_SIZE");
    struct kvm_run *run = mmap(NULL, (size_t)run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
    if (run == MAP_FAILED)
        die("mmap kvm_run");

    struct kvm_sregs sregs;
    if (ioctl(vcpu, KVM_GET_SREGS, &sregs) < 0)
        die("KVM_GET_SREGS");
    sregs.cs.base = 0;
    sregs.cs.selector = 0;
    if (ioctl(vcpu, KVM_SET_SREGS, &sregs) < 0)
        die("KVM_SET_SREGS");
    struct kvm_regs regs = {.rip = GUEST_ADDR, .rflags = 0x2};
    if (ioctl(vcpu, KVM_SET_REGS, &regs) < 0)
        die("KVM_SET_REGS");

    int saw_out = 0;
    for (;;) {
        if (ioctl(vcpu, KVM_RUN, 0) < 0)
            die("KVM_RUN");
        if (run->exit_reason == KVM_EXIT_IO) {
            const uint8_t *data = (const uint8_t *)run + run->io.data_offset;
            if (run->io.direction != KVM_EXIT_IO_OUT || run->io.port != PORT || run->io.size != 1 ||
                run->io.count != 1 || *data != 'K' || saw_out) {
                fprintf(stderr, "kvm_floor: unexpected port I/O\n");
                return 1;
            }
            saw_out = 1;
        } else if (run->exit_reason == KVM_EXIT_HLT) {
            break;
        } else {
            fprintf(stderr, "kvm_floor: unexpected exit reason %u\n", run->exit_reason);
            return 1;
        }
    }
    if (!saw_out) {
        fprintf(stderr, "kvm_floor: halted without the port write\n");
        return 1;
    }

    if (munmap(run, (size_t)run_size) < 0 || munmap(mem, MEM_SIZE) < 0)
        die("munmap");
    if (close(vcpu) < 0 || close(vm) < 0 || close(kvm) < 0)
        die("close");
    return 0;
}
