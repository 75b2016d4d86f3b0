#include "host/compress/prune.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace mote::compress {

using train::Layer;
using train::Param;
using train::Sequential;
using nlohmann::json;

float PruneSchedule::SparsityAt(long long step) const {
  double p = 1.0;
  if (end_step >= 0) {
    p = static_cast<double>(step - begin_step) / static_cast<double>(end_step - begin_step);
    p = std::min(1.0, std::max(0.0, p));
  } else if (step < begin_step) {
    p = 0.0;
  }
  return static_cast<float>(final_sparsity +
                            (initial_sparsity - final_sparsity) * std::pow(1.0 - p, power));
}

bool PruneSchedule::ShouldPrune(long long step) const {
  return step >= begin_step && (end_step < 0 || step <= end_step) &&
         (step - begin_step) % frequency == 0;
}

std::string PruneSchedule::Check() const {
  if (!(initial_sparsity >= 0.0f && initial_sparsity < 1.0f))
    return "initial sparsity must be in [0, 1)";
  if (!(final_sparsity >= 0.0f && final_sparsity < 1.0f)) return "final sparsity must be in [0, 1)";
  if (frequency < 1) return "pruning frequency must be >= 1";
  if (begin_step < 0) return "begin step must be >= 0";
  if (end_step >= 0 && end_step <= begin_step) return "end step must be > begin step (or -1)";
  if (end_step < -1) return "end step must be >= 0 or -1";
  if (!(power > 0.0f)) return "power must be > 0";
  return "";
}

bool IsPrunable(const Layer& l) {
  const std::string& t = l.type();
  return t == "Dense" || t == "Conv1D" || t == "Conv2D" || t == "DepthwiseConv2D";
}

MagnitudePruner::MagnitudePruner(Sequential& m, PruneSchedule s) : m_(m), schedule_(s) {
  for (auto& l : m_.layers())
    if (IsPrunable(*l)) {
      kernels_.push_back(&l->params()[0]);
      masks_.emplace_back(l->params()[0].value.size(), uint8_t{1});
    }
}

void MagnitudePruner::Attach(train::FitOptions* fit) {
  fit->before_batch = [this](long long step) { OnStep(step); };
  fit->before_update = [this] { MaskGradients(); };
  fit->after_update = [this] { ApplyMasks(); };
}

void MagnitudePruner::UpdateMasks(float sparsity) {
  current_ = sparsity;
  for (size_t k = 0; k < kernels_.size(); ++k) {
    const std::vector<float>& w = kernels_[k]->value;
    const size_t n = w.size();
    // Weights pruned earlier are already 0, so they sort first again.
    const size_t zeros = n - static_cast<size_t>(std::llround(double(n) * (1.0 - sparsity)));
    std::vector<size_t> order(n);
    std::iota(order.begin(), order.end(), size_t{0});
    // NaN sorts last (kept), so the order stays a strict weak ordering.
    auto key = [&](size_t i) { return std::isnan(w[i]) ? INFINITY : std::fabs(w[i]); };
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return key(a) < key(b); });
    std::vector<uint8_t>& mask = masks_[k];
    std::fill(mask.begin(), mask.end(), uint8_t{1});
    for (size_t i = 0; i < zeros; ++i) mask[order[i]] = 0;
  }
  ApplyMasks();
}

void MagnitudePruner::MaskGradients() {
  for (size_t k = 0; k < kernels_.size(); ++k) {
    std::vector<float>& g = kernels_[k]->grad;
    for (size_t i = 0; i < g.size(); ++i)
      if (!masks_[k][i]) g[i] = 0.0f;
  }
}

void MagnitudePruner::ApplyMasks() {
  for (size_t k = 0; k < kernels_.size(); ++k) {
    std::vector<float>& w = kernels_[k]->value;
    for (size_t i = 0; i < w.size(); ++i)
      if (!masks_[k][i]) w[i] = 0.0f;
  }
}

void MagnitudePruner::OnStep(long long step) {
  if (schedule_.ShouldPrune(step)) UpdateMasks(schedule_.SparsityAt(step));
}

SparsityReport MeasureSparsity(const Sequential& m) {
  SparsityReport r;
  for (size_t i = 0; i < m.layers().size(); ++i) {
    const Layer& l = *m.layers()[i];
    if (!IsPrunable(l)) continue;
    SparsityReport::Entry e;
    e.layer = std::to_string(i) + ":" + l.type();
    const std::vector<float>& w = l.params()[0].value;
    e.weights = w.size();
    e.zeros = static_cast<size_t>(std::count(w.begin(), w.end(), 0.0f));
    r.weights += e.weights;
    r.zeros += e.zeros;
    r.layers.push_back(e);
  }
  return r;
}

