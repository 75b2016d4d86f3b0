// Dense, Conv1D/Conv2D and DepthwiseConv2D: forward and backward.
// Layouts (Keras): Dense kernel [in, units]; Conv2D kernel [kh, kw, cin, cout]
// (Conv1D [k, cin, cout], the same bytes with kh = 1); DepthwiseConv2D kernel
// [kh, kw, cin, multiplier], output channel = c * multiplier + m.
#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "host/train/layers_internal.h"
#include "host/train/parallel.h"

namespace mote::train::internal {
namespace {

class Dense : public Layer {
 public:
  Dense(int units, bool use_bias) : Layer("Dense"), units_(units), use_bias_(use_bias) {}
  Shape Build(const Shape& in, Rng& rng) override {
    if (in.size() != 1)
      throw std::invalid_argument("Dense needs a flat [features] input, got " + ShapeString(in) +
                                  " (add Flatten or GlobalAveragePooling first)");
    in_ = in;
    out_ = {units_};
    const int d = in[0];
    params_.resize(use_bias_ ? 2 : 1);
    params_[0].Init("kernel", {d, units_});
    GlorotUniform(params_[0].value, d, units_, rng);
    if (use_bias_) params_[1].Init("bias", {units_});
    return out_;
  }
  void Forward(const Tensor& x, Tensor* y, bool) override {
    const int n = x.shape[0], d = in_[0], u = units_;
    y->Reset({n, u});
    const float* w = params_[0].value.data();
    const float* b = use_bias_ ? params_[1].value.data() : nullptr;
    const int chunks = ChunkCount(n);
    ParallelFor(chunks, size_t(n) * d * u, [&](int c) {
      int b0, b1;
      ChunkRange(n, chunks, c, &b0, &b1);
      for (int i = b0; i < b1; ++i) {
        float* yr = y->ptr() + size_t(i) * u;
        const float* xr = x.ptr() + size_t(i) * d;
        for (int k = 0; k < u; ++k) yr[k] = b ? b[k] : 0.0f;
        for (int j = 0; j < d; ++j) {
          const float xv = xr[j];
          const float* wr = w + size_t(j) * u;
          for (int k = 0; k < u; ++k) yr[k] += xv * wr[k];
        }
      }
    });
  }
  void Backward(const Tensor& x, const Tensor&, const Tensor& dy, Tensor* dx) override {
    const int n = x.shape[0], d = in_[0], u = units_;
    if (dx) dx->Reset(x.shape);
    const float* w = params_[0].value.data();
    ChunkedBackward(n, size_t(n) * d * u * 2, [&](int b0, int b1, std::vector<float*>& g) {
      for (int i = b0; i < b1; ++i) {
        const float* xr = x.ptr() + size_t(i) * d;
        const float* dyr = dy.ptr() + size_t(i) * u;
        for (int j = 0; j < d; ++j) {
          float* gw = g[0] + size_t(j) * u;
          const float* wr = w + size_t(j) * u;
          float acc = 0.0f;
          for (int k = 0; k < u; ++k) {
            gw[k] += xr[j] * dyr[k];
            acc += wr[k] * dyr[k];
          }
          if (dx) dx->ptr()[size_t(i) * d + j] = acc;
        }
        if (use_bias_)
          for (int k = 0; k < u; ++k) g[1][k] += dyr[k];
      }
    });
  }
  nlohmann::json Config() const override {
    return {{"type", "Dense"}, {"units", units_}, {"use_bias", use_bias_}};
  }

