// Adding named metadata to an existing .tflite without re-serializing it.
//
// FlatBuffer offsets only point forward, so a new root table placed in front
// of the old bytes can reference every old table, vector and buffer as is.
// AddMetadata() writes: [header | new root | new buffers + metadata vectors |
// new Buffer and Metadata entries | old file, unchanged]. The prefix length
// is a multiple of 16, so old buffers keep their alignment. An existing entry
// with the same name is replaced (its old buffer stays, unreferenced).
//
//   std::string err;
//   auto out = AddMetadata(model_bytes, "OfflineMemoryAllocation", plan_bytes, &err);
#ifndef MOTE_HOST_IO_TFLITE_EDIT_H_
#define MOTE_HOST_IO_TFLITE_EDIT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mote::host {

std::optional<std::vector<uint8_t>> AddMetadata(const std::vector<uint8_t>& model,
                                                const std::string& name,
                                                const std::vector<uint8_t>& data,
                                                std::string* err);

}  // namespace mote::host

#endif  // MOTE_HOST_IO_TFLITE_EDIT_H_
