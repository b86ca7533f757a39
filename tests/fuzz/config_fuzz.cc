// Fuzzes the INI/config layer with arbitrary text on top of the built-in
// defaults (config_load_string), and, when the text is accepted, the plugin
// loader's key handling: every [plugin NAME] section is pointed at the
// fixture plugin tests/core/fixtures/plugins/good.so (which reads `port` and
// claims that port), so plugin_set_load runs init, config_get/config_error
// with line numbers, overlapping registrations and the unknown-key check
// over whatever keys the text declares.
#include <dlfcn.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include "tests/fuzz/fuzz_target.h"
#include "tests/support/runfiles.h"

extern "C" {
#include "core/config.h"
#include "core/plugin_loader.h"
#include "core/range_table.h"
#include "core/vmm.h"
}

namespace {

std::string good_plugin;

// The loaded config must be well-formed whatever the text was.
void CheckConfig(const vm_config &config) {
  for (size_t i = 0; i < config.plugin_count; i++) {
    const plugin_config &p = config.plugins[i];
    FUZZ_CHECK(p.name && p.path && p.source && p.path[0] != '\0', "plugin %zu incomplete", i);
    for (size_t j = 0; j < i; j++)
      FUZZ_CHECK(strcmp(config.plugins[j].name, p.name) != 0, "plugin '%s' twice", p.name);
    for (size_t k = 0; k < p.entry_count; k++)
      for (size_t j = 0; j < k; j++)
        FUZZ_CHECK(strcmp(p.entries[j].key, p.entries[k].key) != 0, "key '%s' twice",
                   p.entries[k].key);
  }
  for (size_t i = 0; i < config.env_count; i++)
    FUZZ_CHECK(strchr(config.env[i], '=') != nullptr, "env entry without '='");
}

void LoadPlugins(vm_config *config) {
  for (size_t i = 0; i < config->plugin_count; i++) {
    free(config->plugins[i].path);
    config->plugins[i].path = strdup(good_plugin.c_str());
  }
  std::unique_ptr<vmm> machine(new vmm());
  memset(machine.get(), 0, sizeof(vmm));
  range_table_init(&machine->ports, "port");
  range_table_init(&machine->mmio, "MMIO");
  machine->config = config;
  if (plugin_set_load(machine.get()) == 0) {
    FUZZ_CHECK(machine->ports.count == config->plugin_count, "%zu plugins, %zu ports",
               config->plugin_count, machine->ports.count);
    for (size_t i = 0; i < config->plugin_count; i++)
      for (size_t k = 0; k < config->plugins[i].entry_count; k++)
        FUZZ_CHECK(config->plugins[i].entries[k].used, "unknown key '%s' accepted",
                   config->plugins[i].entries[k].key);
  }
  plugin_set_unload(&machine->plugins);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  const char *env = getenv("MINIVM_FUZZ_GOOD_PLUGIN");
  good_plugin = env ? env : minivm_test::RunfilePath("tests/core/fixtures/plugins/good.so");
  // Held open so each input's dlopen/dlclose is only a reference count.
  FUZZ_CHECK(dlopen(good_plugin.c_str(), RTLD_NOW | RTLD_LOCAL) != nullptr, "%s", dlerror());
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string text(reinterpret_cast<const char *>(data), size);  // a NUL ends the text
  vm_config config;
  FUZZ_CHECK(config_load_defaults(&config) == 0, "built-in defaults refused");
  if (config_load_string(&config, text.c_str(), "fuzz.ini") == 0) {
    CheckConfig(config);
    if (config.plugin_count <= PLUGIN_MAX) LoadPlugins(&config);
  }
  config_free(&config);
  return 0;
}