namespace {

bool IsConv(const Layer& l) { return l.type() == "Conv1D" || l.type() == "Conv2D"; }

// Layers between a producer and its consumer that keep channel identity.
bool PassesChannels(const Layer& l) {
  const std::string& t = l.type();
  return t == "ReLU" || t == "ReLU6" || t == "Sigmoid" || t == "Softmax" || t == "Tanh" ||
         t == "Dropout" || t.rfind("MaxPooling", 0) == 0 || t.rfind("AveragePooling", 0) == 0 ||
         t.rfind("GlobalAveragePooling", 0) == 0;
}

// Index of the last Dense/Conv/DepthwiseConv layer (the output producer).
int LastWeighted(const Sequential& m) {
  int last = -1;
  for (size_t i = 0; i < m.layers().size(); ++i)
    if (IsPrunable(*m.layers()[i])) last = static_cast<int>(i);
  return last;
}

std::vector<float> Select(const std::vector<float>& v, const std::vector<int>& idx) {
  std::vector<float> r;
  r.reserve(idx.size());
  for (int i : idx) r.push_back(v[i]);
  return r;
}

// Copies a kernel [positions, rows, cols] keeping rows `in` and cols `out`.
std::vector<float> Slice3(const std::vector<float>& w, size_t positions, int rows, int cols,
                          const std::vector<int>& in, const std::vector<int>& out) {
  std::vector<float> r;
  r.reserve(positions * in.size() * out.size());
  for (size_t p = 0; p < positions; ++p)
    for (int ri : in)
      for (int co : out) r.push_back(w[(p * rows + ri) * cols + co]);
  return r;
}

std::vector<int> All(int n) {
  std::vector<int> r(n);
  std::iota(r.begin(), r.end(), 0);
  return r;
}

}  // namespace

std::vector<std::vector<int>> ChooseFilters(const Sequential& m, const FilterPruneOptions& o,
                                            std::string* err) {
  std::vector<std::vector<int>> keep(m.layers().size());
  if (!(o.fraction >= 0.0f && o.fraction < 1.0f)) {
    *err = "the fraction of filters to remove must be in [0, 1)";
    return {};
  }
  const int last = LastWeighted(m);
  for (int i = 0; i < last; ++i) {
    const Layer& l = *m.layers()[i];
    if (!IsConv(l) && l.type() != "Dense") continue;
    const Param& k = l.params()[0];
    for (float v : k.value)
      if (!std::isfinite(v)) {
        *err = "layer " + std::to_string(i) + " (" + l.type() + "): kernel has a non-finite weight";
        return {};
      }
    const int cout = k.shape.back();
    const size_t rows = k.value.size() / cout;
    std::vector<double> norm(cout, 0.0);
    for (size_t r = 0; r < rows; ++r)
      for (int c = 0; c < cout; ++c) {
        const double v = k.value[r * cout + c];
        norm[c] += o.l2 ? v * v : std::fabs(v);
      }
    const int n_keep = std::max(1, static_cast<int>(std::lround(cout * (1.0 - o.fraction))));
    std::vector<int> order = All(cout);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return norm[a] > norm[b]; });
    order.resize(n_keep);
    std::sort(order.begin(), order.end());
    keep[i] = order;
  }
  return keep;
}

