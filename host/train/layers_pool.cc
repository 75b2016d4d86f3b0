// MaxPooling1D/2D, AveragePooling1D/2D, GlobalAveragePooling1D/2D, Flatten.
// 1-D layers work on [N,W,C] as 2-D with H = 1. Average pooling with "same"
// padding divides by the number of valid inputs (Keras and TFLite do).
#include <cfloat>
#include <stdexcept>

#include "host/train/layers_internal.h"

namespace mote::train::internal {
namespace {

class Pool : public Layer {
 public:
  Pool(bool max, bool one_d, std::vector<int> p, std::vector<int> s, bool same)
      : Layer(std::string(max ? "MaxPooling" : "AveragePooling") + (one_d ? "1D" : "2D")),
        max_(max), one_d_(one_d), same_(same) {
    ph_ = one_d ? 1 : p[0];
    pw_ = p.back();
    sh_ = one_d ? 1 : s[0];
    sw_ = s.back();
  }
  Shape Build(const Shape& in, Rng&) override {
    if (in.size() != (one_d_ ? 2u : 3u))
      throw std::invalid_argument(type_ + " needs a " + (one_d_ ? "[steps, channels]" : "[height, width, channels]") +
                                  " input, got " + ShapeString(in));
    ih_ = one_d_ ? 1 : in[0];
    iw_ = in[in.size() - 2];
    c_ = in.back();
    oh_ = OutLen(ih_, ph_, sh_, same_);
    ow_ = OutLen(iw_, pw_, sw_, same_);
    pt_ = PadBefore(ih_, ph_, sh_, same_);
    pl_ = PadBefore(iw_, pw_, sw_, same_);
    if (oh_ < 1 || ow_ < 1) throw std::invalid_argument(type_ + ": pool larger than the input " + ShapeString(in));
    in_ = in;
    out_ = one_d_ ? Shape{ow_, c_} : Shape{oh_, ow_, c_};
    return out_;
  }
  void Forward(const Tensor& x, Tensor* y, bool) override {
    const int n = x.shape[0];
    Shape ys = out_;
    ys.insert(ys.begin(), n);
    y->Reset(ys);
    for (int i = 0; i < n; ++i)
      for (int oy = 0; oy < oh_; ++oy)
        for (int ox = 0; ox < ow_; ++ox)
          for (int c = 0; c < c_; ++c) {
            float acc = max_ ? -FLT_MAX : 0.0f;
            int count = 0;
            Window(oy, ox, [&](int iy, int ix) {
              const float v = x.ptr()[((size_t(i) * ih_ + iy) * iw_ + ix) * c_ + c];
              acc = max_ ? (v > acc ? v : acc) : acc + v;
              ++count;
            });
            y->ptr()[((size_t(i) * oh_ + oy) * ow_ + ox) * c_ + c] =
                max_ ? acc : acc / static_cast<float>(count);
          }
  }
  void Backward(const Tensor& x, const Tensor&, const Tensor& dy, Tensor* dx) override {
    if (!dx) return;
    const int n = x.shape[0];
    dx->Reset(x.shape);
    for (int i = 0; i < n; ++i)
      for (int oy = 0; oy < oh_; ++oy)
        for (int ox = 0; ox < ow_; ++ox)
          for (int c = 0; c < c_; ++c) {
            const float g = dy.ptr()[((size_t(i) * oh_ + oy) * ow_ + ox) * c_ + c];
            if (max_) {  // the first maximum gets the gradient
              float best = -FLT_MAX;
              size_t at = 0;
              Window(oy, ox, [&](int iy, int ix) {
                const size_t k = ((size_t(i) * ih_ + iy) * iw_ + ix) * c_ + c;
                if (x.ptr()[k] > best) best = x.ptr()[k], at = k;
              });
              dx->ptr()[at] += g;
            } else {
              int count = 0;
              Window(oy, ox, [&](int, int) { ++count; });
              const float share = g / static_cast<float>(count);
              Window(oy, ox, [&](int iy, int ix) {
                dx->ptr()[((size_t(i) * ih_ + iy) * iw_ + ix) * c_ + c] += share;
              });
            }
          }
  }
  nlohmann::json Config() const override {
    nlohmann::json j{{"type", type_}, {"padding", same_ ? "same" : "valid"}};
    j["pool_size"] = one_d_ ? nlohmann::json{pw_} : nlohmann::json{ph_, pw_};
    j["strides"] = one_d_ ? nlohmann::json{sw_} : nlohmann::json{sh_, sw_};
    return j;
  }

