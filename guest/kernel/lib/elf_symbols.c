#include "lib/elf_symbols.h"

#define STT_NOTYPE 0
#define STT_FUNC 2
#define STT_GNU_IFUNC 10
#define SHN_UNDEF 0
#define SHN_ABS 0xfff1

/* Field offsets in an Elf64_Sym (read byte-wise: the table may be unaligned). */
#define SYM_NAME 0
#define SYM_INFO 4
#define SYM_SHNDX 6
#define SYM_VALUE 8
#define SYM_SIZE 16

static uint64_t load_le(const unsigned char *p, unsigned bytes)
{
    uint64_t v = 0;
    for (unsigned i = bytes; i-- > 0;)
        v = (v << 8) | p[i];
    return v;
}

static bool code_like(unsigned char info, uint16_t shndx)
{
    unsigned type = info & 0xf;
    if (shndx == SHN_UNDEF || shndx == SHN_ABS)
        return false;
    return type == STT_FUNC || type == STT_GNU_IFUNC || type == STT_NOTYPE;
}

static bool better(const struct elf_symbol_match *best, bool inside, uint64_t value)
{
    if (!best->found)
        return true;
    if (inside != best->inside)
        return inside;
    return value > best->value;
}

void elf_symbols_scan(const void *table, size_t bytes, uint64_t addr,
                      struct elf_symbol_match *best)
{
    const unsigned char *entry = table;
    for (size_t left = bytes; left >= ELF_SYMBOL_ENTRY_SIZE;
         left -= ELF_SYMBOL_ENTRY_SIZE, entry += ELF_SYMBOL_ENTRY_SIZE) {
        uint64_t value = load_le(entry + SYM_VALUE, 8);
        if (value > addr || !code_like(entry[SYM_INFO], (uint16_t)load_le(entry + SYM_SHNDX, 2)))
            continue;
        uint64_t size = load_le(entry + SYM_SIZE, 8);
        bool inside = addr - value < size; /* no overflow: value <= addr */
        if (!better(best, inside, value))
            continue;
        *best = (struct elf_symbol_match){.found = true,
                                          .inside = inside,
                                          .value = value,
                                          .size = size,
                                          .name = (uint32_t)load_le(entry + SYM_NAME, 4)};
    }
}

bool elf_symbol_name(const void *strtab, size_t len, uint32_t offset, char *out, size_t cap)
{
    const unsigned char *s = strtab;
    out[0] = '\0';
    if (offset >= len)
        return false;
    size_t n = 0;
    for (size_t i = offset; n + 1 < cap; i++, n++) {
        if (i == len) {
            out[0] = '\0';
            return false; /* no NUL before the end of the table */
        }
        unsigned char c = s[i];
        if (c == '\0')
            break;
        out[n] = c >= 0x20 && c < 0x7f ? (char)c : '?';
    }
    out[n] = '\0';
    return n > 0;
}
