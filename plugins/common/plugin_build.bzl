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

def plugin_abi(name):
    """The device's ABI header, shared with the guest kernel.

    Included as "NAME/NAME_abi.h" (the guest kernel builds with -I plugins;
    its genrule takes the header as a file, hence exports_files).
    """
    native.exports_files([name + "_abi.h"])
    native.cc_library(
        name = "abi",
        hdrs = [name + "_abi.h"],
        strip_include_prefix = "/plugins",
        visibility = ["//visibility:public"],
        deps = ["//core:sdk"],
    )

def plugin_library(name, srcs, hdrs, visibility = ["//tests:__subpackages__"]):
    """A piece of a plugin in a library of its own, so tests reach it directly."""
    native.cc_library(
        name = name,
        srcs = srcs,
        hdrs = hdrs,
        copts = PLUGIN_COPTS,
        strip_include_prefix = "/plugins",
        visibility = visibility,
    )

def plugin_shared_object(name, srcs, deps = []):
    """The loadable NAME.so, linked with the SDK and the shared plugin helpers."""
    native.cc_binary(
        name = name + ".so",
        srcs = srcs,
        copts = PLUGIN_COPTS,
        linkopts = PLUGIN_LINKOPTS,
        linkshared = 1,
        visibility = ["//visibility:public"],
        deps = [
            ":abi",
            "//core:sdk",
            "//plugins/common",
        ] + deps,
    )
