// Robustness of the model reader and the interpreter against bad input
// (DESIGN.md principle 6): every truncation of every golden model and
// >= 10,000 single-byte mutations must end in an error with a message or in a
// model that loads and runs, never in a crash, a hang or a sanitizer report.
// Meant to run under ASan/UBSan too:
//
//   cmake -S . -B build-asan -G Ninja -DMOTE_SANITIZE=ON && ninja -C build-asan mote_tests
//   build-asan/mote_tests --gtest_filter='Robust*'
//
// Under ASan the bytes past a truncated prefix are poisoned, so a read past
// the size the reader was given is reported even though the rest of the file
// is still in memory. The libFuzzer target for the same code is
// tests/fuzz/model_fuzzer.cc.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <new>
#include <string>
#include <vector>

#include "host/io/file.h"
#include "micro/runtime/interpreter.h"

#if defined(__SANITIZE_ADDRESS__)
#define MOTE_ROBUST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MOTE_ROBUST_ASAN 1
#endif
#endif
#ifdef MOTE_ROBUST_ASAN
#include <sanitizer/asan_interface.h>
#define MOTE_POISON(p, n) ASAN_POISON_MEMORY_REGION(p, n)
#define MOTE_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define MOTE_POISON(p, n) ((void)(p), (void)(n))
#define MOTE_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

namespace mote::micro {
namespace {

namespace fs = std::filesystem;

// One arena for every case: AllocateTensors() needs no zeroed memory, and
// 4 MiB is far above what any golden model needs (vww: ~0.3 MiB).
constexpr size_t kArenaBytes = 4 << 20;
uint8_t* SharedArena() {
  alignas(16) static uint8_t arena[kArenaBytes];
  return arena;
}

// Model bytes in an allocation of exactly their size (16-byte aligned), so
// ASan reports any read past the end.
class ExactBytes {
 public:
  explicit ExactBytes(const host::AlignedBytes& src)
      : size_(src.size()),
        data_(static_cast<uint8_t*>(::operator new(size_ ? size_ : 1, std::align_val_t(16)))) {
    if (size_ > 0) memcpy(data_, src.data(), size_);
  }
  ExactBytes(const ExactBytes&) = delete;
  ExactBytes& operator=(const ExactBytes&) = delete;
  ~ExactBytes() {
    MOTE_UNPOISON(data_, size_);
    ::operator delete(data_, std::align_val_t(16));
  }
  uint8_t* data() { return data_; }
  size_t size() const { return size_; }

