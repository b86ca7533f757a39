#include "tests/support/temp_dir.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <stdexcept>

namespace minivm_test {
namespace {

[[noreturn]] void Die(const std::string& what) {
  throw std::runtime_error(what + ": " + strerror(errno));
}

void MakeParents(const std::string& path) {
  for (size_t slash = path.find('/', 1); slash != std::string::npos;
       slash = path.find('/', slash + 1)) {
    std::string dir = path.substr(0, slash);
    if (mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) Die("mkdir " + dir);
  }
}

int RemoveOne(const char* path, const struct stat*, int, struct FTW*) { return remove(path); }

}  // namespace

TempDir::TempDir() {
  const char* base = getenv("TEST_TMPDIR");
  std::string templ = std::string(base && *base ? base : "/tmp") + "/minivm-test-XXXXXX";
  if (mkdtemp(&templ[0]) == nullptr) Die("mkdtemp " + templ);
  path_ = templ;
}

TempDir::~TempDir() { nftw(path_.c_str(), RemoveOne, 16, FTW_DEPTH | FTW_PHYS); }

std::string TempDir::Write(const std::string& name, const std::string& content,
                           mode_t mode) const {
  std::string file = Path(name);
  MakeParents(file);
  int fd = open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) Die("create " + file);
  if (write(fd, content.data(), content.size()) != (ssize_t)content.size()) Die("write " + file);
  fchmod(fd, mode);  // the umask must not change what the test asked for
  close(fd);
  return file;
}

std::string TempDir::Mkdir(const std::string& name) const {
  std::string dir = Path(name);
  MakeParents(dir + "/");
  return dir;
}

std::string TempDir::Symlink(const std::string& name, const std::string& target) const {
  std::string link = Path(name);
  MakeParents(link);
  if (symlink(target.c_str(), link.c_str()) != 0) Die("symlink " + link);
  return link;
}

}  // namespace minivm_test
