// The configuration layers: built-in defaults ← INI file ← command-line flags,
// the value parsers, and errors that name the file and line.
#include <string.h>

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/support/temp_dir.h"

extern "C" {
#include "core/cli.h"
#include "core/config.h"
}

namespace {

using minivm_test::TempDir;

class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(config_load_defaults(&config_), 0); }
  void TearDown() override { config_free(&config_); }

  // Writes `text` as an INI file and applies it; `err` receives stderr.
  int LoadFile(const std::string& text) {
    path_ = dir_.Write("vm.ini", text);
    testing::internal::CaptureStderr();
    int rc = config_load_file(&config_, path_.c_str());
    err_ = testing::internal::GetCapturedStderr();
    return rc;
  }

  // Expects `text` to be refused with a message naming the file, `line` and `what`.
  void ExpectRejected(const std::string& text, int line, const std::string& what) {
    SCOPED_TRACE(text);
    EXPECT_EQ(LoadFile(text), -1);
    EXPECT_PRED_FORMAT2(testing::IsSubstring, path_ + ":" + std::to_string(line) + ": ", err_);
    EXPECT_PRED_FORMAT2(testing::IsSubstring, what, err_);
    EXPECT_EQ(err_.rfind("minivm: ", 0), 0u) << err_;
  }

  std::vector<std::string> Env() const {
    return std::vector<std::string>(config_.env, config_.env + config_.env_count);
  }

  TempDir dir_;
  std::string path_;
  std::string err_;
  vm_config config_;
};

TEST_F(ConfigTest, BuiltInDefaults) {
  EXPECT_EQ(config_.memory_bytes, 512ull << 20);
  EXPECT_STREQ(config_.root, ".");
  EXPECT_FALSE(config_.rw);
  EXPECT_EQ(config_.timeout_ms, 0u);
  EXPECT_FALSE(config_.trace);
  EXPECT_EQ(config_.kernel_path, nullptr);
  EXPECT_EQ(config_.program, nullptr);
  EXPECT_EQ(config_.arg_count, 0u);
  EXPECT_EQ(Env(), (std::vector<std::string>{"PATH=/bin:/usr/bin", "HOME=/"}));
  EXPECT_STREQ(config_.source, CONFIG_BUILTIN_SOURCE);
  const char* names[] = {"platform", "console", "fileio", "rng", "clock", "timer"};
  ASSERT_EQ(config_.plugin_count, 6u);
  for (size_t i = 0; i < 6; i++) {
    EXPECT_STREQ(config_.plugins[i].name, names[i]);
    EXPECT_STREQ(config_.plugins[i].path, names[i]);
    EXPECT_STREQ(config_.plugins[i].source, CONFIG_BUILTIN_SOURCE);
    EXPECT_EQ(config_.plugins[i].line, 0);
  }
}

TEST_F(ConfigTest, FileOverridesVmKeysAndKeepsDefaultPlugins) {
  ASSERT_EQ(LoadFile("; a comment\n"
                     "[vm]\n"
                     "memory = 1G\n"
                     "root = /srv/guest\n"
                     "rw = yes\n"
                     "timeout = 2.5s\n"
                     "trace = on\n"
                     "kernel = /boot/test.elf\n"
                     "program = /bin/prog\n"
                     "arg = one\n"
                     "arg = two words\n"
                     "env = HOME=/home/guest\n"
                     "env = LANG=C\n"),
            0)
      << err_;
  EXPECT_EQ(err_, "");
  EXPECT_EQ(config_.memory_bytes, 1ull << 30);
  EXPECT_STREQ(config_.root, "/srv/guest");
  EXPECT_TRUE(config_.rw);
  EXPECT_EQ(config_.timeout_ms, 2500u);
  EXPECT_TRUE(config_.trace);
  EXPECT_STREQ(config_.kernel_path, "/boot/test.elf");
  EXPECT_STREQ(config_.program, "/bin/prog");
  ASSERT_EQ(config_.arg_count, 2u);
  EXPECT_STREQ(config_.args[0], "one");
  EXPECT_STREQ(config_.args[1], "two words");
  EXPECT_EQ(Env(), (std::vector<std::string>{"PATH=/bin:/usr/bin", "HOME=/home/guest", "LANG=C"}));
  EXPECT_EQ(config_.source, path_);
  EXPECT_EQ(config_.source_dir, dir_.path());
  EXPECT_EQ(config_.plugin_count, 6u);  // no [plugin] section: the built-in set stays
}

