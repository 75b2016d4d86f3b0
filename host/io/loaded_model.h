// A model file loaded on the host and prepared by the device interpreter,
// with an arena owned here. The host runs exactly the device code.
//
//   std::string err;
//   auto m = LoadedModel::Open("kws.tflite", &err);
//   if (!m) { ... err names the file and the problem ... }
//   m->interpreter().Invoke();
#ifndef MOTE_HOST_IO_LOADED_MODEL_H_
#define MOTE_HOST_IO_LOADED_MODEL_H_

#include <memory>
#include <string>

#include "host/io/file.h"
#include "micro/runtime/interpreter.h"

namespace mote::host {

class LoadedModel {
 public:
  // Arena for host runs; AllocateTensors reports what it really used.
  static constexpr size_t kDefaultArenaBytes = 64u << 20;

  static std::unique_ptr<LoadedModel> Open(const std::string& path, std::string* err,
                                           size_t arena_bytes = kDefaultArenaBytes);
  // Same, from bytes already in memory (copied).
  static std::unique_ptr<LoadedModel> FromBytes(const uint8_t* data, size_t size,
                                                std::string* err,
                                                size_t arena_bytes = kDefaultArenaBytes);

  micro::Interpreter& interpreter() { return *interp_; }
  const AlignedBytes& bytes() const { return bytes_; }

 private:
  LoadedModel() = default;
  AlignedBytes bytes_;
  AlignedBytes arena_;
  std::unique_ptr<micro::Interpreter> interp_;
};

}  // namespace mote::host

#endif  // MOTE_HOST_IO_LOADED_MODEL_H_
