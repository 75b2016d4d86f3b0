// Quantization-aware training (QAT) of a Sequential model, for the int8
// export of host/compress/ptq.h.
//
// The training forward pass computes what the int8 graph will compute, in
// float ("fake quantization"), so the weights learn to live with the rounding:
//   - weights: each Conv/Dense with a BatchNormalization right after it uses
//     the folded kernel w * gamma / sqrt(var + eps) and bias
//     (b - mean) * gamma / sqrt(var + eps) + beta, exactly as the exporter
//     folds it (by default BN statistics are frozen at their moving averages
//     during QAT and gamma and beta train through the fold; with
//     QatBatchNorm::kBatch a Conv's BN trains on batch statistics instead,
//     as TFMOT, see below). The folded kernel is rounded to symmetric int8
//     [-127, 127] (per output channel for
//     Conv1D/Conv2D/DepthwiseConv2D, per tensor for Dense, as the exporter);
//   - activations: the model input, each Conv/Dense[+BN][+ReLU] output and
//     each standalone ReLU output are rounded to asymmetric int8 with a range
//     tracked as an exponential moving average of the batch min/max
//     (QatRanges below: from the calibration set's min/max, or TFMOT's
//     [-6, 6] start); average pools are re-rounded with
//     their input's parameters; LOGISTIC/SOFTMAX/TANH outputs use the fixed
//     int8 parameters (1/256, -128) and (1/128, 0), except that the model's
//     last output is not rounded while training: the loss and its gradient
//     read the unrounded probability (as TFMOT, which quantizes a sigmoid's
//     or softmax's input, not its output), so a row already learned stops
//     pulling at the weights. Predict() rounds it as the int8 model does;
//   - gradients: straight-through estimator (Keras/TFMOT semantics): the
//     gradient passes unchanged where the value lies inside the quantization
//     range and is zero where it was clipped. Weight rounding never clips
//     (the scale comes from max |w|), so weight gradients pass through.
// Export() lowers the model with the learned ranges (QuantizeWithRanges), so
// the int8 model's activation parameters are the ones seen in training, and
// Predict() (inference mode, exporter's parameter choice incl. the widened
// LOGISTIC input scale) matches the int8 model within about 1 LSB per layer.
//
//   std::string err;
//   auto qat = QatTrainer::Create(model, x_train, &err);   // model already trained in float
//   QatOptions o;  o.epochs = 3;
//   qat->Fit(x_train, y_train, o);
//   auto q = qat->Export(&err);          // int8 TfliteModel with the QAT ranges
#ifndef MOTE_HOST_COMPRESS_QAT_H_
#define MOTE_HOST_COMPRESS_QAT_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "host/compress/ptq.h"
#include "host/train/model.h"

