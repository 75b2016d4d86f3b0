#include "host/train/loss.h"

#include <algorithm>
#include <cmath>

namespace mote::train {
namespace {
constexpr float kEps = 1e-7f;  // Keras backend epsilon
float Clip(float p) { return std::min(std::max(p, kEps), 1.0f - kEps); }
int TargetClass(Loss l, const Tensor& target, size_t row, int c) {
  if (l == Loss::kSparseCategoricalCrossentropy) return static_cast<int>(target.data[row]);
  if (c == 1) return target.data[row] >= 0.5f ? 1 : 0;
  const float* t = target.ptr() + row * c;
  return static_cast<int>(std::max_element(t, t + c) - t);
}
// Target of output k (of c) in row r, label smoothing applied.
float SmoothedTarget(Loss l, const Tensor& target, size_t r, size_t k, size_t c, float s) {
  switch (l) {
    case Loss::kMeanSquaredError: return target.data[r * c + k];
    case Loss::kBinaryCrossentropy: return target.data[r * c + k] * (1.0f - s) + 0.5f * s;
    case Loss::kCategoricalCrossentropy: return target.data[r * c + k] * (1.0f - s) + s / c;
    case Loss::kSparseCategoricalCrossentropy:
      return (k == static_cast<size_t>(target.data[r]) ? 1.0f - s : 0.0f) + s / c;
  }
  return 0.0f;
}
}  // namespace

std::optional<Loss> ParseLoss(const std::string& n) {
  if (n == "binary_crossentropy" || n == "bce") return Loss::kBinaryCrossentropy;
  if (n == "categorical_crossentropy" || n == "cce") return Loss::kCategoricalCrossentropy;
  if (n == "sparse_categorical_crossentropy" || n == "scce") return Loss::kSparseCategoricalCrossentropy;
  if (n == "mean_squared_error" || n == "mse") return Loss::kMeanSquaredError;
  return std::nullopt;
}

const char* LossName(Loss l) {
  switch (l) {
    case Loss::kBinaryCrossentropy: return "binary_crossentropy";
    case Loss::kCategoricalCrossentropy: return "categorical_crossentropy";
    case Loss::kSparseCategoricalCrossentropy: return "sparse_categorical_crossentropy";
    case Loss::kMeanSquaredError: return "mean_squared_error";
  }
  return "?";
}

double LossValue(Loss l, const Tensor& pred, const Tensor& target, float smoothing) {
  const size_t rows = pred.shape[0];
  const size_t c = pred.per_item();
  double total = 0.0;
  for (size_t r = 0; r < rows; ++r) {
    const float* p = pred.ptr() + r * c;
    double row = 0.0;
    for (size_t k = 0; k < c; ++k) {
      const float t = SmoothedTarget(l, target, r, k, c, smoothing);
      switch (l) {
        case Loss::kBinaryCrossentropy: {
          const float q = Clip(p[k]);
          row -= t * std::log(q) + (1.0f - t) * std::log(1.0f - q);
          break;
        }
        case Loss::kMeanSquaredError: {
          const double d = p[k] - t;
          row += d * d;
          break;
        }
        case Loss::kCategoricalCrossentropy:
        case Loss::kSparseCategoricalCrossentropy:
          if (t != 0.0f) row -= t * std::log(Clip(p[k]));
          break;
      }
    }
    if (l == Loss::kBinaryCrossentropy || l == Loss::kMeanSquaredError) row /= c;
    total += row;
  }
  return total / rows;
}

void LossGradient(Loss l, const Tensor& pred, const Tensor& target, Tensor* grad, float smoothing) {
  const size_t rows = pred.shape[0];
  const size_t c = pred.per_item();
  grad->Reset(pred.shape);
  for (size_t r = 0; r < rows; ++r)
    for (size_t k = 0; k < c; ++k) {
      const float p = pred.data[r * c + k];
      const float t = SmoothedTarget(l, target, r, k, c, smoothing);
      const bool inside = p == Clip(p);  // the clipped cross-entropies have no gradient outside
      float g = 0.0f;
      switch (l) {
        case Loss::kBinaryCrossentropy:
          g = inside ? (-t / p + (1.0f - t) / (1.0f - p)) / c : 0.0f;
          break;
        case Loss::kMeanSquaredError:
          g = 2.0f * (p - t) / c;
          break;
        case Loss::kCategoricalCrossentropy:
        case Loss::kSparseCategoricalCrossentropy:
          g = inside && t != 0.0f ? -t / p : 0.0f;
          break;
      }
      grad->data[r * c + k] = g / rows;
    }
}

bool HasFusedLogitGradient(Loss l, const std::string& last) {
  return (l == Loss::kBinaryCrossentropy && last == "Sigmoid") ||
         ((l == Loss::kCategoricalCrossentropy || l == Loss::kSparseCategoricalCrossentropy) &&
          last == "Softmax");
}

void FusedLogitGradient(Loss l, const Tensor& pred, const Tensor& target, Tensor* grad,
                        float smoothing) {
  const size_t rows = pred.shape[0];
  const size_t c = pred.per_item();
  grad->Reset(pred.shape);
  const float scale = l == Loss::kBinaryCrossentropy ? 1.0f / (rows * c) : 1.0f / rows;
  for (size_t r = 0; r < rows; ++r)
    for (size_t k = 0; k < c; ++k)
      grad->data[r * c + k] = (pred.data[r * c + k] - SmoothedTarget(l, target, r, k, c, smoothing)) * scale;
}

std::vector<int> PredictedClasses(const Tensor& pred) {
  const size_t rows = pred.shape[0];
  const size_t c = pred.per_item();
  std::vector<int> out(rows);
  for (size_t r = 0; r < rows; ++r) {
    const float* p = pred.ptr() + r * c;
    out[r] = c == 1 ? (p[0] > 0.5f ? 1 : 0) : static_cast<int>(std::max_element(p, p + c) - p);
  }
  return out;
}

double Accuracy(Loss l, const Tensor& pred, const Tensor& target) {
  const size_t rows = pred.shape[0];
  const int c = static_cast<int>(pred.per_item());
  if (rows == 0) return 0.0;
  const std::vector<int> cls = PredictedClasses(pred);
  size_t ok = 0;
  for (size_t r = 0; r < rows; ++r) ok += cls[r] == TargetClass(l, target, r, c);
  return static_cast<double>(ok) / rows;
}

}  // namespace mote::train
