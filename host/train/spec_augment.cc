#include "host/train/spec_augment.h"

#include <algorithm>
#include <vector>

namespace mote::train {

using nlohmann::json;

bool SpecAugmentOptions::FromJson(const json& j, std::string* err) {
  if (!j.is_object()) {
    *err = "\"spec_augment\" must be an object";
    return false;
  }
  for (auto it = j.begin(); it != j.end(); ++it) {
    int* field = it.key() == "time_masks"   ? &time_masks
                 : it.key() == "time_width" ? &time_width
                 : it.key() == "freq_masks" ? &freq_masks
                 : it.key() == "freq_width" ? &freq_width
                                            : nullptr;
    if (!field) {
      *err = "\"spec_augment\": unknown key \"" + it.key() +
             "\" (expected time_masks, time_width, freq_masks, freq_width)";
      return false;
    }
    if (!it.value().is_number_integer() || it.value().get<long long>() < 0 ||
        it.value().get<long long>() > 1000) {
      *err = "\"spec_augment\": \"" + it.key() + "\" must be an integer from 0 to 1000";
      return false;
    }
    *field = it.value().get<int>();
  }
  return true;
}

json SpecAugmentOptions::ToJson() const {
  return {{"time_masks", time_masks}, {"time_width", time_width},
          {"freq_masks", freq_masks}, {"freq_width", freq_width}};
}

namespace {

// A run [start, start + width) on an axis of `size`: width 0..max_width
// (clipped to size), start where it fits.
void DrawRun(Rng* rng, int size, int max_width, int* start, int* width) {
  const int w = static_cast<int>(rng->Below(static_cast<uint64_t>(std::min(max_width, size)) + 1));
  *width = w;
  *start = static_cast<int>(rng->Below(static_cast<uint64_t>(size - w) + 1));
}

}  // namespace

void SpecAugment(const SpecAugmentOptions& o, Rng* rng, Tensor* x) {
  if (!o.enabled() || x->shape.size() < 2 || x->shape[0] == 0) return;
  const int n = x->shape[0], t = x->shape[1];
  const int f = x->shape.size() >= 3 ? x->shape[2] : 1;
  const size_t per = x->per_item();
  if (t <= 0 || f <= 0 || per == 0) return;
  const size_t ch = per / (static_cast<size_t>(t) * f);
  const size_t row = static_cast<size_t>(f) * ch;  // one frame
  std::vector<float> mean(row);
  std::vector<char> masked_t(t), masked_f(f);
  const int time_masks = o.time_width > 0 ? o.time_masks : 0;
  const int freq_masks = o.freq_width > 0 ? o.freq_masks : 0;
  for (int i = 0; i < n; ++i) {
    float* item = x->data.data() + static_cast<size_t>(i) * per;
    std::fill(masked_t.begin(), masked_t.end(), 0);
    std::fill(masked_f.begin(), masked_f.end(), 0);
    for (int m = 0; m < time_masks; ++m) {
      int s, w;
      DrawRun(rng, t, o.time_width, &s, &w);
      std::fill(masked_t.begin() + s, masked_t.begin() + s + w, 1);
    }
    for (int m = 0; m < freq_masks; ++m) {
      int s, w;
      DrawRun(rng, f, o.freq_width, &s, &w);
      std::fill(masked_f.begin() + s, masked_f.begin() + s + w, 1);
    }
    // The example's mean per feature (and channel) over time, before masking.
    std::fill(mean.begin(), mean.end(), 0.0f);
    for (int k = 0; k < t; ++k)
      for (size_t j = 0; j < row; ++j) mean[j] += item[k * row + j];
    for (float& v : mean) v /= static_cast<float>(t);
    for (int k = 0; k < t; ++k)
      for (int q = 0; q < f; ++q)
        if (masked_t[k] || masked_f[q])
          for (size_t c = 0; c < ch; ++c) item[k * row + q * ch + c] = mean[q * ch + c];
  }
}

}  // namespace mote::train
