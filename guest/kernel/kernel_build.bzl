"""One build of the guest kernel: gcc called directly (see BUILD), with the
linker script run through the C preprocessor for the build's defines."""

def guest_kernel(name, out, srcs, hdrs, cflags, ldflags, defines):
    native.genrule(
        name = name,
        srcs = srcs + hdrs + [
            "linker.ld.S",
            ":vdso_so",
        ],
        outs = [out],
        cmd = "gcc -E -P -undef -x c " + defines + " $(location linker.ld.S) -o $@.ld" +
              " && gcc " + cflags + " " + defines + " " + ldflags +
              " -DVDSO_IMAGE_PATH='\"$(location :vdso_so)\"'" +
              " -T $@.ld " +
              " ".join(["$(location %s)" % s for s in srcs]) +
              " -o $@ && rm -f $@.ld",
        visibility = ["//visibility:public"],
    )