 private:
  size_t size_;
  uint8_t* data_;
};

struct GoldenModel {
  std::string name;
  host::AlignedBytes bytes;
};

const std::vector<GoldenModel>& Models() {
  static const std::vector<GoldenModel> models = [] {
    std::vector<GoldenModel> out;
    const fs::path dir = fs::path(MOTE_SHARED_DIR) / "models";
    std::vector<fs::path> paths;
    for (const auto& e : fs::directory_iterator(dir))
      if (e.path().extension() == ".tflite") paths.push_back(e.path());
    std::sort(paths.begin(), paths.end());
    for (const auto& p : paths) {
      std::string err;
      auto b = host::ReadFile(p.string(), &err);
      EXPECT_TRUE(b.has_value()) << err;
      if (b) out.push_back({p.stem().string(), std::move(*b)});
    }
    return out;
  }();
  return models;
}

// What the intact model is: whether it loads, where its constant data lies,
// and its output on a zero input (to compare prefixes that load, if any).
struct Reference {
  Status status = Status::kOk;
  std::string error;
  std::vector<uint8_t> is_const_data;  // per byte: inside some constant tensor
  size_t const_data_end = 0;           // end of the last constant tensor data
  size_t arena_used = 0;
  uint64_t macs = 0;  // rough multiply-accumulates per Invoke (ApproxMacs)
  std::vector<uint8_t> output;
};

// Multiply-accumulates of one Invoke, from shapes alone (deterministic): per
// node, output elements x (elements of its largest constant input / output
// channels); exact for conv, depthwise and fully connected.
uint64_t ApproxMacs(const Interpreter& interp) {
  uint64_t macs = 0;
  for (size_t i = 0; i < interp.num_nodes(); ++i) {
    const Node& n = interp.node(i);
    if (n.num_outputs == 0) continue;
    const Tensor& out = interp.tensor(static_cast<size_t>(n.outputs[0]));
    uint64_t weights = 0;
    for (int k = 0; k < n.num_inputs; ++k) {
      if (n.inputs[k] < 0) continue;
      const Tensor& t = interp.tensor(static_cast<size_t>(n.inputs[k]));
      if (t.is_const) weights = std::max<uint64_t>(weights, static_cast<uint64_t>(t.elements()));
    }
    const uint64_t channels = out.rank > 0 && out.dims[out.rank - 1] > 0 ? out.dims[out.rank - 1] : 1;
    macs += static_cast<uint64_t>(out.elements()) * std::max<uint64_t>(1, weights / channels);
  }
  return macs;
}

// Zeroes every (non-constant) input and runs the model once.
Status InvokeWithZeroInput(Interpreter& interp) {
  for (size_t i = 0; i < interp.inputs_size(); ++i) {
    Tensor* t = interp.input(i);
    if (t->data != nullptr && !t->is_const) memset(t->data, 0, t->bytes);
  }
  return interp.Invoke();
}

Reference Describe(uint8_t* data, size_t size) {
  Reference r;
  r.is_const_data.assign(size, 0);
  Model m;
  ErrorText err;
  if (m.Init(data, size, &err) == Status::kOk) {
    for (uint32_t i = 0; i < m.num_tensors(); ++i) {
      TensorView v;
      if (m.GetTensor(i, &v, &err) != Status::kOk || v.data == nullptr) continue;
      const size_t begin = static_cast<size_t>(v.data - data);
      std::fill(r.is_const_data.begin() + begin, r.is_const_data.begin() + begin + v.data_bytes, 1);
      r.const_data_end = std::max(r.const_data_end, begin + v.data_bytes);
    }
  }
  Interpreter interp(data, size, SharedArena(), kArenaBytes);
  r.status = interp.AllocateTensors();
  r.error = interp.error();
  if (r.status == Status::kOk) {
    r.arena_used = interp.arena_used_bytes();
    r.macs = ApproxMacs(interp);
    EXPECT_EQ(InvokeWithZeroInput(interp), Status::kOk);
    const Tensor* out = interp.output(0);
    r.output.assign(out->data, out->data + out->bytes);
  }
  return r;
}

// ---- (a) every truncation ---------------------------------------------------
//
// Each prefix length 0..size-1 of every model, all of them: a failing prefix
// costs about 1 us under ASan (the reader stops at the first tensor whose
// bytes are missing), so the ~3.1 M prefixes of the nine models take a few
// seconds and no sampling is needed.
//
// Property checked: every prefix shorter than the end of the last constant
// tensor's data is refused with a message (that data is needed, so a load
// would be silent garbage). A longer prefix may in principle load (a .tflite
// can end with bytes nothing references); if one does, it must be the same
// model (same arena, same output on a zero input). For the golden models every
// prefix is in fact refused, and that is asserted too, so a reader change that
// starts accepting truncated files is noticed.
TEST(Robustness, EveryTruncationIsRefused) {
  ASSERT_FALSE(Models().empty());
  const auto start = std::chrono::steady_clock::now();
  size_t total_prefixes = 0;
  for (const GoldenModel& gm : Models()) {
    ExactBytes buf(gm.bytes);
    const Reference ref = Describe(buf.data(), buf.size());
    const size_t size = buf.size();
    size_t loaded = 0, first_loaded = size;
    size_t by_status[16] = {};
    // Bytes [L, size) are poisoned while prefix L is tried; the sweep goes
    // up, unpoisoning one byte per step.
    MOTE_POISON(buf.data(), size);
    for (size_t len = 0; len < size; ++len) {
      Interpreter interp(buf.data(), len, SharedArena(), kArenaBytes);
      const Status s = interp.AllocateTensors();
      ++by_status[static_cast<int>(s) & 15];
      if (s != Status::kOk) {
        if (interp.error()[0] == '\0') {
          ADD_FAILURE() << gm.name << ": prefix " << len << " refused (" << StatusName(s)
                        << ") without a message";
        }
      } else {
        ++loaded;
        first_loaded = std::min(first_loaded, len);
        EXPECT_GE(len, ref.const_data_end) << gm.name << ": prefix " << len
                                           << " loads without all its constant data";
        EXPECT_EQ(ref.status, Status::kOk) << gm.name << ": prefix " << len
                                           << " loads but the whole model does not";
        EXPECT_EQ(interp.arena_used_bytes(), ref.arena_used) << gm.name << " prefix " << len;
        MOTE_UNPOISON(buf.data(), size);  // Invoke only reads [0, len), but be lenient
        EXPECT_EQ(InvokeWithZeroInput(interp), Status::kOk);
        const Tensor* out = interp.output(0);
        EXPECT_TRUE(std::vector<uint8_t>(out->data, out->data + out->bytes) == ref.output)
            << gm.name << ": prefix " << len << " loads but computes something else";
        MOTE_POISON(buf.data() + len, size - len);
      }
      MOTE_UNPOISON(buf.data() + len, 1);
    }
    total_prefixes += size;
    std::printf("[ truncate ] %-20s %8zu prefixes: %zu refused (truncated %zu, bad model %zu, "
                "other %zu), %zu loaded%s\n",
                gm.name.c_str(), size, size - loaded, by_status[int(Status::kTruncated)],
                by_status[int(Status::kBadModel)],
                size - loaded - by_status[int(Status::kTruncated)] -
                    by_status[int(Status::kBadModel)],
                loaded, loaded ? (" from " + std::to_string(first_loaded)).c_str() : "");
    // The strongest property that holds for the golden models.
    EXPECT_EQ(loaded, 0u) << gm.name << ": a truncated file loads (first at " << first_loaded
                          << " of " << size << " bytes)";
  }
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("[ truncate ] %zu prefixes of %zu models in %.1f s\n", total_prefixes,
              Models().size(), secs);
}

// ---- (b) single-byte mutations ---------------------------------------------

// A small deterministic generator (splitmix64), identical on every platform.
class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(seed) {}
  uint64_t Next() {
    uint64_t z = (s_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  size_t Below(size_t n) { return static_cast<size_t>(Next() % n); }

 private:
  uint64_t s_;
};

// Per model, 85% of the mutations hit bytes outside constant tensor data
// (tables, vtables, offsets, shapes, quantization, options: where the reader
// and the Prepare functions must catch bad values) and 15% bytes inside it
// (the model usually still loads; Invoke then runs on the changed weights,
// e.g. a huge bias). Every mutation that loads is also run once, and about
// half of them load, so the time goes into Invoke: 20-35 ms under ASan for
// the models above 1 M multiply-accumulates (kws, resnet8, mobilenet) against
// 0.3-2 ms for the others. Those get kHeavyMutations each, the rest
// kLightMutations: with the nine golden models, 5 x 300 + 4 x 2,200 = 10,300
// mutations in ~25 s of CPU under ASan. (The reader and kernels are shared,
// so what a mutation can break is the same in every model; tests/fuzz/ and a
// longer run of this loop with other seeds cover more.)
constexpr uint64_t kHeavyMacs = 1000000;
constexpr int kHeavyMutations = 300;
constexpr int kLightMutations = 2200;
constexpr int kWeightsPercent = 15;
constexpr uint64_t kSeed = 20240611;

TEST(Robustness, SingleByteMutationsNeverCrash) {
  ASSERT_FALSE(Models().empty());
  const auto start = std::chrono::steady_clock::now();
  Rng rng(kSeed);
  size_t total = 0, total_rejected = 0, total_ran = 0;
  for (const GoldenModel& gm : Models()) {
    ExactBytes buf(gm.bytes);
    const Reference ref = Describe(buf.data(), buf.size());
    std::vector<uint32_t> structural, weights;
    for (size_t i = 0; i < buf.size(); ++i)
      (ref.is_const_data[i] ? weights : structural).push_back(static_cast<uint32_t>(i));
    const int count = ref.macs > kHeavyMacs ? kHeavyMutations : kLightMutations;
    const int structural_count = count * (100 - kWeightsPercent) / 100;
    size_t rejected = 0, ran = 0;
    size_t by_status[16] = {};
    const auto model_start = std::chrono::steady_clock::now();
    for (int k = 0; k < count; ++k) {
      const std::vector<uint32_t>& pool =
          (k < structural_count && !structural.empty()) || weights.empty() ? structural : weights;
      const uint32_t pos = pool[rng.Below(pool.size())];
      const uint8_t original = buf.data()[pos];
      const uint8_t value = static_cast<uint8_t>(original ^ (1 + rng.Below(255)));
      buf.data()[pos] = value;
      {
        Interpreter interp(buf.data(), buf.size(), SharedArena(), kArenaBytes);
        const Status s = interp.AllocateTensors();
        ++by_status[static_cast<int>(s) & 15];
        if (s != Status::kOk) {
          ++rejected;
          EXPECT_NE(interp.error()[0], '\0')
              << gm.name << ": byte " << pos << " " << int(original) << "->" << int(value)
              << " refused (" << StatusName(s) << ") without a message";
        } else {
          ++ran;
          EXPECT_EQ(InvokeWithZeroInput(interp), Status::kOk);
        }
      }
      buf.data()[pos] = original;
    }
    const size_t n = static_cast<size_t>(count);
    const double model_secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - model_start).count();
    std::printf("[ mutate   ] %-20s %5zu mutations: %5zu rejected, %5zu loaded and ran, %4.1f s "
                "(bad model %zu, truncated %zu, shape %zu, type %zu, op %zu, arena %zu)\n",
                gm.name.c_str(), n, rejected, ran, model_secs, by_status[int(Status::kBadModel)],
                by_status[int(Status::kTruncated)], by_status[int(Status::kShapeMismatch)],
                by_status[int(Status::kUnsupportedType)] + by_status[int(Status::kHybridModel)],
                by_status[int(Status::kUnsupportedOp)], by_status[int(Status::kArenaTooSmall)]);
    total += n;
    total_rejected += rejected;
    total_ran += ran;
  }
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("[ mutate   ] %zu mutations (seed %llu): %zu rejected, %zu loaded and ran, "
              "in %.1f s\n",
              total, static_cast<unsigned long long>(kSeed), total_rejected, total_ran, secs);
  EXPECT_GE(total, 10000u);
}

// ---- specific messages ------------------------------------------------------

class RobustnessMessages : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string err;
    auto b = host::ReadFile(std::string(MOTE_SHARED_DIR) + "/models/kws_dscnn_int8.tflite", &err);
    ASSERT_TRUE(b.has_value()) << err;
    bytes_ = std::move(*b);
    ASSERT_EQ(model_.Init(bytes_.data(), bytes_.size(), &err_), Status::kOk) << err_.c_str();
  }
  // AllocateTensors() on the first `size` bytes (default: all); the error.
  std::string Load(Status* status, size_t size = SIZE_MAX) {
    Interpreter interp(bytes_.data(), std::min(size, bytes_.size()), SharedArena(),
                       kArenaBytes);
    *status = interp.AllocateTensors();
    return interp.error();
  }
  void PutI32(size_t pos, int32_t v) { memcpy(bytes_.data() + pos, &v, 4); }
  size_t Offset(const void* p) const {
    return static_cast<size_t>(static_cast<const uint8_t*>(p) - bytes_.data());
  }
  // Absolute position of a scalar field of a table, or 0 if absent.
  size_t FieldPos(const FbTable& t, int field) {
    const uint32_t slot = 4 + 2 * static_cast<uint32_t>(field);
    if (slot + 2 > t.vt_size) return 0;
    const uint16_t off = model_.fb().Load<uint16_t>(t.vtable + slot);
    return off == 0 ? 0 : t.pos + off;
  }

