// plugin_set_load: dlopen, descriptor, ABI check, init, registrations and
// unknown keys; every failure names the .so or the INI file and line.
//
// Data: the fixture plugins (tests/core/fixtures/plugins) by name: good=,
// init_fails=, no_descriptor=, overlap=, wrong_abi=.
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "tests/support/data_args.h"
#include "tests/support/scoped_env.h"
#include "tests/support/temp_dir.h"

extern "C" {
#include "core/config.h"
#include "core/plugin_loader.h"
#include "core/vcpu_run.h"
#include "core/vmm.h"
}

namespace {

using minivm_test::DataPath;

class PluginLoaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    vmm_.reset(new vmm());
    memset(vmm_.get(), 0, sizeof(struct vmm));
    range_table_init(&vmm_->ports, "port");
    range_table_init(&vmm_->mmio, "MMIO");
    memset(&config_, 0, sizeof config_);
    ASSERT_EQ(config_load_defaults(&config_), 0);
    vmm_->config = &config_;
  }

  void TearDown() override {
    plugin_set_unload(&vmm_->plugins);
    config_free(&config_);
  }

  // Writes the INI text, loads it, then the plugins; `err_` gets stderr.
  int Load(const std::string& ini) {
    ini_ = dir_.Write("vm.ini", ini);
    testing::internal::CaptureStderr();
    int rc = config_load_file(&config_, ini_.c_str());
    if (rc == 0) rc = plugin_set_load(vmm_.get());
    err_ = testing::internal::GetCapturedStderr();
    return rc;
  }

  std::string Unload() {
    testing::internal::CaptureStderr();
    plugin_set_unload(&vmm_->plugins);
    return testing::internal::GetCapturedStderr();
  }

  // "FILE:LINE: plugin NAME: "
  std::string Where(int line, const std::string& name) const {
    return ini_ + ":" + std::to_string(line) + ": plugin " + name + ": ";
  }

  // A [plugin NAME] section loading fixture `plugin` through a link beside the
  // INI file (relative path: INI lines stay short whatever $TEST_TMPDIR is).
  std::string Section(const std::string& name, const std::string& plugin,
                      const std::string& keys = "") {
    if (access(dir_.Path(plugin + ".so").c_str(), F_OK) != 0)
      dir_.Symlink(plugin + ".so", DataPath(plugin));
    return "[plugin " + name + "]\npath = ./" + plugin + ".so\n" + keys;
  }

  // The file name the loader reports for a plugin given by Section().
  std::string File(const std::string& plugin) const { return dir_.path() + "/./" + plugin + ".so"; }

  minivm_test::TempDir dir_;
  std::unique_ptr<vmm> vmm_;
  vm_config config_;
  std::string ini_;
  std::string err_;
};

TEST_F(PluginLoaderTest, GoodPluginRegistersItsPortAndReadsItsKey) {
  ASSERT_EQ(Load("; test\n" + Section("dev", "good", "port = 0x500\n")), 0) << err_;
  EXPECT_EQ(err_, "minivm: dev: init: port 0x500 from line 4\n");
  ASSERT_EQ(vmm_->plugins.count, 1u);
  const minivm_plugin_ctx& ctx = vmm_->plugins.plugins[0];
  EXPECT_TRUE(ctx.initialised);
  EXPECT_EQ(std::string(ctx.file), File("good"));
  EXPECT_STREQ(ctx.descriptor->name, "good");
  EXPECT_TRUE(ctx.config->entries[0].used);

  ASSERT_EQ(vmm_->ports.count, 1u);
  const range_entry& e = vmm_->ports.entries[0];
  EXPECT_EQ(e.start, 0x500u);
  EXPECT_EQ(e.size, 1u);
  EXPECT_STREQ(e.owner, "dev");  // the section's name, as the user wrote it
  EXPECT_STREQ(e.kind, "good");
  uint8_t data[4] = {};
  ASSERT_EQ(dispatch_port_access(vmm_.get(), 0x500, 0, 2, 1, data), 0);
  EXPECT_EQ(data[0] | data[1] << 8, 0x600d);

  EXPECT_EQ(Unload(), "minivm: dev: fini\n");
  EXPECT_EQ(vmm_->plugins.count, 0u);
}

TEST_F(PluginLoaderTest, RelativePathsResolveFromTheIniDirectory) {
  dir_.Symlink("lib/sub/good.so", DataPath("good"));
  dir_.Symlink("plain.so", DataPath("good"));
  ASSERT_EQ(Load("[plugin a]\npath = lib/sub/good.so\nport = 1\n"
                 "[plugin b]\npath = ./lib/sub/good.so\nport = 2\n"
                 "[plugin c]\npath = plain.so\nport = 3\n"),
            0)
      << err_;
  EXPECT_EQ(std::string(vmm_->plugins.plugins[0].file), dir_.path() + "/lib/sub/good.so");
  // A name ending in .so is a file beside the INI file, not a bundled plugin.
  EXPECT_EQ(std::string(vmm_->plugins.plugins[2].file), dir_.path() + "/plain.so");
  EXPECT_EQ(vmm_->ports.count, 3u);
}

