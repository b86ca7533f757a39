/* /dev/kvm, the VM and its one vCPU: every ioctl's result checked and reported. */
#ifndef MINIVM_CORE_KVM_H
#define MINIVM_CORE_KVM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct kvm_run;

struct kvm_vm {
    int kvm_fd;
    int vm_fd;
    int vcpu_fd;
    struct kvm_run *run;
    size_t run_size;
    int pvm; /* the host is kvm_pvm (signature MSR answered): see docs/pvm.md */
};

/* Opens /dev/kvm, checks the API version and the capabilities minivm needs,
 * creates the VM. 0, or -1 with a message (KVM missing / not permitted / too old). */
int kvm_vm_create(struct kvm_vm *vm);
/* Makes host memory [host, host+size) guest RAM at `gpa` in memory slot `slot`. */
int kvm_vm_add_memory(struct kvm_vm *vm, uint32_t slot, uint64_t gpa, uint64_t size, void *host);
/* Creates the vCPU, maps its kvm_run, gives it the CPUID KVM supports, and
 * sets vm->pvm when this KVM is kvm_pvm. */
int kvm_vcpu_create(struct kvm_vm *vm);
void kvm_vm_destroy(struct kvm_vm *vm);
/* The vCPU's TSC frequency in kHz, or 0 when KVM cannot tell. */
uint64_t kvm_vcpu_tsc_khz(struct kvm_vm *vm);

#ifdef __cplusplus
}
#endif

#endif
