#include "host/train/distill.h"

#include <cmath>

namespace mote::train {

bool TeacherProbabilities(const std::vector<Sequential*>& teachers, const Tensor& x, int classes,
                          Tensor* out, std::string* err) {
  const int n = x.shape.empty() ? 0 : x.shape[0];
  *out = Tensor({n, classes});
  if (teachers.empty()) {
    *err = "no teacher";
    return false;
  }
  for (size_t t = 0; t < teachers.size(); ++t) {
    Sequential& m = *teachers[t];
    const std::string who = "teacher " + std::to_string(t + 1);
    if (!TakesInput(m, x)) {
      *err = who + ": takes input " + ShapeString(m.input_shape()) + ", the data rows are " +
             ShapeString(Shape(x.shape.begin() + (x.shape.empty() ? 0 : 1), x.shape.end()));
      return false;
    }
    if (ShapeSize(m.output_shape()) != static_cast<size_t>(classes)) {
      *err = who + ": has " + std::to_string(ShapeSize(m.output_shape())) + " outputs, the student " +
             std::to_string(classes);
      return false;
    }
    if (n == 0) continue;
    const Tensor p = m.Predict(x);
    for (int i = 0; i < n; ++i) {
      double sum = 0;
      for (int k = 0; k < classes; ++k) sum += p.data[static_cast<size_t>(i) * classes + k];
      if (!(std::fabs(sum - 1.0) < 1e-3)) {
        *err = who + ": output row " + std::to_string(i) + " sums to " + std::to_string(sum) +
               ", not 1 (a teacher must end in a softmax)";
        return false;
      }
    }
    for (size_t j = 0; j < p.data.size(); ++j) out->data[j] += p.data[j] / static_cast<float>(teachers.size());
  }
  return true;
}

Tensor OneHot(const std::vector<int>& labels, int classes) {
  Tensor y({static_cast<int>(labels.size()), classes});
  for (size_t i = 0; i < labels.size(); ++i)
    y.data[i * static_cast<size_t>(classes) + static_cast<size_t>(labels[i])] = 1.0f;
  return y;
}

Tensor DistillTargets(const std::vector<int>& labels, const Tensor& probs, float weight) {
  Tensor y = OneHot(labels, probs.shape.size() == 2 ? probs.shape[1] : 0);
  for (size_t j = 0; j < y.data.size(); ++j) y.data[j] = (1.0f - weight) * y.data[j] + weight * probs.data[j];
  return y;
}

}  // namespace mote::train
