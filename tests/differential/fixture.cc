#include "tests/differential/fixture.h"

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "tests/support/subprocess.h"

namespace minivm_test {
namespace {

const char* const kWords[] = {"the",  "quick", "brown", "fox",   "jumps", "over",  "lazy",
                              "dog",  "needle", "hay",  "stack", "alpha", "beta",  "gamma",
                              "delta", "echo", "the",   "fox",   "zeta",  "omega"};
constexpr size_t kWordCount = sizeof kWords / sizeof kWords[0];

// A fixed linear congruential generator: the same fixture on every run.
struct Lcg {
  uint64_t state = 0x2545F4914F6CDD1Dull;
  uint32_t Next() {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<uint32_t>(state >> 33);
  }
};

bool WriteFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary);
  out << content;
  return static_cast<bool>(out);
}

std::string TextLines(Lcg& rng, int lines) {
  std::ostringstream text;
  for (int i = 0; i < lines; i++) {
    int words = 3 + static_cast<int>(rng.Next() % 8);
    for (int w = 0; w < words; w++)
      text << (w ? " " : "") << kWords[rng.Next() % kWordCount];
    text << "\n";
  }
  return text.str();
}

}  // namespace

std::string BuildDifferentialFixture(const std::string& dir, const std::string& busybox) {
  Lcg rng;
  std::ostringstream numbers, words, passwd;
  for (int i = 0; i < 40; i++) numbers << (rng.Next() % 1000) - 300 << "\n";
  for (size_t i = 0; i < 30; i++) words << kWords[rng.Next() % kWordCount] << "\n";
  for (int i = 0; i < 12; i++)
    passwd << "user" << i << ":x:" << 1000 + i * 7 << ":" << 100 + i % 3 << ":User " << i
           << ":/home/user" << i << ":/bin/sh\n";
  std::string data;
  for (int i = 0; i < 70000; i++) data.push_back(static_cast<char>(rng.Next() & 0xff));
  std::string small(data, 0, 300);
  small += "printable text inside";

  struct File {
    std::string name, content;
  };
  const std::vector<File> files = {
      {"text.txt", TextLines(rng, 60)},
      {"numbers.txt", numbers.str()},
      {"words.txt", words.str()},
      {"passwd.txt", passwd.str()},
      {"data.bin", data},
      {"small.bin", small},
      {"empty.txt", ""},
      {"tree/a.txt", "alpha file\nwith a needle\n"},
      {"tree/b.txt", "beta file\n"},
      {"tree/sub/c.txt", "gamma needle\n"},
      {"tree/sub/d.log", "delta log\n"},
      {"tree/sub/deeper/e.txt", "epsilon\n"},
      // "#!" scripts: an interpreter with an argument, a script as the
      // interpreter of another, and an interpreter that does not exist.
      {"scripts/hello.sh", "#!/bin/busybox sh\necho \"hello from $0 with $# args: $*\"\n"},
      {"scripts/nested.sh", "#!scripts/hello.sh\n"},
      {"scripts/no_interp.sh", "#!/no/such/interpreter\necho never\n"},
      // Inputs of Debian's programs (debian_cases.cc).
      {"build/Makefile",
       "all: first second\nfirst:\n\t@echo building $@\nsecond: first\n\t@echo then $@ "
       "$(words a b c)\n"},
      {"build/script.sh", "echo \"script $0 got $# args: $*\"\nfor a; do echo \"[$a]\"; done\n"},
      {"build/hello.c", "int square(int x) { return x * x; }\n"},
      // Recipes run through make's posix_spawn (vfork) and /bin/sh.
      {"build/Makefile",
       "all: first second\n\t@echo done $^\n"
       "first:\n\t@echo making $@; echo $$((6 * 7))\n"
       "second: first\n\t@seq 3 | tac | tr '\\n' ' '; echo\n"
       "fails:\n\t@echo about to fail; exit 3\n"},
  };
  for (const File& f : files) {
    std::filesystem::path path = std::filesystem::path(dir) / f.name;
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec || !WriteFile(path, f.content)) return "cannot write " + path.string();
  }

  // Derived files, made by the host's tools in the fixture directory.
  const std::vector<std::vector<std::string>> make = {
      {busybox, "gzip", "-k", "text.txt"},
      {busybox, "bzip2", "-k", "text.txt"},
      {"/usr/bin/xz", "-k", "text.txt"},
      {busybox, "tar", "-cf", "archive.tar", "tree"},
      {busybox, "tar", "-czf", "archive.tar.gz", "tree"},
      {"/bin/sh", "-c", busybox + " base64 small.bin > small.b64"},
      {"/bin/sh", "-c", busybox + " sort words.txt > words_sorted.txt"},
      {"/bin/sh", "-c", busybox + " md5sum text.txt data.bin > sums.md5"},
      {"/bin/ln", "-s", "a.txt", "tree/link_to_a"},
      {"/bin/chmod", "+x", "scripts/hello.sh", "scripts/nested.sh", "scripts/no_interp.sh"},
  };
  for (const auto& argv : make) {
    RunOptions options;
    options.cwd = dir;
    RunResult r = RunCommand(argv, options);
    if (!r.exited || r.status != 0) {
      std::ostringstream why;
      why << "fixture command " << argv[0] << " " << argv[1] << " failed: " << r;
      return why.str();
    }
  }
  return "";
}

}  // namespace minivm_test
