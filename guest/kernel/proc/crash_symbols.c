#include "proc/crash_symbols.h"

#include "fs/file.h"
#include "lib/elf_symbols.h"
#include "lib/string.h"
#include "mm/addr.h"
#include "mm/mm.h"
#include "proc/elf.h"
#include "proc/process.h"

#define SHT_SYMTAB 2
#define SHT_STRTAB 3
#define SHT_DYNSYM 11
#define SHDR_SIZE 64u
#define PHDR_SIZE 56u

/* Caps on what one report reads of a file (a hostile ELF gets no further). */
#define MAX_SECTIONS 4096u
#define MAX_LOADS 32u
#define MAX_PHDRS 256u
#define MAX_SYMBOLS (128u * 1024u)
#define MAX_FILES 6

/* Bytes of the file read at a time. In the kernel image: physically
 * contiguous, so the file reads go straight into it. */
#define CHUNK_BYTES (16u * 1024u)
static unsigned char chunk[CHUNK_BYTES] __attribute__((aligned(64)));

/* The Elf64_Shdr fields used. */
struct section {
    uint32_t type, link;
    uint64_t offset, size, entsize;
};

struct load {
    uint64_t offset, vaddr, filesz, memsz;
};

/* Where a frame's address is in a file: a file offset (the address is in a
 * mapping of the file, or in an anonymous page continuing one: the loader
 * copies a segment's last partial page), or already a link-time address
 * (the program's own image, from its load bias: small segments are all
 * anonymous copies). */
struct place {
    struct file *file; /* NULL: no file */
    bool linked;       /* `value` is a link-time address, else a file offset */
    uint64_t value;
};

struct elf_symbol_source {
    struct file *file;
    uint64_t symtab_offset, symtab_size;
    uint64_t strtab_offset, strtab_size;
    uint32_t load_count;
    struct load loads[MAX_LOADS];
};

/* Reads exactly `len` (<= CHUNK_BYTES) bytes at `offset` into `chunk`. */
static bool read_chunk(struct file *f, uint64_t offset, uint64_t len)
{
    if (len > CHUNK_BYTES || offset + len < offset)
        return false;
    return file_read_into_phys(f, virt_to_phys(chunk), len, offset) == (int64_t)len;
}

