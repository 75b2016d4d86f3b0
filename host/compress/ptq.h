// Post-training int8 quantization of a trained Sequential model, as the
// TensorFlow Lite converter does it with a representative dataset and
// inference_input_type = inference_output_type = int8:
//   - calibration: min/max of every activation over the representative set
//     (float forward in inference mode), ranges widened to include 0;
//     activations asymmetric int8 (scale = (max - min) / 255);
//   - weights symmetric int8 in [-127, 127]: per output channel for Conv1D,
//     Conv2D (dimension 0) and DepthwiseConv2D (dimension 3), per tensor for
//     Dense; biases int32 with scale input_scale * weight_scale, zero point 0;
//   - BatchNormalization right after Conv/Dense is folded into its weights and
//     bias; ReLU / ReLU6 right after (or after the folded BN) become the op's
//     fused activation; Dropout disappears; Flatten and the 1-D <-> 2-D
//     layout changes become RESHAPE; GlobalAveragePooling is AVERAGE_POOL_2D
//     over the whole window;
//   - MAX/AVERAGE_POOL_2D and RESHAPE outputs share their input's parameters;
//     LOGISTIC and SOFTMAX outputs are fixed at scale 1/256, zero point -128,
//     TANH at 1/128, 0;
//   - one deliberate difference: TFLM's int8 LOGISTIC (fixed point) and
//     TFLite's (a table of rounded float sigmoids) differ by 1 LSB on some
//     inputs for most input scales. The scale of the tensor feeding LOGISTIC
//     is widened by the smallest step (0.1% at a time, at most 2x) for which
//     the two agree on all 256 int8 inputs, so mote, TFLM and tf.lite give
//     the same bytes.
// Conv1D runs as CONV_2D on [1, 1, W, C].
//
//   std::string err;
//   auto q = QuantizeInt8(model, representative /* [N] + input shape */, &err);
//   if (!q) ... err says which layer could not be quantized and why
//   std::vector<uint8_t> tflite = host::WriteTflite(q->model);
#ifndef MOTE_HOST_COMPRESS_PTQ_H_
#define MOTE_HOST_COMPRESS_PTQ_H_

#include <optional>
#include <string>
#include <vector>

#include "host/io/tflite_writer.h"
#include "host/train/model.h"

namespace mote::compress {

struct QuantParams {
  float scale = 1.0f;
  int32_t zero_point = 0;
};

struct QuantizedModel {
  host::TfliteModel model;
  QuantParams input, output;
};

// REQUIRES: representative has at least one row of the model's input shape.
std::optional<QuantizedModel> QuantizeInt8(train::Sequential& m, const train::Tensor& representative,
                                           std::string* err);

// Activation precision of the quantized model. kInt16 is TFLite's 16x8 mode
// (EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8): the same int8
// weights, activations symmetric int16 (scale = max|x| / 32767, zero point 0),
// biases int64 with scale input_scale * weight_scale; LOGISTIC, TANH and
// SOFTMAX outputs at scale 1/32768, zero point 0; a ReLU that cannot be fused
// into the Conv/Dense before it is refused (no int16 RELU kernel). Input and
// output are int16.
enum class ActivationBits { kInt8, kInt16 };
std::optional<QuantizedModel> Quantize(train::Sequential& m, const train::Tensor& representative,
                                       ActivationBits bits, std::string* err);

// Activation ranges: ranges[0] is the model input, ranges[i + 1] the output of
// layer i (float forward, inference mode). CalibrateRanges gives the min/max
// over the representative set (what Quantize uses); QuantizeWithRanges lowers
// the model with ranges chosen elsewhere (QAT's moving averages). Only the
// entries the lowering reads matter: the input, the last layer of each
// Conv/Dense[+BN][+ReLU] group, standalone ReLUs. `how` goes into the model
// description ("post-training quantization, 100 calibration samples").
struct ActivationRange {
  float min = 0.0f, max = 0.0f;
};
std::vector<ActivationRange> CalibrateRanges(train::Sequential& m, const train::Tensor& representative);
std::optional<QuantizedModel> QuantizeWithRanges(train::Sequential& m,
                                                 const std::vector<ActivationRange>& ranges,
                                                 ActivationBits bits, const std::string& how,
                                                 std::string* err);

// Asymmetric int8 parameters for a float range (widened to include 0).
QuantParams ChooseInt8Params(float min, float max);
// Parameters for a LOGISTIC input covering [min, max] on which TFLM's
// fixed-point LOGISTIC equals round(256 * sigmoid(x)) - 128 (TFLite's table)
// for every int8 input; the plain parameters if no candidate agrees.
QuantParams ChooseLogisticInputParams(float min, float max);
// Symmetric int16 parameters: scale max(|min|, |max|) / 32767, zero point 0.
QuantParams ChooseInt16Params(float min, float max);
// round(x / scale) + zero_point, saturated to int8 (TFLite's QUANTIZE).
int8_t QuantizeValue(float x, const QuantParams& q);

}  // namespace mote::compress

#endif  // MOTE_HOST_COMPRESS_PTQ_H_
