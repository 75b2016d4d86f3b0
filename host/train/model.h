// Sequential models: build from a JSON description (or in C++), train, predict,
// save and load weights. Keras defaults throughout.
//
// Model JSON (e.g. examples/anomaly/model.json):
//   {"name": "anomaly", "input_shape": [64, 1],
//    "layers": [{"type": "Conv1D", "filters": 8, "kernel_size": 3, "activation": "relu"},
//               {"type": "MaxPooling1D", "pool_size": 2}, ...,
//               {"type": "Dense", "units": 1, "activation": "sigmoid"}],
//    "loss": "binary_crossentropy",
//    "optimizer": {"type": "adam", "learning_rate": 0.001},          // optional
//    "fit": {"epochs": 10, "batch_size": 32, "validation_split": 0.2}} // optional
//
// C++:
//   Sequential m({64, 1});
//   m.Add({{"type", "Conv1D"}, {"filters", 8}, {"kernel_size", 3}, {"activation", "relu"}});
//   ...
//   if (!m.Compile(Loss::kBinaryCrossentropy, /*seed=*/1, &err)) ...
//   History h = m.Fit(x, y, FitOptions{});
//
// Weights file (.bin): "MOTEW001", uint32 LE length of the model JSON, the
// JSON, then every parameter (Layer::params() order, layer by layer) as
// float32 LE. Loading rebuilds the model from the JSON and checks every size.
#ifndef MOTE_HOST_TRAIN_MODEL_H_
#define MOTE_HOST_TRAIN_MODEL_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "host/train/layer.h"
#include "host/train/loss.h"
#include "host/train/optimizer.h"
#include "host/train/spec_augment.h"

namespace mote::train {

struct LrSchedule {
  std::string type = "constant";  // constant | step | cosine | plateau
  float factor = 0.5f;            // step, plateau: lr *= factor
  int step_epochs = 10;           // step: every N epochs
  int patience = 5;               // plateau: epochs without val_loss improvement
  float min_lr = 1e-5f;
};

struct EpochLog {
  int epoch = 0;  // 1-based
  double loss = 0, accuracy = 0, val_loss = 0, val_accuracy = 0;
  bool has_val = false;
  float lr = 0;
  double seconds = 0;
};

struct FitOptions {
  int epochs = 10;
  int batch_size = 32;
  float validation_split = 0.0f;  // last fraction of the data, as Keras
  bool shuffle = true;
  OptimizerConfig optimizer;
  LrSchedule schedule;
  int early_stopping_patience = 0;  // 0: off. Monitors val_loss (loss without validation)
  float min_delta = 0.0f;
  bool restore_best_weights = true;
  uint64_t seed = 1;  // shuffling (and the masks of spec_augment)
  // Input masking of every training batch (host/train/spec_augment.h); off by default.
  SpecAugmentOptions spec_augment;
  // Softened targets of the cross-entropy losses (host/train/loss.h), in the
  // training and validation loss; [0, 1), 0: off. mse ignores it (mote train
  // refuses the pair).
  float label_smoothing = 0.0f;
  std::function<void(const EpochLog&)> on_epoch;  // progress
  // Per-batch hooks (pruning, host/compress/prune.h). `step` counts optimizer
  // steps from 0 across epochs. before_batch runs before the forward pass,
  // before_update after the backward pass (grads set) and after_update after
  // the optimizer step.
  std::function<void(long long step)> before_batch;
  std::function<void()> before_update, after_update;
  // Reads {"epochs", "batch_size", "validation_split", "shuffle", "seed",
  // "early_stopping": {"patience", "min_delta", "restore_best_weights"},
  // "spec_augment": {"time_masks", "time_width", "freq_masks", "freq_width"},
  // "label_smoothing",
  // "lr_schedule": {"type", "factor", "step_epochs", "patience", "min_lr"}}.
  bool FromJson(const nlohmann::json& j, std::string* err);
  nlohmann::json ToJson() const;
};

struct History {
  std::vector<EpochLog> epochs;
  int best_epoch = 0;  // restored epoch with early stopping, else the last
  bool stopped_early = false;
};

class Sequential {
 public:
  explicit Sequential(Shape input_shape) : input_shape_(std::move(input_shape)) {}
  // From a model JSON (see above): layers built, weights initialised with `seed`.
  static std::unique_ptr<Sequential> FromJson(const nlohmann::json& j, uint64_t seed,
                                              std::string* err);
  // Appends a layer spec (an "activation" key adds the activation layer).
  void Add(nlohmann::json spec) { specs_.push_back(std::move(spec)); }
  // Builds the layers and initialises weights from `seed`.
  bool Compile(Loss loss, uint64_t seed, std::string* err);

  // Forward in inference mode, in batches. x: [N] + input shape.
  Tensor Predict(const Tensor& x, int batch_size = 256);
  // Mean loss and accuracy.
  void Evaluate(const Tensor& x, const Tensor& y, double* loss, double* accuracy,
                float label_smoothing = 0.0f);
  // REQUIRES: Compile() succeeded. x: [N] + input shape, y: targets per the loss.
  History Fit(const Tensor& x, const Tensor& y, const FitOptions& o);
  // Forward + backward over one batch in training mode; sets every grad,
  // returns the loss. Exposed for tests.
  double ForwardBackward(const Tensor& x, const Tensor& y, float label_smoothing = 0.0f);

  bool Save(const std::string& path, std::string* err) const;
  static std::unique_ptr<Sequential> Load(const std::string& path, std::string* err);

  // Architecture JSON (input_shape, layers as given, loss).
  nlohmann::json ToJson() const;
  const Shape& input_shape() const { return input_shape_; }
  Shape output_shape() const { return layers_.empty() ? input_shape_ : layers_.back()->output_shape(); }
  Loss loss() const { return loss_; }
  std::vector<std::unique_ptr<Layer>>& layers() { return layers_; }
  const std::vector<std::unique_ptr<Layer>>& layers() const { return layers_; }
  std::vector<Param*> TrainableParams();
  std::string name = "model";

 private:
  Shape input_shape_;
  std::vector<nlohmann::json> specs_;
  std::vector<std::unique_ptr<Layer>> layers_;
  Loss loss_ = Loss::kMeanSquaredError;
  int best_epoch_ = 0;
  std::vector<Tensor> acts_;  // activations of the last Forward: acts_[0] is the input
};

// Checks a data set against a model: x is [N] + input shape, y has N rows
// and matching width, everything finite, class labels in range.
bool CheckData(const Sequential& m, const Tensor& x, const Tensor& y, std::string* err);
// True when x is [N] + the model's input shape.
bool TakesInput(const Sequential& m, const Tensor& x);

}  // namespace mote::train

#endif  // MOTE_HOST_TRAIN_MODEL_H_
