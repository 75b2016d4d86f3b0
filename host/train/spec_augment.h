// SpecAugment-style masking of time x feature inputs during training (Park et
// al. 2019, without time warping): per example, `time_masks` runs of up to
// `time_width` consecutive frames (axis 1) and `freq_masks` runs of up to
// `freq_width` consecutive features (axis 2) are replaced by the example's own
// mean of that feature over time, so the fill needs no normalised input and
// does not move a feature's level.
//
// Contract: x is [N, T, F, ...] (rank >= 3; trailing axes are channels,
// masked together) or [N, T] (F = 1: only time masks). Widths are drawn
// uniformly from 0..width, starts uniformly from the positions where the run
// fits (a width larger than the axis is clipped to it). Draws come only from
// `rng` in example order, so the result depends on the seed and the batch,
// never on the thread count. Masks off (counts or widths 0) leave x unchanged
// and draw nothing. Sequential::Fit applies it to every training batch when
// FitOptions::spec_augment is enabled ("fit": {"spec_augment": {...}}); the
// validation data is never masked.
//
//   SpecAugmentOptions a;  a.time_masks = 2; a.time_width = 5; a.freq_masks = 1; a.freq_width = 2;
//   Rng rng(7);
//   SpecAugment(a, &rng, &batch);   // batch: [64, 49, 10, 1]
#ifndef MOTE_HOST_TRAIN_SPEC_AUGMENT_H_
#define MOTE_HOST_TRAIN_SPEC_AUGMENT_H_

#include <string>

#include <nlohmann/json.hpp>

#include "host/train/rng.h"
#include "host/train/tensor.h"

namespace mote::train {

struct SpecAugmentOptions {
  int time_masks = 0;
  int time_width = 0;  // frames
  int freq_masks = 0;
  int freq_width = 0;  // features
  bool enabled() const { return (time_masks > 0 && time_width > 0) || (freq_masks > 0 && freq_width > 0); }
  // {"time_masks", "time_width", "freq_masks", "freq_width"}: integers 0..1000.
  bool FromJson(const nlohmann::json& j, std::string* err);
  nlohmann::json ToJson() const;
};

void SpecAugment(const SpecAugmentOptions& o, Rng* rng, Tensor* x);

}  // namespace mote::train

#endif  // MOTE_HOST_TRAIN_SPEC_AUGMENT_H_
