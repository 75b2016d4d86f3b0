// Knowledge distillation targets: a student learns from trained teachers'
// probabilities as well as from the labels (Hinton et al. 2015, at
// temperature 1). With teachers averaged, a single small model can take over
// much of what an ensemble of them knows, at one model's cost on the device.
//
//   std::vector<Sequential*> teachers = {a.get(), b.get()};
//   Tensor p;                                      // [N, C], the teachers' mean
//   if (!TeacherProbabilities(teachers, x, C, &p, &err)) ...
//   Tensor y = DistillTargets(labels, p, 0.5f);    // for categorical_crossentropy
//
// Contract: every teacher takes x's shape ([N] + its input shape) and ends in
// a softmax over C classes (each output row sums to 1); otherwise false with
// err naming the teacher (by position) and what does not fit.
// DistillTargets: row i = (1 - weight) * one_hot(labels[i]) + weight * p[i],
// weight in [0, 1]; labels in [0, C).
#ifndef MOTE_HOST_TRAIN_DISTILL_H_
#define MOTE_HOST_TRAIN_DISTILL_H_

#include <string>
#include <vector>

#include "host/train/model.h"
#include "host/train/tensor.h"

namespace mote::train {

bool TeacherProbabilities(const std::vector<Sequential*>& teachers, const Tensor& x, int classes,
                          Tensor* out, std::string* err);

Tensor DistillTargets(const std::vector<int>& labels, const Tensor& probs, float weight);

// One-hot rows [N, classes] (DistillTargets with weight 0).
Tensor OneHot(const std::vector<int>& labels, int classes);

}  // namespace mote::train

#endif  // MOTE_HOST_TRAIN_DISTILL_H_
