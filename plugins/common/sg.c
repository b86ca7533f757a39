#include "common/sg.h"

#include <errno.h>

int64_t sg_to_iovec(const struct plugin_host *host, const struct minivm_sg *seg,
                    uint32_t nseg, struct iovec *iov)
{
    if (nseg == 0 || nseg > MINIVM_SG_MAX)
        return -EINVAL;
    uint64_t total = 0;
    for (uint32_t i = 0; i < nseg; i++) {
        /* Checked one at a time so the sum below cannot overflow. */
        if (seg[i].len > MINIVM_HC_MAX_TRANSFER - total)
            return -EINVAL;
        void *p = host->api->guest_ptr(host->ctx, seg[i].gpa, seg[i].len);
        if (p == NULL)
            return -EFAULT;
        iov[i].iov_base = p;
        iov[i].iov_len = (size_t)seg[i].len;
        total += seg[i].len;
    }
    return (int64_t)total;
}