TEST_F(PluginLoaderTest, BundledNamesAreFoundInMinivmPluginDir) {
  dir_.Symlink("bundled/good/good.so", DataPath("good"));
  minivm_test::ScopedEnv plugin_dir("MINIVM_PLUGIN_DIR", dir_.Path("bundled"));
  EXPECT_EQ(Load("[plugin good]\nport = 0x600\n\n[plugin nosuch]\n"), -1);
  EXPECT_EQ(std::string(vmm_->plugins.plugins[0].file), dir_.path() + "/bundled/good/good.so");
  EXPECT_PRED_FORMAT2(testing::IsSubstring,
                      Where(4, "nosuch") + "no bundled plugin named 'nosuch'", err_);
}

TEST_F(PluginLoaderTest, MissingFileIsNamed) {
  EXPECT_EQ(Load("[plugin m]\npath = ./missing.so\n"), -1);
  EXPECT_PRED_FORMAT2(testing::IsSubstring, Where(1, "m") + "cannot load " + File("missing"), err_);
  EXPECT_PRED_FORMAT2(testing::IsSubstring, "No such file", err_);
}

TEST_F(PluginLoaderTest, FileThatIsNotASharedObjectIsNamed) {
  dir_.Write("text.so", std::string(512, 'x') + "\n");
  EXPECT_EQ(Load("\n[plugin t]\npath = ./text.so\n"), -1);
  EXPECT_PRED_FORMAT2(testing::IsSubstring, Where(2, "t") + "cannot load " + File("text") + ": ",
                      err_);
}

TEST_F(PluginLoaderTest, SharedObjectWithoutDescriptorIsNamed) {
  EXPECT_EQ(Load(Section("nd", "no_descriptor")), -1);
  EXPECT_PRED_FORMAT2(testing::IsSubstring,
                      Where(1, "nd") + File("no_descriptor") +
                          " is not a minivm plugin (no symbol minivm_plugin_descriptor)",
                      err_);
}

TEST_F(PluginLoaderTest, WrongAbiVersionNamesBothVersions) {
  EXPECT_EQ(Load(Section("w", "wrong_abi")), -1);
  EXPECT_PRED_FORMAT2(testing::IsSubstring,
                      Where(1, "w") + File("wrong_abi") +
                          " was built for plugin ABI version " +
                          std::to_string(MINIVM_PLUGIN_ABI_VERSION + 41) +
                          ", this minivm supports version " +
                          std::to_string(MINIVM_PLUGIN_ABI_VERSION),
                      err_);
  EXPECT_FALSE(vmm_->plugins.plugins[0].initialised);
}

TEST_F(PluginLoaderTest, FailedInitIsReportedAndStopsLoading) {
  EXPECT_EQ(Load(Section("f", "init_fails") + Section("later", "good", "port = 5\n")), -1);
  EXPECT_PRED_FORMAT2(testing::IsSubstring, "minivm: f: cannot start: the test says so", err_);
  EXPECT_PRED_FORMAT2(testing::IsSubstring,
                      Where(1, "f") + File("init_fails") + ": initialisation failed", err_);
  EXPECT_EQ(err_.find("later"), std::string::npos) << "loading went on: " << err_;
  EXPECT_EQ(vmm_->plugins.count, 1u);
  EXPECT_FALSE(vmm_->plugins.plugins[0].initialised);
  EXPECT_EQ(Unload(), "") << "fini of a plugin whose init failed";
}

TEST_F(PluginLoaderTest, OverlappingRegistrationNamesBothPlugins) {
  EXPECT_EQ(Load(Section("first", "good", "port = 0x500\n") + Section("second", "overlap")), -1);
  EXPECT_PRED_FORMAT2(testing::IsSubstring,
                      "plugin second: port range 0x4fc-0x503 overlaps 0x500-0x500 of plugin first",
                      err_);
  EXPECT_PRED_FORMAT2(testing::IsSubstring,
                      Where(4, "second") + File("overlap") + ": initialisation failed", err_);
  // The plugin loaded before is still finalised.
  EXPECT_EQ(Unload(), "minivm: first: fini\n");
}

TEST_F(PluginLoaderTest, UnknownKeysAreReportedWithTheirLines) {
  EXPECT_EQ(Load(Section("g", "good", "colour = blue\nport = 0x500\n; comment\nsize = 3\n")), -1);
  EXPECT_PRED_FORMAT2(testing::IsSubstring, Where(3, "g") + "colour: unknown key for this plugin",
                      err_);
  EXPECT_PRED_FORMAT2(testing::IsSubstring, Where(6, "g") + "size: unknown key for this plugin",
                      err_);
  EXPECT_EQ(err_.find("port: unknown"), std::string::npos) << err_;
}

TEST_F(PluginLoaderTest, PluginConfigErrorsNameTheKeyLine) {
  EXPECT_EQ(Load(Section("g", "good", "\nport = banana\n")), -1);
  EXPECT_PRED_FORMAT2(testing::IsSubstring,
                      Where(4, "g") + "port: 'banana' is not a port number", err_);
  EXPECT_PRED_FORMAT2(testing::IsSubstring, "initialisation failed", err_);
}

TEST_F(PluginLoaderTest, MissingKeyErrorNamesTheSection) {
  EXPECT_EQ(Load("[vm]\nmemory = 64M\n" + Section("g", "good")), -1);
  EXPECT_PRED_FORMAT2(testing::IsSubstring, Where(3, "g") + "needs a port key", err_);
}

}  // namespace
