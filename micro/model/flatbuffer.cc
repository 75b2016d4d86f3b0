#include "micro/model/flatbuffer.h"

namespace mote::micro {

bool FlatBuffer::Root(FbTable* out) {
  if (size_ < 8) {
    Error(Status::kTruncated, "file is ", static_cast<int64_t>(size_),
         " bytes, too short for a FlatBuffer header");
    return false;
  }
  if (size_ > 0x7fffffffu) {
    Error(Status::kBadModel, "file larger than 2 GiB");
    return false;
  }
  return TableAt(Load<uint32_t>(0), "root table", out);
}

bool FlatBuffer::TableAt(uint32_t pos, const char* what, FbTable* out) {
  *out = FbTable{};
  if (uint64_t{pos} + 4 > size_ || pos % 4 != 0) {
    Error(Status::kTruncated, what, " at offset ", pos,
         " is outside the file or misaligned (file size ",
         static_cast<int64_t>(size_), ")");
    return false;
  }
  const int64_t vt = int64_t{pos} - Load<int32_t>(pos);
  if (vt < 0 || vt + 4 > static_cast<int64_t>(size_) || vt % 2 != 0) {
    Error(Status::kBadModel, what, " at offset ", pos,
         " has its vtable outside the file (offset ", vt, ")");
    return false;
  }
  const uint16_t vt_size = Load<uint16_t>(static_cast<size_t>(vt));
  const uint16_t table_size = Load<uint16_t>(static_cast<size_t>(vt) + 2);
  if (vt_size < 4 || vt_size % 2 != 0 || vt + vt_size > static_cast<int64_t>(size_)) {
    Error(Status::kBadModel, what, " at offset ", pos,
         " has a bad vtable size ", vt_size);
    return false;
  }
  if (table_size < 4 || uint64_t{pos} + table_size > size_) {
    Error(Status::kTruncated, what, " at offset ", pos, " (", table_size,
         " bytes) extends past the end of the file (size ",
         static_cast<int64_t>(size_), ")");
    return false;
  }
  out->pos = pos;
  out->vtable = static_cast<uint32_t>(vt);
  out->vt_size = vt_size;
  out->size = table_size;
  return true;
}

uint32_t FlatBuffer::FieldPos(const FbTable& t, int field) const {
  const uint32_t slot = 4 + 2 * static_cast<uint32_t>(field);
  if (!t.valid() || slot + 2 > t.vt_size) return 0;
  return Load<uint16_t>(t.vtable + slot);
}

bool FlatBuffer::FieldBytes(const FbTable& t, int field, uint32_t width,
                            uint32_t* pos) {
  const uint32_t off = FieldPos(t, field);
  *pos = 0;
  if (off == 0) return true;
  if (off + width > t.size) {
    Error(Status::kBadModel, "field ", field, " of the table at offset ",
         t.pos, " lies outside the table");
    return false;
  }
  *pos = t.pos + off;
  return true;
}

bool FlatBuffer::U8(const FbTable& t, int field, uint8_t def, uint8_t* out) {
  uint32_t p;
  if (!FieldBytes(t, field, 1, &p)) return false;
  *out = p != 0 ? data_[p] : def;
  return true;
}

bool FlatBuffer::I32(const FbTable& t, int field, int32_t def, int32_t* out) {
  uint32_t p;
  if (!FieldBytes(t, field, 4, &p)) return false;
  *out = p != 0 ? Load<int32_t>(p) : def;
  return true;
}

bool FlatBuffer::U32(const FbTable& t, int field, uint32_t def, uint32_t* out) {
  uint32_t p;
  if (!FieldBytes(t, field, 4, &p)) return false;
  *out = p != 0 ? Load<uint32_t>(p) : def;
  return true;
}

bool FlatBuffer::U64(const FbTable& t, int field, uint64_t def, uint64_t* out) {
  uint32_t p;
  if (!FieldBytes(t, field, 8, &p)) return false;
  *out = p != 0 ? Load<uint64_t>(p) : def;
  return true;
}

bool FlatBuffer::F32(const FbTable& t, int field, float def, float* out) {
  uint32_t p;
  if (!FieldBytes(t, field, 4, &p)) return false;
  *out = p != 0 ? Load<float>(p) : def;
  return true;
}

bool FlatBuffer::Follow(const FbTable& t, int field, const char* what,
                        uint32_t* target, bool* present) {
  uint32_t p;
  *present = false;
  if (!FieldBytes(t, field, 4, &p)) return false;
  if (p == 0) return true;
  const uint64_t dest = uint64_t{p} + Load<uint32_t>(p);
  if (dest + 4 > size_) {
    Error(Status::kTruncated, what, " referenced at offset ", p,
         " points past the end of the file (to ", static_cast<int64_t>(dest),
         ", size ", static_cast<int64_t>(size_), ")");
    return false;
  }
  *target = static_cast<uint32_t>(dest);
  *present = true;
  return true;
}

bool FlatBuffer::TableField(const FbTable& t, int field, const char* what,
                            FbTable* out) {
  *out = FbTable{};
  uint32_t dest;
  bool present;
  if (!Follow(t, field, what, &dest, &present)) return false;
  return !present || TableAt(dest, what, out);
}

bool FlatBuffer::Vector(uint32_t pos, uint32_t elem_size, const char* what,
                        FbVector* out) {
  if (pos % 4 != 0) {
    Error(Status::kBadModel, what, " at offset ", pos, " is misaligned");
    return false;
  }
  const uint32_t length = Load<uint32_t>(pos);
  const uint64_t end = uint64_t{pos} + 4 + uint64_t{length} * elem_size;
  if (end > size_) {
    Error(Status::kTruncated, what, " at offset ", pos, " (", length,
         " elements) extends past the end of the file (size ",
         static_cast<int64_t>(size_), ")");
    return false;
  }
  if (elem_size > 1 && (pos + 4) % (elem_size > 4 ? 8 : elem_size) != 0 && length > 0) {
    Error(Status::kBadModel, what, " at offset ", pos,
         " is not aligned for its ", elem_size, "-byte elements");
    return false;
  }
  out->pos = pos + 4;
  out->length = length;
  out->present = true;
  return true;
}

bool FlatBuffer::VectorField(const FbTable& t, int field, uint32_t elem_size,
                             const char* what, FbVector* out) {
  *out = FbVector{};
  uint32_t dest;
  bool present;
  if (!Follow(t, field, what, &dest, &present)) return false;
  return !present || Vector(dest, elem_size, what, out);
}

bool FlatBuffer::StringField(const FbTable& t, int field, const char* what,
                             const char** out) {
  *out = nullptr;
  FbVector v;
  if (!VectorField(t, field, 1, what, &v)) return false;
  if (!v.present) return true;
  if (v.pos + uint64_t{v.length} >= size_ || data_[v.pos + v.length] != 0) {
    Error(Status::kBadModel, what, " at offset ", v.pos,
         " is not NUL-terminated");
    return false;
  }
  *out = reinterpret_cast<const char*>(data_ + v.pos);
  return true;
}

bool FlatBuffer::TableElement(const FbVector& v, uint32_t i, const char* what,
                              FbTable* out) {
  const uint32_t p = v.pos + 4 * i;
  const uint64_t dest = uint64_t{p} + Load<uint32_t>(p);
  if (dest > 0xffffffffu) {
    Error(Status::kTruncated, what, " ", i, " points past the end of the file");
    return false;
  }
  return TableAt(static_cast<uint32_t>(dest), what, out);
}

}  // namespace mote::micro
