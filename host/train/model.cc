#include "host/train/model.h"

#include <cmath>
#include <cstring>
#include <fstream>
#include <stdexcept>

namespace mote::train {

using nlohmann::json;

std::unique_ptr<Sequential> Sequential::FromJson(const json& j, uint64_t seed, std::string* err) {
  if (!j.is_object()) {
    *err = "model JSON must be an object";
    return nullptr;
  }
  if (!j.contains("input_shape") || !j["input_shape"].is_array() || j["input_shape"].empty()) {
    *err = "model JSON needs \"input_shape\": a list of positive integers (no batch dimension)";
    return nullptr;
  }
  Shape in;
  for (const auto& d : j["input_shape"]) {
    if (!d.is_number_integer() || d.get<int>() < 1 || d.get<int>() > 1 << 20) {
      *err = "\"input_shape\" must be a list of positive integers";
      return nullptr;
    }
    in.push_back(d.get<int>());
  }
  if (!j.contains("layers") || !j["layers"].is_array() || j["layers"].empty()) {
    *err = "model JSON needs a non-empty \"layers\" list";
    return nullptr;
  }
  auto m = std::make_unique<Sequential>(in);
  m->name = j.value("name", std::string("model"));
  for (const auto& l : j["layers"]) m->Add(l);
  const std::string loss_name = j.contains("loss") && j["loss"].is_string() ? j["loss"].get<std::string>() : "";
  auto loss = ParseLoss(loss_name);
  if (!loss) {
    *err = "model JSON needs \"loss\": binary_crossentropy, categorical_crossentropy, "
           "sparse_categorical_crossentropy or mean_squared_error" +
           (loss_name.empty() ? std::string() : " (got \"" + loss_name + "\")");
    return nullptr;
  }
  if (!m->Compile(*loss, seed, err)) return nullptr;
  return m;
}

bool Sequential::Compile(Loss loss, uint64_t seed, std::string* err) {
  loss_ = loss;
  layers_.clear();
  Rng rng(seed);
  Shape shape = input_shape_;
  for (size_t i = 0; i < specs_.size(); ++i) {
    const std::string where = "layer " + std::to_string(i) + ": ";
    std::string e;
    auto layer = MakeLayer(specs_[i], &e);
    if (!layer) {
      *err = where + e;
      return false;
    }
    std::vector<std::unique_ptr<Layer>> group;
    group.push_back(std::move(layer));
    const std::string t = specs_[i]["type"].get<std::string>();
    if (specs_[i].contains("activation") && t != "Activation") {
      if (!specs_[i]["activation"].is_string()) {
        *err = where + "\"activation\" must be a string";
        return false;
      }
      json a = ActivationSpec(specs_[i]["activation"].get<std::string>(), &e);
      if (!e.empty()) {
        *err = where + e;
        return false;
      }
      if (!a.is_null()) group.push_back(MakeLayer(a, &e));
    }
    for (auto& l : group) {
      try {
        shape = l->Build(shape, rng);
      } catch (const std::invalid_argument& ex) {
        *err = where + ex.what();
        return false;
      }
      layers_.push_back(std::move(l));
    }
  }
  if (layers_.empty()) {
    *err = "the model has no layers";
    return false;
  }
  return true;
}

std::vector<Param*> Sequential::TrainableParams() {
  std::vector<Param*> r;
  for (auto& l : layers_)
    for (Param& p : l->params())
      if (p.trainable) r.push_back(&p);
  return r;
}

namespace {
Tensor Slice(const Tensor& x, size_t begin, size_t end) {
  Shape s = x.shape;
  s[0] = static_cast<int>(end - begin);
  Tensor t;
  t.shape = s;
  const size_t per = x.per_item();
  t.data.assign(x.data.begin() + begin * per, x.data.begin() + end * per);
  return t;
}
}  // namespace

Tensor Sequential::Predict(const Tensor& x, int batch_size) {
  const size_t n = x.shape[0];
  Shape out = output_shape();
  out.insert(out.begin(), static_cast<int>(n));
  Tensor result(out);
  const size_t per_out = ShapeSize(output_shape());
  for (size_t b = 0; b < n; b += batch_size) {
    const size_t e = std::min(n, b + batch_size);
    Tensor cur = Slice(x, b, e), next;
    for (auto& l : layers_) {
      l->Forward(cur, &next, false);
      std::swap(cur, next);
    }
    std::copy(cur.data.begin(), cur.data.end(), result.data.begin() + b * per_out);
  }
  return result;
}

void Sequential::Evaluate(const Tensor& x, const Tensor& y, double* loss, double* accuracy,
                          float smoothing) {
  const Tensor p = Predict(x);
  if (loss) *loss = LossValue(loss_, p, y, smoothing);
  if (accuracy) *accuracy = Accuracy(loss_, p, y);
}

double Sequential::ForwardBackward(const Tensor& x, const Tensor& y, float smoothing) {
  acts_.resize(layers_.size() + 1);
  acts_[0] = x;
  for (size_t i = 0; i < layers_.size(); ++i) layers_[i]->Forward(acts_[i], &acts_[i + 1], true);
  const Tensor& pred = acts_.back();
  const double loss = LossValue(loss_, pred, y, smoothing);
  Tensor dy, dx;
  size_t top = layers_.size();
  if (HasFusedLogitGradient(loss_, layers_.back()->type())) {
    FusedLogitGradient(loss_, pred, y, &dy, smoothing);
    --top;
  } else {
    LossGradient(loss_, pred, y, &dy, smoothing);
  }
  for (size_t i = top; i-- > 0;) {
    layers_[i]->Backward(acts_[i], acts_[i + 1], dy, i > 0 ? &dx : nullptr);
    std::swap(dy, dx);
  }
  return loss;
}

json Sequential::ToJson() const {
  return {{"name", name}, {"input_shape", input_shape_}, {"layers", specs_},
          {"loss", LossName(loss_)}};
}

bool Sequential::Save(const std::string& path, std::string* err) const {
  const std::string spec = ToJson().dump();
  std::string out = "MOTEW001";
  const uint32_t len = static_cast<uint32_t>(spec.size());
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((len >> (8 * i)) & 0xff));
  out += spec;
  for (const auto& l : layers_)
    for (const Param& p : l->params())
      out.append(reinterpret_cast<const char*>(p.value.data()), p.value.size() * sizeof(float));
  std::ofstream f(path, std::ios::binary);
  if (!f || !f.write(out.data(), static_cast<std::streamsize>(out.size()))) {
    *err = path + ": cannot write";
    return false;
  }
  return true;
}

