#include "tests/fuzz/guest/elf_mutant.h"

#include <elf.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "tests/fuzz/guest/raw.h"

#define SYS_write 1
#define SYS_open 2
#define SYS_close 3
#define HLT 0xf4
#define CODE_VADDR 0x401000ull
#define DATA_VADDR 0x403000ull
#define FILE_SIZE 0x2100

struct image {
    Elf64_Ehdr eh;
    Elf64_Phdr ph[3];
    unsigned char pad[0x1000 - sizeof(Elf64_Ehdr) - 3 * sizeof(Elf64_Phdr)];
    unsigned char code[0x1000];
    unsigned char data[0x100];
};
_Static_assert(sizeof(struct image) == FILE_SIZE, "layout");

static struct image img;

/* The well-formed program: exit(0) at the entry, HLT everywhere else. */
static void build(void)
{
    static const unsigned char exit0[] = {0xb8, 60, 0, 0, 0,   /* mov $60, %eax */
                                          0x31, 0xff,          /* xor %edi, %edi */
                                          0x0f, 0x05};         /* syscall */
    memset(&img, 0, sizeof img);
    memcpy(img.eh.e_ident, ELFMAG, SELFMAG);
    img.eh.e_ident[EI_CLASS] = ELFCLASS64;
    img.eh.e_ident[EI_DATA] = ELFDATA2LSB;
    img.eh.e_ident[EI_VERSION] = EV_CURRENT;
    img.eh.e_type = ET_EXEC;
    img.eh.e_machine = EM_X86_64;
    img.eh.e_version = EV_CURRENT;
    img.eh.e_entry = CODE_VADDR;
    img.eh.e_phoff = offsetof(struct image, ph);
    img.eh.e_ehsize = sizeof(Elf64_Ehdr);
    img.eh.e_phentsize = sizeof(Elf64_Phdr);
    img.eh.e_phnum = 3;
    img.ph[0] = (Elf64_Phdr){PT_LOAD, PF_R | PF_X, offsetof(struct image, code), CODE_VADDR,
                             CODE_VADDR, 0x1000, 0x1000, 0x1000};
    img.ph[1] = (Elf64_Phdr){PT_LOAD, PF_R | PF_W, offsetof(struct image, data), DATA_VADDR,
                             DATA_VADDR, 0x100, 0x3000, 0x1000};
    img.ph[2] = (Elf64_Phdr){PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0, 0, 0x10};
    memset(img.pad, HLT, sizeof img.pad);
    memset(img.code, HLT, sizeof img.code);
    memcpy(img.code, exit0, sizeof exit0);
    memset(img.data, HLT, sizeof img.data);
}

static uint64_t edge(struct rng *r)
{
    static const uint64_t values[] = {
        0, 1, 2, 3, 0xfff, 0x1000, 0x1001, 0x2000, 0x2100, 0x3000, 0x10000, 0x400000,
        CODE_VADDR, CODE_VADDR + 8, DATA_VADDR, 0x7ffffffff000ull, 0x7fffffffe000ull,
        0x800000000000ull, 0xffff800000000000ull, 0xffffffff80000000ull, 0xfffffffffffff000ull,
        ~0ull, 0x7fffffffffffffffull, 1ull << 32, 1ull << 40, 0x40000000ull,
    };
    return rng_one_in(r, 6) ? rng_next(r) : RNG_PICK(r, values);
}

/* Sets one header or program-header field to an edge value. */
static void mutate(struct rng *r)
{
    Elf64_Phdr *ph = &img.ph[rng_below(r, 3)];
    switch (rng_below(r, 16)) {
    case 0: img.eh.e_entry = edge(r); break;
    case 1: img.eh.e_phoff = edge(r); break;
    case 2: img.eh.e_phnum = (Elf64_Half)(rng_one_in(r, 2) ? rng_below(r, 8) : edge(r)); break;
    case 3: img.eh.e_phentsize = (Elf64_Half)(rng_one_in(r, 2) ? 55 + rng_below(r, 3) : edge(r)); break;
    case 4: {
        static const Elf64_Half types[] = {ET_NONE, ET_REL, ET_DYN, ET_CORE, 0xffff};
        img.eh.e_type = RNG_PICK(r, types);
        break;
    }
    case 5: img.eh.e_ident[rng_below(r, EI_NIDENT)] = (unsigned char)rng_next(r); break;
    case 6: img.eh.e_machine = (Elf64_Half)(rng_one_in(r, 2) ? EM_386 : rng_next(r)); break;
    case 7: {
        static const Elf64_Word types[] = {PT_NULL, PT_LOAD, PT_DYNAMIC, PT_INTERP, PT_NOTE,
                                           PT_PHDR, PT_TLS, PT_GNU_STACK, PT_GNU_RELRO, 0x70000000};
        ph->p_type = RNG_PICK(r, types);
        break;
    }
    case 8: ph->p_flags = (Elf64_Word)(rng_one_in(r, 2) ? rng_below(r, 8) : rng_next(r)); break;
    case 9: ph->p_offset = edge(r); break;
    case 10: ph->p_vaddr = edge(r); break;
    case 11: ph->p_filesz = edge(r); break;
    case 12: ph->p_memsz = edge(r); break;
    case 13: ph->p_align = edge(r); break;
    case 14: /* overlapping or touching segments */
        img.ph[1].p_vaddr = img.ph[0].p_vaddr + rng_below(r, 3) * 0x800;
        break;
    default: /* an interpreter path: a dynamic program */
        ph->p_type = PT_INTERP;
        ph->p_offset = offsetof(struct image, data);
        ph->p_filesz = rng_below(r, 0x100);
        memcpy(img.data, "/lib64/ld-linux-x86-64.so.2", 28);
        break;
    }
}

bool elf_mutant_write(struct rng *r)
{
    build();
    uint64_t n = 1 + rng_below(r, 4);
    for (uint64_t i = 0; i < n; i++)
        mutate(r);
    uint64_t size = rng_one_in(r, 8) ? rng_below(r, FILE_SIZE) : FILE_SIZE; /* truncated */
    long fd = raw3(SYS_open, (long)ELF_MUTANT_PATH, O_WRONLY | O_CREAT | O_TRUNC, 0755);
    if (fd < 0)
        return false;
    long written = raw3(SYS_write, fd, (long)&img, (long)size);
    raw1(SYS_close, fd);
    return written == (long)size;
}