namespace mote::compress {

// How a BatchNormalization right after a Conv/Dense behaves during QAT.
//   kFrozen: folded into the kernel with its moving mean and variance, the
//     folded kernel fake-quantized (the statistics do not change in QAT).
//   kBatch (TFMOT's default 8-bit scheme for Conv2D/DepthwiseConv2D + BN):
//     per-channel Conv layers fake-quantize their own (unfolded) kernel and
//     BatchNormalization runs as a layer after them: batch statistics in the
//     training forward pass, moving averages updated (momentum as in float
//     training), gradients through the batch statistics. In inference
//     (Predict) it uses the moving statistics, which is the exporter's fold:
//     per-channel rounding commutes with the per-channel BN scale, so the
//     int8 model computes the same as Predict. Dense + BN (per-tensor
//     weights, where the two would differ) stays kFrozen.
enum class QatBatchNorm { kFrozen, kBatch };

// How the activation ranges start and move during QAT. Each training batch
// first updates the range, then rounds with the updated range (both modes).
//   kCalibrated: every range starts at the calibration set's min/max (as
//     PTQ) and follows range = d * range + (1 - d) * batch min/max, with
//     d = QatOptions::ema_decay.
//   kTfmot: TFMOT's default 8-bit quantizers (tensorflow_model_optimization
//     quant_ops.py / quantizers.py): the model input keeps the running
//     min/max of every batch seen, starting from [0, 0] (AllValuesQuantizer
//     of the QuantizeLayer); every other range starts at [-6, 6] and follows
//     the moving average of the batch min/max widened to include 0
//     (MovingAverageQuantizer: MovingAvgQuantize, decay 0.999 in TFMOT; here
//     QatOptions::ema_decay, whose default for this mode is 0.999).
//     The calibration set is then only used to check that the model is
//     quantizable. A few hundred steps leave the ranges wider than the data.
enum class QatRanges { kCalibrated, kTfmot };

float DefaultEmaDecay(QatRanges ranges);

struct QatOptions {
  int epochs = 3;
  int batch_size = 32;
  float validation_split = 0.0f;  // last fraction, as train::FitOptions
  train::OptimizerConfig optimizer;  // default Adam 1e-3; fine-tuning usually wants less
  // range_t = decay * range_(t-1) + (1 - decay) * batch range; < 0: the ranges
  // mode's default, DefaultEmaDecay (0.99 kCalibrated, 0.999 kTfmot as TFMOT).
  float ema_decay = -1.0f;
  uint64_t seed = 1;              // shuffling
  float label_smoothing = 0.0f;   // as train::FitOptions (host/train/loss.h)
  std::function<void(const train::EpochLog&)> on_epoch;
};

class QatTrainer {
 public:
  // Plans the fake-quant points of `m` (which must outlive the trainer) and
  // initialises the activation ranges from `calibration` (min/max, as PTQ)
  // or, with QatRanges::kTfmot, as TFMOT does (see QatRanges).
  // Null and a message if the model cannot be quantized to int8.
  static std::unique_ptr<QatTrainer> Create(train::Sequential& m, const train::Tensor& calibration,
                                            std::string* err,
                                            QatBatchNorm bn_mode = QatBatchNorm::kFrozen,
                                            QatRanges ranges = QatRanges::kCalibrated);
  ~QatTrainer();
  // QAT epochs over (x, y): the targets as for Sequential::Fit.
  // REQUIRES: x and y have the same number of rows, checked by train::CheckData.
  train::History Fit(const train::Tensor& x, const train::Tensor& y, const QatOptions& o);
  // Fake-quantized forward in inference mode (ranges frozen).
  train::Tensor Predict(const train::Tensor& x, int batch_size = 256);
  // One training step's forward + backward (sets every grad, updates the
  // ranges), returning the loss. Exposed for tests.
  double ForwardBackward(const train::Tensor& x, const train::Tensor& y, float ema_decay,
                         float label_smoothing = 0.0f);
  // The learned activation ranges in QuantizeWithRanges' indexing.
  std::vector<ActivationRange> Ranges() const;
  // int8 model with the learned ranges and the trained (folded) weights.
  std::optional<QuantizedModel> Export(std::string* err);

 private:
  struct Point;
  struct Step;
  explicit QatTrainer(train::Sequential& m);
  void ForwardAll(const train::Tensor& x, bool training, float ema_decay);
  void FoldWeights(size_t step);     // swaps folded + fake-quantized weights in
  void UnfoldWeights(size_t step, bool with_grads);  // swaps back, chains the grads
  QuantParams PointParams(const Point& p, bool exact) const;

  train::Sequential& m_;
  QatRanges ranges_ = QatRanges::kCalibrated;
  std::vector<Step> steps_;
  std::vector<Point> points_;
  std::vector<train::Tensor> in_, out_, q_;  // per step: input, raw output, quantized output
  std::vector<std::vector<uint8_t>> mask_;   // per step with a point: 1 inside the range
};

// Fake quantization of one value: (clamp(round(x / s) + zp, -128, 127) - zp) * s.
float FakeQuantValue(float x, const QuantParams& q);
// In place over a tensor; mask[i] = 1 where x was inside the range (STE).
// pool_rounding: round(x / s + zp) instead of round(x / s) + zp, as TFLM's
// int8 average pool rounds the mean of raw int8 values (differs on halves).
void FakeQuantTensor(const QuantParams& q, std::vector<float>* x, std::vector<uint8_t>* mask,
                     bool pool_rounding = false);
// Symmetric int8 weights as the exporter: scale max|w| / 127 per channel
// (channel = index % channels) or per tensor; w replaced by q * scale.
// Returns the scales.
std::vector<float> FakeQuantWeights(std::vector<float>* w, int channels, bool per_channel);

}  // namespace mote::compress

#endif  // MOTE_HOST_COMPRESS_QAT_H_
