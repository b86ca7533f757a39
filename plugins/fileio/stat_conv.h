/* Host struct stat to the ABI's struct fileio_stat. */
#ifndef MINIVM_PLUGINS_FILEIO_STAT_CONV_H
#define MINIVM_PLUGINS_FILEIO_STAT_CONV_H

#include "fileio/fileio_abi.h"

#include <sys/stat.h>

void stat_to_fileio(const struct stat *st, struct fileio_stat *out);

#endif
