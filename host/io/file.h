// Reading and writing whole files on the host, with errors as strings.
//
//   std::string err;
//   auto bytes = ReadFile("model.tflite", &err);   // 16-byte aligned storage
//   if (!bytes) { std::cerr << err; }
#ifndef MOTE_HOST_IO_FILE_H_
#define MOTE_HOST_IO_FILE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mote::host {

// Bytes in storage aligned to 16 (models need 4-byte alignment).
class AlignedBytes {
 public:
  AlignedBytes() = default;
  explicit AlignedBytes(size_t n) : words_((n + 15) / 16), size_(n) {}
  uint8_t* data() { return reinterpret_cast<uint8_t*>(words_.data()); }
  const uint8_t* data() const { return reinterpret_cast<const uint8_t*>(words_.data()); }
  size_t size() const { return size_; }

 private:
  struct alignas(16) Block { uint8_t b[16]; };
  std::vector<Block> words_;
  size_t size_ = 0;
};

std::optional<AlignedBytes> ReadFile(const std::string& path, std::string* err);
bool WriteFile(const std::string& path, const void* data, size_t size, std::string* err);

}  // namespace mote::host

#endif  // MOTE_HOST_IO_FILE_H_
