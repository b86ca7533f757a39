#include "core/kvm.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/log.h"
#include "minivm/boot_info.h"

/* Where KVM may put its private pages on Intel (TSS for real-mode emulation);
 * inside the reserved top of the MMIO hole (minivm/boot_info.h). */
#define KVM_PRIVATE_TSS_GPA 0xfffbd000ull

static int check_capability(int kvm_fd, int cap, const char *name)
{
    int rc = ioctl(kvm_fd, KVM_CHECK_EXTENSION, cap);
    if (rc <= 0) {
        log_error("KVM lacks the %s capability this minivm needs", name);
        return -1;
    }
    return 0;
}

int kvm_vm_create(struct kvm_vm *vm)
{
    memset(vm, 0, sizeof *vm);
    vm->kvm_fd = vm->vm_fd = vm->vcpu_fd = -1;
    vm->kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (vm->kvm_fd < 0) {
        int err = errno;
        if (err == ENOENT)
            log_error("/dev/kvm does not exist: this machine has no KVM (enable virtualization "
                      "or load kvm_intel/kvm_amd)");
        else if (err == EACCES || err == EPERM)
            log_error("cannot open /dev/kvm: permission denied (add yourself to the kvm group)");
        else
            log_error("cannot open /dev/kvm: %s", strerror(err));
        return -1;
    }
    int version = ioctl(vm->kvm_fd, KVM_GET_API_VERSION, 0);
    if (version != KVM_API_VERSION) {
        log_error("KVM API version %d is not the supported %d", version, KVM_API_VERSION);
        return -1;
    }
    if (check_capability(vm->kvm_fd, KVM_CAP_USER_MEMORY, "USER_MEMORY") ||
        check_capability(vm->kvm_fd, KVM_CAP_EXT_CPUID, "EXT_CPUID") ||
        check_capability(vm->kvm_fd, KVM_CAP_IMMEDIATE_EXIT, "IMMEDIATE_EXIT"))
        return -1;
    vm->vm_fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, 0);
    if (vm->vm_fd < 0) {
        log_error("KVM_CREATE_VM failed: %s", strerror(errno));
        return -1;
    }
    if (ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_SET_TSS_ADDR) > 0 &&
        ioctl(vm->vm_fd, KVM_SET_TSS_ADDR, KVM_PRIVATE_TSS_GPA) < 0) {
        log_error("KVM_SET_TSS_ADDR failed: %s", strerror(errno));
        return -1;
    }
    return 0;
}

int kvm_vm_add_memory(struct kvm_vm *vm, uint32_t slot, uint64_t gpa, uint64_t size, void *host)
{
    struct kvm_userspace_memory_region region = {
        .slot = slot,
        .guest_phys_addr = gpa,
        .memory_size = size,
        .userspace_addr = (uint64_t)(uintptr_t)host,
    };
    if (ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &region) < 0) {
        log_error("KVM_SET_USER_MEMORY_REGION (slot %u, %llu MiB at 0x%llx) failed: %s", slot,
                  (unsigned long long)(size >> 20), (unsigned long long)gpa, strerror(errno));
        return -1;
    }
    return 0;
}

/* The guest sees exactly what KVM can virtualize (design.md §9: without this a
 * kernel built for today's CPUs faults on its first SSE/XSAVE instruction). */
static int set_supported_cpuid(struct kvm_vm *vm)
{
    int nent = 128;
    for (;;) {
        struct kvm_cpuid2 *cpuid =
            calloc(1, sizeof *cpuid + (size_t)nent * sizeof(struct kvm_cpuid_entry2));
        if (!cpuid) {
            log_error("out of memory");
            return -1;
        }
        cpuid->nent = (uint32_t)nent;
        if (ioctl(vm->kvm_fd, KVM_GET_SUPPORTED_CPUID, cpuid) < 0) {
            int err = errno;
            free(cpuid);
            if (err == E2BIG && nent < 4096) {
                nent *= 2;
                continue;
            }
            log_error("KVM_GET_SUPPORTED_CPUID failed: %s", strerror(err));
            return -1;
        }
        int rc = ioctl(vm->vcpu_fd, KVM_SET_CPUID2, cpuid);
        int err = errno;
        free(cpuid);
        if (rc < 0) {
            log_error("KVM_SET_CPUID2 failed: %s", strerror(err));
            return -1;
        }
        return 0;
    }
}

/* kvm_pvm answers a host-side read of its signature MSR; VMX/SVM KVM does not
 * know the MSR and reports 0 MSRs read (or an error), which both mean "not PVM". */
static int vcpu_is_pvm(const struct kvm_vm *vm)
{
    struct {
        struct kvm_msrs hdr;
        struct kvm_msr_entry entry;
    } msrs;
    memset(&msrs, 0, sizeof msrs);
    msrs.hdr.nmsrs = 1;
    msrs.entry.index = MINIVM_PVM_MSR_SIGNATURE;
    return ioctl(vm->vcpu_fd, KVM_GET_MSRS, &msrs) == 1 &&
           msrs.entry.data == MINIVM_PVM_SIGNATURE;
}

int kvm_vcpu_create(struct kvm_vm *vm)
{
    vm->vcpu_fd = ioctl(vm->vm_fd, KVM_CREATE_VCPU, 0);
    if (vm->vcpu_fd < 0) {
        log_error("KVM_CREATE_VCPU failed: %s", strerror(errno));
        return -1;
    }
    int size = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
    if (size < (int)sizeof(struct kvm_run)) {
        log_error("KVM_GET_VCPU_MMAP_SIZE failed: %s", size < 0 ? strerror(errno) : "too small");
        return -1;
    }
    void *run = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED, vm->vcpu_fd, 0);
    if (run == MAP_FAILED) {
        log_error("cannot map the vCPU's kvm_run: %s", strerror(errno));
        return -1;
    }
    vm->run = run;
    vm->run_size = (size_t)size;
    vm->pvm = vcpu_is_pvm(vm);
    return set_supported_cpuid(vm);
}

void kvm_vm_destroy(struct kvm_vm *vm)
{
    if (vm->run)
        munmap(vm->run, vm->run_size);
    if (vm->vcpu_fd >= 0)
        close(vm->vcpu_fd);
    if (vm->vm_fd >= 0)
        close(vm->vm_fd);
    if (vm->kvm_fd >= 0)
        close(vm->kvm_fd);
    memset(vm, 0, sizeof *vm);
    vm->kvm_fd = vm->vm_fd = vm->vcpu_fd = -1;
}

uint64_t kvm_vcpu_tsc_khz(struct kvm_vm *vm)
{
    if (ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_GET_TSC_KHZ) <= 0)
        return 0;
    int khz = ioctl(vm->vcpu_fd, KVM_GET_TSC_KHZ, 0);
    return khz > 0 ? (uint64_t)khz : 0;
}
