// Golden-model firmware: runs one model embedded in the image on every
// embedded golden input and compares the outputs with the embedded golden
// outputs (int8: byte for byte; float32: |a-b| <= 1e-5 + 1e-4*|b|).
// Exit status 0 only if every input matched.
//
// The data comes from a generated assembly file (.incbin of the model, the
// inputs back to back, the outputs back to back) in section .mote_data.
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "firmware/board.h"
#include "micro/runtime/interpreter.h"

extern "C" {
extern const uint8_t mote_model[], mote_model_end[];
extern const uint8_t mote_inputs[], mote_inputs_end[];
extern const uint8_t mote_outputs[], mote_outputs_end[];
extern const uint32_t mote_golden_count;
}

#ifndef MOTE_ARENA_BYTES
#define MOTE_ARENA_BYTES (512 * 1024)
#endif
#ifndef MOTE_MODEL_NAME
#define MOTE_MODEL_NAME "model"
#endif

namespace {

alignas(16) uint8_t g_arena[MOTE_ARENA_BYTES];

using mote::micro::DType;
using mote::micro::Interpreter;
using mote::micro::Status;
using mote::micro::Tensor;

// Index of the first differing element, or -1.
int32_t FirstMismatch(const Tensor& out, const uint8_t* want) {
  if (out.type == DType::kFloat32) {
    const int n = static_cast<int>(out.bytes / 4);
    for (int i = 0; i < n; ++i) {
      float a, b;
      memcpy(&a, out.data + 4 * i, 4);
      memcpy(&b, want + 4 * i, 4);
      if (!(fabsf(a - b) <= 1e-5f + 1e-4f * fabsf(b))) return i;
    }
    return -1;
  }
  for (uint32_t i = 0; i < out.bytes; ++i)
    if (out.data[i] != want[i]) return static_cast<int32_t>(i);
  return -1;
}

}  // namespace

int main(void) {
  MoteWrite("mote-fw golden " MOTE_MODEL_NAME "\n");
  Interpreter interp(mote_model, static_cast<size_t>(mote_model_end - mote_model), g_arena,
                     sizeof(g_arena));
  if (Status s = interp.AllocateTensors(); s != Status::kOk) {
    MoteWrite("mote-fw: AllocateTensors failed: ");
    MoteWrite(interp.error());
    MoteWrite("\n");
    return 2;
  }
  if (interp.inputs_size() != 1 || interp.outputs_size() != 1) {
    MoteWrite("mote-fw: only models with one input and one output are supported\n");
    return 2;
  }
  Tensor& in = *interp.input(0);
  Tensor& out = *interp.output(0);
  const uint32_t count = mote_golden_count;
  if (static_cast<size_t>(mote_inputs_end - mote_inputs) != size_t{count} * in.bytes ||
      static_cast<size_t>(mote_outputs_end - mote_outputs) != size_t{count} * out.bytes) {
    MoteWrite("mote-fw: embedded golden data does not match the model's tensor sizes\n");
    return 2;
  }
  MoteWrite("arena_used=");
  MoteWriteU(static_cast<uint32_t>(interp.arena_used_bytes()));
  MoteWrite("\n");
  uint32_t failed = 0;
  for (uint32_t k = 0; k < count; ++k) {
    memcpy(in.data, mote_inputs + size_t{k} * in.bytes, in.bytes);
    MoteStackPaint();
    MoteMarkBegin();
    const Status s = interp.Invoke();
    MoteMarkEnd();
    const size_t stack = MoteStackUsed();
    const int32_t bad = s == Status::kOk ? FirstMismatch(out, mote_outputs + size_t{k} * out.bytes) : 0;
    MoteReportInput(k, bad < 0, static_cast<uint32_t>(stack),
                    s == Status::kOk ? ": MISMATCH at element " : ": Invoke failed ", bad,
                    &failed);
  }
  // Per-operator instruction counts (bench/fit_op_costs.py): input 0 once
  // more, one operator at a time, a marker between operators.
  if (count > 0) {
    memcpy(in.data, mote_inputs, in.bytes);
    MoteMarkNode();
    for (size_t i = 0; i < interp.num_nodes(); ++i) {
      interp.InvokeNode(i);
      MoteMarkNode();
    }
  }
  return MoteReportResult(count - failed, failed);
}
