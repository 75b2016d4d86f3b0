#include "host/io/tflite_edit.h"

#include <cstring>

#include "micro/model/flatbuffer.h"
#include "micro/model/schema.h"

namespace mote::host {
namespace {

using micro::FbTable;
using micro::FbVector;
using micro::FlatBuffer;

constexpr int kRootFields = 8;  // Model: version .. signature_defs

// A little-endian byte buffer with patchable slots.
struct Bytes {
  std::vector<uint8_t> b;
  size_t Put32(uint32_t v) {
    const size_t at = b.size();
    for (int i = 0; i < 4; ++i) b.push_back(static_cast<uint8_t>(v >> (8 * i)));
    return at;
  }
  void Put16(uint16_t v) {
    b.push_back(static_cast<uint8_t>(v));
    b.push_back(static_cast<uint8_t>(v >> 8));
  }
  void Set32(size_t at, uint32_t v) {
    for (int i = 0; i < 4; ++i) b[at + i] = static_cast<uint8_t>(v >> (8 * i));
  }
  void Align(size_t a) {
    while (b.size() % a != 0) b.push_back(0);
  }
};

// A forward reference from `slot` (in the prefix) to an absolute position
// in the final file, resolved once the prefix size is known.
struct Ref {
  size_t slot;
  size_t target;
  bool in_old;  // target is a position in the old file
};

}  // namespace

std::optional<std::vector<uint8_t>> AddMetadata(const std::vector<uint8_t>& model,
                                                const std::string& name,
                                                const std::vector<uint8_t>& data,
                                                std::string* err) {
  micro::ErrorText e;
  // The reader needs 4-byte aligned data.
  std::vector<uint32_t> aligned((model.size() + 3) / 4);
  if (!model.empty()) std::memcpy(aligned.data(), model.data(), model.size());
  FlatBuffer fb(reinterpret_cast<const uint8_t*>(aligned.data()), model.size(), &e);
  FbTable root;
  if (!fb.Root(&root) || model.size() < 8 || std::memcmp(model.data() + 4, "TFL3", 4) != 0) {
    *err = e.empty() ? "not a .tflite model" : e.c_str();
    return std::nullopt;
  }
  for (int f = kRootFields; 4 + 2 * f < root.vt_size; ++f)
    if (fb.Has(root, f)) {
      *err = "model root has field " + std::to_string(f) + ", unknown to this editor";
      return std::nullopt;
    }
  uint32_t version = 0;
  FbVector buffers, metadata;
  if (!fb.U32(root, micro::field::kModelVersion, 0, &version) ||
      !fb.VectorField(root, micro::field::kModelBuffers, 4, "buffers", &buffers) ||
      !fb.VectorField(root, micro::field::kModelMetadata, 4, "metadata", &metadata)) {
    *err = e.c_str();
    return std::nullopt;
  }
  // Old metadata entries to keep (those with another name).
  std::vector<uint32_t> kept;  // absolute positions of Metadata tables
  for (uint32_t i = 0; i < metadata.length; ++i) {
    FbTable m;
    const char* entry = nullptr;
    if (!fb.TableElement(metadata, i, "metadata", &m) ||
        !fb.StringField(m, micro::field::kMetadataName, "metadata name", &entry)) {
      *err = e.c_str();
      return std::nullopt;
    }
    if (entry == nullptr || name != entry) kept.push_back(m.pos);
  }

  Bytes p;
  std::vector<Ref> refs;
  p.Put32(0);  // root offset, patched below
  p.b.insert(p.b.end(), {'T', 'F', 'L', '3'});
  // Root vtable: all 8 fields, each 4 bytes, in field order after soffset.
  const size_t vtable = p.b.size();
  p.Put16(4 + 2 * kRootFields);
  p.Put16(4 + 4 * kRootFields);
  for (int f = 0; f < kRootFields; ++f) p.Put16(static_cast<uint16_t>(4 + 4 * f));
  p.Align(4);
  const size_t table = p.b.size();
  p.Set32(0, static_cast<uint32_t>(table));
  p.Put32(static_cast<uint32_t>(table - vtable));  // soffset to the vtable
  p.Put32(version);
  size_t field_slot[kRootFields] = {};
  for (int f = 1; f < kRootFields; ++f) field_slot[f] = p.Put32(0);
  // Fields 1, 2, 3, 5, 7 point at the old objects (or stay absent).
  std::vector<int> absent;
  for (int f : {1, 2, 3, 5, 7}) {
    uint32_t pos = 0;
    if (!fb.Has(root, f)) {
      absent.push_back(f);
      continue;
    }
    // The field holds a uoffset; its target is field position + value.
    const uint32_t voff = fb.Load<uint16_t>(root.vtable + 4 + 2 * f);
    const uint32_t fpos = root.pos + voff;
    if (voff + 4 > root.size || fpos + uint64_t{fb.Load<uint32_t>(fpos)} >= model.size()) {
      *err = "model root field " + std::to_string(f) + " points outside the file";
      return std::nullopt;
    }
    pos = fpos + fb.Load<uint32_t>(fpos);
    refs.push_back({field_slot[f], pos, true});
  }
  // New buffers vector: old entries + one for the new data.
  p.Align(4);
  refs.push_back({field_slot[micro::field::kModelBuffers], p.b.size(), false});
  if (buffers.length == 0) {
    *err = "model has no buffers (not even the empty buffer 0)";
    return std::nullopt;
  }
  const uint32_t new_buffer_index = buffers.length;
  p.Put32(buffers.length + 1);
  for (uint32_t i = 0; i < buffers.length; ++i) {
    const uint32_t e_pos = buffers.pos + 4 * i;
    refs.push_back({p.Put32(0), e_pos + fb.Load<uint32_t>(e_pos), true});
  }
  const size_t new_buffer_slot = p.Put32(0);
  // New metadata vector: kept entries + the new one.
  p.Align(4);
  refs.push_back({field_slot[micro::field::kModelMetadata], p.b.size(), false});
  p.Put32(static_cast<uint32_t>(kept.size() + 1));
  for (uint32_t pos : kept) refs.push_back({p.Put32(0), pos, true});
  const size_t new_meta_slot = p.Put32(0);
  // The Buffer table holding the data.
  p.Align(2);
  const size_t buf_vt = p.b.size();
  p.Put16(6);
  p.Put16(8);
  p.Put16(4);
  p.Align(4);
  const size_t buf_table = p.b.size();
  refs.push_back({new_buffer_slot, buf_table, false});
  p.Put32(static_cast<uint32_t>(buf_table - buf_vt));
  const size_t data_slot = p.Put32(0);
  p.Align(16);
  p.b.resize(p.b.size() + 12);  // so the data bytes after the length start 16-aligned
  refs.push_back({data_slot, p.b.size(), false});
  p.Put32(static_cast<uint32_t>(data.size()));
  p.b.insert(p.b.end(), data.begin(), data.end());
  // Metadata table: name (offset), buffer (uint32).
  p.Align(2);
  const size_t meta_vt = p.b.size();
  p.Put16(8);
  p.Put16(12);
  p.Put16(4);
  p.Put16(8);
  p.Align(4);
  const size_t meta_table = p.b.size();
  refs.push_back({new_meta_slot, meta_table, false});
  p.Put32(static_cast<uint32_t>(meta_table - meta_vt));
  const size_t name_slot = p.Put32(0);
  p.Put32(new_buffer_index);
  refs.push_back({name_slot, p.b.size(), false});
  p.Put32(static_cast<uint32_t>(name.size()));
  p.b.insert(p.b.end(), name.begin(), name.end());
  p.b.push_back(0);
  p.Align(16);
  const size_t prefix = p.b.size();
  for (const auto& r : refs) {
    const size_t target = r.in_old ? prefix + r.target : r.target;
    p.Set32(r.slot, static_cast<uint32_t>(target - r.slot));
  }
  // Absent root fields: zero their vtable slots.
  for (int f : absent) {
    p.b[vtable + 4 + 2 * f] = 0;
    p.b[vtable + 5 + 2 * f] = 0;
  }
  std::vector<uint8_t> out = std::move(p.b);
  out.insert(out.end(), model.begin(), model.end());
  return out;
}

}  // namespace mote::host
