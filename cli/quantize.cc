// mote quantize model.f32.bin --data D.npy [--samples 100] [--activations int16]
//     -o model_int8.tflite
#include <cstdio>

#include "cli/commands.h"
#include "host/compress/ptq.h"
#include "host/data/dataset.h"
#include "host/io/file.h"
#include "host/io/loaded_model.h"
#include "host/io/tflite_writer.h"
#include "host/train/model.h"

namespace mote::cli {
namespace {

struct QuantizeOptions {
  std::string weights, data, out;
  std::string activations = "int8";
  int samples = 100;
};

void Quantize(const QuantizeOptions& o) {
  std::string err;
  auto m = train::Sequential::Load(o.weights, &err);
  if (!m) throw CommandError(err);
  auto x = data::LoadArray(o.data, &err);
  if (!x) throw CommandError(err);
  if (!data::ShapeRows(&*x, m->input_shape(), o.data, &err)) throw CommandError(err);
  const size_t n = std::min<size_t>(x->shape[0], static_cast<size_t>(o.samples));
  const train::Tensor rep = data::Rows(*x, 0, n);
  const bool s16 = o.activations == "int16";
  const auto bits = s16 ? compress::ActivationBits::kInt16 : compress::ActivationBits::kInt8;
  auto q = compress::Quantize(*m, rep, bits, &err);
  if (!q) throw CommandError(o.weights + ": " + err);
  const std::vector<uint8_t> bytes = host::WriteTflite(q->model);
  // The device runtime must accept what we wrote.
  auto check = host::LoadedModel::FromBytes(bytes.data(), bytes.size(), &err, 16u << 20);
  if (!check) throw CommandError("internal error: the written model does not load: " + err);
  if (!host::WriteFile(o.out, bytes.data(), bytes.size(), &err)) throw CommandError(err);
  const char* dt = s16 ? "int16" : "int8";
  std::printf("wrote %s: %zu bytes, %zu ops, arena %zu bytes; input %s scale=%g zero_point=%d, "
              "output %s scale=%g zero_point=%d (calibrated on %zu rows of %s)\n",
              o.out.c_str(), bytes.size(), q->model.ops.size(),
              check->interpreter().arena_used_bytes(), dt, q->input.scale, q->input.zero_point,
              dt, q->output.scale, q->output.zero_point, n, o.data.c_str());
}

}  // namespace

void AddQuantize(CLI::App& app) {
  auto o = std::make_shared<QuantizeOptions>();
  auto* cmd = app.add_subcommand(
      "quantize", "Post-training int8 quantization of a trained model (as the TFLite converter\n"
                  "with a representative dataset and int8 input/output): per-channel conv weights,\n"
                  "int32 biases, int8 activations, BatchNorm folded, ReLU fused.\n"
                  "--activations int16 gives TFLite's 16x8 mode instead: the same int8 weights,\n"
                  "symmetric int16 activations and input/output, int64 biases (more accurate,\n"
                  "twice the activation RAM). Examples:\n"
                  "  mote quantize model.bin --data train.npy -o model_int8.tflite\n"
                  "  mote quantize model.bin --data train.npy --activations int16 \\\n"
                  "      -o model_16x8.tflite");
  cmd->add_option("weights", o->weights, "float weights file from `mote train`")->required();
  cmd->add_option("--data,-d", o->data, "representative inputs (.npy or .csv)")->required();
  cmd->add_option("--samples", o->samples, "calibrate on the first N rows (default 100)")
      ->check(CLI::Range(1, 100000000));
  cmd->add_option("--activations", o->activations,
                  "activation type: int8 (default) or int16 (16x8 mode, int8 weights)")
      ->check(CLI::IsMember({"int8", "int16"}));
  cmd->add_option("-o,--output", o->out, ".tflite to write")->required();
  cmd->callback([o] { Quantize(*o); });
}

}  // namespace mote::cli
