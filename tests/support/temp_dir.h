// A fresh directory under $TEST_TMPDIR (or /tmp) for one test, removed with
// everything in it when the object goes away.
#ifndef MINIVM_TESTS_SUPPORT_TEMP_DIR_H
#define MINIVM_TESTS_SUPPORT_TEMP_DIR_H

#include <string>
#include <sys/types.h>

namespace minivm_test {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // path()/name
  std::string Path(const std::string& name) const { return path_ + "/" + name; }
  // Creates path()/name (parent directories too) with `content`; returns its path.
  std::string Write(const std::string& name, const std::string& content, mode_t mode = 0644) const;
  // Creates the directory path()/name (and parents); returns its path.
  std::string Mkdir(const std::string& name) const;
  // Creates the symlink path()/name -> target; returns its path.
  std::string Symlink(const std::string& name, const std::string& target) const;

 private:
  std::string path_;
};

}  // namespace minivm_test

#endif  // MINIVM_TESTS_SUPPORT_TEMP_DIR_H
