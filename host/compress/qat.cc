#include "host/compress/qat.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "host/train/rng.h"

namespace mote::compress {

using train::Layer;
using train::Param;
using train::Tensor;

float FakeQuantValue(float x, const QuantParams& q) {
  const float v = std::clamp(std::round(x / q.scale) + static_cast<float>(q.zero_point), -128.0f, 127.0f);
  return (v - static_cast<float>(q.zero_point)) * q.scale;
}

void FakeQuantTensor(const QuantParams& q, std::vector<float>* x, std::vector<uint8_t>* mask,
                     bool pool_rounding) {
  const float lo = (-128.0f - static_cast<float>(q.zero_point)) * q.scale;
  const float hi = (127.0f - static_cast<float>(q.zero_point)) * q.scale;
  if (mask) mask->resize(x->size());
  for (size_t i = 0; i < x->size(); ++i) {
    float& v = (*x)[i];
    if (mask) (*mask)[i] = v >= lo && v <= hi;
    if (pool_rounding) {
      // TFLM's int8 average pool rounds the mean of the raw int8 values
      // (zero point included) half away from zero.
      const float zp = static_cast<float>(q.zero_point);
      v = (std::clamp(std::round(v / q.scale + zp), -128.0f, 127.0f) - zp) * q.scale;
    } else {
      v = FakeQuantValue(v, q);
    }
  }
}

std::vector<float> FakeQuantWeights(std::vector<float>* w, int channels, bool per_channel) {
  const int groups = per_channel ? channels : 1;
  std::vector<float> amax(groups, 0.0f);
  for (size_t k = 0; k < w->size(); ++k) {
    const int g = per_channel ? static_cast<int>(k % channels) : 0;
    amax[g] = std::max(amax[g], std::fabs((*w)[k]));
  }
  std::vector<float> scale(groups);
  for (int g = 0; g < groups; ++g) scale[g] = amax[g] > 0 ? amax[g] / 127.0f : 1e-9f;
  for (size_t k = 0; k < w->size(); ++k) {
    const float s = scale[per_channel ? k % channels : 0];
    (*w)[k] = std::clamp(std::round((*w)[k] / s), -127.0f, 127.0f) * s;
  }
  return scale;
}

// A place where the int8 graph rounds an activation.
struct QatTrainer::Point {
  int range_index = -1;  // into Ranges(); -1: fixed or shared
  int share = -1;        // re-rounds with another point's parameters
  bool fixed = false;
  QuantParams fixed_q;
  bool logistic = false;  // feeds a LOGISTIC: the exporter widens the scale
  bool init = false;
  float min = 0.0f, max = 0.0f;
};

// One layer run in the QAT forward pass (a folded BatchNormalization has none).
struct QatTrainer::Step {
  int layer = 0;
  int point = -1;  // rounded after this step
  // Conv/Dense: fold BN (bn >= 0) and fake-quantize the kernel.
  bool weights = false, per_channel = false;
  int bn = -1, out_ch = 0;
  std::vector<float> orig_w, orig_b, scale_c, extra_bias;  // extra_bias: folded bias without a bias param
  std::vector<double> extra_bias_grad;
};

QatTrainer::QatTrainer(train::Sequential& m) : m_(m) {}
QatTrainer::~QatTrainer() = default;

namespace {

bool IsRelu(const Layer& l) {
  if (l.type() == "ReLU6") return true;
  if (l.type() != "ReLU") return false;
  const auto c = l.Config();
  return !c.contains("max_value") || c["max_value"].get<float>() == 6.0f;
}

bool HasWeights(const std::string& t) {
  return t == "Conv1D" || t == "Conv2D" || t == "DepthwiseConv2D" || t == "Dense";
}

Tensor Slice(const Tensor& x, size_t b, size_t e) {
  Tensor t;
  t.shape = x.shape;
  t.shape[0] = static_cast<int>(e - b);
  const size_t per = x.per_item();
  t.data.assign(x.data.begin() + b * per, x.data.begin() + e * per);
  return t;
}

Tensor Gather(const Tensor& x, const std::vector<size_t>& idx, size_t b, size_t e) {
  Tensor t;
  t.shape = x.shape;
  t.shape[0] = static_cast<int>(e - b);
  const size_t per = x.per_item();
  t.data.resize((e - b) * per);
  for (size_t i = b; i < e; ++i)
    std::copy(x.data.begin() + idx[i] * per, x.data.begin() + (idx[i] + 1) * per,
              t.data.begin() + (i - b) * per);
  return t;
}

}  // namespace

std::unique_ptr<QatTrainer> QatTrainer::Create(train::Sequential& m, const Tensor& calibration,
                                               std::string* err, QatBatchNorm bn_mode,
                                               QatRanges ranges) {
  if (calibration.shape.empty() || calibration.shape[0] < 1) {
    *err = "the calibration set is empty";
    return nullptr;
  }
  // The exporter decides what is quantizable; refuse early with its message.
  const std::vector<ActivationRange> init = CalibrateRanges(m, calibration);
  if (!QuantizeWithRanges(m, init, ActivationBits::kInt8, "check", err)) return nullptr;

  std::unique_ptr<QatTrainer> t(new QatTrainer(m));
  auto& layers = m.layers();
  auto add_point = [&](int range_index) {
    Point p;
    p.range_index = range_index;
    p.min = init[range_index].min;
    p.max = init[range_index].max;
    p.init = true;
    t->points_.push_back(p);
    return static_cast<int>(t->points_.size()) - 1;
  };
  int cur = add_point(0);  // the model input
  for (size_t i = 0; i < layers.size(); ++i) {
    const Layer& l = *layers[i];
    const std::string& ty = l.type();
    Step s;
    s.layer = static_cast<int>(i);
    if (HasWeights(ty)) {
      size_t last = i;
      s.weights = true;
      s.per_channel = ty != "Dense";
      const auto& ks = l.FindParam("kernel")->shape;
      s.out_ch = ty == "DepthwiseConv2D" ? ks[ks.size() - 2] * ks.back() : ks.back();
      int bn_step = -1;  // kBatch: BN runs as its own layer after the conv
      if (last + 1 < layers.size() && layers[last + 1]->type() == "BatchNormalization") {
        ++last;
        if (bn_mode == QatBatchNorm::kBatch && s.per_channel) bn_step = static_cast<int>(last);
        else s.bn = static_cast<int>(last);
      }
      const bool relu = last + 1 < layers.size() && IsRelu(*layers[last + 1]);
      if (relu) ++last;
      const int p = add_point(static_cast<int>(last) + 1);
      t->points_[p].logistic = last + 1 < layers.size() && layers[last + 1]->type() == "Sigmoid";
      cur = p;
      if (!relu && bn_step < 0) s.point = p;
      t->steps_.push_back(s);
      if (bn_step >= 0) {
        Step b;
        b.layer = bn_step;
        if (!relu) b.point = p;
        t->steps_.push_back(b);
      }
      if (relu) {
        Step r;
        r.layer = static_cast<int>(last);
        r.point = p;
        t->steps_.push_back(r);
      }
      i = last;
      continue;
    }
    if (IsRelu(l)) {
      cur = s.point = add_point(static_cast<int>(i) + 1);
    } else if (ty == "AveragePooling1D" || ty == "AveragePooling2D" || ty == "GlobalAveragePooling1D" ||
               ty == "GlobalAveragePooling2D") {
      Point p;
      p.share = cur;
      t->points_.push_back(p);
      s.point = static_cast<int>(t->points_.size()) - 1;  // same parameters: cur stays
    } else if (ty == "Sigmoid" || ty == "Softmax" || ty == "Tanh") {
      Point p;
      p.fixed = true;
      p.fixed_q = ty == "Tanh" ? QuantParams{1.0f / 128, 0} : QuantParams{1.0f / 256, -128};
      t->points_.push_back(p);
      cur = s.point = static_cast<int>(t->points_.size()) - 1;
    }
    t->steps_.push_back(s);
  }
  t->ranges_ = ranges;
  if (ranges == QatRanges::kTfmot) {
    // TFMOT's starting ranges: the input layer's AllValuesQuantizer at
    // [0, 0], every MovingAverageQuantizer at [-6, 6] (quantizers.py).
    for (size_t k = 0; k < t->points_.size(); ++k) {
      Point& p = t->points_[k];
      if (p.range_index < 0) continue;
      p.min = k == 0 ? 0.0f : -6.0f;
      p.max = k == 0 ? 0.0f : 6.0f;
    }
  }
  t->in_.resize(t->steps_.size());
  t->out_.resize(t->steps_.size());
  t->q_.resize(t->steps_.size());
  t->mask_.resize(t->steps_.size());
  return t;
}

QuantParams QatTrainer::PointParams(const Point& p, bool exact) const {
  if (p.fixed) return p.fixed_q;
  if (p.share >= 0) return PointParams(points_[p.share], exact);
  if (p.logistic && exact) return ChooseLogisticInputParams(p.min, p.max);
  return ChooseInt8Params(p.min, p.max);
}

std::vector<ActivationRange> QatTrainer::Ranges() const {
  std::vector<ActivationRange> r(m_.layers().size() + 1);
  for (const Point& p : points_)
    if (p.range_index >= 0) r[p.range_index] = {p.min, p.max};
  return r;
}

void QatTrainer::FoldWeights(size_t si) {
  Step& s = steps_[si];
  Layer& l = *m_.layers()[s.layer];
  Param& k = l.params()[0];
  Param* b = l.params().size() > 1 ? &l.params()[1] : nullptr;
  s.orig_w = k.value;
  s.orig_b = b ? b->value : std::vector<float>();
  std::vector<float> w = k.value;
  std::vector<float> bias = b ? b->value : std::vector<float>(s.out_ch, 0.0f);
  s.scale_c.assign(s.out_ch, 1.0f);
  s.extra_bias.clear();
  if (s.bn >= 0) {
    const Layer& bn = *m_.layers()[s.bn];
    const float eps = bn.Config()["epsilon"].get<float>();
    const auto& gamma = bn.FindParam("gamma")->value;
    const auto& beta = bn.FindParam("beta")->value;
    const auto& mean = bn.FindParam("moving_mean")->value;
    const auto& var = bn.FindParam("moving_variance")->value;
    for (int c = 0; c < s.out_ch; ++c) {
      // Same float expressions as the exporter's fold (ptq.cc).
      const float sc = gamma[c] / std::sqrt(var[c] + eps);
      s.scale_c[c] = sc;
      bias[c] = (bias[c] - mean[c]) * sc + beta[c];
      for (size_t j = c; j < w.size(); j += s.out_ch) w[j] *= sc;
    }
    if (!b) s.extra_bias = bias;
  }
  FakeQuantWeights(&w, s.out_ch, s.per_channel);
  k.value = std::move(w);
  if (b) b->value = std::move(bias);
}

void QatTrainer::UnfoldWeights(size_t si, bool with_grads) {
  Step& s = steps_[si];
  Layer& l = *m_.layers()[s.layer];
  Param& k = l.params()[0];
  Param* b = l.params().size() > 1 ? &l.params()[1] : nullptr;
  k.value = s.orig_w;
  if (b) b->value = s.orig_b;
  if (!with_grads || s.bn < 0) return;
  // k.grad, b.grad (or extra_bias_grad) are d/d(folded values): chain to the
  // unfolded kernel and bias and to gamma and beta (STE through the rounding).
  Layer& bn = *m_.layers()[s.bn];
  const float eps = bn.Config()["epsilon"].get<float>();
  Param* gamma = nullptr;
  Param* beta = nullptr;
  for (Param& p : bn.params()) {
    if (p.name == "gamma") gamma = &p;
    if (p.name == "beta") beta = &p;
  }
  const auto& mean = bn.FindParam("moving_mean")->value;
  const auto& var = bn.FindParam("moving_variance")->value;
  for (int c = 0; c < s.out_ch; ++c) {
    const double inv = 1.0 / std::sqrt(static_cast<double>(var[c]) + eps);
    const double dbf = b ? b->grad[c] : s.extra_bias_grad[c];
    double dgamma = 0.0;
    for (size_t j = c; j < k.grad.size(); j += s.out_ch) {
      dgamma += static_cast<double>(k.grad[j]) * s.orig_w[j] * inv;
      k.grad[j] *= s.scale_c[c];
    }
    const double b0 = b ? s.orig_b[c] : 0.0;
    dgamma += dbf * (b0 - mean[c]) * inv;
    if (b) b->grad[c] = static_cast<float>(dbf * s.scale_c[c]);
    if (gamma) gamma->grad[c] = static_cast<float>(dgamma);
    if (beta) beta->grad[c] = static_cast<float>(dbf);
  }
}

void QatTrainer::ForwardAll(const Tensor& x, bool training, float decay) {
  auto& layers = m_.layers();
  auto quantize = [&](Point& p, Tensor* t, std::vector<uint8_t>* mask) {
    if (training && !p.fixed && p.share < 0) {
      float lo = INFINITY, hi = -INFINITY;
      for (float v : t->data) lo = std::min(lo, v), hi = std::max(hi, v);
      if (ranges_ == QatRanges::kTfmot) {
        // MovingAvgQuantize / AllValuesQuantize: the batch range always
        // holds 0; the model input keeps the running min/max of all batches.
        lo = std::min(lo, 0.0f);
        hi = std::max(hi, 0.0f);
        if (&p == &points_[0]) {
          p.min = std::min(p.min, lo);
          p.max = std::max(p.max, hi);
        } else {
          p.min = decay * p.min + (1.0f - decay) * lo;
          p.max = decay * p.max + (1.0f - decay) * hi;
        }
      } else if (!p.init) {
        p.min = lo, p.max = hi, p.init = true;
      } else {
        p.min = decay * p.min + (1.0f - decay) * lo;
        p.max = decay * p.max + (1.0f - decay) * hi;
      }
    }
    FakeQuantTensor(PointParams(p, true), &t->data, mask, p.share >= 0);
  };
  Tensor cur = x;
  quantize(points_[0], &cur, nullptr);
  for (size_t si = 0; si < steps_.size(); ++si) {
    Step& s = steps_[si];
    in_[si] = std::move(cur);
    layers[s.layer]->Forward(in_[si], &out_[si], training);
    if (!s.extra_bias.empty())
      for (size_t j = 0; j < out_[si].data.size(); ++j) out_[si].data[j] += s.extra_bias[j % s.out_ch];
    cur = out_[si];
    if (s.point < 0) continue;
    // The loss reads the model's probability before its output grid (as
    // TFMOT: sigmoid/softmax quantize their input, not their output, in
    // training). Rounded to 1/256, a confident correct row could never get
    // above 255/256: its gradient would stay at -1/256 and keep pushing the
    // weights after the row is learned. Inference (Predict) rounds it as the
    // int8 model does.
    if (training && si + 1 == steps_.size() && points_[s.point].fixed) {
      mask_[si].assign(cur.data.size(), 1);
      continue;
    }
    quantize(points_[s.point], &cur, &mask_[si]);
  }
  q_.back() = std::move(cur);
}

double QatTrainer::ForwardBackward(const Tensor& x, const Tensor& y, float decay, float smoothing) {
  auto& layers = m_.layers();
  for (size_t si = 0; si < steps_.size(); ++si)
    if (steps_[si].weights) FoldWeights(si);
  ForwardAll(x, true, decay);
  const Tensor& pred = q_.back();
  const double loss = LossValue(m_.loss(), pred, y, smoothing);
  Tensor dy, dx;
  size_t top = steps_.size();
  const bool fused = HasFusedLogitGradient(m_.loss(), layers[steps_.back().layer]->type());
  if (fused) {
    FusedLogitGradient(m_.loss(), pred, y, &dy, smoothing);
    --top;
  } else {
    LossGradient(m_.loss(), pred, y, &dy, smoothing);
  }
  for (size_t si = top; si-- > 0;) {
    Step& s = steps_[si];
    // dy arrives at this step's rounded output: straight-through inside the range.
    if (s.point >= 0)
      for (size_t j = 0; j < dy.data.size(); ++j) dy.data[j] *= mask_[si][j];
    if (!s.extra_bias.empty()) {
      s.extra_bias_grad.assign(s.out_ch, 0.0);
      for (size_t j = 0; j < dy.data.size(); ++j) s.extra_bias_grad[j % s.out_ch] += dy.data[j];
    }
    layers[s.layer]->Backward(in_[si], out_[si], dy, si > 0 ? &dx : nullptr);
    std::swap(dy, dx);
  }
  for (size_t si = 0; si < steps_.size(); ++si)
    if (steps_[si].weights) UnfoldWeights(si, true);
  return loss;
}

Tensor QatTrainer::Predict(const Tensor& x, int batch_size) {
  const size_t n = x.shape[0];
  train::Shape out = m_.output_shape();
  out.insert(out.begin(), static_cast<int>(n));
  Tensor result(out);
  const size_t per_out = train::ShapeSize(m_.output_shape());
  for (size_t si = 0; si < steps_.size(); ++si)
    if (steps_[si].weights) FoldWeights(si);
  for (size_t b = 0; b < n; b += batch_size) {
    const size_t e = std::min(n, b + static_cast<size_t>(batch_size));
    ForwardAll(Slice(x, b, e), false, 0.0f);
    std::copy(q_.back().data.begin(), q_.back().data.end(), result.data.begin() + b * per_out);
  }
  for (size_t si = 0; si < steps_.size(); ++si)
    if (steps_[si].weights) UnfoldWeights(si, false);
  return result;
}

float DefaultEmaDecay(QatRanges ranges) { return ranges == QatRanges::kTfmot ? 0.999f : 0.99f; }

train::History QatTrainer::Fit(const Tensor& x, const Tensor& y, const QatOptions& o) {
  train::History h;
  const float ema_decay = o.ema_decay >= 0.0f ? o.ema_decay : DefaultEmaDecay(ranges_);
  const size_t n = x.shape[0];
  const size_t n_train = o.validation_split > 0.0f
                             ? static_cast<size_t>(static_cast<double>(n) * (1.0 - o.validation_split))
                             : n;
  const bool has_val = n_train < n;
  train::Optimizer opt(o.optimizer);
  train::Rng rng(o.seed);
  std::vector<size_t> order(n_train);
  for (size_t i = 0; i < n_train; ++i) order[i] = i;
  const std::vector<Param*> params = m_.TrainableParams();
  for (int epoch = 1; epoch <= o.epochs; ++epoch) {
    const auto t0 = std::chrono::steady_clock::now();
    rng.Shuffle(order);
    double loss_sum = 0.0, correct = 0.0;
    for (size_t b = 0; b < n_train; b += o.batch_size) {
      const size_t e = std::min(n_train, b + static_cast<size_t>(o.batch_size));
      const Tensor xb = Gather(x, order, b, e), yb = Gather(y, order, b, e);
      loss_sum += ForwardBackward(xb, yb, ema_decay, o.label_smoothing) * (e - b);
      correct += train::Accuracy(m_.loss(), q_.back(), yb) * (e - b);
      opt.Step(params, o.optimizer.learning_rate);
    }
    train::EpochLog log;
    log.epoch = epoch;
    log.loss = loss_sum / std::max<size_t>(1, n_train);
    log.accuracy = correct / std::max<size_t>(1, n_train);
    log.lr = o.optimizer.learning_rate;
    log.has_val = has_val;
    if (has_val) {
      const Tensor xv = Slice(x, n_train, n), yv = Slice(y, n_train, n);
      const Tensor p = Predict(xv);
      log.val_loss = LossValue(m_.loss(), p, yv, o.label_smoothing);
      log.val_accuracy = train::Accuracy(m_.loss(), p, yv);
    }
    log.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    h.epochs.push_back(log);
    h.best_epoch = epoch;
    if (o.on_epoch) o.on_epoch(log);
  }
  return h;
}

std::optional<QuantizedModel> QatTrainer::Export(std::string* err) {
  return QuantizeWithRanges(m_, Ranges(), ActivationBits::kInt8,
                            "quantization-aware training, moving-average activation ranges", err);
}

}  // namespace mote::compress
