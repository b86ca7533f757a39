"""Compiler and linker options every bundled plugin shares."""

# C11 with GNU extensions of libc (O_PATH, openat2 flags, ...). Hidden
# visibility so a plugin exports nothing but its descriptor (the macro in
# plugin.h marks that one symbol default-visible).
PLUGIN_COPTS = [
    "-std=c11",
    "-D_GNU_SOURCE",
    "-Wall",
    "-Wextra",
    "-Werror",
    "-fvisibility=hidden",
]

# -z defs: an unresolved symbol is a link error now, not a dlopen() error later.
PLUGIN_LINKOPTS = ["-Wl,-z,defs"]
