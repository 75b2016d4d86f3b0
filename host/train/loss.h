// Losses (Keras semantics: mean over the batch; BCE and MSE also average over
// the last axis) and the "accuracy" metric.
//
// Targets: binary_crossentropy and mse take [N, ...] like the prediction;
// categorical_crossentropy takes one-hot [N, C]; sparse_categorical_crossentropy
// takes class indices [N] (stored as floats).
//
// label_smoothing (Keras semantics, cross-entropies only; ignored by mse):
// the target t becomes t * (1 - s) + s / C over C classes (s / 2 for binary
// cross-entropy, whose outputs are each a two-class problem). Sparse targets
// are smoothed as their one-hot rows.
#ifndef MOTE_HOST_TRAIN_LOSS_H_
#define MOTE_HOST_TRAIN_LOSS_H_

#include <optional>
#include <string>

#include "host/train/tensor.h"

namespace mote::train {

enum class Loss { kBinaryCrossentropy, kCategoricalCrossentropy, kSparseCategoricalCrossentropy,
                  kMeanSquaredError };

std::optional<Loss> ParseLoss(const std::string& name);  // Keras names and "bce", "cce", "mse"
const char* LossName(Loss l);

// Mean loss of pred against target over the batch.
double LossValue(Loss l, const Tensor& pred, const Tensor& target, float label_smoothing = 0.0f);
// dL/dpred for the mean loss over the batch.
void LossGradient(Loss l, const Tensor& pred, const Tensor& target, Tensor* grad,
                  float label_smoothing = 0.0f);
// When the last layer is a sigmoid (BCE) or softmax (CCE), Keras computes the
// loss from the logits: dL/dlogits = (pred - target) / rows. True if `l` pairs
// with `last_layer_type` that way; then FusedLogitGradient gives dL/dlogits.
bool HasFusedLogitGradient(Loss l, const std::string& last_layer_type);
void FusedLogitGradient(Loss l, const Tensor& pred, const Tensor& target, Tensor* grad,
                        float label_smoothing = 0.0f);

// Fraction of correct predictions: threshold 0.5 for one output (binary),
// argmax otherwise (targets one-hot or sparse per the loss).
double Accuracy(Loss l, const Tensor& pred, const Tensor& target);
// Predicted class per row (threshold 0.5 for one output, argmax otherwise).
std::vector<int> PredictedClasses(const Tensor& pred);

}  // namespace mote::train

#endif  // MOTE_HOST_TRAIN_LOSS_H_
