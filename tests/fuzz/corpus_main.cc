// main() of a fuzz target built without libFuzzer: runs the entry point over
// every file beneath the directories named on the command line (the target's
// seed corpus, including the inputs of crashes found and fixed), so each one
// is a regression test in `bazel test`. Fails when a directory holds no file.
#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "tests/fuzz/fuzz_target.h"

namespace {

void ListFiles(const std::string &dir, std::vector<std::string> *out) {
  DIR *d = opendir(dir.c_str());
  if (d == nullptr) return;
  while (dirent *e = readdir(d)) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    std::string path = dir + "/" + name;
    struct stat st;
    if (stat(path.c_str(), &st) != 0) continue;
    if (S_ISDIR(st.st_mode))
      ListFiles(path, out);
    else if (S_ISREG(st.st_mode))
      out->push_back(path);
  }
  closedir(d);
}

}  // namespace

int main(int argc, char **argv) {
  if (LLVMFuzzerInitialize != nullptr) LLVMFuzzerInitialize(&argc, &argv);
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR...\n", argv[0]);
    return 2;
  }
  for (int i = 1; i < argc; i++) {
    std::vector<std::string> files;
    ListFiles(argv[i], &files);
    std::sort(files.begin(), files.end());
    if (files.empty()) {
      std::fprintf(stderr, "%s: no corpus files\n", argv[i]);
      return 1;
    }
    for (const std::string &path : files) {
      std::ifstream in(path, std::ios::binary);
      std::vector<uint8_t> data((std::istreambuf_iterator<char>(in)),
                                std::istreambuf_iterator<char>());
      std::fprintf(stderr, "input %s (%zu bytes)\n", path.c_str(), data.size());
      LLVMFuzzerTestOneInput(data.data(), data.size());
    }
    std::fprintf(stderr, "%s: %zu inputs, no failure\n", argv[i], files.size());
  }
  return 0;
}
