// The device interpreter: runs subgraph 0 of a .tflite model out of one
// caller-owned arena, with no heap, no exceptions and no RTTI.
//
// Contract: the model bytes (4-byte aligned) and the arena outlive the
// Interpreter. AllocateTensors() verifies the model, prepares every operator
// (all validation happens here) and plans activation memory; Invoke() then
// only computes. Every failure returns a Status; error() says what was wrong.
//
//   alignas(16) static uint8_t arena[24 * 1024];
//   Interpreter interp(model_data, model_size, arena, sizeof(arena));
//   if (interp.AllocateTensors() != Status::kOk) puts(interp.error());
//   memcpy(interp.input(0)->data, features, interp.input(0)->bytes);
//   interp.Invoke();
//   const int8_t* scores = interp.output(0)->as<int8_t>();
#ifndef MOTE_MICRO_RUNTIME_INTERPRETER_H_
#define MOTE_MICRO_RUNTIME_INTERPRETER_H_

#include <stddef.h>
#include <stdint.h>

#include "micro/model/model.h"
#include "micro/runtime/arena.h"
#include "micro/runtime/planner.h"
#include "micro/runtime/tensor.h"
#include "micro/status.h"

namespace mote::micro {

class Interpreter {
 public:
  Interpreter(const uint8_t* model_data, size_t model_size, uint8_t* arena,
              size_t arena_size);

  Status AllocateTensors();
  // REQUIRES: AllocateTensors() returned kOk (else returns kNotReady).
  Status Invoke();

  size_t inputs_size() const { return ready_ ? model_.num_inputs() : 0; }
  size_t outputs_size() const { return ready_ ? model_.num_outputs() : 0; }
  Tensor* input(size_t i);
  Tensor* output(size_t i);

  // Everything taken from the arena: planned activations + persistent records.
  size_t arena_used_bytes() const { return activation_bytes_ + arena_.persistent_bytes(); }
  size_t activation_bytes() const { return activation_bytes_; }
  size_t persistent_bytes() const { return arena_.persistent_bytes(); }
  size_t activation_lower_bound() const { return lower_bound_; }
  // True if the model's OfflineMemoryAllocation metadata gave the plan.
  bool offline_plan() const { return offline_plan_; }
  size_t num_tensors() const { return num_tensors_; }
  size_t num_nodes() const { return num_nodes_; }
  const Tensor& tensor(size_t i) const { return tensors_[i]; }
  const Node& node(size_t i) const { return nodes_[i]; }
  // Operators during which tensor t must hold its data: [*first, *last];
  // *first = -1 if no operator uses it. Model outputs last to num_nodes().
  void Lifetime(uint32_t t, int32_t* first, int32_t* last);
  // Offset of a planned tensor's data in the arena (host tools, reports).
  size_t ArenaOffset(const Tensor& t) const { return static_cast<size_t>(t.data - arena_.base()); }
  // The planner's input: one item per planned tensor (lifetime, size
  // rounded to the tensor alignment, in-place pairs); tensor_of[item] and
  // item_of[tensor] (0xffff: not planned) map between them. Returns the item
  // count. REQUIRES: AllocateTensors() ran; items and tensor_of have room for
  // num_tensors() entries, item_of too. Host tools (exact search) use it.
  int CollectPlanItems(PlanItem* items, uint16_t* tensor_of, uint16_t* item_of);
  // Runs one node (for per-layer profiling). REQUIRES a successful
  // AllocateTensors() and i < num_nodes().
  void InvokeNode(size_t i);

  const char* error() const { return err_.c_str(); }
  Model& model() { return model_; }

 private:
  Status InitTensors();
  Status PrepareNodes();
  Status CheckDataFlow();
  Status PlanActivations();
  Status UseOfflinePlan(PlanItem* items, int n, const uint16_t* tensor_of, bool* used,
                        uint32_t* total);

  const uint8_t* model_data_;
  size_t model_size_;
  Model model_;
  Arena arena_;
  SharedScratch* scratch_ = nullptr;  // kernels' shared Eval scratch (arena), if any
  ErrorText err_;
  Tensor* tensors_ = nullptr;
  Node* nodes_ = nullptr;
  uint32_t num_tensors_ = 0;
  uint32_t num_nodes_ = 0;
  size_t activation_bytes_ = 0;
  size_t lower_bound_ = 0;
  bool ready_ = false;
  bool offline_plan_ = false;
};

}  // namespace mote::micro

#endif  // MOTE_MICRO_RUNTIME_INTERPRETER_H_