  host::AlignedBytes bytes_;
  Model model_;
  ErrorText err_;
};

bool Contains(const std::string& s, const char* part) { return s.find(part) != std::string::npos; }

TEST_F(RobustnessMessages, BadIdentifier) {
  bytes_.data()[5] = 'X';
  Status s;
  const std::string e = Load(&s);
  EXPECT_EQ(s, Status::kBadModel);
  EXPECT_TRUE(Contains(e, "identifier") && Contains(e, "TFL3")) << e;
}

TEST_F(RobustnessMessages, TruncatedFile) {
  Status s;
  std::string e = Load(&s, 5);
  EXPECT_EQ(s, Status::kTruncated);
  EXPECT_TRUE(Contains(e, "5 bytes") && Contains(e, "too short")) << e;
  // Cut inside the weights: the error says what runs past the end, and where.
  const size_t half = bytes_.size() / 2;
  e = Load(&s, half);
  EXPECT_EQ(s, Status::kTruncated) << e;
  EXPECT_TRUE(Contains(e, "past the end of the file") &&
              Contains(e, ("size " + std::to_string(half)).c_str()))
      << e;
}

TEST_F(RobustnessMessages, OperatorInputOutOfRange) {
  OpView op;
  ASSERT_EQ(model_.GetOp(0, &op, &err_), Status::kOk);
  PutI32(Offset(op.inputs), 5000);
  Status s;
  const std::string e = Load(&s);
  EXPECT_EQ(s, Status::kBadModel);
  EXPECT_TRUE(Contains(e, "operator 0 input 0 names tensor 5000, out of range")) << e;
}

