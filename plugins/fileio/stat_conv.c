#include "stat_conv.h"

#include <string.h>

void stat_to_fileio(const struct stat *st, struct fileio_stat *out)
{
    memset(out, 0, sizeof *out); /* no stale host bytes in the padding */
    out->dev = st->st_dev;
    out->ino = st->st_ino;
    out->nlink = st->st_nlink;
    out->mode = st->st_mode;
    out->uid = st->st_uid;
    out->gid = st->st_gid;
    out->rdev = st->st_rdev;
    out->size = st->st_size;
    out->blksize = st->st_blksize;
    out->blocks = st->st_blocks;
    out->atime_sec = st->st_atim.tv_sec;
    out->atime_nsec = st->st_atim.tv_nsec;
    out->mtime_sec = st->st_mtim.tv_sec;
    out->mtime_nsec = st->st_mtim.tv_nsec;
    out->ctime_sec = st->st_ctim.tv_sec;
    out->ctime_nsec = st->st_ctim.tv_nsec;
}
