#include "host/io/loaded_model.h"

#include <cstring>

namespace mote::host {

std::unique_ptr<LoadedModel> LoadedModel::Open(const std::string& path, std::string* err,
                                               size_t arena_bytes) {
  auto bytes = ReadFile(path, err);
  if (!bytes) return nullptr;
  auto m = FromBytes(bytes->data(), bytes->size(), err, arena_bytes);
  if (!m) *err = path + ": " + *err;
  return m;
}

std::unique_ptr<LoadedModel> LoadedModel::FromBytes(const uint8_t* data, size_t size,
                                                    std::string* err, size_t arena_bytes) {
  std::unique_ptr<LoadedModel> m(new LoadedModel());
  m->bytes_ = AlignedBytes(size);
  if (size > 0) std::memcpy(m->bytes_.data(), data, size);
  m->arena_ = AlignedBytes(arena_bytes);
  m->interp_ = std::make_unique<micro::Interpreter>(m->bytes_.data(), m->bytes_.size(),
                                                    m->arena_.data(), m->arena_.size());
  const micro::Status s = m->interp_->AllocateTensors();
  if (s != micro::Status::kOk) {
    *err = std::string(micro::StatusName(s)) + ": " + m->interp_->error();
    return nullptr;
  }
  return m;
}

}  // namespace mote::host
