// libFuzzer target for the model reader and the interpreter: any bytes must
// give an error with a message, or a model that loads and runs; never a
// crash, a hang or a sanitizer report. Built with -DMOTE_FUZZ=ON (clang):
//
//   tests/fuzz/run_model_fuzzer.sh 300      # build into build-fuzz/, run 5 min
//
// Seeds are the golden models (../shared/models/*.tflite).
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <new>

#include "micro/runtime/interpreter.h"

namespace {

constexpr size_t kArenaBytes = 4 << 20;  // far above any golden model's need
alignas(16) uint8_t g_arena[kArenaBytes];

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mote::micro;
  // A copy in an allocation of exactly `size` bytes (aligned as models must
  // be), so ASan reports any read past the end.
  uint8_t* model = static_cast<uint8_t*>(::operator new(size > 0 ? size : 1, std::align_val_t(16)));
  if (size > 0) memcpy(model, data, size);
  {
    Interpreter interp(model, size, g_arena, kArenaBytes);
    const Status s = interp.AllocateTensors();
    if (s != Status::kOk) {
      if (interp.error()[0] == '\0') __builtin_trap();  // errors must say what is wrong
    } else {
      // Zero the activations (deterministic runs), then run once.
      memset(g_arena, 0, interp.activation_bytes());
      if (interp.Invoke() != Status::kOk) __builtin_trap();
    }
  }
  ::operator delete(model, std::align_val_t(16));
  return 0;
}