TEST_F(RobustnessMessages, ModelInputOutOfRange) {
  FlatBuffer& fb = model_.fb();
  FbTable root, subgraph;
  FbVector subgraphs, inputs;
  ASSERT_TRUE(fb.Root(&root));
  ASSERT_TRUE(fb.VectorField(root, field::kModelSubgraphs, 4, "subgraphs", &subgraphs));
  ASSERT_TRUE(fb.TableElement(subgraphs, 0, "subgraph", &subgraph));
  ASSERT_TRUE(fb.VectorField(subgraph, field::kSubgraphInputs, 4, "inputs", &inputs));
  PutI32(inputs.pos, -3);
  Status s;
  const std::string e = Load(&s);
  EXPECT_EQ(s, Status::kBadModel);
  EXPECT_TRUE(Contains(e, "model input 0 names tensor -3, out of range")) << e;
}

TEST_F(RobustnessMessages, ConvInputWithoutChannels) {
  // Found by the model fuzzer: an input with 0 channels made the grouped-conv
  // check divide by zero (SIGFPE) instead of refusing the model.
  OpView op;
  ASSERT_EQ(model_.GetOp(0, &op, &err_), Status::kOk);  // CONV_2D, input [1,49,10,1]
  TensorView in;
  ASSERT_EQ(model_.GetTensor(static_cast<uint32_t>(op.inputs[0]), &in, &err_), Status::kOk);
  ASSERT_EQ(in.rank, 4);
  PutI32(Offset(in.dims + 3), 0);
  Status s;
  const std::string e = Load(&s);
  EXPECT_EQ(s, Status::kShapeMismatch) << e;
  EXPECT_TRUE(Contains(e, "filter has 1 channels, input has 0")) << e;
}