std::unique_ptr<Sequential> RemoveFilters(const Sequential& m,
                                          const std::vector<std::vector<int>>& keep,
                                          std::string* err) {
  const auto& layers = m.layers();
  if (keep.size() != layers.size()) {
    *err = "filter choice has " + std::to_string(keep.size()) + " entries for " +
           std::to_string(layers.size()) + " layers";
    return nullptr;
  }
  // New layer specs: filters / units of the pruned layers.
  json spec = m.ToJson();
  std::vector<int> layer_of_spec;
  size_t li = 0;
  for (auto& s : spec["layers"]) {
    layer_of_spec.push_back(static_cast<int>(li));
    std::string e;
    const bool act = s.contains("activation") && s["type"] != "Activation" && s["activation"].is_string() &&
                     !train::ActivationSpec(s["activation"].get<std::string>(), &e).is_null();
    li += act ? 2 : 1;
  }
  if (li != layers.size()) {
    *err = "internal error: layer specs do not match the built layers";
    return nullptr;
  }
  for (size_t s = 0; s < layer_of_spec.size(); ++s) {
    const std::vector<int>& k = keep[layer_of_spec[s]];
    if (k.empty()) continue;
    const Layer& l = *layers[layer_of_spec[s]];
    const int cout = l.params()[0].shape.back();
    for (int c : k)
      if (c < 0 || c >= cout) {
        *err = "layer " + std::to_string(layer_of_spec[s]) + ": channel " + std::to_string(c) +
               " out of range";
        return nullptr;
      }
    if (IsConv(l)) spec["layers"][s]["filters"] = k.size();
    else if (l.type() == "Dense") spec["layers"][s]["units"] = k.size();
    else {
      *err = "layer " + std::to_string(layer_of_spec[s]) + " (" + l.type() +
             ") cannot have its output channels removed";
      return nullptr;
    }
  }
  std::string e;
  auto out = Sequential::FromJson(spec, 0, &e);
  if (!out) {
    *err = "pruned model: " + e;
    return nullptr;
  }
  out->name = m.name;
  // Copy the surviving weights. `cur` = old channel indices of the current
  // activation's last dimension that survive.
  std::vector<int> cur = All(m.input_shape().back());
  for (size_t i = 0; i < layers.size(); ++i) {
    const Layer& l = *layers[i];
    std::vector<Param>& np = out->layers()[i]->params();
    const std::vector<Param>& op = l.params();
    const std::string& t = l.type();
    if (IsConv(l) || t == "Dense") {
      const int cin = op[0].shape[op[0].shape.size() - 2], cout = op[0].shape.back();
      const std::vector<int> o = keep[i].empty() ? All(cout) : keep[i];
      np[0].value = Slice3(op[0].value, op[0].value.size() / (size_t(cin) * cout), cin, cout, cur, o);
      if (op.size() > 1) np[1].value = Select(op[1].value, o);
      cur = o;
    } else if (t == "DepthwiseConv2D") {
      const int cin = op[0].shape[2], mult = op[0].shape[3];
      np[0].value = Slice3(op[0].value, op[0].value.size() / (size_t(cin) * mult), cin, mult, cur, All(mult));
      std::vector<int> o;
      for (int c : cur)
        for (int j = 0; j < mult; ++j) o.push_back(c * mult + j);
      if (op.size() > 1) np[1].value = Select(op[1].value, o);
      cur = o;
    } else if (t == "BatchNormalization") {
      for (size_t p = 0; p < op.size(); ++p) np[p].value = Select(op[p].value, cur);
    } else if (t == "Flatten") {
      const int c = l.input_shape().back();
      const size_t positions = train::ShapeSize(l.input_shape()) / c;
      std::vector<int> o;
      for (size_t p = 0; p < positions; ++p)
        for (int k : cur) o.push_back(static_cast<int>(p * c + k));
      cur = o;
    } else if (!PassesChannels(l)) {
      *err = "layer " + std::to_string(i) + ": " + t + " is not supported by structured pruning";
      return nullptr;
    }
    for (size_t p = 0; p < np.size(); ++p)
      if (np[p].value.size() != train::ShapeSize(np[p].shape)) {
        *err = "internal error: layer " + std::to_string(i) + " " + np[p].name + " size mismatch";
        return nullptr;
      }
  }
  return out;
}

std::unique_ptr<Sequential> PruneFilters(const Sequential& m, const FilterPruneOptions& o,
                                         std::string* err) {
  const auto keep = ChooseFilters(m, o, err);
  if (keep.empty()) return nullptr;
  return RemoveFilters(m, keep, err);
}

void ZeroFilters(Sequential& m, const std::vector<std::vector<int>>& keep) {
  auto& layers = m.layers();
  for (size_t i = 0; i < layers.size() && i < keep.size(); ++i) {
    if (keep[i].empty()) continue;
    std::vector<Param>& p = layers[i]->params();
    const int cout = p[0].shape.back();
    std::vector<uint8_t> dead(cout, 1);
    for (int c : keep[i]) dead[c] = 0;
    for (size_t k = 0; k < p[0].value.size(); ++k)
      if (dead[k % cout]) p[0].value[k] = 0.0f;
    if (p.size() > 1)
      for (int c = 0; c < cout; ++c)
        if (dead[c]) p[1].value[c] = 0.0f;
    // Follow the channels to the next channel-mixing layer, zeroing what
    // would make them non-zero again (depthwise biases, BatchNorm offsets).
    for (size_t j = i + 1; j < layers.size(); ++j) {
      Layer& n = *layers[j];
      if (IsConv(n) || n.type() == "Dense" || n.type() == "Flatten") break;
      std::vector<Param>& q = n.params();
      if (n.type() == "BatchNormalization") {
        for (int c = 0; c < static_cast<int>(dead.size()); ++c)
          if (dead[c]) q[0].value[c] = q[1].value[c] = 0.0f;
      } else if (n.type() == "DepthwiseConv2D") {
        const int mult = q[0].shape[3];
        std::vector<uint8_t> d2;
        for (uint8_t d : dead)
          for (int k = 0; k < mult; ++k) d2.push_back(d);
        if (q.size() > 1)
          for (size_t c = 0; c < d2.size(); ++c)
            if (d2[c]) q[1].value[c] = 0.0f;
        dead = d2;
      }
    }
  }
}

}  // namespace mote::compress