 private:
  int units_;
  bool use_bias_;
};

// sum a[k] * b[k] in 8 interleaved partial sums (fixed order, so the result
// does not depend on threads; the compiler keeps the lanes in vector registers).
inline float Dot(const float* a, const float* b, int n) {
  float lane[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int k = 0;
  for (; k + 8 <= n; k += 8)
    for (int l = 0; l < 8; ++l) lane[l] += a[k + l] * b[k + l];
  float tail = 0.0f;
  for (; k < n; ++k) tail += a[k] * b[k];
  return ((lane[0] + lane[1]) + (lane[2] + lane[3])) + ((lane[4] + lane[5]) + (lane[6] + lane[7])) + tail;
}

// Shared geometry of Conv2D/DepthwiseConv2D on [N,H,W,C].
struct Geom {
  int ih, iw, ic, oh, ow, oc, kh, kw, sh, sw, pt, pl;
  bool same;
};

void SetGeom(Geom& g, int ih, int iw, int ic) {
  g.ih = ih;
  g.iw = iw;
  g.ic = ic;
  g.oh = OutLen(ih, g.kh, g.sh, g.same);
  g.ow = OutLen(iw, g.kw, g.sw, g.same);
  g.pt = PadBefore(ih, g.kh, g.sh, g.same);
  g.pl = PadBefore(iw, g.kw, g.sw, g.same);
}

class ConvBase : public Layer {
 protected:
  ConvBase(const char* type, bool one_d) : Layer(type), one_d_(one_d) {}
  // Reads the input shape ([W,C] or [H,W,C]) into the geometry; error text
  // into *err when it does not fit.
  bool SetInput(const Shape& in, std::string* err) {
    if (in.size() != (one_d_ ? 2u : 3u)) {
      *err = type_ + " needs a " + (one_d_ ? "[steps, channels]" : "[height, width, channels]") +
             " input, got " + ShapeString(in);
      return false;
    }
    SetGeom(g_, one_d_ ? 1 : in[0], in[in.size() - 2], in.back());
    if (g_.oh < 1 || g_.ow < 1) {
      *err = type_ + ": kernel larger than the input " + ShapeString(in);
      return false;
    }
    in_ = in;
    out_ = one_d_ ? Shape{g_.ow, g_.oc} : Shape{g_.oh, g_.ow, g_.oc};
    return true;
  }
  nlohmann::json GeomConfig() const {
    nlohmann::json j;
    j["kernel_size"] = one_d_ ? nlohmann::json{g_.kw} : nlohmann::json{g_.kh, g_.kw};
    j["strides"] = one_d_ ? nlohmann::json{g_.sw} : nlohmann::json{g_.sh, g_.sw};
    j["padding"] = g_.same ? "same" : "valid";
    j["use_bias"] = use_bias_;
    return j;
  }
  bool one_d_;
  bool use_bias_ = true;
  Geom g_{};
};

class Conv : public ConvBase {
 public:
  Conv(bool one_d, int filters, std::vector<int> k, std::vector<int> s, bool same, bool bias)
      : ConvBase(one_d ? "Conv1D" : "Conv2D", one_d) {
    g_.oc = filters;
    g_.kh = one_d ? 1 : k[0];
    g_.kw = k.back();
    g_.sh = one_d ? 1 : s[0];
    g_.sw = s.back();
    g_.same = same;
    use_bias_ = bias;
  }
  Shape Build(const Shape& in, Rng& rng) override {
    std::string err;
    if (!SetInput(in, &err)) throw std::invalid_argument(err);
    params_.resize(use_bias_ ? 2 : 1);
    params_[0].Init("kernel", one_d_ ? Shape{g_.kw, g_.ic, g_.oc} : Shape{g_.kh, g_.kw, g_.ic, g_.oc});
    GlorotUniform(params_[0].value, g_.kh * g_.kw * g_.ic, g_.kh * g_.kw * g_.oc, rng);
    if (use_bias_) params_[1].Init("bias", {g_.oc});
    return out_;
  }
  void Forward(const Tensor& x, Tensor* y, bool) override {
    const int n = x.shape[0];
    Shape ys = out_;
    ys.insert(ys.begin(), n);
    y->Reset(ys);
    const Geom g = g_;
    const float* w = params_[0].value.data();
    const float* b = use_bias_ ? params_[1].value.data() : nullptr;
    const int chunks = ChunkCount(n);
    ParallelFor(chunks, size_t(n) * y->per_item() * g.kh * g.kw * g.ic, [&](int c) {
      int b0, b1;
      ChunkRange(n, chunks, c, &b0, &b1);
      for (int i = b0; i < b1; ++i)
        for (int oy = 0; oy < g.oh; ++oy)
          for (int ox = 0; ox < g.ow; ++ox) {
            float* yr = y->ptr() + ((size_t(i) * g.oh + oy) * g.ow + ox) * g.oc;
            for (int k = 0; k < g.oc; ++k) yr[k] = b ? b[k] : 0.0f;
            for (int ky = 0; ky < g.kh; ++ky) {
              const int iy = oy * g.sh - g.pt + ky;
              if (iy < 0 || iy >= g.ih) continue;
              for (int kx = 0; kx < g.kw; ++kx) {
                const int ix = ox * g.sw - g.pl + kx;
                if (ix < 0 || ix >= g.iw) continue;
                const float* xp = x.ptr() + ((size_t(i) * g.ih + iy) * g.iw + ix) * g.ic;
                const float* wp = w + size_t(ky * g.kw + kx) * g.ic * g.oc;
                for (int ci = 0; ci < g.ic; ++ci) {
                  const float xv = xp[ci];
                  const float* wr = wp + size_t(ci) * g.oc;
                  for (int k = 0; k < g.oc; ++k) yr[k] += xv * wr[k];
                }
              }
            }
          }
    });
  }
  void Backward(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor* dx) override {
    const int n = x.shape[0];
    if (dx) dx->Reset(x.shape);
    const Geom g = g_;
    const float* w = params_[0].value.data();
    ChunkedBackward(n, size_t(n) * y.per_item() * g.kh * g.kw * g.ic * 2,
                    [&](int b0, int b1, std::vector<float*>& gr) {
      for (int i = b0; i < b1; ++i)
        for (int oy = 0; oy < g.oh; ++oy)
          for (int ox = 0; ox < g.ow; ++ox) {
            const float* dyr = dy.ptr() + ((size_t(i) * g.oh + oy) * g.ow + ox) * g.oc;
            if (use_bias_)
              for (int k = 0; k < g.oc; ++k) gr[1][k] += dyr[k];
            for (int ky = 0; ky < g.kh; ++ky) {
              const int iy = oy * g.sh - g.pt + ky;
              if (iy < 0 || iy >= g.ih) continue;
              for (int kx = 0; kx < g.kw; ++kx) {
                const int ix = ox * g.sw - g.pl + kx;
                if (ix < 0 || ix >= g.iw) continue;
                const size_t xo = ((size_t(i) * g.ih + iy) * g.iw + ix) * g.ic;
                const size_t wo = size_t(ky * g.kw + kx) * g.ic * g.oc;
                for (int ci = 0; ci < g.ic; ++ci) {
                  const float xv = x.ptr()[xo + ci];
                  float* gw = gr[0] + wo + size_t(ci) * g.oc;
                  for (int k = 0; k < g.oc; ++k) gw[k] += xv * dyr[k];
                  if (dx) dx->ptr()[xo + ci] += Dot(w + wo + size_t(ci) * g.oc, dyr, g.oc);
                }
              }
            }
          }
    });
  }
  nlohmann::json Config() const override {
    nlohmann::json j = GeomConfig();
    j["type"] = type_;
    j["filters"] = g_.oc;
    return j;
  }
};

class DepthwiseConv : public ConvBase {
 public:
  DepthwiseConv(int mult, std::vector<int> k, std::vector<int> s, bool same, bool bias)
      : ConvBase("DepthwiseConv2D", false), mult_(mult) {
    g_.kh = k[0];
    g_.kw = k[1];
    g_.sh = s[0];
    g_.sw = s[1];
    g_.same = same;
    use_bias_ = bias;
  }
  Shape Build(const Shape& in, Rng& rng) override {
    std::string err;
    if (in.size() == 3) g_.oc = in[2] * mult_;
    if (!SetInput(in, &err)) throw std::invalid_argument(err);
    params_.resize(use_bias_ ? 2 : 1);
    params_[0].Init("kernel", {g_.kh, g_.kw, g_.ic, mult_});
    GlorotUniform(params_[0].value, g_.kh * g_.kw * g_.ic, g_.kh * g_.kw * mult_, rng);
    if (use_bias_) params_[1].Init("bias", {g_.oc});
    return out_;
  }
  void Forward(const Tensor& x, Tensor* y, bool) override {
    const int n = x.shape[0];
    y->Reset({n, g_.oh, g_.ow, g_.oc});
    const Geom g = g_;
    const int m = mult_;
    const float* w = params_[0].value.data();
    const float* b = use_bias_ ? params_[1].value.data() : nullptr;
    const int chunks = ChunkCount(n);
    ParallelFor(chunks, size_t(n) * y->per_item() * g.kh * g.kw, [&](int c) {
      int b0, b1;
      ChunkRange(n, chunks, c, &b0, &b1);
      for (int i = b0; i < b1; ++i)
        for (int oy = 0; oy < g.oh; ++oy)
          for (int ox = 0; ox < g.ow; ++ox) {
            float* yr = y->ptr() + ((size_t(i) * g.oh + oy) * g.ow + ox) * g.oc;
            for (int k = 0; k < g.oc; ++k) yr[k] = b ? b[k] : 0.0f;
            for (int ky = 0; ky < g.kh; ++ky) {
              const int iy = oy * g.sh - g.pt + ky;
              if (iy < 0 || iy >= g.ih) continue;
              for (int kx = 0; kx < g.kw; ++kx) {
                const int ix = ox * g.sw - g.pl + kx;
                if (ix < 0 || ix >= g.iw) continue;
                const float* xp = x.ptr() + ((size_t(i) * g.ih + iy) * g.iw + ix) * g.ic;
                const float* wp = w + size_t(ky * g.kw + kx) * g.ic * m;
                if (m == 1) {  // the common case: no division, vectorizes
                  for (int k = 0; k < g.oc; ++k) yr[k] += xp[k] * wp[k];
                } else {
                  for (int k = 0; k < g.oc; ++k) yr[k] += xp[k / m] * wp[k];
                }
              }
            }
          }
    });
  }
  void Backward(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor* dx) override {
    const int n = x.shape[0];
    if (dx) dx->Reset(x.shape);
    const Geom g = g_;
    const int m = mult_;
    const float* w = params_[0].value.data();
    ChunkedBackward(n, size_t(n) * y.per_item() * g.kh * g.kw * 2,
                    [&](int b0, int b1, std::vector<float*>& gr) {
      for (int i = b0; i < b1; ++i)
        for (int oy = 0; oy < g.oh; ++oy)
          for (int ox = 0; ox < g.ow; ++ox) {
            const float* dyr = dy.ptr() + ((size_t(i) * g.oh + oy) * g.ow + ox) * g.oc;
            if (use_bias_)
              for (int k = 0; k < g.oc; ++k) gr[1][k] += dyr[k];
            for (int ky = 0; ky < g.kh; ++ky) {
              const int iy = oy * g.sh - g.pt + ky;
              if (iy < 0 || iy >= g.ih) continue;
              for (int kx = 0; kx < g.kw; ++kx) {
                const int ix = ox * g.sw - g.pl + kx;
                if (ix < 0 || ix >= g.iw) continue;
                const size_t xo = ((size_t(i) * g.ih + iy) * g.iw + ix) * g.ic;
                const size_t wo = size_t(ky * g.kw + kx) * g.ic * m;
                const float* xp = x.ptr() + xo;
                float* gw = gr[0] + wo;
                if (m == 1) {  // the common case: no division, vectorizes
                  for (int k = 0; k < g.oc; ++k) gw[k] += xp[k] * dyr[k];
                  if (dx) {
                    float* dxp = dx->ptr() + xo;
                    const float* wp = w + wo;
                    for (int k = 0; k < g.oc; ++k) dxp[k] += wp[k] * dyr[k];
                  }
                } else {
                  for (int k = 0; k < g.oc; ++k) {
                    gw[k] += xp[k / m] * dyr[k];
                    if (dx) dx->ptr()[xo + k / m] += w[wo + k] * dyr[k];
                  }
                }
              }
            }
          }
    });
  }
  nlohmann::json Config() const override {
    nlohmann::json j = GeomConfig();
    j["type"] = type_;
    j["depth_multiplier"] = mult_;
    return j;
  }

 private:
  int mult_;
};

bool GetUseBias(const json& spec, std::string* err) {
  if (!spec.contains("use_bias")) return true;
  if (!spec["use_bias"].is_boolean()) {
    if (err->empty()) *err = "\"use_bias\" must be true or false";
    return true;
  }
  return spec["use_bias"].get<bool>();
}

}  // namespace

std::unique_ptr<Layer> MakeDense(const json& spec, std::string* err) {
  const int units = GetInt(spec, "units", 0, err);
  if (err->empty() && (units < 1 || units > 1 << 20)) *err = "Dense needs \"units\" >= 1";
  if (!err->empty()) return nullptr;
  return std::make_unique<Dense>(units, GetUseBias(spec, err));
}

std::unique_ptr<Layer> MakeConv(const json& spec, bool one_d, std::string* err) {
  const int n = one_d ? 1 : 2;
  const int filters = GetInt(spec, "filters", 0, err);
  if (err->empty() && (filters < 1 || filters > 1 << 16))
    *err = std::string(one_d ? "Conv1D" : "Conv2D") + " needs \"filters\" >= 1";
  if (err->empty() && !spec.contains("kernel_size"))
    *err = std::string(one_d ? "Conv1D" : "Conv2D") + " needs \"kernel_size\"";
  auto k = GetInts(spec, "kernel_size", n, std::vector<int>(n, 1), err);
  auto s = GetInts(spec, "strides", n, std::vector<int>(n, 1), err);
  const bool same = GetSamePadding(spec, err);
  const bool bias = GetUseBias(spec, err);
  if (!err->empty()) return nullptr;
  return std::make_unique<Conv>(one_d, filters, k, s, same, bias);
}

std::unique_ptr<Layer> MakeDepthwiseConv(const json& spec, std::string* err) {
  const int mult = GetInt(spec, "depth_multiplier", 1, err);
  if (err->empty() && (mult < 1 || mult > 256)) *err = "\"depth_multiplier\" must be in 1..256";
  if (err->empty() && !spec.contains("kernel_size"))
    *err = "DepthwiseConv2D needs \"kernel_size\"";
  auto k = GetInts(spec, "kernel_size", 2, {1, 1}, err);
  auto s = GetInts(spec, "strides", 2, {1, 1}, err);
  const bool same = GetSamePadding(spec, err);
  const bool bias = GetUseBias(spec, err);
  if (!err->empty()) return nullptr;
  return std::make_unique<DepthwiseConv>(mult, k, s, same, bias);
}

}  // namespace mote::train::internal
