/* The configuration minivm uses without -c: the same INI syntax as a file. */
#ifndef MINIVM_CORE_DEFAULT_CONFIG_H
#define MINIVM_CORE_DEFAULT_CONFIG_H

static const char DEFAULT_CONFIG_INI[] =
    "[vm]\n"
    "memory = 512M\n"
    "root = .\n"
    "rw = false\n"
    "timeout = 0\n"
    "trace = false\n"
    "host_libraries = true\n"
    "tmpfs = /tmp /dev/shm\n"
    "env = PATH=/bin:/usr/bin\n"
    "env = HOME=/\n"
    "\n"
    "[plugin platform]\n"
    "path = platform\n"
    "\n"
    "[plugin console]\n"
    "path = console\n"
    "\n"
    "[plugin fileio]\n"
    "path = fileio\n"
    "\n"
    "[plugin rng]\n"
    "path = rng\n"
    "\n"
    "[plugin clock]\n"
    "path = clock\n"
    "\n"
    "[plugin timer]\n"
    "path = timer\n";

#endif
