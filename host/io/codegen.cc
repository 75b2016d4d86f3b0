#include "host/io/codegen.h"

#include <cctype>
#include <cinttypes>
#include <cstdarg>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <vector>

#include "host/io/file.h"
#include "host/io/sha256.h"
#include "micro/kernels/kernel_util.h"
#include "micro/kernels/opt/conv_s8.h"
#include "micro/kernels/ref/conv.h"
#include "micro/kernels/ref/fully_connected.h"
#include "micro/kernels/ref/pooling.h"
#include "micro/kernels/ref/elementwise.h"
#include "micro/kernels/ref/softmax.h"
#include "micro/runtime/arena.h"
#include "micro/runtime/interpreter.h"

namespace mote::host {
namespace {

using micro::DType;
using micro::OpId;
using micro::PrepareContext;
using micro::Status;
using micro::Tensor;
namespace ref = micro::ref;
namespace field = micro::field;

std::string Fmt(const char* f, ...) __attribute__((format(printf, 1, 2)));
std::string Fmt(const char* f, ...) {
  char buf[4096];
  va_list ap;
  va_start(ap, f);
  vsnprintf(buf, sizeof(buf), f, ap);
  va_end(ap);
  return buf;
}

// An exact C++ literal of a float (hex float; GCC/Clang builtins for inf, NaN).
std::string FloatLit(float v) {
  if (v == 3.4e38f) return "3.4e38f";
  if (v == -3.4e38f) return "-3.4e38f";
  if (std::isinf(v)) return v > 0 ? "__builtin_huge_valf()" : "-__builtin_huge_valf()";
  if (std::isnan(v)) return "__builtin_nanf(\"\")";
  return Fmt("%af", static_cast<double>(v));
}

const char* CType(DType t) {
  switch (t) {
    case DType::kInt8: return "int8_t";
    case DType::kInt16: return "int16_t";
    case DType::kInt32: return "int32_t";
    case DType::kFloat32: return "float";
    default: return "uint8_t";
  }
}

std::string ShapeText(const Tensor& t) {
  std::string s = "[";
  for (int i = 0; i < t.rank; ++i) s += (i ? "," : "") + std::to_string(t.dims[i]);
  return s + "]";
}

class Generator {
 public:
  Generator(micro::Interpreter& in, const uint8_t* arena) : in_(in), arena_(arena) {}

  bool Run(std::string* err);
  std::string consts, params, body;
  size_t col_bytes = 0;  // window buffer of the int8 convolutions (opt::Conv2DS8)
  size_t weight_bytes = 0;

 private:
  Tensor* tensors() { return const_cast<Tensor*>(&in_.tensor(0)); }
  // Expression for tensor i's data as `const T*` / `T*`.
  std::string Ptr(int i, bool mut = false);
  std::string Shape(int i);
  std::string Quant(PrepareContext& ctx, int channels, int node);
  bool Fail(std::string* err, int node, const std::string& why) {
    *err = Fmt("op %d (%s): ", node, micro::OpName(in_.node(node).op)) + why;
    return false;
  }

