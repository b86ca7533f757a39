#include "tests/support/data_args.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <map>

namespace minivm_test {
namespace {

std::map<std::string, std::string>& Paths() {
  static std::map<std::string, std::string> paths;
  return paths;
}

}  // namespace

bool ParseDataArgs(int argc, char** argv) {
  char cwd[PATH_MAX];
  if (!getcwd(cwd, sizeof cwd)) {
    perror("getcwd");
    return false;
  }
  for (int i = 1; i < argc; i++) {
    std::string arg = argv[i];
    size_t eq = arg.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == arg.size()) {
      fprintf(stderr, "%s: argument '%s' is not NAME=PATH\n", argv[0], argv[i]);
      return false;
    }
    std::string path = arg.substr(eq + 1);
    Paths()[arg.substr(0, eq)] = path[0] == '/' ? path : std::string(cwd) + "/" + path;
  }
  return true;
}

const std::string& DataPath(const std::string& name) {
  auto it = Paths().find(name);
  if (it == Paths().end()) {
    fprintf(stderr, "test data '%s' was not given (add %s=$(rootpath ...) to args)\n",
            name.c_str(), name.c_str());
    abort();
  }
  return it->second;
}

bool HasDataPath(const std::string& name) { return Paths().count(name) != 0; }

}  // namespace minivm_test