static uint64_t load_u64(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static uint32_t load_u32(const unsigned char *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static struct section section_at(const unsigned char *sh)
{
    return (struct section){.type = load_u32(sh + 4),
                            .link = load_u32(sh + 40),
                            .offset = load_u64(sh + 24),
                            .size = load_u64(sh + 32),
                            .entsize = load_u64(sh + 56)};
}

static bool read_section(struct file *f, const Elf64_Ehdr *eh, uint32_t index, struct section *s)
{
    if (index >= eh->e_shnum || !read_chunk(f, eh->e_shoff + (uint64_t)index * SHDR_SIZE, SHDR_SIZE))
        return false;
    *s = section_at(chunk);
    return true;
}

/* The index of the .symtab section, else of .dynsym; false if neither. */
static bool find_symbol_table(struct file *f, const Elf64_Ehdr *eh, uint32_t *index)
{
    bool have_dynsym = false;
    uint32_t per_chunk = CHUNK_BYTES / SHDR_SIZE;
    for (uint32_t first = 0; first < eh->e_shnum; first += per_chunk) {
        uint32_t count = eh->e_shnum - first < per_chunk ? eh->e_shnum - first : per_chunk;
        if (!read_chunk(f, eh->e_shoff + (uint64_t)first * SHDR_SIZE, (uint64_t)count * SHDR_SIZE))
            return false;
        for (uint32_t i = 0; i < count; i++) {
            uint32_t type = load_u32(chunk + i * SHDR_SIZE + 4);
            if (type == SHT_SYMTAB) {
                *index = first + i;
                return true;
            }
            if (type == SHT_DYNSYM && !have_dynsym) {
                have_dynsym = true;
                *index = first + i;
            }
        }
    }
    return have_dynsym;
}

static bool read_loads(struct elf_symbol_source *src, const Elf64_Ehdr *eh)
{
    if (eh->e_phentsize != PHDR_SIZE || eh->e_phnum > MAX_PHDRS ||
        !read_chunk(src->file, eh->e_phoff, (uint64_t)eh->e_phnum * PHDR_SIZE))
        return false;
    src->load_count = 0;
    for (uint32_t i = 0; i < eh->e_phnum && src->load_count < MAX_LOADS; i++) {
        Elf64_Phdr ph;
        memcpy(&ph, chunk + i * PHDR_SIZE, sizeof ph);
        if (ph.p_type == PT_LOAD)
            src->loads[src->load_count++] =
                (struct load){.offset = ph.p_offset,
                              .vaddr = ph.p_vaddr,
                              .filesz = ph.p_filesz,
                              .memsz = ph.p_memsz};
    }
    return true;
}

/* Reads and checks the headers of `f`: false when it is not an x86-64 ELF
 * file with a usable symbol table. */
static bool open_symbol_source(struct file *f, struct elf_symbol_source *src)
{
    src->file = f;
    Elf64_Ehdr eh;
    if (!read_chunk(f, 0, sizeof eh))
        return false;
    memcpy(&eh, chunk, sizeof eh);
    if (memcmp(eh.e_ident, "\177ELF", 4) != 0 || eh.e_ident[4] != ELFCLASS64 ||
        eh.e_ident[5] != ELFDATA2LSB || eh.e_machine != EM_X86_64 ||
        (eh.e_type != ET_EXEC && eh.e_type != ET_DYN) || eh.e_shentsize != SHDR_SIZE ||
        eh.e_shnum > MAX_SECTIONS || !read_loads(src, &eh))
        return false;
    uint32_t index;
    struct section symtab, strtab;
    if (!find_symbol_table(f, &eh, &index) || !read_section(f, &eh, index, &symtab) ||
        symtab.entsize != ELF_SYMBOL_ENTRY_SIZE || !read_section(f, &eh, symtab.link, &strtab) ||
        strtab.type != SHT_STRTAB || symtab.offset + symtab.size < symtab.offset ||
        strtab.offset + strtab.size < strtab.offset)
        return false;
    src->symtab_offset = symtab.offset;
    src->symtab_size = symtab.size < (uint64_t)MAX_SYMBOLS * ELF_SYMBOL_ENTRY_SIZE
                           ? symtab.size
                           : (uint64_t)MAX_SYMBOLS * ELF_SYMBOL_ENTRY_SIZE;
    src->strtab_offset = strtab.offset;
    src->strtab_size = strtab.size;
    return true;
}

/* The link-time address of a place: through the PT_LOAD segment holding
 * its file offset (this undoes the load bias of PIE programs and shared
 * objects), or a link-time address checked to lie in a segment. False when
 * no segment holds it. */
static bool link_address(const struct elf_symbol_source *src, const struct place *at,
                         uint64_t *vaddr)
{
    for (uint32_t i = 0; i < src->load_count; i++) {
        const struct load *l = &src->loads[i];
        if (at->linked && at->value >= l->vaddr && at->value - l->vaddr < l->memsz) {
            *vaddr = at->value;
            return true;
        }
        if (!at->linked && at->value >= l->offset && at->value - l->offset < l->filesz) {
            *vaddr = at->value - l->offset + l->vaddr;
            return true;
        }
    }
    return false;
}

/* The name of the symbol whose st_name is `name`, into `out`. */
static void read_name(const struct elf_symbol_source *src, uint32_t name, char *out)
{
    out[0] = '\0';
    if (name >= src->strtab_size)
        return;
    uint64_t len = src->strtab_size - name < CRASH_NAME_MAX ? src->strtab_size - name
                                                             : CRASH_NAME_MAX;
    if (read_chunk(src->file, src->strtab_offset + name, len))
        elf_symbol_name(chunk, (size_t)len, 0, out, CRASH_NAME_MAX);
}

/* Names the frames `which` (indices, `count` of them) that lie in `f`. */
static void symbolize_file(struct file *f, const struct place *places,
                           const uint64_t *stepped_back, const int *which, int count,
                           struct crash_symbol *out)
{
    static struct elf_symbol_source src;
    if (!open_symbol_source(f, &src))
        return;
    uint64_t link[CRASH_MAX_FRAMES];
    struct elf_symbol_match match[CRASH_MAX_FRAMES];
    bool usable[CRASH_MAX_FRAMES];
    for (int k = 0; k < count; k++) {
        usable[k] = link_address(&src, &places[which[k]], &link[k]);
        match[k] = (struct elf_symbol_match){0};
    }
    for (uint64_t done = 0; done < src.symtab_size;) {
        uint64_t len = src.symtab_size - done < CHUNK_BYTES ? src.symtab_size - done : CHUNK_BYTES;
        len -= len % ELF_SYMBOL_ENTRY_SIZE;
        if (len == 0 || !read_chunk(f, src.symtab_offset + done, len))
            break;
        for (int k = 0; k < count; k++) {
            if (usable[k])
                elf_symbols_scan(chunk, (size_t)len, link[k], &match[k]);
        }
        done += len;
    }
    for (int k = 0; k < count; k++) {
        struct crash_symbol *s = &out[which[k]];
        /* Past the end of a sized symbol is not in it: only .dynsym's
         * exported names are known there, so say nothing rather than
         * something wrong. */
        if (!usable[k] || !match[k].found || (!match[k].inside && match[k].size != 0))
            continue;
        read_name(&src, match[k].name, s->name);
        /* The offset of the address itself, not of the byte looked up. */
        s->offset = link[k] - match[k].value + stepped_back[which[k]];
    }
}

/* Where `va` lies in a file of `p`'s: the program's own image by its load
 * bias (mapped or copied alike), another file by the offset of its mapping,
 * continued into an anonymous page right after one (a segment's copied
 * last page). */
static struct place place_of(struct process *p, uint64_t va)
{
    const struct vma *v = mm_find_vma(p->mm, va);
    if (v == 0)
        return (struct place){0};
    const struct vma *mapped = v;
    if (v->file == 0 && v->prev != 0 && v->prev->end == v->start)
        mapped = v->prev;
    if (mapped->file != 0 && mapped->file != p->exe_file)
        return (struct place){.file = mapped->file, .value = mapped->offset + (va - mapped->start)};
    if (p->exe_file != 0 && (v->file == 0 || v->file == p->exe_file))
        return (struct place){.file = p->exe_file, .linked = true, .value = va - p->exe_load_bias};
    return (struct place){0};
}

void crash_symbolize(struct process *p, const struct crash_frame *frames, int n,
                     struct crash_symbol *out)
{
    struct place places[CRASH_MAX_FRAMES];
    uint64_t stepped_back[CRASH_MAX_FRAMES]; /* 1 where the lookup is addr - 1 */
    for (int i = 0; i < n; i++) {
        stepped_back[i] = i > 0 ? 1 : 0;
        places[i] = place_of(p, frames[i].addr - stepped_back[i]);
        out[i] = (struct crash_symbol){.name = "", .offset = 0, .file = 0};
        if (places[i].file != 0)
            out[i].file = places[i].file == p->exe_file ? p->exe_path : places[i].file->path;
    }
    /* One pass over each file's symbol table names all its frames. */
    bool done[CRASH_MAX_FRAMES] = {0};
    int files_done = 0;
    for (int i = 0; i < n && files_done < MAX_FILES; i++) {
        if (places[i].file == 0 || done[i])
            continue;
        int which[CRASH_MAX_FRAMES];
        int count = 0;
        for (int j = i; j < n; j++) {
            if (!done[j] && places[j].file == places[i].file) {
                which[count++] = j;
                done[j] = true;
            }
        }
        symbolize_file(places[i].file, places, stepped_back, which, count, out);
        files_done++;
    }
}
