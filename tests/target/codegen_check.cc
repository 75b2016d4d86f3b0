// Host check of `mote codegen` output: runs the generated code and the
// interpreter on every golden input of one model and requires identical bytes
// (float outputs included: same kernels, same compiler), and the golden output
// (int8 bytes equal, float32 within |a-b| <= 1e-5 + 1e-4*|b|).
//   codegen_check_<model> MODEL.tflite GOLDEN_DIR
// Compiled once per model with MOTE_GEN_NS / MOTE_GEN_HEADER naming the code.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>

#include MOTE_GEN_HEADER
#include "host/io/file.h"
#include "host/io/loaded_model.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s MODEL.tflite GOLDEN_DIR\n", argv[0]);
    return 2;
  }
  std::string err;
  auto m = mote::host::LoadedModel::Open(argv[1], &err);
  if (!m) {
    std::fprintf(stderr, "%s\n", err.c_str());
    return 2;
  }
  auto& interp = m->interpreter();
  auto& in = *interp.input(0);
  auto& out = *interp.output(0);
  if (MOTE_GEN_NS::input_bytes(0) != in.bytes || MOTE_GEN_NS::output_bytes(0) != out.bytes) {
    std::fprintf(stderr, "generated code and model disagree on tensor sizes\n");
    return 1;
  }
  int checked = 0, failed = 0;
  for (int k = 0;; ++k) {
    const std::string dir = argv[2];
    auto x = mote::host::ReadFile(dir + "/input_" + std::to_string(k) + ".bin", &err);
    auto want = mote::host::ReadFile(dir + "/output_" + std::to_string(k) + ".bin", &err);
    if (!x || !want) break;
    if (x->size() != in.bytes || want->size() != out.bytes) {
      std::fprintf(stderr, "input %d: golden file sizes do not match the model\n", k);
      return 1;
    }
    std::memcpy(in.data, x->data(), in.bytes);
    std::memcpy(MOTE_GEN_NS::input(0), x->data(), in.bytes);
    interp.Invoke();
    MOTE_GEN_NS::Invoke();
    const uint8_t* gen = MOTE_GEN_NS::output(0);
    bool ok = std::memcmp(gen, out.data, out.bytes) == 0;
    if (!ok) std::fprintf(stderr, "input %d: generated code differs from the interpreter\n", k);
    if (out.type == mote::micro::DType::kFloat32) {
      for (uint32_t i = 0; ok && i < out.bytes / 4; ++i) {
        float a, b;
        std::memcpy(&a, gen + 4 * i, 4);
        std::memcpy(&b, want->data() + 4 * i, 4);
        ok = std::fabs(a - b) <= 1e-5f + 1e-4f * std::fabs(b);
      }
    } else {
      ok = ok && std::memcmp(gen, want->data(), out.bytes) == 0;
    }
    if (!ok) std::fprintf(stderr, "input %d: MISMATCH\n", k);
    ++checked;
    failed += ok ? 0 : 1;
  }
  std::printf("%s: %d golden inputs, %d passed, %d failed (generated code vs interpreter)\n",
              argv[1], checked, checked - failed, failed);
  return checked > 0 && failed == 0 ? 0 : 1;
}