  micro::Interpreter& in_;
  const uint8_t* arena_;
  std::map<int, std::string> const_names_;
  std::map<std::string, std::string> shapes_;
};

std::string Generator::Ptr(int i, bool mut) {
  const Tensor& t = in_.tensor(i);
  if (t.is_const) {
    auto it = const_names_.find(i);
    if (it != const_names_.end()) return it->second;
    const std::string name = Fmt("kTensor%d", i);
    const_names_[i] = name;
    const int n = static_cast<int>(t.bytes / micro::DTypeSize(t.type));
    consts += Fmt("// tensor %d: %s %s\nalignas(16) static const %s %s[%d] = {", i,
                  micro::DTypeName(t.type), ShapeText(t).c_str(), CType(t.type), name.c_str(), n);
    for (int k = 0; k < n; ++k) {
      if (k % 16 == 0) consts += "\n ";
      switch (t.type) {
        case DType::kInt8: consts += Fmt(" %d,", t.as<int8_t>()[k]); break;
        case DType::kInt16: consts += Fmt(" %d,", t.as<int16_t>()[k]); break;
        case DType::kInt32: consts += Fmt(" %" PRId32 ",", t.as<int32_t>()[k]); break;
        case DType::kFloat32: consts += " " + FloatLit(t.as<float>()[k]) + ","; break;
        default: consts += Fmt(" %u,", t.data[k]); break;
      }
    }
    consts += "\n};\n";
    weight_bytes += t.bytes;
    return name;
  }
  const long off = static_cast<long>(t.data - arena_);
  return Fmt("reinterpret_cast<%s%s*>(g_arena + %ld)", mut ? "" : "const ", CType(t.type), off);
}

std::string Generator::Shape(int i) {
  const ref::Shape4 s = in_.tensor(i).Shape4();
  const std::string key = Fmt("{%d, %d, %d, %d}", s.n, s.h, s.w, s.c);
  auto it = shapes_.find(key);
  if (it != shapes_.end()) return it->second;
  const std::string name = Fmt("kShape%zu", shapes_.size());
  shapes_[key] = name;
  params += "constexpr ref::Shape4 " + name + key + ";\n";
  return name;
}

// Requantization multipliers of a conv-like node (as Prepare computes them).
std::string Generator::Quant(PrepareContext& ctx, int channels, int node) {
  ref::ChannelQuant q;
  if (micro::ChannelMultipliers(ctx, channels, &q) != Status::kOk) return "";
  const std::string name = Fmt("kQuant%d", node);
  if (q.channel_mult != nullptr) {
    std::string m = Fmt("static const int32_t %sMult[%d] = {", name.c_str(), channels);
    std::string s = Fmt("static const int8_t %sShift[%d] = {", name.c_str(), channels);
    for (int c = 0; c < channels; ++c) {
      m += Fmt("%s%" PRId32 ",", c % 8 ? " " : "\n  ", q.channel_mult[c]);
      s += Fmt("%s%d,", c % 16 ? " " : "\n  ", q.channel_shift[c]);
    }
    params += m + "\n};\n" + s + "\n};\n";
    params += Fmt("constexpr ref::ChannelQuant %s = [] {\n  ref::ChannelQuant q;\n"
                  "  q.channel_mult = %sMult;\n  q.channel_shift = %sShift;\n  return q;\n}();\n",
                  name.c_str(), name.c_str(), name.c_str());
  } else {
    params += Fmt("constexpr ref::ChannelQuant %s = [] {\n  ref::ChannelQuant q;\n"
                  "  q.mult = %" PRId32 ";\n  q.shift = %" PRId32 ";\n  return q;\n}();\n",
                  name.c_str(), q.mult, q.shift);
  }
  return name;
}

bool Generator::Run(std::string* err) {
  micro::Model& model = in_.model();
  std::vector<uint8_t> scratch_buf(1 << 20);
  for (int i = 0; i < static_cast<int>(in_.num_nodes()); ++i) {
    micro::Node node = in_.node(i);
    micro::OpView op;
    micro::ErrorText etext;
    if (model.GetOp(static_cast<uint32_t>(i), &op, &etext) != Status::kOk)
      return Fail(err, i, etext.c_str());
    micro::Arena scratch(scratch_buf.data(), scratch_buf.size());
    PrepareContext ctx(&model, tensors(), &node, &op, i, &scratch, &etext);
    const int o = node.outputs[0];
    const Tensor& out = in_.tensor(o);
    const int a = node.num_inputs > 0 ? node.inputs[0] : -1;
    const Tensor* x = a >= 0 ? &in_.tensor(a) : nullptr;
    const bool s8 = x != nullptr && x->type == DType::kInt8;
    if ((x != nullptr && x->type == DType::kInt16) || out.type == DType::kInt16)
      return Fail(err, i, "int16 (16x8) operators are not supported by codegen yet; "
                          "run this model with the interpreter");
    const std::string pname = Fmt("kParams%d", i);
    body += Fmt("  // op %d: %s -> tensor %d %s %s\n", i, micro::OpName(node.op), o,
                micro::DTypeName(out.type), ShapeText(out).c_str());
    switch (node.op) {
      case OpId::kConv2D:
      case OpId::kDepthwiseConv2D: {
        const bool dw = node.op == OpId::kDepthwiseConv2D;
        const int f = node.inputs[1];
        const int b = node.num_inputs > 2 ? node.inputs[2] : -1;
        const ref::Shape4 is = x->Shape4(), fs = in_.tensor(f).Shape4(), os = out.Shape4();
        ref::ConvParams p;
        p.stride_w = ctx.OptionI32(dw ? field::kDwStrideW : field::kConvStrideW, 1);
        p.stride_h = ctx.OptionI32(dw ? field::kDwStrideH : field::kConvStrideH, 1);
        p.dilation_w = ctx.OptionI32(dw ? field::kDwDilationW : field::kConvDilationW, 1);
        p.dilation_h = ctx.OptionI32(dw ? field::kDwDilationH : field::kConvDilationH, 1);
        const uint8_t act = ctx.OptionU8(dw ? field::kDwActivation : field::kConvActivation, 0);
        p.depth_multiplier = dw ? fs.c / is.c : 1;
        p.pad_h = ref::LeadingPadding(is.h, fs.h, p.stride_h, p.dilation_h, os.h);
        p.pad_w = ref::LeadingPadding(is.w, fs.w, p.stride_w, p.dilation_w, os.w);
        std::string q;
        if (s8) {
          p.input_offset = -x->zero_point;
          p.output_offset = out.zero_point;
          if (ctx.ActivationRangeS8(act, out, &p.act_min, &p.act_max) != Status::kOk)
            return Fail(err, i, etext.c_str());
          q = Quant(ctx, dw ? fs.c : fs.n, i);
          if (q.empty()) return Fail(err, i, etext.c_str());
        } else if (ctx.ActivationRangeF32(act, &p.act_min_f, &p.act_max_f) != Status::kOk) {
          return Fail(err, i, etext.c_str());
        }
        params += Fmt("constexpr ref::ConvParams %s = [] {\n  ref::ConvParams p;\n"
                      "  p.stride_h = %d;\n  p.stride_w = %d;\n  p.dilation_h = %d;\n"
                      "  p.dilation_w = %d;\n  p.pad_h = %d;\n  p.pad_w = %d;\n"
                      "  p.depth_multiplier = %d;\n",
                      pname.c_str(), p.stride_h, p.stride_w, p.dilation_h, p.dilation_w,
                      p.pad_h, p.pad_w, p.depth_multiplier);
        if (s8)
          params += Fmt("  p.input_offset = %" PRId32 ";\n  p.output_offset = %" PRId32
                        ";\n  p.act_min = %" PRId32 ";\n  p.act_max = %" PRId32 ";\n",
                        p.input_offset, p.output_offset, p.act_min, p.act_max);
        else
          params += "  p.act_min_f = " + FloatLit(p.act_min_f) + ";\n  p.act_max_f = " +
                    FloatLit(p.act_max_f) + ";\n";
        params += "  return p;\n}();\n";
        const std::string bias = b >= 0 ? Ptr(b) : "nullptr";
        if (s8 && !dw && micro::opt::Conv2DS8Applies(is, fs)) {  // as the interpreter
          const size_t bytes = static_cast<size_t>(micro::opt::Conv2DS8ColBytes(fs));
          if (bytes > col_bytes) col_bytes = bytes;
          body += Fmt("  opt::Conv2DS8(%s, ", pname.c_str()) + q + ", " + bias + ", g_col, " +
                  Shape(a) + ", " + Ptr(a) + ",\n      " + Shape(f) + ", " + Ptr(f) + ", " +
                  Shape(o) + ", " + Ptr(o, true) + ");\n";
          break;
        }
        if (s8 && dw && micro::opt::DepthwiseConv2DS8Applies(p, fs)) {  // as the interpreter
          body += Fmt("  opt::DepthwiseConv2DS8(%s, ", pname.c_str()) + q + ", " + bias + ", " +
                  Shape(a) + ", " + Ptr(a) + ",\n      " + Shape(f) + ", " + Ptr(f) + ", " +
                  Shape(o) + ", " + Ptr(o, true) + ");\n";
          break;
        }
        const char* fn = dw ? (s8 ? "DepthwiseConv2DPerChannelS8" : "DepthwiseConv2DF32")
                            : (s8 ? "Conv2DPerChannelS8" : "Conv2DF32");
        body += Fmt("  ref::%s(%s, ", fn, pname.c_str()) + (s8 ? q + ", " : "") + Shape(a) +
                ", " + Ptr(a) + ",\n      " + Shape(f) + ", " + Ptr(f) + ", " + bias + ", " +
                Shape(o) + ",\n      " + Ptr(o, true) + ");\n";
        break;
      }
      case OpId::kFullyConnected: {
        const int w = node.inputs[1];
        const int b = node.num_inputs > 2 ? node.inputs[2] : -1;
        const Tensor& wt = in_.tensor(w);
        const int units = wt.dims[0], depth = wt.dims[1];
        const int batches = x->elements() / depth;
        ref::FullyConnectedParams p;
        const uint8_t act = ctx.OptionU8(field::kFcActivation, 0);
        std::string q;
        if (s8) {
          p.input_offset = -x->zero_point;
          p.weights_offset = -wt.zero_point;
          p.output_offset = out.zero_point;
          if (ctx.ActivationRangeS8(act, out, &p.act_min, &p.act_max) != Status::kOk)
            return Fail(err, i, etext.c_str());
          q = Quant(ctx, units, i);
          if (q.empty()) return Fail(err, i, etext.c_str());
          params += Fmt("constexpr ref::FullyConnectedParams %s = [] {\n"
                        "  ref::FullyConnectedParams p;\n  p.input_offset = %" PRId32
                        ";\n  p.weights_offset = %" PRId32 ";\n  p.output_offset = %" PRId32
                        ";\n  p.act_min = %" PRId32 ";\n  p.act_max = %" PRId32
                        ";\n  return p;\n}();\n",
                        pname.c_str(), p.input_offset, p.weights_offset, p.output_offset,
                        p.act_min, p.act_max);
        } else {
          if (ctx.ActivationRangeF32(act, &p.act_min_f, &p.act_max_f) != Status::kOk)
            return Fail(err, i, etext.c_str());
          params += "constexpr ref::FullyConnectedParams " + pname +
                    " = [] {\n  ref::FullyConnectedParams p;\n  p.act_min_f = " +
                    FloatLit(p.act_min_f) + ";\n  p.act_max_f = " + FloatLit(p.act_max_f) +
                    ";\n  return p;\n}();\n";
        }
        const std::string bias = b >= 0 ? Ptr(b) : "nullptr";
        if (s8 && micro::opt::FullyConnectedS8Applies(p)) {  // as the interpreter
          body += Fmt("  opt::FullyConnectedS8(%s, ", pname.c_str()) + q + ", " + bias +
                  Fmt(", %d, %d, %d,\n      ", batches, depth, units) + Ptr(a) + ", " +
                  Ptr(w) + ", " + Ptr(o, true) + ");\n";
          break;
        }
        body += Fmt("  ref::%s(%s, ", s8 ? "FullyConnectedS8" : "FullyConnectedF32",
                    pname.c_str()) +
                (s8 ? q + ", " : "") + Fmt("%d, %d, %d,\n      ", batches, depth, units) +
                Ptr(a) + ", " + Ptr(w) + ", " + bias + ", " + Ptr(o, true) + ");\n";
        break;
      }
      case OpId::kAveragePool2D:
      case OpId::kMaxPool2D: {
        ref::PoolParams p;
        p.stride_w = ctx.OptionI32(field::kPoolStrideW, 1);
        p.stride_h = ctx.OptionI32(field::kPoolStrideH, 1);
        p.filter_w = ctx.OptionI32(field::kPoolFilterW, 1);
        p.filter_h = ctx.OptionI32(field::kPoolFilterH, 1);
        const ref::Shape4 is = x->Shape4(), os = out.Shape4();
        p.pad_h = ref::LeadingPadding(is.h, p.filter_h, p.stride_h, 1, os.h);
        p.pad_w = ref::LeadingPadding(is.w, p.filter_w, p.stride_w, 1, os.w);
        const uint8_t act = ctx.OptionU8(field::kPoolActivation, 0);
        const Status st = s8 ? ctx.ActivationRangeS8(act, out, &p.act_min, &p.act_max)
                             : ctx.ActivationRangeF32(act, &p.act_min_f, &p.act_max_f);
        if (st != Status::kOk) return Fail(err, i, etext.c_str());
        params += Fmt("constexpr ref::PoolParams %s = [] {\n  ref::PoolParams p;\n"
                      "  p.stride_h = %d;\n  p.stride_w = %d;\n  p.filter_h = %d;\n"
                      "  p.filter_w = %d;\n  p.pad_h = %d;\n  p.pad_w = %d;\n",
                      pname.c_str(), p.stride_h, p.stride_w, p.filter_h, p.filter_w, p.pad_h,
                      p.pad_w);
        if (s8)
          params += Fmt("  p.act_min = %" PRId32 ";\n  p.act_max = %" PRId32 ";\n", p.act_min,
                        p.act_max);
        else
          params += "  p.act_min_f = " + FloatLit(p.act_min_f) + ";\n  p.act_max_f = " +
                    FloatLit(p.act_max_f) + ";\n";
        params += "  return p;\n}();\n";
        const bool avg = node.op == OpId::kAveragePool2D;
        const char* ns = avg && s8 ? "opt" : "ref";  // as the interpreter
        body += Fmt("  %s::%s%s(%s, ", ns, avg ? "AveragePool" : "MaxPool", s8 ? "S8" : "F32",
                    pname.c_str()) +
                Shape(a) + ", " + Ptr(a) + ", " + Shape(o) + ", " + Ptr(o, true) + ");\n";
        break;
      }
      case OpId::kReshape:
      case OpId::kSqueeze:
      case OpId::kExpandDims: {
        if (in_.tensor(a).data != out.data)
          body += Fmt("  memmove(%s, %s, %" PRIu32 ");\n", Ptr(o, true).c_str(),
                      Ptr(a).c_str(), out.bytes);
        else
          body += "  // in place: nothing to do\n";
        break;
      }
      case OpId::kSoftmax: {
        const float beta = ctx.OptionF32(field::kSoftmaxBeta, 1.0f);
        const int depth = x->dims[x->rank - 1];
        const int outer = depth > 0 ? x->elements() / depth : 0;
        if (s8) {
          ref::SoftmaxParamsS8 q;
          ref::SoftmaxPrepareS8(x->scale, beta, &q);
          params += Fmt("constexpr ref::SoftmaxParamsS8 %s = [] {\n  ref::SoftmaxParamsS8 p{};\n"
                        "  p.input_multiplier = %" PRId32 ";\n  p.input_left_shift = %" PRId32
                        ";\n  p.diff_min = %" PRId32 ";\n  return p;\n}();\n",
                        pname.c_str(), q.input_multiplier, q.input_left_shift, q.diff_min);
          body += Fmt("  ref::SoftmaxS8(%s, %d, %d, ", pname.c_str(), outer, depth) + Ptr(a) +
                  ", " + Ptr(o, true) + ");\n";
        } else {
          body += "  ref::SoftmaxF32(" + FloatLit(beta) + Fmt(", %d, %d, ", outer, depth) +
                  Ptr(a) + ", " + Ptr(o, true) + ");\n";
        }
        break;
      }
      case OpId::kAdd: {
        const int b = node.inputs[1];
        const Tensor& y = in_.tensor(b);
        ref::Broadcast bc;
        if (!ref::MakeBroadcast(x->dims, x->rank, y.dims, y.rank, &bc))
          return Fail(err, i, "shapes cannot be broadcast");
        std::string bs = Fmt("constexpr ref::Broadcast %sBroadcast = [] {\n  ref::Broadcast b{};\n"
                             "  b.same = %s;\n  b.rank = %d;\n  b.elements = %d;\n",
                             pname.c_str(), bc.same ? "true" : "false", bc.rank, bc.elements);
        for (int k = 0; k < bc.rank; ++k)
          bs += Fmt("  b.dims[%d] = %d;\n  b.stride_a[%d] = %d;\n  b.stride_b[%d] = %d;\n", k,
                    bc.dims[k], k, bc.stride_a[k], k, bc.stride_b[k]);
        params += bs + "  return b;\n}();\n";
        const uint8_t act = ctx.OptionU8(field::kAddActivation, 0);
        if (s8) {
          int32_t lo, hi;
          if (ctx.ActivationRangeS8(act, out, &lo, &hi) != Status::kOk)
            return Fail(err, i, etext.c_str());
          ref::AddParamsS8 p;
          ref::AddPrepareS8(x->scale, x->zero_point, y.scale, y.zero_point, out.scale,
                            out.zero_point, lo, hi, &p);
          params += Fmt("constexpr ref::AddParamsS8 %s = [] {\n  ref::AddParamsS8 p{};\n"
                        "  p.input1_offset = %d;\n  p.input2_offset = %d;\n  p.output_offset = %d;\n"
                        "  p.input1_mult = %d;\n  p.input2_mult = %d;\n  p.output_mult = %d;\n"
                        "  p.input1_shift = %d;\n  p.input2_shift = %d;\n  p.output_shift = %d;\n"
                        "  p.left_shift = %d;\n  p.act_min = %d;\n  p.act_max = %d;\n"
                        "  return p;\n}();\n",
                        pname.c_str(), int(p.input1_offset), int(p.input2_offset),
                        int(p.output_offset), int(p.input1_mult), int(p.input2_mult),
                        int(p.output_mult), p.input1_shift, p.input2_shift, p.output_shift,
                        p.left_shift, int(p.act_min), int(p.act_max));
          body += Fmt("  ref::AddS8(%s, %sBroadcast, ", pname.c_str(), pname.c_str()) + Ptr(a) +
                  ", " + Ptr(b) + ", " + Ptr(o, true) + ");\n";
        } else {
          float lo, hi;
          if (ctx.ActivationRangeF32(act, &lo, &hi) != Status::kOk)
            return Fail(err, i, etext.c_str());
          body += "  ref::AddF32(" + FloatLit(lo) + ", " + FloatLit(hi) + ", " + pname +
                  "Broadcast, " + Ptr(a) + ", " + Ptr(b) + ", " + Ptr(o, true) + ");\n";
        }
        break;
      }
      default:
        return Fail(err, i, "not supported by `mote codegen` yet (the interpreter runs it)");
    }
  }
  return true;
}

}  // namespace

std::string IdentifierFrom(const std::string& stem) {
  std::string s;
  for (char c : stem) s += (isalnum(static_cast<unsigned char>(c)) ? c : '_');
  if (s.empty() || isdigit(static_cast<unsigned char>(s[0]))) s = "m_" + s;
  return s;
}

bool GenerateCode(const uint8_t* data, size_t size, const CodegenOptions& opt,
                  CodegenResult* out, std::string* err) {
  AlignedBytes arena(size_t{64} << 20);  // as the host CLI; only the plan matters
  micro::Interpreter in(data, size, arena.data(), arena.size());
  if (in.AllocateTensors() != Status::kOk) {
    *err = in.error();
    return false;
  }
  Generator g(in, arena.data());
  if (!g.Run(err)) return false;
  const std::string ns = opt.name;
  const std::string banner =
      "// Generated by mote " + opt.version + " (`mote codegen`) from " + opt.model_label +
      "\n// model sha256 " + Sha256Hex(data, size) +
      "\n// Do not edit: regenerate from the model. Kernels: micro/kernels/opt and ref\n"
      "// (bit-exact with the interpreter); parameters were computed on the host.\n";
  const size_t arena_bytes = (in.activation_bytes() + 15) / 16 * 16;
  std::string h = banner + "#ifndef MOTE_GENERATED_" + ns + "_H_\n#define MOTE_GENERATED_" + ns +
                  "_H_\n\n#include <stddef.h>\n#include <stdint.h>\n\nnamespace " + ns +
                  " {\n\n" + Fmt("constexpr size_t kArenaBytes = %zu;  // static, activations only\n",
                                 arena_bytes) +
                  Fmt("constexpr size_t kScratchBytes = %zu;  // static, conv window buffer\n",
                      g.col_bytes) +
                  Fmt("constexpr int kNumInputs = %zu;\nconstexpr int kNumOutputs = %zu;\n\n",
                      in.inputs_size(), in.outputs_size());
  std::string io;
  for (int dir = 0; dir < 2; ++dir) {
    const size_t n = dir == 0 ? in.inputs_size() : in.outputs_size();
    const char* what = dir == 0 ? "input" : "output";
    h += Fmt("// %s(i): the bytes of %s i; %s_bytes(i) its size.\n", what, what, what);
    for (size_t k = 0; k < n; ++k) {
      const Tensor& t = dir == 0 ? *in.input(k) : *in.output(k);
      h += Fmt("//   %s %zu: %s %s", what, k, micro::DTypeName(t.type), ShapeText(t).c_str());
      if (t.quantized) h += Fmt(" scale=%.9g zero_point=%d", t.scale, int(t.zero_point));
      h += Fmt(", %u bytes\n", t.bytes);
    }
    h += Fmt("uint8_t* %s(int i);\nsize_t %s_bytes(int i);\n\n", what, what);
    io += Fmt("uint8_t* %s(int i) {\n  switch (i) {\n", what);
    std::string sizes = Fmt("size_t %s_bytes(int i) {\n  switch (i) {\n", what);
    for (size_t k = 0; k < n; ++k) {
      const Tensor& t = dir == 0 ? *in.input(k) : *in.output(k);
      io += Fmt("    case %zu: return g_arena + %ld;\n", k, long(t.data - arena.data()));
      sizes += Fmt("    case %zu: return %u;\n", k, t.bytes);
    }
    io += "    default: return nullptr;\n  }\n}\n\n" + sizes + "    default: return 0;\n  }\n}\n\n";
  }
  h += "// Runs the model on the bytes in input(); results in output().\nvoid Invoke();\n\n}  // namespace " +
       ns + "\n\n#endif  // MOTE_GENERATED_" + ns + "_H_\n";
  std::string c = banner + "#include \"" + ns + ".h\"\n\n#include <string.h>\n\n" +
                  "#include \"micro/kernels/opt/conv_s8.h\"\n"
                  "#include \"micro/kernels/opt/pool_s8.h\"\n"
                  "#include \"micro/kernels/ref/conv.h\"\n"
                  "#include \"micro/kernels/ref/elementwise.h\"\n"
                  "#include \"micro/kernels/ref/fully_connected.h\"\n"
                  "#include \"micro/kernels/ref/pooling.h\"\n"
                  "#include \"micro/kernels/ref/softmax.h\"\n\n"
                  "namespace " + ns + " {\nnamespace {\n\nnamespace ref = mote::micro::ref;\n" +
                  "namespace opt = mote::micro::opt;\n\n" +
                  "alignas(16) uint8_t g_arena[kArenaBytes];\n" +
                  (g.col_bytes > 0 ? "alignas(16) int16_t g_col[kScratchBytes / 2];\n" : "") +
                  "\n// ---- weights ----\n" + g.consts +
                  "\n// ---- kernel parameters (computed by mote on the host) ----\n" + g.params +
                  "\n}  // namespace\n\n" + io + "void Invoke() {\n" + g.body + "}\n\n}  // namespace " +
                  ns + "\n";
  out->header = std::move(h);
  out->source = std::move(c);
  out->arena_bytes = arena_bytes;
  out->weight_bytes = g.weight_bytes;
  return true;
}

}  // namespace mote::host
