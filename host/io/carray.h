// A model as C/C++ source: `name.h` declares, `name.cc` defines
//   alignas(16) extern const unsigned char <name>[];  extern const unsigned int <name>_len;
// with the byte count and SHA-256 of the bytes in a comment, so firmware can
// link a .tflite without a file system.
//
//   std::string err;
//   WriteCArray(bytes, "anomaly_int8", "out/anomaly_int8.h", "out/anomaly_int8.cc", &err);
#ifndef MOTE_HOST_IO_CARRAY_H_
#define MOTE_HOST_IO_CARRAY_H_

#include <cstdint>
#include <string>
#include <vector>

namespace mote::host {

// REQUIRES: `symbol` is a C identifier. The .cc includes the header by its
// file name (same directory).
bool WriteCArray(const std::vector<uint8_t>& bytes, const std::string& symbol,
                 const std::string& header_path, const std::string& source_path, std::string* err);

// The two texts, for tests.
std::string CArrayHeader(const std::vector<uint8_t>& bytes, const std::string& symbol);
std::string CArraySource(const std::vector<uint8_t>& bytes, const std::string& symbol,
                         const std::string& header_name);

}  // namespace mote::host

#endif  // MOTE_HOST_IO_CARRAY_H_
