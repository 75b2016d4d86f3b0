#include "micro/status.h"

namespace mote::micro {

const char* StatusName(Status s) {
  static const char* const kNames[] = {
#define MOTE_STATUS_NAME(name, text) text,
      MOTE_STATUS_LIST(MOTE_STATUS_NAME)
#undef MOTE_STATUS_NAME
  };
  const unsigned i = static_cast<unsigned>(s);
  return i < sizeof(kNames) / sizeof(kNames[0]) ? kNames[i] : "unknown status";
}

ErrorText& ErrorText::Add(const char* s) {
  if (s == nullptr) s = "(null)";
  while (*s != '\0' && len_ + 1 < kCapacity) text_[len_++] = *s++;
  text_[len_] = '\0';
  return *this;
}

ErrorText& ErrorText::Add(int64_t v) {
  char digits[24];
  int n = 0;
  uint64_t u = v < 0 ? static_cast<uint64_t>(-(v + 1)) + 1 : static_cast<uint64_t>(v);
  do {
    digits[n++] = static_cast<char>('0' + u % 10);
    u /= 10;
  } while (u != 0);
  if (v < 0 && len_ + 1 < kCapacity) text_[len_++] = '-';
  while (n > 0 && len_ + 1 < kCapacity) text_[len_++] = digits[--n];
  text_[len_] = '\0';
  return *this;
}

}  // namespace mote::micro
