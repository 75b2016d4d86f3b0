// Generated-code firmware: runs the code `mote codegen` made for one model
// (MOTE_GEN_NS / MOTE_GEN_HEADER) on the embedded golden inputs and compares
// with the embedded golden outputs, as golden_main.cc does for the
// interpreter. No model, no interpreter, no op registry in the image.
#include <math.h>
#include <stdint.h>
#include <string.h>

#include MOTE_GEN_HEADER
#include "firmware/board.h"

extern "C" {
extern const uint8_t mote_inputs[], mote_inputs_end[];
extern const uint8_t mote_outputs[], mote_outputs_end[];
extern const uint32_t mote_golden_count;
}

int main(void) {
  MoteWrite("mote-fw codegen " MOTE_MODEL_NAME "\n");
  const size_t in_bytes = MOTE_GEN_NS::input_bytes(0), out_bytes = MOTE_GEN_NS::output_bytes(0);
  const uint32_t count = mote_golden_count;
  if (static_cast<size_t>(mote_inputs_end - mote_inputs) != size_t{count} * in_bytes ||
      static_cast<size_t>(mote_outputs_end - mote_outputs) != size_t{count} * out_bytes) {
    MoteWrite("mote-fw: embedded golden data does not match the generated code's tensor sizes\n");
    return 2;
  }
  MoteWrite("arena_used=");
  MoteWriteU(static_cast<uint32_t>(MOTE_GEN_NS::kArenaBytes));
  MoteWrite("\n");
  uint32_t failed = 0;
  for (uint32_t k = 0; k < count; ++k) {
    memcpy(MOTE_GEN_NS::input(0), mote_inputs + size_t{k} * in_bytes, in_bytes);
    MoteStackPaint();
    MoteMarkBegin();
    MOTE_GEN_NS::Invoke();
    MoteMarkEnd();
    const size_t stack = MoteStackUsed();
    const uint8_t* got = MOTE_GEN_NS::output(0);
    const uint8_t* want = mote_outputs + size_t{k} * out_bytes;
    int32_t bad = -1;
#if MOTE_GEN_FLOAT_OUTPUT
    for (size_t i = 0; bad < 0 && i < out_bytes / 4; ++i) {
      float a, b;
      memcpy(&a, got + 4 * i, 4);
      memcpy(&b, want + 4 * i, 4);
      if (!(fabsf(a - b) <= 1e-5f + 1e-4f * fabsf(b))) bad = static_cast<int32_t>(i);
    }
#else
    for (size_t i = 0; bad < 0 && i < out_bytes; ++i)
      if (got[i] != want[i]) bad = static_cast<int32_t>(i);
#endif
    MoteReportInput(k, bad < 0, static_cast<uint32_t>(stack), ": MISMATCH at element ", bad,
                    &failed);
  }
  return MoteReportResult(count - failed, failed);
}