TEST_F(ConfigTest, FlagsOverrideFile) {
  ASSERT_EQ(LoadFile("[vm]\nmemory = 1G\nroot = /from/file\ntimeout = 10\nenv = A=file\n"), 0)
      << err_;
  std::vector<std::string> args = {"minivm", "-c",        path_,  "--memory", "256M",
                                    "--root", "/from/flag", "--rw", "--timeout", "500ms",
                                    "--env",  "A=flag",     "--env", "B=2",     "--trace",
                                    "--",     "prog",       "x",     "--memory"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(&a[0]);
  argv.push_back(nullptr);
  // As core/main.c does: once to learn -c, once more to apply the flags on top.
  cli_options cli;
  ASSERT_EQ(cli_parse((int)args.size(), argv.data(), &cli, nullptr), 0);
  EXPECT_EQ(cli.config_file, path_);
  ASSERT_EQ(cli_parse((int)args.size(), argv.data(), &cli, &config_), 0);
  EXPECT_EQ(config_.memory_bytes, 256ull << 20);
  EXPECT_STREQ(config_.root, "/from/flag");
  EXPECT_TRUE(config_.rw);
  EXPECT_TRUE(config_.trace);
  EXPECT_EQ(config_.timeout_ms, 500u);
  EXPECT_EQ(Env(), (std::vector<std::string>{"PATH=/bin:/usr/bin", "HOME=/", "A=flag", "B=2"}));
  ASSERT_EQ(cli.program_argc, 3);
  EXPECT_STREQ(cli.program_argv[0], "prog");
  EXPECT_STREQ(cli.program_argv[2], "--memory");  // after the program: its own argument
  EXPECT_FALSE(cli.show_help);
}

TEST_F(ConfigTest, CliHelpVersionAndUsageErrors) {
  struct Case {
    std::vector<std::string> args;
    int rc;
    std::string message;  // expected in stderr when rc != 0
  };
  const Case cases[] = {
      {{"minivm", "-h"}, 0, ""},
      {{"minivm", "--version"}, 0, ""},
      {{"minivm", "--bogus"}, -1, "unknown option --bogus (try --help)"},
      {{"minivm", "-xh"}, -1, "unknown option -x (try --help)"},
      {{"minivm", "-hx"}, -1, "unknown option -x (try --help)"},
      {{"minivm", "--help=3"}, -1, "unknown option --help=3 (try --help)"},
      {{"minivm", "-c"}, -1, "option -c needs a value"},
      {{"minivm", "--memory"}, -1, "option --memory needs a value"},
      {{"minivm", "--memory", "lots"}, -1, "--memory: 'lots'"},
      {{"minivm", "--timeout", "soon"}, -1, "--timeout: 'soon'"},
      {{"minivm", "--env", "NOEQUALS"}, -1, "--env: 'NOEQUALS'"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> args = c.args;
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(&a[0]);
    argv.push_back(nullptr);
    cli_options cli;
    testing::internal::CaptureStderr();
    int rc = cli_parse((int)args.size(), argv.data(), &cli, &config_);
    std::string err = testing::internal::GetCapturedStderr();
    EXPECT_EQ(rc, c.rc) << args[1];
    if (c.rc == 0) {
      EXPECT_EQ(err, "");
      EXPECT_TRUE(cli.show_help || cli.show_version) << args[1];
    } else {
      EXPECT_PRED_FORMAT2(testing::IsSubstring, "minivm: " + c.message, err);
    }
  }
}

TEST(ConfigParseTest, Sizes) {
  const std::pair<const char*, uint64_t> good[] = {
      {"1048576", 1048576},  {"512M", 512ull << 20}, {"512m", 512ull << 20},
      {"4G", 4ull << 30},    {"4GiB", 4ull << 30},   {"4GB", 4ull << 30},
      {"64K", 64ull << 10},  {"1T", 1ull << 40},     {"0x200000", 0x200000},
      {"010M", 10ull << 20},  // a leading zero is not octal
  };
  for (const auto& g : good) {
    uint64_t bytes = 1;
    EXPECT_EQ(config_parse_size(g.first, &bytes), 0) << g.first;
    EXPECT_EQ(bytes, g.second) << g.first;
  }
  const char* bad[] = {"",    "M",   "-1", " 4G", "4X",  "4G5", "1.5G", "4 G", "4GiBs",
                       "4iB", "99999999T", "18446744073709551616", "0x"};
  for (const char* b : bad) {
    uint64_t bytes = 7;
    EXPECT_EQ(config_parse_size(b, &bytes), -1) << "'" << b << "'";
    EXPECT_EQ(bytes, 7u) << "'" << b << "' changed the output";
  }
}

TEST(ConfigParseTest, Durations) {
  const std::pair<const char*, uint64_t> good[] = {
      {"10", 10000}, {"0", 0},          {"2.5s", 2500}, {"1.5", 1500},
      {"500ms", 500}, {"2m", 120000},   {"1min", 60000}, {"0.0005", 1},
  };
  for (const auto& g : good) {
    uint64_t ms = 1;
    EXPECT_EQ(config_parse_duration_ms(g.first, &ms), 0) << g.first;
    EXPECT_EQ(ms, g.second) << g.first;
  }
  const char* bad[] = {"", "ms", "-1", "10x", "10 s", "5h", "abc", "1e400", "1e300"};
  for (const char* b : bad) {
    uint64_t ms = 7;
    EXPECT_EQ(config_parse_duration_ms(b, &ms), -1) << "'" << b << "'";
    EXPECT_EQ(ms, 7u) << "'" << b << "' changed the output";
  }
}

TEST(ConfigParseTest, Bools) {
  for (const char* t : {"1", "true", "TRUE", "yes", "Yes", "on"}) {
    bool v = false;
    EXPECT_EQ(config_parse_bool(t, &v), 0) << t;
    EXPECT_TRUE(v) << t;
  }
  for (const char* f : {"0", "false", "False", "no", "off", "OFF"}) {
    bool v = true;
    EXPECT_EQ(config_parse_bool(f, &v), 0) << f;
    EXPECT_FALSE(v) << f;
  }
  for (const char* b : {"", "2", "yess", "t", "enabled"}) {
    bool v = true;
    EXPECT_EQ(config_parse_bool(b, &v), -1) << "'" << b << "'";
    EXPECT_TRUE(v);
  }
}

TEST_F(ConfigTest, EnvAddAndReplace) {
  EXPECT_EQ(config_set_env(&config_, "HOME=/root"), 0);   // replaces
  EXPECT_EQ(config_set_env(&config_, "PATHX=1"), 0);      // a longer key is another key
  EXPECT_EQ(config_set_env(&config_, "EMPTY="), 0);       // an empty value is a value
  EXPECT_EQ(config_set_env(&config_, "A=b=c"), 0);        // '=' in the value
  EXPECT_EQ(config_set_env(&config_, "A=d"), 0);
  EXPECT_EQ(config_set_env(&config_, "NOEQUALS"), -1);
  EXPECT_EQ(config_set_env(&config_, "=value"), -1);
  EXPECT_EQ(Env(), (std::vector<std::string>{"PATH=/bin:/usr/bin", "HOME=/root", "PATHX=1",
                                             "EMPTY=", "A=d"}));
}

TEST_F(ConfigTest, PluginSectionsReplaceTheDefaultSet) {
  ASSERT_EQ(LoadFile("[vm]\n"
                     "memory = 64M\n"
                     "\n"
                     "[plugin console]\n"
                     "port = 0x3f8\n"
                     "; comment\n"
                     "path = ./my/console.so\n"
                     "[plugin rng-2]\n"),
            0)
      << err_;
  ASSERT_EQ(config_.plugin_count, 2u);
  const plugin_config& console = config_.plugins[0];
  EXPECT_STREQ(console.name, "console");
  EXPECT_STREQ(console.path, "./my/console.so");
  EXPECT_EQ(console.source, path_);
  EXPECT_EQ(console.line, 4);
  ASSERT_EQ(console.entry_count, 1u);  // path is the loader's, not the plugin's
  EXPECT_STREQ(console.entries[0].key, "port");
  EXPECT_STREQ(console.entries[0].value, "0x3f8");
  EXPECT_EQ(console.entries[0].line, 5);
  EXPECT_FALSE(console.entries[0].used);
  const plugin_config& rng = config_.plugins[1];
  EXPECT_STREQ(rng.name, "rng-2");
  EXPECT_STREQ(rng.path, "rng-2");  // default: the bundled plugin of that name
  EXPECT_EQ(rng.line, 8);
  EXPECT_EQ(rng.entry_count, 0u);
}

// inih reads lines into a fixed buffer (200 bytes in Debian's build): a longer
// line must be refused naming its line, never split into lines of its own.
TEST_F(ConfigTest, OverlongLineIsRefusedNotSplit) {
  std::string long_path = "/" + std::string(300, 'k') + "/kernel.elf";
  ExpectRejected("[vm]\nkernel = " + long_path + "\nmemory = 64M\n", 2, "line is too long");
}

TEST_F(ConfigTest, LineThatJustFitsKeepsValueAndLineNumbers) {
  for (size_t len : {150, 197, 198, 199, 200}) {
    std::string path = "/" + std::string(len - strlen("kernel = /"), 'k');
    std::string line = "kernel = " + path;
    ASSERT_EQ(line.size(), len);
    int rc = LoadFile("[vm]\n" + line + "\nbogus = 1\n");
    EXPECT_EQ(rc, -1);
    if (err_.find("too long") != std::string::npos) {
      EXPECT_PRED_FORMAT2(testing::IsSubstring, path_ + ":2: line is too long", err_);
      EXPECT_GE(len, 200u) << "a " << len << "-character line was refused";
    } else {
      EXPECT_STREQ(config_.kernel_path, path.c_str()) << len;
      EXPECT_PRED_FORMAT2(testing::IsSubstring, path_ + ":3: unknown key 'bogus'", err_);
    }
    // The same through the string reader.
    testing::internal::CaptureStderr();
    EXPECT_EQ(config_load_string(&config_, ("[vm]\n" + line + "\nbogus = 1\n").c_str(), "s"),
              -1);
    std::string err = testing::internal::GetCapturedStderr();
    EXPECT_TRUE(err.find("s:3: unknown key 'bogus'") != std::string::npos ||
                (len >= 200 && err.find("s:2: line is too long") != std::string::npos))
        << len << ": " << err;
  }
}

// --strace and --strace-output (issue 14): the keys, the flags, their errors.
TEST_F(ConfigTest, StraceKeysAndFlags) {
  EXPECT_FALSE(config_.strace);
  EXPECT_EQ(config_.strace_output, nullptr);
  ASSERT_EQ(LoadFile("[vm]\nstrace = yes\n"), 0) << err_;
  EXPECT_TRUE(config_.strace);
  EXPECT_EQ(config_.strace_output, nullptr);
  ASSERT_EQ(LoadFile("[vm]\nstrace_output = trace.txt\n"), 0) << err_;
  EXPECT_TRUE(config_.strace) << "a file implies --strace";
  EXPECT_STREQ(config_.strace_output, "trace.txt");
  ExpectRejected("[vm]\nstrace = 2\n", 2, "strace: '2' is not true or false");
  ExpectRejected("[vm]\nstrace_output =\n", 2, "strace_output: the file name is empty");
  ExpectRejected("[vm]\nstrace = on\nstrace = off\n", 3, "key 'strace' is given twice");

  std::vector<std::string> args = {"minivm", "--strace-output", "out.txt", "--", "prog"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(&a[0]);
  argv.push_back(nullptr);
  cli_options cli;
  ASSERT_EQ(cli_parse((int)args.size(), argv.data(), &cli, &config_), 0);
  EXPECT_TRUE(config_.strace);
  EXPECT_STREQ(config_.strace_output, "out.txt");
  std::vector<std::string> empty = {"minivm", "--strace-output", "", "--", "prog"};
  std::vector<char*> argv2;
  for (auto& a : empty) argv2.push_back(&a[0]);
  argv2.push_back(nullptr);
  EXPECT_EQ(cli_parse((int)empty.size(), argv2.data(), &cli, &config_), -1);
}

TEST_F(ConfigTest, ErrorsNameFileAndLine) {
  ExpectRejected("[plugin a]\n\n[plugin b]\n[plugin a]\n", 4,
                 "plugin 'a' is declared twice (first at line 1)");
  ExpectRejected("[plugin a]\nport = 1\n; c\nport = 2\n", 4, "key 'port' is given twice");
  ExpectRejected("\n[vm]\nmemory = 64M\nmemroy = 64M\n", 4, "unknown key 'memroy' in [vm]");
  ExpectRejected("[vm]\n[devices]\n", 2, "unknown section [devices]");
  ExpectRejected("[pluginx]\n", 1, "unknown section [pluginx]");
  ExpectRejected("; top\nmemory = 64M\n[vm]\n", 2, "key 'memory' outside any");
  ExpectRejected("[vm]\nmemory = 64M\nthis line has no equals sign\n", 3, "syntax error");
  ExpectRejected("[vm]\n[plugin\n", 2, "syntax error");
  ExpectRejected("[vm]\nmemory = lots\n", 2, "memory: 'lots' is not a size");
  ExpectRejected("[vm]\n\ntimeout = soon\n", 3, "timeout: 'soon' is not a duration");
  ExpectRejected("[vm]\nrw = maybe\n", 2, "rw: 'maybe' is not true or false");
  ExpectRejected("[vm]\ntrace = 2\n", 2, "trace: '2' is not true or false");
  ExpectRejected("[vm]\nenv = NOEQUALS\n", 2, "env: 'NOEQUALS' is not KEY=VALUE");
  ExpectRejected("[plugin a]\npath =\n", 2, "plugin a: path is empty");
  ExpectRejected("[plugin a/b]\n", 1, "plugin name 'a/b'");
  ExpectRejected("[vm]\nmemory = 64M\n\nmemory = 128M\n", 4,
                 "key 'memory' is given twice in [vm] (first at line 2)");
}

TEST_F(ConfigTest, RepeatableVmKeysMayRepeat) {
  EXPECT_EQ(LoadFile("[vm]\nenv = A=1\nenv = B=2\nprogram = /p\narg = x\narg = y\n"), 0)
      << err_;
  ASSERT_EQ(config_.arg_count, 2u);
  EXPECT_STREQ(config_.args[1], "y");
}

TEST_F(ConfigTest, OnlyTheFirstErrorIsReported) {
  EXPECT_EQ(LoadFile("[vm]\nmemory = lots\nbogus = 1\n"), -1);
  EXPECT_PRED_FORMAT2(testing::IsSubstring, ":2: ", err_);
  EXPECT_EQ(err_.find(":3: "), std::string::npos) << err_;
}

TEST_F(ConfigTest, MissingFileIsNamed) {
  std::string missing = dir_.Path("nope.ini");
  testing::internal::CaptureStderr();
  EXPECT_EQ(config_load_file(&config_, missing.c_str()), -1);
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_PRED_FORMAT2(testing::IsSubstring, "cannot open config file " + missing, err);
}

TEST_F(ConfigTest, StringSourceIsNamedInErrors) {
  testing::internal::CaptureStderr();
  EXPECT_EQ(config_load_string(&config_, "[vm]\nbogus = 1\n", "inline.ini"), -1);
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_PRED_FORMAT2(testing::IsSubstring, "inline.ini:2: unknown key 'bogus'", err);
}

}  // namespace

namespace {

TEST_F(ConfigTest, MountsParseModesAndNormalizeTheGuestPath) {
  ASSERT_EQ(LoadFile("[vm]\nmount = /srv/data:/data\nmount = /opt/x:/mnt/./x//y/..:rw\n"
                     "mount = /a:b:/c:ro\n"),
            0)
      << err_;
  ASSERT_EQ(config_.mount_count, 3u);
  EXPECT_STREQ(config_.mounts[0].host, "/srv/data");
  EXPECT_STREQ(config_.mounts[0].guest, "/data");
  EXPECT_FALSE(config_.mounts[0].rw);
  EXPECT_STREQ(config_.mounts[1].guest, "/mnt/x");
  EXPECT_TRUE(config_.mounts[1].rw);
  EXPECT_STREQ(config_.mounts[2].host, "/a:b") << "a host path may hold ':'";
  EXPECT_STREQ(config_.mounts[2].guest, "/c");
  EXPECT_FALSE(config_.mounts[2].rw);
  EXPECT_EQ(std::string(config_.mounts[0].origin), path_ + ":2");
}

TEST_F(ConfigTest, BadMountsAreRefusedWithFileAndLine) {
  ExpectRejected("[vm]\nmount = /srv\n", 2, "is not HOST:GUEST");
  ExpectRejected("[vm]\nmount = /srv:data\n", 2, "must be absolute");
  ExpectRejected("[vm]\nmount = /srv:/\n", 2, "not / (that is --root)");
  ExpectRejected("[vm]\nmount = /srv:/x/..\n", 2, "not / (that is --root)");
  ExpectRejected("[vm]\nmount = :/x\n", 2, "is not HOST:GUEST");
  ExpectRejected("[vm]\nmount = /a:/x\nmount = /b:/x/\n", 3, "/x is mounted already");
}

TEST_F(ConfigTest, WorkdirAndHostLibraries) {
  EXPECT_TRUE(config_.host_libraries) << "on by default";
  EXPECT_EQ(config_.workdir, nullptr);
  ASSERT_EQ(LoadFile("[vm]\nworkdir = /src\nhost_libraries = false\n"), 0) << err_;
  EXPECT_STREQ(config_.workdir, "/src");
  EXPECT_FALSE(config_.host_libraries);
  ExpectRejected("[vm]\nworkdir = src\n", 2, "not an absolute guest path");
  ExpectRejected("[vm]\nhost_libraries = maybe\n", 2, "not true or false");
}

TEST_F(ConfigTest, MountWorkdirAndLibraryFlags) {
  const char* argv[] = {"minivm",    "--mount", "/srv:/srv:rw", "-w", "/srv",
                        "--no-host-libraries", "--", "prog"};
  cli_options cli;
  ASSERT_EQ(cli_parse(8, const_cast<char**>(argv), &cli, &config_), 0);
  ASSERT_EQ(config_.mount_count, 1u);
  EXPECT_TRUE(config_.mounts[0].rw);
  EXPECT_STREQ(config_.mounts[0].origin, "--mount");
  EXPECT_STREQ(config_.workdir, "/srv");
  EXPECT_FALSE(config_.host_libraries);
  const char* bad[] = {"minivm", "--mount", "nocolon", "--", "prog"};
  testing::internal::CaptureStderr();
  EXPECT_EQ(cli_parse(5, const_cast<char**>(bad), &cli, &config_), -1);
  EXPECT_PRED_FORMAT2(testing::IsSubstring, "--mount: 'nocolon' is not HOST:GUEST",
                      testing::internal::GetCapturedStderr());
  const char* relative[] = {"minivm", "--workdir", "src", "--", "prog"};
  testing::internal::CaptureStderr();
  EXPECT_EQ(cli_parse(5, const_cast<char**>(relative), &cli, &config_), -1);
  EXPECT_PRED_FORMAT2(testing::IsSubstring, "not an absolute guest path",
                      testing::internal::GetCapturedStderr());
}

}  // namespace

namespace {

TEST_F(ConfigTest, TmpfsListReplacesTheDefault) {
  ASSERT_EQ(config_.tmpfs_count, 2u) << "default: /tmp /dev/shm";
  EXPECT_STREQ(config_.tmpfs[0], "/tmp");
  EXPECT_STREQ(config_.tmpfs[1], "/dev/shm");
  ASSERT_EQ(LoadFile("[vm]\ntmpfs = /run  /var//tmp/\n"), 0) << err_;
  ASSERT_EQ(config_.tmpfs_count, 2u);
  EXPECT_STREQ(config_.tmpfs[0], "/run");
  EXPECT_STREQ(config_.tmpfs[1], "/var/tmp");
  ASSERT_EQ(LoadFile("[vm]\ntmpfs =\n"), 0) << err_;
  EXPECT_EQ(config_.tmpfs_count, 0u) << "none";
  ExpectRejected("[vm]\ntmpfs = tmp\n", 2, "not an absolute guest path other than /");
  ExpectRejected("[vm]\ntmpfs = /\n", 2, "not an absolute guest path other than /");
  const char* argv[] = {"minivm", "--tmpfs", "/scratch", "--", "prog"};
  cli_options cli;
  ASSERT_EQ(cli_parse(5, const_cast<char**>(argv), &cli, &config_), 0);
  ASSERT_EQ(config_.tmpfs_count, 1u);
  EXPECT_STREQ(config_.tmpfs[0], "/scratch");
}

}  // namespace
