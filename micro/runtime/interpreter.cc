#include "micro/runtime/interpreter.h"

#include <string.h>

#include "micro/runtime/op_registry.h"
#include "micro/runtime/planner.h"

namespace mote::micro {

namespace {
constexpr uint32_t kTensorAlign = 4;
}

namespace {

bool IsModelInput(Model& m, uint32_t t) {
  for (uint32_t i = 0; i < m.num_inputs(); ++i)
    if (m.input(i) == static_cast<int32_t>(t)) return true;
  return false;
}

bool IsModelOutput(Model& m, uint32_t t) {
  for (uint32_t i = 0; i < m.num_outputs(); ++i)
    if (m.output(i) == static_cast<int32_t>(t)) return true;
  return false;
}

}  // namespace


Interpreter::Interpreter(const uint8_t* model_data, size_t model_size,
                         uint8_t* arena, size_t arena_size)
    : model_data_(model_data), model_size_(model_size), arena_(arena, arena_size) {}

Tensor* Interpreter::input(size_t i) {
  return i < inputs_size() ? &tensors_[model_.input(static_cast<uint32_t>(i))] : nullptr;
}

Tensor* Interpreter::output(size_t i) {
  return i < outputs_size() ? &tensors_[model_.output(static_cast<uint32_t>(i))] : nullptr;
}

Status Interpreter::AllocateTensors() {
  if (ready_) return Status::kOk;
  if (arena_.base() == nullptr) return Fail(&err_, Status::kBadArgument, "no arena");
  if (Status s = model_.Init(model_data_, model_size_, &err_); s != Status::kOk) return s;
  if (model_.num_subgraphs() != 1)
    return Fail(&err_, Status::kUnsupportedOp, "model has ", model_.num_subgraphs(),
                " subgraphs; control flow (several subgraphs) is not supported");
  num_tensors_ = model_.num_tensors();
  num_nodes_ = model_.num_ops();
  if (num_tensors_ > 0xffff || num_nodes_ > 0xffff)
    return Fail(&err_, Status::kBadModel, "model has too many tensors or operators");
  tensors_ = static_cast<Tensor*>(
      arena_.AllocatePersistent(sizeof(Tensor) * num_tensors_, alignof(Tensor)));
  nodes_ = static_cast<Node*>(
      arena_.AllocatePersistent(sizeof(Node) * num_nodes_, alignof(Node)));
  if (arena_.failed())
    return Fail(&err_, Status::kArenaTooSmall, "arena of ",
                static_cast<int64_t>(arena_.size()), " bytes cannot hold ", num_tensors_,
                " tensor records");
  for (uint32_t i = 0; i < num_tensors_; ++i) new (&tensors_[i]) Tensor();
  for (uint32_t i = 0; i < num_nodes_; ++i) new (&nodes_[i]) Node();
  if (Status s = InitTensors(); s != Status::kOk) return s;
  if (Status s = PrepareNodes(); s != Status::kOk) return s;
  if (Status s = CheckDataFlow(); s != Status::kOk) return s;
  if (Status s = PlanActivations(); s != Status::kOk) return s;
  ready_ = true;
  return Status::kOk;
}

Status Interpreter::InitTensors() {
  for (uint32_t i = 0; i < num_tensors_; ++i) {
    TensorView v;
    if (Status s = model_.GetTensor(i, &v, &err_); s != Status::kOk) return s;
    Tensor& t = tensors_[i];
    t.type = v.type;
    t.dims = v.dims;
    t.rank = static_cast<uint8_t>(v.rank);
    t.scale = v.scale;
    t.zero_point = v.zero_point;
    t.quantized = v.quantized ? 1 : 0;
    t.per_channel = v.num_scales > 1 ? 1 : 0;
    t.quantized_dimension = static_cast<uint8_t>(v.quantized_dimension);
    const size_t elem = DTypeSize(v.type);
    if (v.data != nullptr) {
      t.data = const_cast<uint8_t*>(v.data);  // constants are never written
      t.bytes = v.data_bytes;
      t.is_const = 1;
    } else {
      if (v.is_variable)
        return Fail(&err_, Status::kUnsupportedOp, "tensor ", i, " (",
                    v.name ? v.name : "", ") is a variable tensor; stateful models are not supported");
      t.bytes = static_cast<uint32_t>(uint64_t{v.elements} * elem);
    }
  }
  return Status::kOk;
}

// Every tensor an op reads is constant, a model input or written by an
// earlier op; model inputs are not constants; model outputs get written.
Status Interpreter::CheckDataFlow() {
  const auto written_before = [this](int32_t t, uint32_t k) {
    if (IsModelInput(model_, static_cast<uint32_t>(t))) return true;
    for (uint32_t j = 0; j < k; ++j)
      for (int o = 0; o < nodes_[j].num_outputs; ++o)
        if (nodes_[j].outputs[o] == t) return true;
    return false;
  };
  for (uint32_t i = 0; i < model_.num_inputs(); ++i)
    if (tensors_[model_.input(i)].is_const)
      return Fail(&err_, Status::kBadModel, "model input ", i, " (tensor ", model_.input(i),
                  ") is a constant");
  for (uint32_t k = 0; k < num_nodes_; ++k) {
    const Node& n = nodes_[k];
    for (int j = 0; j < n.num_inputs; ++j) {
      const int32_t t = n.inputs[j];
      if (t >= 0 && !tensors_[t].is_const && !written_before(t, k))
        return Fail(&err_, Status::kBadModel, "op ", k, " (", OpName(n.op), ") input ", j,
                    " reads tensor ", t, " before any op writes it");
    }
  }
  for (uint32_t i = 0; i < model_.num_outputs(); ++i) {
    const int32_t t = model_.output(i);
    if (!tensors_[t].is_const && !written_before(t, num_nodes_))
      return Fail(&err_, Status::kBadModel, "model output ", i, " (tensor ", t,
                  ") is never written");
  }
  return Status::kOk;
}

Status Interpreter::PrepareNodes() {
  for (uint32_t i = 0; i < num_nodes_; ++i) {
    OpView op;
    if (Status s = model_.GetOp(i, &op, &err_); s != Status::kOk) return s;
    Node& n = nodes_[i];
    if (op.custom_name != nullptr && op.builtin == 32)
      return Fail(&err_, Status::kUnsupportedOp, "op ", i, ": custom operator \"",
                  op.custom_name, "\" is not supported");
    if (!OpFromBuiltin(op.builtin, &n.op))
      return Fail(&err_, Status::kUnsupportedOp, "op ", i,
                  ": unsupported operator (builtin code ", op.builtin, ")");
    if (op.num_inputs > 255 || op.num_outputs > 255)
      return Fail(&err_, Status::kBadModel, "op ", i, " has too many inputs or outputs");
    n.inputs = op.inputs;
    n.outputs = op.outputs;
    n.num_inputs = static_cast<uint8_t>(op.num_inputs);
    n.num_outputs = static_cast<uint8_t>(op.num_outputs);
    for (uint32_t k = 0; k < op.num_outputs; ++k) {
      if (tensors_[op.outputs[k]].is_const)
        return Fail(&err_, Status::kBadModel, "op ", i, " (", OpName(n.op),
                    ") writes to constant tensor ", op.outputs[k]);
    }
    PrepareContext ctx(&model_, tensors_, &n, &op, static_cast<int>(i), &arena_, &err_,
                       &scratch_);
    if (Status s = KernelFor(n, tensors_).prepare(ctx); s != Status::kOk) return s;
    if (arena_.failed())
      return Fail(&err_, Status::kArenaTooSmall, "arena of ",
                  static_cast<int64_t>(arena_.size()), " bytes is too small (op ", i,
                  " parameters)");
  }
  if (scratch_ != nullptr && scratch_->bytes > 0) {
    scratch_->data = static_cast<uint8_t*>(arena_.AllocatePersistent(scratch_->bytes, 16));
    if (scratch_->data == nullptr)
      return Fail(&err_, Status::kArenaTooSmall, "arena of ",
                  static_cast<int64_t>(arena_.size()), " bytes is too small (",
                  static_cast<int64_t>(scratch_->bytes), " bytes of kernel scratch)");
  }
  return Status::kOk;
}


void Interpreter::Lifetime(uint32_t t, int32_t* first_out, int32_t* last_out) {
  const int32_t end = static_cast<int32_t>(num_nodes_);
  int32_t first = IsModelInput(model_, t) ? 0 : -1;  // -1: not yet seen
  int32_t last = first;
  for (int32_t k = 0; k < end; ++k) {
    const Node& nd = nodes_[k];
    for (int j = 0; j < nd.num_outputs; ++j)
      if (nd.outputs[j] == static_cast<int32_t>(t)) {
        if (first < 0) first = k;
        if (last < k) last = k;
      }
    for (int j = 0; j < nd.num_inputs; ++j)
      if (nd.inputs[j] == static_cast<int32_t>(t)) {
        if (first < 0) first = 0;  // read before written: keep from start
        if (last < k) last = k;
      }
  }
  if (IsModelOutput(model_, t)) {
    if (first < 0) first = 0;
    last = end;
  }
  *first_out = first;
  *last_out = last;
}

Status Interpreter::UseOfflinePlan(PlanItem* items, int n, const uint16_t* tensor_of,
                                   bool* used, uint32_t* total) {
  // TFLM's "OfflineMemoryAllocation" metadata: int32 words [version,
  // subgraph, count, offset per tensor (-1: plan at run time)].
  *used = false;
  const uint8_t* data = nullptr;
  uint32_t size = 0;
  if (Status s = model_.FindMetadata("OfflineMemoryAllocation", &data, &size, &err_);
      s != Status::kOk)
    return s;
  if (data == nullptr) return Status::kOk;
  const auto word = [data](uint32_t i) {
    int32_t v;
    memcpy(&v, data + 4 * i, 4);
    return v;
  };
  if (size < 12 || size % 4 != 0 || word(1) != 0 || word(2) < 0 ||
      static_cast<uint32_t>(word(2)) != num_tensors_ || size != 12 + 4 * num_tensors_)
    return Fail(&err_, Status::kBadModel,
                "OfflineMemoryAllocation metadata does not describe subgraph 0's ", num_tensors_,
                " tensors (", size, " bytes)");
  for (int k = 0; k < n; ++k)
    if (word(3 + tensor_of[k]) < 0) return Status::kOk;  // partial plan: plan on the device
  uint32_t end = 0;
  for (int k = 0; k < n; ++k) {
    const int32_t off = word(3 + tensor_of[k]);
    if (off % static_cast<int32_t>(kTensorAlign) != 0 || off > 0x3fffffff)
      return Fail(&err_, Status::kBadModel, "offline plan: tensor ", tensor_of[k],
                  " offset ", off, " is misaligned or too large");
    items[k].offset = static_cast<uint32_t>(off);
    if (items[k].offset + items[k].size > end) end = items[k].offset + items[k].size;
  }
  int a = 0, b = 0;
  if (!PlanValid(items, n, &a, &b))
    return Fail(&err_, Status::kBadModel, "offline plan: tensors ", tensor_of[a], " and ",
                tensor_of[b], " overlap while both are live");
  *used = true;
  *total = end;
  return Status::kOk;
}

int Interpreter::CollectPlanItems(PlanItem* items, uint16_t* tensor_of, uint16_t* item_of) {
  constexpr uint16_t kNone = 0xffff;
  int n = 0;
  const int32_t end = static_cast<int32_t>(num_nodes_);
  for (uint32_t t = 0; t < num_tensors_; ++t) {
    item_of[t] = kNone;
    const Tensor& tr = tensors_[t];
    if (tr.is_const || tr.bytes == 0) continue;
    int32_t first, last;
    Lifetime(t, &first, &last);
    if (first < 0) continue;  // unused tensor
    items[n] = PlanItem();
    items[n].size = (tr.bytes + kTensorAlign - 1) / kTensorAlign * kTensorAlign;
    items[n].first = first;
    items[n].last = last;
    tensor_of[n] = static_cast<uint16_t>(t);
    item_of[t] = static_cast<uint16_t>(n);
    ++n;
  }
  // In-place pairs: an op's output over an input that dies at that op (never
  // a model input, which callers may read again after Invoke).
  for (int32_t k = 0; k < end; ++k) {
    const Node& nd = nodes_[k];
    if (nd.inplace_input < 0 || nd.inplace_input >= nd.num_inputs || nd.num_outputs < 1) continue;
    const int32_t in_t = nd.inputs[nd.inplace_input];
    const int32_t out_t = nd.outputs[0];
    if (in_t < 0 || item_of[in_t] == kNone || item_of[out_t] == kNone) continue;
    PlanItem& in_item = items[item_of[in_t]];
    PlanItem& out_item = items[item_of[out_t]];
    if (in_item.last != k || out_item.first != k || IsModelInput(model_, in_t) ||
        IsModelOutput(model_, in_t) || in_t == out_t)
      continue;
    out_item.overlap_with = item_of[in_t];
    out_item.gap = (nd.inplace_gap + kTensorAlign - 1) / kTensorAlign * kTensorAlign;
  }
  return n;
}

Status Interpreter::PlanActivations() {
  // Working arrays live temporarily in the free part of the arena: items,
  // best offsets, item -> tensor and order (one each per planned tensor),
  // tensor -> item (one per tensor).
  uint32_t planned = 0;
  for (uint32_t t = 0; t < num_tensors_; ++t)
    if (!tensors_[t].is_const && tensors_[t].bytes != 0) ++planned;
  const size_t need = planned * (sizeof(PlanItem) + sizeof(uint32_t) + sizeof(uint16_t) * 2) +
                      num_tensors_ * sizeof(uint16_t);
  if (need + 8 > arena_.free_bytes())
    return Fail(&err_, Status::kArenaTooSmall, "arena too small to plan ",
                num_tensors_, " tensors");
  uint8_t* scratch = arena_.base() + (8 - reinterpret_cast<uintptr_t>(arena_.base()) % 8) % 8;
  PlanItem* items = reinterpret_cast<PlanItem*>(scratch);
  uint32_t* best = reinterpret_cast<uint32_t*>(items + planned);
  uint16_t* tensor_of = reinterpret_cast<uint16_t*>(best + planned);
  uint16_t* order = tensor_of + planned;
  uint16_t* item_of = order + planned;
  const int n = CollectPlanItems(items, tensor_of, item_of);
  lower_bound_ = PlanLowerBound(items, n);
  uint32_t total = 0;
  bool offline = false;
  if (Status st = UseOfflinePlan(items, n, tensor_of, &offline, &total); st != Status::kOk)
    return st;
  if (!offline) total = PlanBest(items, n, order, best, kTensorAlign);
  offline_plan_ = offline;
  const size_t start = static_cast<size_t>(scratch - arena_.base());
  if (start + total > arena_.free_bytes() || start + need > arena_.free_bytes())
    return Fail(&err_, Status::kArenaTooSmall, "arena of ",
                static_cast<int64_t>(arena_.size()), " bytes is too small: needs ",
                static_cast<int64_t>(start + total + arena_.persistent_bytes()));
  // The plan is read out here; afterwards the scratch belongs to activations.
  for (int k = 0; k < n; ++k) tensors_[tensor_of[k]].data = scratch + items[k].offset;
  activation_bytes_ = start + (total > need ? total : need);
  return Status::kOk;
}

Status Interpreter::Invoke() {
  if (!ready_) return Fail(&err_, Status::kNotReady, "AllocateTensors() has not succeeded");
  for (uint32_t i = 0; i < num_nodes_; ++i) KernelFor(nodes_[i], tensors_).eval(nodes_[i], tensors_);
  return Status::kOk;
}

void Interpreter::InvokeNode(size_t i) {
  KernelFor(nodes_[i], tensors_).eval(nodes_[i], tensors_);
}

}  // namespace mote::micro
