#include "tests/plugins/fileio_fixture.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

void FileioTest::SetUp() {
  const char *tmp = std::getenv("TEST_TMPDIR");
  std::string tmpl = std::string(tmp != nullptr ? tmp : "/tmp") + "/fileio.XXXXXX";
  ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
  base_ = tmpl;
  root_ = base_ + "/root";
  fs::create_directories(root_ + "/dir");
  WriteHostFile(base_ + "/secret", "outside\n");
  WriteHostFile(root_ + "/hello.txt", "hello, world\n");
  WriteHostFile(root_ + "/dir/inner.txt", "inner\n");
  fs::create_symlink("dir/inner.txt", root_ + "/inner_link");
  fs::create_symlink("/etc/passwd", root_ + "/abs_link");
  fs::create_symlink(base_ + "/secret", root_ + "/abs_secret");
  fs::create_symlink("../secret", root_ + "/rel_escape");
  fs::create_directory_symlink(base_, root_ + "/out_dir");
}

void FileioTest::TearDown() {
  std::error_code ec;
  fs::remove_all(base_, ec);
}

void FileioTest::Load(bool rw, const std::string &root) {
  host_.SetVmSetting("root", root.empty() ? root_ : root);
  host_.SetVmSetting("rw", rw ? "1" : "0");
  ASSERT_EQ(host_.Load("plugins/fileio/fileio.so"), 0) << host_.load_error();
}

std::string FileioTest::ReadHostFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void FileioTest::WriteHostFile(const std::string &path, const std::string &content) {
  std::ofstream(path, std::ios::binary) << content;
}

bool FileioTest::HostExists(const std::string &path) {
  struct stat st;
  return lstat(path.c_str(), &st) == 0;
}

int64_t FileioTest::Call(fileio_args a) {
  EXPECT_EQ(host_.Hypercall(kPort, kBlock, &a), 0) << "the plugin failed closed";
  last_ = a;
  return a.hdr.result;
}

fileio_args FileioTest::PathArgs(uint32_t op, const std::string &path, int32_t dir) {
  host_.Poke(kPath, path);
  fileio_args a{};
  a.hdr.op = op;
  a.dir = dir;
  a.handle = -1;
  a.path_gpa = kPath;
  a.path_len = path.size();
  return a;
}

int64_t FileioTest::Open(const std::string &path, uint32_t flags, uint32_t mode, int32_t dir) {
  fileio_args a = PathArgs(FILEIO_OP_OPEN, path, dir);
  a.flags = flags;
  a.mode = mode;
  return Call(a);
}

int64_t FileioTest::Close(int64_t h) {
  fileio_args a{};
  a.hdr.op = FILEIO_OP_CLOSE;
  a.handle = static_cast<int32_t>(h);
  return Call(a);
}

int64_t FileioTest::Read(int64_t h, size_t len, std::string *out, int64_t offset) {
  fileio_args a{};
  a.hdr.op = FILEIO_OP_READ;
  a.handle = static_cast<int32_t>(h);
  a.offset = offset;
  a.nseg = 1;
  a.seg[0] = {kData, len};
  int64_t r = Call(a);
  if (out != nullptr) *out = r > 0 ? host_.Peek(kData, static_cast<size_t>(r)) : "";
  return r;
}

int64_t FileioTest::Write(int64_t h, const std::string &data, int64_t offset) {
  host_.Poke(kData, data);
  fileio_args a{};
  a.hdr.op = FILEIO_OP_WRITE;
  a.handle = static_cast<int32_t>(h);
  a.offset = offset;
  a.nseg = 1;
  a.seg[0] = {kData, data.size()};
  return Call(a);
}

int64_t FileioTest::Lseek(int64_t h, int64_t offset, int whence) {
  fileio_args a{};
  a.hdr.op = FILEIO_OP_LSEEK;
  a.handle = static_cast<int32_t>(h);
  a.offset = offset;
  a.whence = whence;
  return Call(a);
}

int64_t FileioTest::Fstat(int64_t h, fileio_stat *st) {
  fileio_args a{};
  a.hdr.op = FILEIO_OP_FSTAT;
  a.handle = static_cast<int32_t>(h);
  int64_t r = Call(a);
  *st = last_.stat;
  return r;
}

int64_t FileioTest::Stat(const std::string &path, uint32_t flags, fileio_stat *st, int32_t dir) {
  fileio_args a = PathArgs(FILEIO_OP_STAT, path, dir);
  a.flags = flags;
  int64_t r = Call(a);
  *st = last_.stat;
  return r;
}

int64_t FileioTest::Access(const std::string &path, uint32_t mode, uint32_t flags) {
  fileio_args a = PathArgs(FILEIO_OP_ACCESS, path);
  a.mode = mode;
  a.flags = flags;
  return Call(a);
}

int64_t FileioTest::Readlink(const std::string &path, std::string *target) {
  fileio_args a = PathArgs(FILEIO_OP_READLINK, path);
  a.nseg = 1;
  a.seg[0] = {kData, 256};
  int64_t r = Call(a);
  *target = r > 0 ? host_.Peek(kData, static_cast<size_t>(r)) : "";
  return r;
}

int64_t FileioTest::Unlink(const std::string &path, uint32_t flags) {
  fileio_args a = PathArgs(FILEIO_OP_UNLINK, path);
  a.flags = flags;
  return Call(a);
}

int64_t FileioTest::Mkdir(const std::string &path, uint32_t mode) {
  fileio_args a = PathArgs(FILEIO_OP_MKDIR, path);
  a.mode = mode;
  return Call(a);
}

int64_t FileioTest::TwoPaths(uint32_t op, const std::string &path, const std::string &path2) {
  fileio_args a = PathArgs(op, path);
  host_.Poke(kPath2, path2);
  a.dir2 = FILEIO_DIR_ROOT;
  a.path2_gpa = kPath2;
  a.path2_len = path2.size();
  return Call(a);
}

int64_t FileioTest::Rename(const std::string &from, const std::string &to) {
  return TwoPaths(FILEIO_OP_RENAME, from, to);
}
