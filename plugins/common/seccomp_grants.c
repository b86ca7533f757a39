#include "common/seccomp_grants.h"

int plugin_seccomp_allow(const struct plugin_host *host, const struct seccomp_grant *grants,
                         size_t count)
{
    for (size_t i = 0; i < count; i++) {
        const struct seccomp_grant *g = &grants[i];
        int r = g->arg_index == SECCOMP_ANY_ARG
                    ? host->api->seccomp_allow(host->ctx, g->syscall_nr)
                    : host->api->seccomp_allow_arg(host->ctx, g->syscall_nr,
                                                   (unsigned)g->arg_index, g->value);
        if (r != 0)
            return -1;
    }
    return 0;
}
