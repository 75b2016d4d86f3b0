// Pruning of trained Sequential models: unstructured magnitude pruning
// during training, and structured removal of whole filters / units.
//
// Unstructured (TFMOT's prune_low_magnitude semantics, per layer): every
// Dense, Conv1D, Conv2D and DepthwiseConv2D kernel gets a 0/1 mask. At every
// training step where the schedule says so, the mask is recomputed so that
// exactly round(size * sparsity) of the kernel's weights (the smallest |w|,
// ties broken by lower index first) are zero; between updates the mask stays
// fixed, gradients of pruned weights are zeroed before the optimizer step and
// the mask is applied again after it, so pruned weights stay exactly 0.
// Biases, BatchNorm parameters are never pruned. The result is a normal dense
// model with zeros: same PTQ / export path, smaller gzip'd size, same MACs.
//
// Structured: whole output channels (filters of Conv1D/Conv2D, units of a
// hidden Dense) are ranked by the L1 (or L2) norm of their kernel slice and
// the weakest removed, together with everything that reads them: the bias,
// the following BatchNormalization's four parameters, the channels of a
// following DepthwiseConv2D (and its outputs), the input channels of the next
// Conv / the input rows of the next Dense (through Flatten and
// GlobalAveragePooling). The layer that produces the model output is never
// pruned. The result is a smaller valid model (fewer MACs, smaller arena and
// flash); fine-tune it afterwards.
//
//   PruneSchedule s;  s.final_sparsity = 0.75;  s.end_step = 1000;
//   MagnitudePruner pruner(model, s);
//   FitOptions fit;  pruner.Attach(&fit);  model.Fit(x, y, fit);
//   pruner.Finish();                       // final masks applied, sparsity checked
//
//   std::string err;
//   auto small = PruneFilters(model, {.fraction = 0.5}, &err);   // a new model
#ifndef MOTE_HOST_COMPRESS_PRUNE_H_
#define MOTE_HOST_COMPRESS_PRUNE_H_

#include <memory>
#include <string>
#include <vector>

#include "host/train/model.h"

namespace mote::compress {

// tfmot.sparsity.keras.PolynomialDecay + the pruning-step rule of its wrapper.
struct PruneSchedule {
  float initial_sparsity = 0.0f;
  float final_sparsity = 0.5f;
  long long begin_step = 0;
  long long end_step = 1000;  // -1: keep pruning (at final sparsity) forever
  long long frequency = 100;
  float power = 3.0f;
  // p = clamp((step - begin) / (end - begin), 0, 1);
  // sparsity = final + (initial - final) * (1 - p)^power.
  float SparsityAt(long long step) const;
  // begin <= step && (step <= end || end < 0) && (step - begin) % frequency == 0.
  bool ShouldPrune(long long step) const;
  // Empty when valid, else what is wrong (sparsities in [0, 1), frequency >= 1,
  // end > begin >= 0 or end == -1, power > 0).
  std::string Check() const;
};

// True for the layers whose kernels are pruned (Dense, Conv1D, Conv2D,
// DepthwiseConv2D).
bool IsPrunable(const train::Layer& l);

class MagnitudePruner {
 public:
  // REQUIRES: m outlives the pruner and keeps its layers; s.Check() is empty.
  MagnitudePruner(train::Sequential& m, PruneSchedule s);
  // Installs the three hooks of FitOptions (keeps nothing else).
  void Attach(train::FitOptions* fit);
  // Recomputes every mask for `sparsity` and applies it.
  void UpdateMasks(float sparsity);
  void MaskGradients();
  void ApplyMasks();
  // Training step hook: updates the masks when the schedule says so.
  void OnStep(long long step);
  // Applies the final sparsity (as strip_pruning keeps the last mask, but
  // brings every kernel to exactly final_sparsity when training stopped
  // before end_step).
  void Finish() { UpdateMasks(schedule_.final_sparsity); }
  float current_sparsity() const { return current_; }

 private:
  train::Sequential& m_;
  PruneSchedule schedule_;
  std::vector<train::Param*> kernels_;
  std::vector<std::vector<uint8_t>> masks_;
  float current_ = 0.0f;
};

// Zeros per kernel and overall (prunable kernels only).
struct SparsityReport {
  struct Entry {
    std::string layer;  // "3:Conv2D"
    size_t weights = 0, zeros = 0;
  };
  std::vector<Entry> layers;
  size_t weights = 0, zeros = 0;
  double sparsity() const { return weights ? double(zeros) / double(weights) : 0.0; }
};
SparsityReport MeasureSparsity(const train::Sequential& m);

struct FilterPruneOptions {
  float fraction = 0.5f;  // of each prunable layer's output channels to remove
  bool l2 = false;        // rank by L2 norm instead of L1
};

// Which output channels survive, per layer index of m.layers() (empty for
// layers not pruned). Ascending old indices; ties in norm keep the lower index.
std::vector<std::vector<int>> ChooseFilters(const train::Sequential& m,
                                            const FilterPruneOptions& o, std::string* err);

// The smaller model keeping `keep` (from ChooseFilters); null + *err when the
// architecture cannot be pruned (e.g. a channel-mixing layer mote does not know).
std::unique_ptr<train::Sequential> RemoveFilters(const train::Sequential& m,
                                                 const std::vector<std::vector<int>>& keep,
                                                 std::string* err);
// ChooseFilters + RemoveFilters.
std::unique_ptr<train::Sequential> PruneFilters(const train::Sequential& m,
                                                const FilterPruneOptions& o, std::string* err);

// Makes the removed channels of `keep` identically zero in m (their kernel
// slice, bias and following BatchNorm gamma and beta set to 0): with ReLU-like
// activations the output then equals RemoveFilters' model exactly.
void ZeroFilters(train::Sequential& m, const std::vector<std::vector<int>>& keep);

}  // namespace mote::compress

#endif  // MOTE_HOST_COMPRESS_PRUNE_H_
