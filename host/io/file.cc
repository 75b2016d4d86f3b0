#include "host/io/file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace mote::host {

std::optional<AlignedBytes> ReadFile(const std::string& path, std::string* err) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    *err = path + ": " + std::strerror(errno);
    return std::nullopt;
  }
  std::fseek(f, 0, SEEK_END);
  const long size = std::ftell(f);
  std::fseek(f, 0, SEEK_SET);
  if (size < 0) {
    std::fclose(f);
    *err = path + ": cannot determine size (not a regular file?)";
    return std::nullopt;
  }
  AlignedBytes bytes(static_cast<size_t>(size));
  const size_t got = size > 0 ? std::fread(bytes.data(), 1, bytes.size(), f) : 0;
  std::fclose(f);
  if (got != bytes.size()) {
    *err = path + ": short read";
    return std::nullopt;
  }
  return bytes;
}

bool WriteFile(const std::string& path, const void* data, size_t size, std::string* err) {
  FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) {
    *err = path + ": " + std::strerror(errno);
    return false;
  }
  const size_t put = size > 0 ? std::fwrite(data, 1, size, f) : 0;
  const bool ok = std::fclose(f) == 0 && put == size;
  if (!ok) *err = path + ": write failed";
  return ok;
}

}  // namespace mote::host
