// A temporary root directory plus a fileio plugin loaded over it, with one
// helper per hypercall so tests read like the system calls they stand for.
#ifndef MINIVM_TESTS_PLUGINS_FILEIO_FIXTURE_H
#define MINIVM_TESTS_PLUGINS_FILEIO_FIXTURE_H

#include "fileio/fileio_abi.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/plugins/fake_host.h"

class FileioTest : public ::testing::Test {
 protected:
  static constexpr uint16_t kPort = 0x502;
  static constexpr uint32_t kBlock = 0x1000;
  static constexpr uint64_t kPath = 0x10000;
  static constexpr uint64_t kPath2 = 0x12000;
  static constexpr uint64_t kData = 0x20000;

  // Layout under a fresh temporary directory `base_`:
  //   base_/secret                 a file outside the root
  //   root_/hello.txt              "hello, world\n"
  //   root_/dir/inner.txt          "inner\n"
  //   root_/inner_link -> dir/inner.txt
  //   root_/abs_link   -> /etc/passwd
  //   root_/abs_secret -> base_/secret   (absolute, points outside)
  //   root_/rel_escape -> ../secret      (relative, climbs out)
  //   root_/out_dir    -> base_          (absolute directory link)
  void SetUp() override;
  void TearDown() override;

  // Loads the plugin over root_ (or `root`), writable or not.
  void Load(bool rw, const std::string &root = "");

  std::string HostPath(const std::string &rel) const { return root_ + "/" + rel; }
  static std::string ReadHostFile(const std::string &path);
  static void WriteHostFile(const std::string &path, const std::string &content);
  static bool HostExists(const std::string &path);

  // The block issued and returned by the last call, for output fields.
  fileio_args last_{};

  int64_t Call(fileio_args a);
  fileio_args PathArgs(uint32_t op, const std::string &path, int32_t dir = FILEIO_DIR_ROOT);
  int64_t Open(const std::string &path, uint32_t flags, uint32_t mode = 0,
               int32_t dir = FILEIO_DIR_ROOT);
  int64_t Close(int64_t h);
  // READ into guest RAM at kData; *out receives the bytes read.
  int64_t Read(int64_t h, size_t len, std::string *out, int64_t offset = -1);
  int64_t Write(int64_t h, const std::string &data, int64_t offset = -1);
  int64_t Lseek(int64_t h, int64_t offset, int whence);
  int64_t Fstat(int64_t h, fileio_stat *st);
  int64_t Stat(const std::string &path, uint32_t flags, fileio_stat *st,
               int32_t dir = FILEIO_DIR_ROOT);
  int64_t Access(const std::string &path, uint32_t mode, uint32_t flags = 0);
  int64_t Readlink(const std::string &path, std::string *target);
  int64_t Unlink(const std::string &path, uint32_t flags = 0);
  int64_t Mkdir(const std::string &path, uint32_t mode = 0755);
  // An operation on two names (RENAME, SYMLINK, LINK): path, then path2.
  int64_t TwoPaths(uint32_t op, const std::string &path, const std::string &path2);
  int64_t Rename(const std::string &from, const std::string &to);

  FakeHost host_;
  std::string base_, root_;
};

#endif  // MINIVM_TESTS_PLUGINS_FILEIO_FIXTURE_H
