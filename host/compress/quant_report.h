// Where does int8 quantization lose accuracy? A per-layer report comparing a
// float model with its int8 export on the calibration set.
//
// For each operator of the int8 model that produces new values (CONV_2D,
// DEPTHWISE_CONV_2D, FULLY_CONNECTED, pools, RELU, LOGISTIC, SOFTMAX, TANH;
// not RESHAPE) the int8 model is cut after that operator and run by mote's
// runtime (the device maths, micro/kernels/ref); its dequantized output is
// compared with the float activation of the matching layer (after folded
// BatchNorm and fused ReLU):
//   SQNR (dB) = 10 log10( sum x^2 / sum (x - x_int8)^2 ).
// Errors accumulate, so a layer's SQNR includes what the layers before it
// lost; `sqnr_drop_db` is the loss added at that layer. Conv/Dense layers also
// get the per-output-channel range of the folded float weights (min, max) and
// the ratio max/median of the channel ranges (max - min): a large ratio means
// a few channels set the scale. Activations get the ratio of the calibrated
// max |x| to the 99.9th percentile of |x| (outliers stretch the range).
// Each layer gets one suggestion:
//   - "clip outliers": activation outlier ratio > 4 or weight channel ratio
//     > 20 (per-tensor Dense weights) — the range is set by a few values;
//   - "int16 activations": SQNR below 20 dB;
//   - "QAT": SQNR below 30 dB;
//   - "ok" otherwise.
//
//   std::string err;
//   auto r = MakeQuantReport(model, *q, calibration, &err);
//   std::ofstream("report.json") << r->ToJson().dump(2);
//   std::string html = host::QuantReportHtml(*r);   // host/report/quant_html.h
#ifndef MOTE_HOST_COMPRESS_QUANT_REPORT_H_
#define MOTE_HOST_COMPRESS_QUANT_REPORT_H_

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "host/compress/ptq.h"
#include "host/train/model.h"

namespace mote::compress {

struct LayerQuantReport {
  int op = 0;            // operator index in the int8 model
  std::string tensor;    // its output tensor's name (conv_0, dense_5, ...)
  std::string layers;    // the float layers it covers ("Conv1D+BatchNormalization+ReLU")
  int layer = 0;         // the last of them (index into Sequential::layers())
  double sqnr_db = 0, sqnr_drop_db = 0;
  float act_min = 0, act_max = 0;  // float activation range on the calibration set
  QuantParams q;                   // the int8 output parameters
  double act_outlier_ratio = 0;    // max |x| / 99.9th percentile |x|
  bool has_weights = false;
  bool per_channel = false;
  std::vector<float> channel_min, channel_max;  // folded weights per output channel
  double channel_range_ratio = 0;               // max / median of (max - min)
  std::string suggestion, reason;
};

struct QuantReport {
  std::string model;
  int samples = 0;
  double input_sqnr_db = 0;  // the quantized model input against the float input
  std::vector<LayerQuantReport> layers;
  std::vector<int> worst;  // indices into layers, largest sqnr_drop_db first (at most 3)
  nlohmann::json ToJson() const;
};

// REQUIRES: q was made from m (same layers, e.g. by Quantize or QatTrainer::Export);
// calibration has at least one row.
std::optional<QuantReport> MakeQuantReport(train::Sequential& m, const QuantizedModel& q,
                                           const train::Tensor& calibration, std::string* err);

}  // namespace mote::compress

#endif  // MOTE_HOST_COMPRESS_QUANT_REPORT_H_