 private:
  template <typename F>
  void Window(int oy, int ox, F&& f) const {
    for (int ky = 0; ky < ph_; ++ky) {
      const int iy = oy * sh_ - pt_ + ky;
      if (iy < 0 || iy >= ih_) continue;
      for (int kx = 0; kx < pw_; ++kx) {
        const int ix = ox * sw_ - pl_ + kx;
        if (ix >= 0 && ix < iw_) f(iy, ix);
      }
    }
  }
  bool max_, one_d_, same_;
  int ph_, pw_, sh_, sw_, ih_ = 0, iw_ = 0, c_ = 0, oh_ = 0, ow_ = 0, pt_ = 0, pl_ = 0;
};

class GlobalAveragePool : public Layer {
 public:
  explicit GlobalAveragePool(bool one_d)
      : Layer(one_d ? "GlobalAveragePooling1D" : "GlobalAveragePooling2D"), one_d_(one_d) {}
  Shape Build(const Shape& in, Rng&) override {
    if (in.size() != (one_d_ ? 2u : 3u))
      throw std::invalid_argument(type_ + " needs a " + (one_d_ ? "[steps, channels]" : "[height, width, channels]") +
                                  " input, got " + ShapeString(in));
    in_ = in;
    out_ = {in.back()};
    return out_;
  }
  void Forward(const Tensor& x, Tensor* y, bool) override {
    const int n = x.shape[0], c = in_.back();
    const int s = static_cast<int>(x.per_item() / c);
    y->Reset({n, c});
    for (int i = 0; i < n; ++i)
      for (int k = 0; k < c; ++k) {
        float acc = 0.0f;
        for (int p = 0; p < s; ++p) acc += x.ptr()[(size_t(i) * s + p) * c + k];
        y->ptr()[size_t(i) * c + k] = acc / static_cast<float>(s);
      }
  }
  void Backward(const Tensor& x, const Tensor&, const Tensor& dy, Tensor* dx) override {
    if (!dx) return;
    const int n = x.shape[0], c = in_.back();
    const int s = static_cast<int>(x.per_item() / c);
    dx->Reset(x.shape);
    for (int i = 0; i < n; ++i)
      for (int p = 0; p < s; ++p)
        for (int k = 0; k < c; ++k)
          dx->ptr()[(size_t(i) * s + p) * c + k] = dy.ptr()[size_t(i) * c + k] / static_cast<float>(s);
  }
  nlohmann::json Config() const override { return {{"type", type_}}; }

 private:
  bool one_d_;
};

class Flatten : public Layer {
 public:
  Flatten() : Layer("Flatten") {}
  Shape Build(const Shape& in, Rng&) override {
    in_ = in;
    out_ = {static_cast<int>(ShapeSize(in))};
    return out_;
  }
  void Forward(const Tensor& x, Tensor* y, bool) override {
    y->shape = {x.shape[0], out_[0]};
    y->data = x.data;
  }
  void Backward(const Tensor& x, const Tensor&, const Tensor& dy, Tensor* dx) override {
    if (!dx) return;
    dx->shape = x.shape;
    dx->data = dy.data;
  }
  nlohmann::json Config() const override { return {{"type", "Flatten"}}; }
};

}  // namespace

std::unique_ptr<Layer> MakePool(const json& spec, bool max, bool one_d, std::string* err) {
  const int n = one_d ? 1 : 2;
  auto p = GetInts(spec, "pool_size", n, std::vector<int>(n, 2), err);
  auto s = GetInts(spec, "strides", n, p, err);
  const bool same = GetSamePadding(spec, err);
  if (!err->empty()) return nullptr;
  return std::make_unique<Pool>(max, one_d, p, s, same);
}

std::unique_ptr<Layer> MakeGlobalAveragePool(const json&, bool one_d, std::string*) {
  return std::make_unique<GlobalAveragePool>(one_d);
}

std::unique_ptr<Layer> MakeFlatten(const json&, std::string*) { return std::make_unique<Flatten>(); }

}  // namespace mote::train::internal
