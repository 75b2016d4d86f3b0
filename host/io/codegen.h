// Ahead-of-time code generation: a .tflite model as one readable C++ source
// and header that run the model without the interpreter.
//
// Contract: the model is prepared on the host by the device interpreter
// (same validation, same memory plan); the generated code holds the weights
// as `static const` arrays, one static arena of the planned activation bytes,
// every kernel parameter (padding, clamp ranges, fixed-point multipliers)
// computed here, and an Invoke() that calls the micro/kernels/ref functions in
// operator order. No flatbuffer, no op registry, no Prepare on the device.
// Output is deterministic (same model and options => same bytes). The first
// lines name the mote version and the model's SHA-256.
//
//   CodegenOptions o{"kws", "kws_dscnn_int8.tflite", "0.1.0"};
//   CodegenResult r;
//   if (!GenerateCode(bytes, size, o, &r, &err)) ...;  // r.header, r.source
#ifndef MOTE_HOST_IO_CODEGEN_H_
#define MOTE_HOST_IO_CODEGEN_H_

#include <stddef.h>
#include <stdint.h>

#include <string>

namespace mote::host {

struct CodegenOptions {
  std::string name;         // C++ namespace and file stem (a valid identifier)
  std::string model_label;  // shown in the banner, e.g. the file name
  std::string version;      // mote version
};

struct CodegenResult {
  std::string header;        // <name>.h
  std::string source;        // <name>.cc (includes "<name>.h")
  size_t arena_bytes = 0;    // the static arena
  size_t weight_bytes = 0;   // constant tensors emitted
};

// REQUIRES: data 4-byte aligned. False (and *err says why) if the model does
// not prepare or uses an operator the generator does not emit yet.
bool GenerateCode(const uint8_t* data, size_t size, const CodegenOptions& opt,
                  CodegenResult* out, std::string* err);

// A valid C++ identifier from a file stem ("kws-dscnn.v2" -> "kws_dscnn_v2").
std::string IdentifierFrom(const std::string& stem);

}  // namespace mote::host

#endif  // MOTE_HOST_IO_CODEGEN_H_
