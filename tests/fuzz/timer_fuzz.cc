// Fuzzes the timer plugin's hypercall handler and its tick over arbitrary
// guest RAM (hypercall_harness.h). Beyond "no crash" and the hypercall
// contract, a model of the device checks each step: SETUP succeeds (result =
// the tick period) exactly when every field is good, and changes nothing
// otherwise; after each access a tick raises the vector of the last good SETUP
// exactly when its word is nonzero, and nothing else.
#include "timer/timer_abi.h"

#include <cerrno>
#include <cstring>

#include "tests/fuzz/fuzz_target.h"
#include "tests/fuzz/hypercall_harness.h"
#include "tests/fuzz/plugin_under_fuzz.h"

namespace {

struct Model {
  bool set_up = false;
  uint64_t word_gpa = 0;
  uint32_t vector = 0;
};

bool GoodSetup(const timer_args &a) {
  return a.hdr.op == TIMER_OP_SETUP && a.pad == 0 && a.vector >= TIMER_VECTOR_MIN &&
         a.vector <= 255 && a.request_gpa % 4 == 0 && a.request_gpa <= kFuzzRamSize - 4;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  HypercallInput input = ParseHypercallInput(data, size);
  FakeHost host(kFuzzRamSize);
  FUZZ_CHECK(LoadPluginUnderFuzz(host, "plugins/timer/timer.so") == 0, "timer init: %s",
             host.load_error().c_str());
  if (input.ram_len > 0) host.Poke(0, input.ram, input.ram_len);
  Model model;
  for (const PortAccess &a : input.accesses) {
    bool hypercall = a.is_write && a.size == 4 && a.value <= kFuzzRamSize - sizeof(timer_args);
    timer_args before{};
    if (hypercall) std::memcpy(&before, host.Ram(a.value), sizeof before);
    // One access at a time through the shared harness (it checks the contract);
    // the RAM image is already in place.
    HypercallInput one;
    one.flags = input.flags;
    one.accesses.push_back(a);
    RunHypercalls(host, TIMER_KIND, sizeof(timer_args), one);
    if (hypercall) {
      timer_args after;
      std::memcpy(&after, host.Ram(a.value), sizeof after);
      if (GoodSetup(before)) {
        FUZZ_CHECK(after.hdr.result == MINIVM_TICK_MS * 1000, "good SETUP answered %lld",
                   static_cast<long long>(after.hdr.result));
        model = Model{true, before.request_gpa, before.vector};
      } else {
        FUZZ_CHECK(after.hdr.result == -EINVAL, "bad block (op %u) answered %lld",
                   before.hdr.op, static_cast<long long>(after.hdr.result));
      }
    }
    host.ClearInterrupts();
    host.Tick();
    uint32_t word = 0;
    if (model.set_up) std::memcpy(&word, host.Ram(model.word_gpa), sizeof word);
    size_t expected = model.set_up && word != 0 ? 1 : 0;
    FUZZ_CHECK(host.interrupts().size() == expected, "tick raised %zu vectors, expected %zu",
               host.interrupts().size(), expected);
    FUZZ_CHECK(expected == 0 || host.interrupts()[0] == model.vector, "tick raised %u, not %u",
               host.interrupts()[0], model.vector);
  }
  FUZZ_CHECK(!host.exit_request(), "the timer asked to end the VM");
  return 0;
}
