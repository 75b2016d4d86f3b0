// A bounds-checked, zero-copy reader of FlatBuffers binary data.
//
// Contract: nothing here trusts the bytes. Every table, vtable, field, vector
// and string is checked against the buffer before it is read; a failed check
// returns false and writes what was wrong (with the byte offset) into the
// ErrorText. Scalars are read with memcpy, so the buffer needs no alignment for
// them; typed vector pointers handed out are checked for natural alignment.
// No heap, no recursion.
//
//   FlatBuffer fb(data, size, &err);
//   FbTable root;
//   if (!fb.Root(&root)) return ...;
//   FbVector ops;
//   if (!fb.VectorField(root, 2, 4, "subgraphs", &ops)) return ...;
#ifndef MOTE_MICRO_MODEL_FLATBUFFER_H_
#define MOTE_MICRO_MODEL_FLATBUFFER_H_

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "micro/status.h"

namespace mote::micro {

struct FbTable {
  uint32_t pos = 0;      // offset of the table in the buffer
  uint32_t vtable = 0;   // offset of its vtable
  uint16_t vt_size = 0;  // vtable bytes
  uint16_t size = 0;     // table bytes (inline part)
  bool valid() const { return vt_size != 0; }
};

struct FbVector {
  uint32_t pos = 0;    // offset of the first element
  uint32_t length = 0; // number of elements
  bool present = false;
};

class FlatBuffer {
 public:
  FlatBuffer(const uint8_t* data, size_t size, ErrorText* err)
      : data_(data), size_(size), err_(err) {}

  // Where failed checks write their message.
  void set_error(ErrorText* err) { err_ = err; }
  // The Status of the last failed check (kTruncated or kBadModel).
  Status status() const { return status_; }
  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }

  // The root table (offset at byte 0). `what` names it in errors.
  bool Root(FbTable* out);
  // Loads the table at absolute offset `pos`.
  bool TableAt(uint32_t pos, const char* what, FbTable* out);

  // True if the field is present. Field ids count from 0.
  bool Has(const FbTable& t, int field) const { return FieldPos(t, field) != 0; }

  // Scalar fields; absent fields give `def`. Return false only if the field's
  // bytes lie outside the table.
  bool U8(const FbTable& t, int field, uint8_t def, uint8_t* out);
  bool I32(const FbTable& t, int field, int32_t def, int32_t* out);
  bool U32(const FbTable& t, int field, uint32_t def, uint32_t* out);
  bool U64(const FbTable& t, int field, uint64_t def, uint64_t* out);
  bool F32(const FbTable& t, int field, float def, float* out);

  // Offset fields. A missing table/vector/string yields an invalid/absent
  // result and returns true; a present but broken one returns false.
  bool TableField(const FbTable& t, int field, const char* what, FbTable* out);
  bool VectorField(const FbTable& t, int field, uint32_t elem_size,
                   const char* what, FbVector* out);
  bool StringField(const FbTable& t, int field, const char* what,
                   const char** out);
  // Element `i` of a vector of tables.
  bool TableElement(const FbVector& v, uint32_t i, const char* what,
                    FbTable* out);

  // Typed element reads; REQUIRES i < v.length (the vector was verified).
  int32_t I32At(const FbVector& v, uint32_t i) const {
    return Load<int32_t>(v.pos + 4 * i);
  }
  float F32At(const FbVector& v, uint32_t i) const {
    return Load<float>(v.pos + 4 * i);
  }
  int64_t I64At(const FbVector& v, uint32_t i) const {
    return Load<int64_t>(v.pos + 8 * i);
  }
  const uint8_t* Pointer(uint32_t pos) const { return data_ + pos; }

  template <typename T>
  T Load(size_t pos) const {
    T v;
    memcpy(&v, data_ + pos, sizeof(T));
    return v;
  }

 private:
  uint32_t FieldPos(const FbTable& t, int field) const;
  bool FieldBytes(const FbTable& t, int field, uint32_t width, uint32_t* pos);
  bool Follow(const FbTable& t, int field, const char* what, uint32_t* target,
              bool* present);
  bool Vector(uint32_t pos, uint32_t elem_size, const char* what, FbVector* out);

  template <typename... Parts>
  void Error(Status s, Parts... parts) {
    status_ = s;
    Fail(err_, s, parts...);
  }

  const uint8_t* data_;
  size_t size_;
  ErrorText* err_;
  Status status_ = Status::kBadModel;
};

}  // namespace mote::micro

#endif  // MOTE_MICRO_MODEL_FLATBUFFER_H_
