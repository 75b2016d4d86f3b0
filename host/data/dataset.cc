#include "host/data/dataset.h"

#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

#include "host/train/rng.h"

namespace mote::data {
namespace {

std::optional<std::string> ReadAll(const std::string& path, std::string* err) {
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    *err = path + ": cannot open";
    return std::nullopt;
  }
  return std::string((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

// Value of 'key': ... in the .npy header dict (a Python literal).
std::string HeaderField(const std::string& h, const std::string& key) {
  const size_t k = h.find("'" + key + "'");
  if (k == std::string::npos) return "";
  size_t p = h.find(':', k);
  if (p == std::string::npos) return "";
  ++p;
  while (p < h.size() && h[p] == ' ') ++p;
  if (p >= h.size()) return "";
  if (h[p] == '\'') {
    const size_t e = h.find('\'', p + 1);
    return e == std::string::npos ? "" : h.substr(p + 1, e - p - 1);
  }
  if (h[p] == '(') {
    const size_t e = h.find(')', p);
    return e == std::string::npos ? "" : h.substr(p, e - p + 1);
  }
  size_t e = p;
  while (e < h.size() && h[e] != ',' && h[e] != '}') ++e;
  return h.substr(p, e - p);
}

}  // namespace

std::optional<Tensor> LoadNpy(const std::string& path, std::string* err) {
  auto bytes = ReadAll(path, err);
  if (!bytes) return std::nullopt;
  const std::string& b = *bytes;
  if (b.size() < 10 || b.compare(0, 6, "\x93NUMPY") != 0) {
    *err = path + ": not a .npy file (no \\x93NUMPY magic at offset 0)";
    return std::nullopt;
  }
  const int major = static_cast<uint8_t>(b[6]);
  size_t hlen, hstart;
  if (major == 1) {
    hlen = uint8_t(b[8]) | (size_t(uint8_t(b[9])) << 8);
    hstart = 10;
  } else if (major == 2 || major == 3) {
    if (b.size() < 12) {
      *err = path + ": truncated .npy header";
      return std::nullopt;
    }
    hlen = 0;
    for (int i = 0; i < 4; ++i) hlen |= size_t(uint8_t(b[8 + i])) << (8 * i);
    hstart = 12;
  } else {
    *err = path + ": .npy format version " + std::to_string(major) + " is not supported";
    return std::nullopt;
  }
  if (hlen > b.size() - hstart) {
    *err = path + ": .npy header of " + std::to_string(hlen) + " bytes extends past the end";
    return std::nullopt;
  }
  const std::string h = b.substr(hstart, hlen);
  const std::string descr = HeaderField(h, "descr");
  const std::string fortran = HeaderField(h, "fortran_order");
  const std::string shape_s = HeaderField(h, "shape");
  if (fortran.find("True") != std::string::npos) {
    *err = path + ": Fortran-order arrays are not supported (save with np.ascontiguousarray)";
    return std::nullopt;
  }
  size_t esize = 0;
  char kind = 0;
  if (descr.size() >= 3) {
    const char order = descr[0];
    kind = descr[1];
    esize = static_cast<size_t>(std::atoi(descr.c_str() + 2));
    const bool little = order == '<' || order == '|' || (order == '=' && esize == 1);
    const bool ok = little && ((kind == 'f' && (esize == 4 || esize == 8)) ||
                               (kind == 'i' && (esize == 1 || esize == 2 || esize == 4 || esize == 8)) ||
                               (kind == 'u' && esize == 1));
    if (!ok) esize = 0;
  }
  if (esize == 0) {
    *err = path + ": dtype '" + descr +
           "' is not supported (expected little-endian float32/float64, int8/16/32/64 or uint8)";
    return std::nullopt;
  }
  if (shape_s.size() < 2 || shape_s.front() != '(') {
    *err = path + ": .npy header has no shape";
    return std::nullopt;
  }
  train::Shape shape;
  std::stringstream ss(shape_s.substr(1, shape_s.size() - 2));
  std::string tok;
  while (std::getline(ss, tok, ',')) {
    size_t i = tok.find_first_not_of(' ');
    if (i == std::string::npos) continue;
    const long long d = std::atoll(tok.c_str() + i);
    if (d < 0 || d > (1ll << 31)) {
      *err = path + ": bad dimension '" + tok + "' in shape " + shape_s;
      return std::nullopt;
    }
    shape.push_back(static_cast<int>(d));
  }
  if (shape.empty()) {
    *err = path + ": a scalar .npy is not a data set";
    return std::nullopt;
  }
  const size_t count = train::ShapeSize(shape);
  const size_t data_at = hstart + hlen;
  if (b.size() - data_at != count * esize) {
    *err = path + ": shape " + shape_s + " of " + descr + " needs " + std::to_string(count * esize) +
           " data bytes, the file has " + std::to_string(b.size() - data_at);
    return std::nullopt;
  }
  Tensor t(shape);
  const char* p = b.data() + data_at;
  for (size_t i = 0; i < count; ++i, p += esize) {
    double v = 0;
    if (kind == 'f' && esize == 4) { float f; std::memcpy(&f, p, 4); v = f; }
    else if (kind == 'f') { std::memcpy(&v, p, 8); }
    else if (kind == 'u') { v = static_cast<uint8_t>(*p); }
    else if (esize == 1) { v = static_cast<int8_t>(*p); }
    else if (esize == 2) { int16_t x; std::memcpy(&x, p, 2); v = x; }
    else if (esize == 4) { int32_t x; std::memcpy(&x, p, 4); v = x; }
    else { int64_t x; std::memcpy(&x, p, 8); v = static_cast<double>(x); }
    if (!std::isfinite(v)) {
      *err = path + ": value " + std::to_string(i) + " is not finite (NaN or Inf)";
      return std::nullopt;
    }
    t.data[i] = static_cast<float>(v);
  }
  return t;
}

bool SaveNpy(const std::string& path, const Tensor& t, bool as_int32, std::string* err) {
  std::string shape = "(";
  for (size_t i = 0; i < t.shape.size(); ++i) shape += std::to_string(t.shape[i]) + ", ";
  if (t.shape.size() > 1) shape.resize(shape.size() - 2);
  else if (t.shape.size() == 1) shape.resize(shape.size() - 1);
  shape += ")";
  std::string h = std::string("{'descr': '") + (as_int32 ? "<i4" : "<f4") +
                  "', 'fortran_order': False, 'shape': " + shape + ", }";
  while ((10 + h.size() + 1) % 64 != 0) h += ' ';
  h += '\n';
  std::string out = "\x93NUMPY";
  out += '\x01';
  out += '\x00';
  out += static_cast<char>(h.size() & 0xff);
  out += static_cast<char>(h.size() >> 8);
  out += h;
  for (float v : t.data) {
    char buf[4];
    if (as_int32) {
      const int32_t x = static_cast<int32_t>(std::lround(v));
      std::memcpy(buf, &x, 4);
    } else {
      std::memcpy(buf, &v, 4);
    }
    out.append(buf, 4);
  }
  std::ofstream f(path, std::ios::binary);
  if (!f || !f.write(out.data(), static_cast<std::streamsize>(out.size()))) {
    *err = path + ": cannot write";
    return false;
  }
  return true;
}

std::optional<Tensor> LoadCsv(const std::string& path, std::string* err) {
  auto bytes = ReadAll(path, err);
  if (!bytes) return std::nullopt;
  std::stringstream in(*bytes);
  std::string line;
  std::vector<float> values;
  int cols = -1, rows = 0, line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    std::vector<float> row;
    std::stringstream ls(line);
    std::string cell;
    bool numeric = true;
    int col = 0;
    std::string bad;
    while (std::getline(ls, cell, ',')) {
      ++col;
      const char* s = cell.c_str();
      char* end = nullptr;
      const double v = std::strtod(s, &end);
      while (end && (*end == ' ' || *end == '\t')) ++end;
      if (end == s || (end && *end != '\0')) {
        numeric = false;
        bad = "column " + std::to_string(col) + " (\"" + cell + "\") is not a number";
        break;
      }
      if (!std::isfinite(v)) {
        *err = path + ":" + std::to_string(line_no) + ": column " + std::to_string(col) +
               " is not finite (NaN or Inf)";
        return std::nullopt;
      }
      row.push_back(static_cast<float>(v));
    }
    if (!numeric) {
      if (rows == 0 && cols < 0) {  // header line
        cols = -2;
        continue;
      }
      *err = path + ":" + std::to_string(line_no) + ": " + bad;
      return std::nullopt;
    }
    if (cols < 0) cols = static_cast<int>(row.size());
    if (static_cast<int>(row.size()) != cols) {
      *err = path + ":" + std::to_string(line_no) + ": " + std::to_string(row.size()) +
             " columns, expected " + std::to_string(cols);
      return std::nullopt;
    }
    values.insert(values.end(), row.begin(), row.end());
    ++rows;
  }
  if (rows == 0) {
    *err = path + ": no data rows";
    return std::nullopt;
  }
  Tensor t;
  t.shape = {rows, cols};
  t.data = std::move(values);
  return t;
}

std::optional<Tensor> LoadArray(const std::string& path, std::string* err) {
  auto ends = [&](const char* s) {
    const size_t n = std::strlen(s);
    return path.size() >= n && path.compare(path.size() - n, n, s) == 0;
  };
  if (ends(".npy")) return LoadNpy(path, err);
  if (ends(".csv")) return LoadCsv(path, err);
  *err = path + ": unknown data format (expected .npy or .csv)";
  return std::nullopt;
}

Dataset SynthAnomaly(int n, int length, uint64_t seed) {
  train::Rng rng(seed);
  Dataset d;
  d.x.Reset({n, length, 1});
  d.y.Reset({n});
  for (int i = 0; i < n; ++i) {
    float* w = d.x.ptr() + size_t(i) * length;
    for (int t = 0; t < length; ++t)
      w[t] = static_cast<float>(std::sin(6.283185307179586 * t / length)) + rng.Normal(0.0f, 0.1f);
    if (rng.Uniform01() < 0.2) {
      const int at = static_cast<int>(rng.Below(length));
      w[at] += rng.Uniform(2.0f, 3.0f);
      d.y.data[i] = 1.0f;
    }
  }
  return d;
}

bool ShapeRows(Tensor* x, const train::Shape& input_shape, const std::string& what,
               std::string* err) {
  const size_t per = train::ShapeSize(input_shape);
  if (x->shape.empty() || x->per_item() != per || x->shape[0] < 1) {
    *err = what + ": shape " + train::ShapeString(x->shape) + " does not fit the model input [N," +
           train::ShapeString(input_shape).substr(1) + " (" + std::to_string(per) +
           " values per row)";
    return false;
  }
  train::Shape s = input_shape;
  s.insert(s.begin(), x->shape[0]);
  x->shape = s;
  return true;
}

Tensor Rows(const Tensor& t, size_t begin, size_t end) {
  Tensor r;
  r.shape = t.shape;
  r.shape[0] = static_cast<int>(end - begin);
  const size_t per = t.per_item();
  r.data.assign(t.data.begin() + begin * per, t.data.begin() + end * per);
  return r;
}

}  // namespace mote::data
