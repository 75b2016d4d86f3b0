// Sequential::Fit: mini-batches, validation split, early stopping, LR schedules.
#include <chrono>
#include <cmath>

#include "host/train/model.h"
#include "host/train/rng.h"

namespace mote::train {

using nlohmann::json;

bool FitOptions::FromJson(const json& j, std::string* err) {
  if (!j.is_object()) {
    *err = "\"fit\" must be an object";
    return false;
  }
  try {
    epochs = j.value("epochs", epochs);
    batch_size = j.value("batch_size", batch_size);
    validation_split = j.value("validation_split", validation_split);
    shuffle = j.value("shuffle", shuffle);
    seed = j.value("seed", seed);
    if (j.contains("early_stopping")) {
      const json& e = j["early_stopping"];
      early_stopping_patience = e.value("patience", 5);
      min_delta = e.value("min_delta", min_delta);
      restore_best_weights = e.value("restore_best_weights", restore_best_weights);
    }
    if (j.contains("spec_augment") && !spec_augment.FromJson(j["spec_augment"], err)) return false;
    label_smoothing = j.value("label_smoothing", label_smoothing);
    if (j.contains("lr_schedule")) {
      const json& s = j["lr_schedule"];
      schedule.type = s.value("type", schedule.type);
      schedule.factor = s.value("factor", schedule.factor);
      schedule.step_epochs = s.value("step_epochs", schedule.step_epochs);
      schedule.patience = s.value("patience", schedule.patience);
      schedule.min_lr = s.value("min_lr", schedule.min_lr);
    }
  } catch (const json::exception& e) {
    *err = std::string("\"fit\": ") + e.what();
    return false;
  }
  if (epochs < 1 || batch_size < 1 || !(validation_split >= 0.0f && validation_split < 1.0f)) {
    *err = "\"fit\": epochs and batch_size must be >= 1, validation_split in [0, 1)";
    return false;
  }
  if (!(label_smoothing >= 0.0f && label_smoothing < 1.0f)) {
    *err = "\"fit\": label_smoothing must be in [0, 1) (got " + std::to_string(label_smoothing) + ")";
    return false;
  }
  const std::string& t = schedule.type;
  if (t != "constant" && t != "step" && t != "cosine" && t != "plateau") {
    *err = "unknown lr_schedule \"" + t + "\" (expected constant, step, cosine, plateau)";
    return false;
  }
  return true;
}

json FitOptions::ToJson() const {
  json j{{"epochs", epochs}, {"batch_size", batch_size}, {"validation_split", validation_split},
         {"shuffle", shuffle}, {"seed", seed}, {"optimizer", optimizer.ToJson()},
         {"lr_schedule", {{"type", schedule.type}, {"factor", schedule.factor},
                          {"step_epochs", schedule.step_epochs},
                          {"patience", schedule.patience}, {"min_lr", schedule.min_lr}}}};
  if (spec_augment.enabled()) j["spec_augment"] = spec_augment.ToJson();
  if (label_smoothing > 0.0f) j["label_smoothing"] = label_smoothing;
  if (early_stopping_patience > 0)
    j["early_stopping"] = {{"patience", early_stopping_patience}, {"min_delta", min_delta},
                           {"restore_best_weights", restore_best_weights}};
  return j;
}

namespace {

Tensor Gather(const Tensor& x, const std::vector<size_t>& idx, size_t b, size_t e) {
  Shape s = x.shape;
  s[0] = static_cast<int>(e - b);
  Tensor t(s);
  const size_t per = x.per_item();
  for (size_t i = b; i < e; ++i)
    std::copy(x.data.begin() + idx[i] * per, x.data.begin() + (idx[i] + 1) * per,
              t.data.begin() + (i - b) * per);
  return t;
}

Tensor Rows(const Tensor& x, size_t b, size_t e) {
  std::vector<size_t> idx(e - b);
  for (size_t i = 0; i < idx.size(); ++i) idx[i] = b + i;
  return Gather(x, idx, 0, idx.size());
}

std::vector<std::vector<float>> Snapshot(Sequential& m) {
  std::vector<std::vector<float>> s;
  for (auto& l : m.layers())
    for (Param& p : l->params()) s.push_back(p.value);
  return s;
}

void Restore(Sequential& m, const std::vector<std::vector<float>>& s) {
  size_t k = 0;
  for (auto& l : m.layers())
    for (Param& p : l->params()) p.value = s[k++];
}

}  // namespace

History Sequential::Fit(const Tensor& x, const Tensor& y, const FitOptions& o) {
  History h;
  const size_t n = x.shape[0];
  const size_t n_train = o.validation_split > 0.0f
                             ? static_cast<size_t>(static_cast<double>(n) * (1.0 - o.validation_split))
                             : n;
  const Tensor xt = Rows(x, 0, n_train), yt = Rows(y, 0, n_train);
  const bool has_val = n_train < n;
  const Tensor xv = has_val ? Rows(x, n_train, n) : Tensor(), yv = has_val ? Rows(y, n_train, n) : Tensor();

  Optimizer opt(o.optimizer);
  Rng shuffle_rng(o.seed);
  // Its own stream, so turning masks on does not change the shuffling.
  Rng augment_rng(o.seed ^ 0x5BEC7A06A3E1ull);
  std::vector<size_t> order(n_train);
  for (size_t i = 0; i < n_train; ++i) order[i] = i;
  const float lr0 = o.optimizer.learning_rate;
  float lr = lr0;
  double best = INFINITY, plateau_best = INFINITY;
  int wait = 0, plateau_wait = 0;
  std::vector<std::vector<float>> best_weights;
  const std::vector<Param*> params = TrainableParams();
  long long step = 0;

  for (int epoch = 1; epoch <= o.epochs; ++epoch) {
    const auto t0 = std::chrono::steady_clock::now();
    if (o.schedule.type == "step")
      lr = lr0 * std::pow(o.schedule.factor, static_cast<float>((epoch - 1) / o.schedule.step_epochs));
    else if (o.schedule.type == "cosine")
      lr = o.schedule.min_lr + 0.5f * (lr0 - o.schedule.min_lr) *
                                   (1.0f + std::cos(3.14159265f * (epoch - 1) / o.epochs));
    if (o.shuffle) shuffle_rng.Shuffle(order);
    double loss_sum = 0.0, correct = 0.0;
    for (size_t b = 0; b < n_train; b += o.batch_size) {
      const size_t e = std::min(n_train, b + static_cast<size_t>(o.batch_size));
      Tensor xb = Gather(xt, order, b, e);
      const Tensor yb = Gather(yt, order, b, e);
      SpecAugment(o.spec_augment, &augment_rng, &xb);
      if (o.before_batch) o.before_batch(step);
      loss_sum += ForwardBackward(xb, yb, o.label_smoothing) * (e - b);
      correct += Accuracy(loss_, acts_.back(), yb) * (e - b);
      if (o.before_update) o.before_update();
      opt.Step(params, lr);
      if (o.after_update) o.after_update();
      ++step;
    }
    EpochLog log;
    log.epoch = epoch;
    log.loss = loss_sum / n_train;
    log.accuracy = correct / n_train;
    log.lr = lr;
    log.has_val = has_val;
    if (has_val) Evaluate(xv, yv, &log.val_loss, &log.val_accuracy, o.label_smoothing);
    log.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    h.epochs.push_back(log);
    if (o.on_epoch) o.on_epoch(log);

    const double monitored = has_val ? log.val_loss : log.loss;
    if (o.schedule.type == "plateau") {
      if (monitored < plateau_best - 1e-4) {
        plateau_best = monitored;
        plateau_wait = 0;
      } else if (++plateau_wait >= o.schedule.patience) {
        lr = std::max(lr * o.schedule.factor, o.schedule.min_lr);
        plateau_wait = 0;
      }
    }
    h.best_epoch = epoch;
    if (o.early_stopping_patience > 0) {
      if (monitored < best - o.min_delta) {
        best = monitored;
        wait = 0;
        if (o.restore_best_weights) best_weights = Snapshot(*this);
        best_epoch_ = epoch;
      } else if (++wait >= o.early_stopping_patience) {
        h.stopped_early = true;
        break;
      }
    }
  }
  opt.Finalize(params);  // Keras: before EarlyStopping restores its best weights
  if (o.early_stopping_patience > 0) {
    h.best_epoch = best_epoch_;
    if (o.restore_best_weights && !best_weights.empty()) Restore(*this, best_weights);
  }
  return h;
}

}  // namespace mote::train
