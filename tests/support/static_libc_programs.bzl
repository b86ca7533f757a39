"""One C source as a static glibc program and a static musl program."""

def static_libc_programs(name, src, libs = [], testonly = False):
    """Defines NAME_glibc (cc_binary) and NAME_musl (musl-gcc) from `src`."""
    native.cc_binary(
        name = name + "_glibc",
        testonly = testonly,
        srcs = [src],
        copts = ["-Wall", "-Werror"],
        linkopts = ["-static"] + libs,
    )
    native.genrule(
        name = name + "_musl_build",
        testonly = testonly,
        srcs = [src],
        outs = [name + "_musl"],
        cmd = "musl-gcc -static -O2 -Wall -Werror -o $@ $< " + " ".join(libs),
        executable = True,
    )