TEST_F(RobustnessMessages, TensorBufferIndexAndShape) {
  // The first constant tensor: point it at a buffer that does not exist.
  FlatBuffer& fb = model_.fb();
  FbTable root, subgraph, tensor;
  FbVector subgraphs, tensors;
  ASSERT_TRUE(fb.Root(&root));
  ASSERT_TRUE(fb.VectorField(root, field::kModelSubgraphs, 4, "subgraphs", &subgraphs));
  ASSERT_TRUE(fb.TableElement(subgraphs, 0, "subgraph", &subgraph));
  ASSERT_TRUE(fb.VectorField(subgraph, field::kSubgraphTensors, 4, "tensors", &tensors));
  uint32_t index = 0;
  TensorView v;
  for (; index < tensors.length; ++index) {
    ASSERT_EQ(model_.GetTensor(index, &v, &err_), Status::kOk);
    if (v.data != nullptr) break;
  }
  ASSERT_LT(index, tensors.length);
  ASSERT_TRUE(fb.TableElement(tensors, index, "tensor", &tensor));
  const size_t buffer_field = FieldPos(tensor, field::kTensorBuffer);
  ASSERT_NE(buffer_field, 0u);
  PutI32(buffer_field, 99999);
  Status s;
  std::string e = Load(&s);
  EXPECT_EQ(s, Status::kBadModel);
  EXPECT_TRUE(Contains(e, "buffer index 99999 out of range")) << e;
  // Restore it and make a dimension negative instead.
  SetUp();
  ASSERT_EQ(model_.GetTensor(index, &v, &err_), Status::kOk);
  PutI32(Offset(v.dims), -7);
  e = Load(&s);
  EXPECT_EQ(s, Status::kBadModel);
  EXPECT_TRUE(Contains(e, ("tensor " + std::to_string(index) + " dimension 0 is -7").c_str()))
      << e;
  // A dimension that no longer matches the constant data it holds.
  SetUp();
  ASSERT_EQ(model_.GetTensor(index, &v, &err_), Status::kOk);
  PutI32(Offset(v.dims), v.dims[0] + 1);
  e = Load(&s);
  EXPECT_EQ(s, Status::kBadModel);
  EXPECT_TRUE(Contains(e, "bytes of data but its shape needs")) << e;
}

}  // namespace
}  // namespace mote::micro
