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

double LossValue(Loss l, const Tensor& pred, const Tensor& target) {
  const size_t rows = pred.shape[0];
  const size_t c = pred.per_item();
  double total = 0.0;
  for (size_t r = 0; r < rows; ++r) {
    const float* p = pred.ptr() + r * c;
    double row = 0.0;
    switch (l) {
      case Loss::kBinaryCrossentropy:
        for (size_t k = 0; k < c; ++k) {
          const float t = target.data[r * c + k], q = Clip(p[k]);
          row -= t * std::log(q) + (1.0f - t) * std::log(1.0f - q);
        }
        row /= c;
        break;
      case Loss::kMeanSquaredError:
        for (size_t k = 0; k < c; ++k) {
          const double d = p[k] - target.data[r * c + k];
          row += d * d;
        }
        row /= c;
        break;
      case Loss::kCategoricalCrossentropy:
        for (size_t k = 0; k < c; ++k) row -= target.data[r * c + k] * std::log(Clip(p[k]));
        break;
      case Loss::kSparseCategoricalCrossentropy:
        row = -std::log(Clip(p[static_cast<size_t>(target.data[r])]));
        break;
    }
    total += row;
  }
  return total / rows;
}

void LossGradient(Loss l, const Tensor& pred, const Tensor& target, Tensor* grad) {
  const size_t rows = pred.shape[0];
  const size_t c = pred.per_item();
  grad->Reset(pred.shape);
  for (size_t r = 0; r < rows; ++r)
    for (size_t k = 0; k < c; ++k) {
      const float p = pred.data[r * c + k];
      float g = 0.0f;
      switch (l) {
        case Loss::kBinaryCrossentropy: {
          const float t = target.data[r * c + k];
          const float q = Clip(p);
          g = (p == q) ? (-t / q + (1.0f - t) / (1.0f - q)) / c : 0.0f;
          break;
        }
        case Loss::kMeanSquaredError:
          g = 2.0f * (p - target.data[r * c + k]) / c;
          break;
        case Loss::kCategoricalCrossentropy:
          g = (p == Clip(p)) ? -target.data[r * c + k] / p : 0.0f;
          break;
        case Loss::kSparseCategoricalCrossentropy:
          g = (k == static_cast<size_t>(target.data[r]) && p == Clip(p)) ? -1.0f / p : 0.0f;
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

void FusedLogitGradient(Loss l, const Tensor& pred, const Tensor& target, Tensor* grad) {
  const size_t rows = pred.shape[0];
  const size_t c = pred.per_item();
  grad->Reset(pred.shape);
  const float scale = l == Loss::kBinaryCrossentropy ? 1.0f / (rows * c) : 1.0f / rows;
  for (size_t r = 0; r < rows; ++r)
    for (size_t k = 0; k < c; ++k) {
      const float t = l == Loss::kSparseCategoricalCrossentropy
                          ? (k == static_cast<size_t>(target.data[r]) ? 1.0f : 0.0f)
                          : target.data[r * c + k];
      grad->data[r * c + k] = (pred.data[r * c + k] - t) * scale;
    }
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
