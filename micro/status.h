// Status codes and error messages of the device runtime.
//
// Every fallible call in mote_micro returns a Status. Where a reason helps,
// the callee also writes a one-line message into an ErrorText owned by the
// caller (fixed size, no heap). Names come from one X-macro so the enum and
// its name table cannot drift apart.
//
//   ErrorText err;
//   if (Status s = model.Init(data, size, &err); s != Status::kOk)
//     printf("%s: %s\n", StatusName(s), err.c_str());
#ifndef MOTE_MICRO_STATUS_H_
#define MOTE_MICRO_STATUS_H_

#include <stddef.h>
#include <stdint.h>

#include <type_traits>

namespace mote::micro {

#define MOTE_STATUS_LIST(X)                                  \
  X(kOk, "ok")                                               \
  X(kBadModel, "bad model")                                  \
  X(kTruncated, "truncated model")                           \
  X(kUnsupportedOp, "unsupported operator")                  \
  X(kUnsupportedType, "unsupported data type")               \
  X(kHybridModel, "hybrid model")                            \
  X(kShapeMismatch, "shape mismatch")                        \
  X(kArenaTooSmall, "arena too small")                       \
  X(kBadArgument, "bad argument")                            \
  X(kNotReady, "not ready")                                  \
  X(kNotSigned, "model is not signed")                       \
  X(kBadSignature, "signature does not verify")              \
  X(kBadRecord, "corrupt or unknown record")                 \
  X(kFlashError, "flash operation failed")

enum class Status : uint8_t {
#define MOTE_STATUS_ENUM(name, text) name,
  MOTE_STATUS_LIST(MOTE_STATUS_ENUM)
#undef MOTE_STATUS_ENUM
};

const char* StatusName(Status s);

// A fixed-size, always NUL-terminated message buffer with append helpers.
class ErrorText {
 public:
  static constexpr size_t kCapacity = 192;
  ErrorText() { Clear(); }
  void Clear() {
    len_ = 0;
    text_[0] = '\0';
  }
  ErrorText& Add(const char* s);
  ErrorText& Add(int64_t v);
  const char* c_str() const { return text_; }
  bool empty() const { return len_ == 0; }

 private:
  char text_[kCapacity];
  size_t len_;
};

// Clears `err` (if given), writes the parts of a message, returns `s`.
// Usage: return Fail(err, Status::kBadModel, "tensor ", i, " has no type");
inline void AddParts(ErrorText*) {}
template <typename T, typename... Rest>
void AddParts(ErrorText* e, T first, Rest... rest) {
  if constexpr (std::is_pointer_v<T>) {
    e->Add(first);
  } else {
    e->Add(static_cast<int64_t>(first));
  }
  AddParts(e, rest...);
}
template <typename... Parts>
Status Fail(ErrorText* err, Status s, Parts... parts) {
  if (err != nullptr) {
    err->Clear();
    AddParts(err, parts...);
  }
  return s;
}

}  // namespace mote::micro

#endif  // MOTE_MICRO_STATUS_H_
