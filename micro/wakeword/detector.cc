#include "micro/wakeword/detector.h"

#include <string.h>

namespace mote::micro::wakeword {

Status Detector::Init(const DetectorConfig& c, ErrorText* err) {
  ready_ = false;
  auto fail = [&](const char* field, const char* what) {
    if (err != nullptr) {
      err->Clear();
      err->Add("wake-word config: ").Add(field).Add(" ").Add(what);
    }
    return Status::kBadArgument;
  };
  if (c.num_classes < 1 || c.num_classes > kMaxClasses)
    return fail("num_classes", "must be 1..32");
  if (c.window < 1 || c.window > kMaxWindow) return fail("window", "must be 1..16 inferences");
  if (c.hop_ms < kMinHopMs || c.hop_ms > kMaxHopMs) return fail("hop_ms", "must be 10..2000");
  if (c.sub_hops < 1 || c.sub_hops > kMaxSubHops) return fail("sub_hops", "must be 1..8");
  if (c.hop_ms % c.sub_hops != 0) return fail("hop_ms", "must be a multiple of sub_hops");
  const uint32_t used = c.num_classes == 32 ? 0xFFFFFFFFu : (1u << c.num_classes) - 1;
  if ((c.ignore_mask & used) == used) return fail("ignore_mask", "ignores every class");
  config_ = c;
  ready_ = true;
  Reset();
  return Status::kOk;
}

void Detector::Reset() {
  memset(history_, 0, sizeof history_);
  memset(sum_, 0, sizeof sum_);
  armed_ = 0xFFFFFFFFu;
  count_ = 0;
  head_ = 0;
  fired_ = false;
  last_fire_ms_ = 0;
  memset(anchor_, 0, sizeof anchor_);
  last_anchor_best_ = 0;
}

bool Detector::Push(const uint8_t* scores, uint32_t time_ms, Detection* out) {
  const int n = config_.num_classes;
  const int w = config_.window;
  uint8_t* row = history_[head_];
  for (int k = 0; k < n; ++k) {
    sum_[k] = static_cast<uint16_t>(sum_[k] - row[k] + scores[k]);
    row[k] = scores[k];
  }
  head_ = head_ + 1 == w ? 0 : head_ + 1;
  ++count_;

  int best = -1;
  uint32_t best_sum = 0, candidates = 0;
  for (int k = 0; k < n; ++k) {
    const uint32_t bit = 1u << k;
    const bool above = static_cast<uint32_t>(sum_[k]) >=
                       static_cast<uint32_t>(config_.threshold[k]) * static_cast<uint32_t>(w);
    if (!above) {
      armed_ |= bit;  // fell below: may fire again
      continue;
    }
    if ((config_.ignore_mask & bit) != 0 || (armed_ & bit) == 0) continue;
    candidates |= bit;
    if (best < 0 || sum_[k] > best_sum) {
      best = k;
      best_sum = sum_[k];
    }
  }
  if (best < 0 || count_ < static_cast<uint32_t>(w)) return false;
  if (fired_ && time_ms - last_fire_ms_ < config_.refractory_ms) {
    armed_ &= ~candidates;  // part of the utterance that just fired
    return false;
  }
  fired_ = true;
  last_fire_ms_ = time_ms;
  armed_ &= ~(1u << best);
  if (out != nullptr) {
    out->label = best;
    out->time_ms = time_ms;
    out->score = static_cast<uint16_t>(best_sum / static_cast<uint32_t>(w));
  }
  return true;
}

void ToScores(const int8_t* q, int32_t zero_point, int num_classes, uint8_t* scores) {
  for (int k = 0; k < num_classes; ++k) {
    int32_t v = static_cast<int32_t>(q[k]) - zero_point;
    scores[k] = static_cast<uint8_t>(v < 0 ? 0 : (v > 255 ? 255 : v));
  }
}

void ScoreMean::Add(const uint8_t* scores, int num_classes) {
  for (int k = 0; k < num_classes; ++k) sum_[k] += scores[k];
  ++models_;
}

void ScoreMean::AddS8(const int8_t* q, int32_t zero_point, int num_classes) {
  uint8_t scores[kMaxClasses];
  ToScores(q, zero_point, num_classes, scores);
  Add(scores, num_classes);
}

void ScoreMean::Mean(int num_classes, uint8_t* out) const {
  const uint32_t n = static_cast<uint32_t>(models_);
  for (int k = 0; k < num_classes; ++k) out[k] = static_cast<uint8_t>((sum_[k] + n / 2) / n);
}

bool Detector::PushS8(const int8_t* q, int32_t zero_point, uint32_t time_ms, Detection* out) {
  uint8_t scores[kMaxClasses];
  ToScores(q, zero_point, config_.num_classes, scores);
  return Push(scores, time_ms, out);
}

uint8_t Detector::BestKeyword(const uint8_t* scores) const {
  uint8_t best = 0;
  for (int k = 0; k < config_.num_classes; ++k)
    if ((config_.ignore_mask & (1u << k)) == 0 && scores[k] > best) best = scores[k];
  return best;
}

int Detector::Anchor(const int8_t* q, int32_t zero_point) {
  uint8_t scores[kMaxClasses];
  ToScores(q, zero_point, config_.num_classes, scores);
  return Anchor(scores, BestKeyword(scores));
}

int Detector::Anchor(const uint8_t* scores, uint8_t gate_best) {
  memcpy(anchor_, scores, static_cast<size_t>(config_.num_classes));
  const bool open = gate_best >= config_.gate || last_anchor_best_ >= config_.gate;
  last_anchor_best_ = gate_best;
  return open ? config_.sub_hops - 1 : 0;
}

bool Detector::Skip(uint32_t time_ms, Detection* out) {
  const uint8_t zeros[kMaxClasses] = {};
  return Push(zeros, time_ms, out);
}

bool Detector::PushAnchor(uint32_t time_ms, Detection* out) { return Push(anchor_, time_ms, out); }

}  // namespace mote::micro::wakeword
