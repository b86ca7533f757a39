// Runs plugin calls in a forked child under a seccomp filter built like the
// core's (core/sandbox.c): the core's own few calls, write to fds 1-2, and
// exactly the grants the plugin declared. A call outside the list shows up as
// "blocked system call N" and a failed run, instead of a VMM killed in use.
#ifndef MINIVM_TESTS_PLUGINS_SECCOMP_SANDBOX_H
#define MINIVM_TESTS_PLUGINS_SECCOMP_SANDBOX_H

#include <functional>
#include <string>

#include "tests/plugins/fake_host.h"

// Forks; the child installs the filter with `host`'s recorded grants, runs
// `body` (true = every call gave the expected result) and exits. Returns ""
// on success, else what went wrong.
std::string RunUnderPluginFilter(const FakeHost &host, const std::function<bool()> &body);

// For bodies: reports `what` on stderr (allowed under the filter) when !ok.
bool ExpectInChild(bool ok, const char *what);

#endif  // MINIVM_TESTS_PLUGINS_SECCOMP_SANDBOX_H