std::unique_ptr<Sequential> Sequential::Load(const std::string& path, std::string* err) {
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    *err = path + ": cannot open";
    return nullptr;
  }
  std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  if (bytes.size() < 12 || bytes.compare(0, 8, "MOTEW001") != 0) {
    *err = path + ": not a mote weights file (expected \"MOTEW001\" at offset 0)";
    return nullptr;
  }
  uint32_t len = 0;
  for (int i = 0; i < 4; ++i) len |= uint32_t(uint8_t(bytes[8 + i])) << (8 * i);
  if (len > bytes.size() - 12) {
    *err = path + ": model JSON length " + std::to_string(len) + " at offset 8 exceeds the file";
    return nullptr;
  }
  json spec = json::parse(bytes.begin() + 12, bytes.begin() + 12 + len, nullptr, false);
  if (spec.is_discarded()) {
    *err = path + ": model JSON at offset 12 does not parse";
    return nullptr;
  }
  std::string e;
  auto m = FromJson(spec, 0, &e);
  if (!m) {
    *err = path + ": " + e;
    return nullptr;
  }
  size_t off = 12 + len;
  for (auto& l : m->layers())
    for (Param& p : l->params()) {
      const size_t n = p.value.size() * sizeof(float);
      if (bytes.size() - off < n) {
        *err = path + ": truncated: " + l->type() + " " + p.name + " needs " + std::to_string(n) +
               " bytes at offset " + std::to_string(off);
        return nullptr;
      }
      std::memcpy(p.value.data(), bytes.data() + off, n);
      off += n;
    }
  if (off != bytes.size()) {
    *err = path + ": " + std::to_string(bytes.size() - off) + " unexpected bytes after the weights";
    return nullptr;
  }
  return m;
}

bool TakesInput(const Sequential& m, const Tensor& x) {
  const Shape& want = m.input_shape();
  return x.shape.size() == want.size() + 1 && std::equal(want.begin(), want.end(), x.shape.begin() + 1);
}

bool CheckData(const Sequential& m, const Tensor& x, const Tensor& y, std::string* err) {
  const Shape& want = m.input_shape();
  if (!TakesInput(m, x)) {
    *err = "data shape " + ShapeString(x.shape) + " does not match the model input [N," +
           ShapeString(want).substr(1);
    return false;
  }
  if (y.shape.empty() || y.shape[0] != x.shape[0]) {
    *err = "labels have " + std::to_string(y.shape.empty() ? 0 : y.shape[0]) + " rows, data has " +
           std::to_string(x.shape[0]);
    return false;
  }
  for (size_t i = 0; i < x.size(); ++i)
    if (!std::isfinite(x.data[i])) {
      *err = "data value " + std::to_string(i) + " (row " + std::to_string(i / x.per_item()) +
             ") is not finite";
      return false;
    }
  const size_t out = ShapeSize(m.output_shape());
  const Loss l = m.loss();
  const size_t want_cols = l == Loss::kSparseCategoricalCrossentropy ? 1 : out;
  if (y.per_item() != want_cols) {
    *err = "labels have " + std::to_string(y.per_item()) + " value(s) per row; the model's " +
           LossName(l) + " needs " + std::to_string(want_cols);
    return false;
  }
  for (size_t i = 0; i < y.size(); ++i) {
    const float v = y.data[i];
    bool ok = std::isfinite(v);
    if (l == Loss::kSparseCategoricalCrossentropy)
      ok = ok && v >= 0 && v < static_cast<float>(out) && v == std::floor(v);
    if (l == Loss::kBinaryCrossentropy || l == Loss::kCategoricalCrossentropy)
      ok = ok && v >= 0.0f && v <= 1.0f;
    if (!ok) {
      *err = "label " + std::to_string(i) + " = " + std::to_string(v) + " is not valid for " +
             LossName(l);
      return false;
    }
  }
  return true;
}

}  // namespace mote::train
