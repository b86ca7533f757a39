/*
 * Where minivm finds its bundled plugins without any flag: next to the binary
 * (bazel-bin/minivm → bazel-bin/plugins/NAME/NAME.so), in the binary's Bazel
 * runfiles, or in $MINIVM_PLUGIN_DIR when set (for installed layouts).
 */
#ifndef MINIVM_CORE_RESOURCE_PATHS_H
#define MINIVM_CORE_RESOURCE_PATHS_H

#ifdef __cplusplus
extern "C" {
#endif

/* Path of bundled plugin `name` (must be a plain name), or NULL if none of the
 * candidate places has it. Caller frees. */
char *bundled_plugin_path(const char *name);

#ifdef __cplusplus
}
#endif

#endif
