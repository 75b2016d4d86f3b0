// 16x8 models end to end through the interpreter (host): hand-derived
// outputs, and Prepare's errors for models the 16x8 kernels must refuse.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "host/io/loaded_model.h"
#include "host/io/tflite_writer.h"

namespace mote {
namespace {

using host::TfliteModel;
using host::TfliteOp;
using host::TfliteTensor;
using micro::DType;

template <typename T>
std::vector<uint8_t> Bytes(const std::vector<T>& v) {
  std::vector<uint8_t> b(v.size() * sizeof(T));
  std::memcpy(b.data(), v.data(), b.size());
  return b;
}

std::unique_ptr<host::LoadedModel> Load(const TfliteModel& m, std::string* err) {
  const std::vector<uint8_t> bytes = host::WriteTflite(m);
  return host::LoadedModel::FromBytes(bytes.data(), bytes.size(), err, 1 << 20);
}

// FULLY_CONNECTED int16 [1,4] x int8 [2,4] + bias -> int16 [1,2]; input scale
// 0.5, weights 1, output 1: out = (sum w x + bias) / 2.
TfliteModel Fc(int32_t in_zp, DType bias_type, int64_t bias0) {
  TfliteModel m;
  const int in = m.AddTensor({"in", {1, 4}, DType::kInt16, {}, {0.5f}, {in_zp}});
  const int w = m.AddTensor({"w", {2, 4}, DType::kInt8,
                             Bytes(std::vector<int8_t>{1, 2, 3, 4, -1, 0, 1, 0}), {1.0f}, {0}});
  std::vector<uint8_t> b = bias_type == DType::kInt64
                               ? Bytes(std::vector<int64_t>{bias0, 0})
                               : Bytes(std::vector<int32_t>{static_cast<int32_t>(bias0), 0});
  if (bias_type == DType::kInt16) b = Bytes(std::vector<int16_t>{4, 0});
  const int bias = m.AddTensor({"b", {2}, bias_type, b, {0.5f}, {0}});
  const int out = m.AddTensor({"out", {1, 2}, DType::kInt16, {}, {1.0f}, {0}});
  TfliteOp op;
  op.builtin = 9;
  op.inputs = {in, w, bias};
  op.outputs = {out};
  m.ops.push_back(op);
  m.inputs = {in};
  m.outputs = {out};
  return m;
}

TEST(Int16Model, FullyConnectedInt64AndInt32Bias) {
  for (DType bt : {DType::kInt64, DType::kInt32}) {
    std::string err;
    auto lm = Load(Fc(0, bt, 4), &err);
    ASSERT_TRUE(lm) << err;
    auto& it = lm->interpreter();
    const int16_t x[4] = {10, 20, 30, 40};
    std::memcpy(it.input(0)->data, x, sizeof(x));
    ASSERT_EQ(it.Invoke(), micro::Status::kOk);
    const int16_t* y = it.output(0)->as<int16_t>();
    EXPECT_EQ(y[0], 152);  // (10 + 40 + 90 + 160 + 4) / 2
    EXPECT_EQ(y[1], 10);   // (-10 + 30) / 2
  }
}

TEST(Int16Model, RefusesAsymmetricActivations) {
  std::string err;
  EXPECT_FALSE(Load(Fc(3, DType::kInt64, 4), &err));
  EXPECT_NE(err.find("zero point is 3"), std::string::npos) << err;
  EXPECT_NE(err.find("symmetric"), std::string::npos) << err;
}

TEST(Int16Model, RefusesOverflowingOrWrongBias) {
  std::string err;
  EXPECT_FALSE(Load(Fc(0, DType::kInt64, int64_t{1} << 47), &err));
  EXPECT_NE(err.find("accumulator"), std::string::npos) << err;
  EXPECT_FALSE(Load(Fc(0, DType::kInt32, 2147400000), &err));  // + 10 * 32768 > 2^31 - 1
  EXPECT_NE(err.find("int32 accumulator"), std::string::npos) << err;
  EXPECT_FALSE(Load(Fc(0, DType::kInt16, 4), &err));
  EXPECT_NE(err.find("int64 or int32 bias"), std::string::npos) << err;
}

// One-op model: in -> op -> out.
TfliteModel Unary(int builtin, TfliteTensor in_t, TfliteTensor out_t) {
  TfliteModel m;
  const int in = m.AddTensor(std::move(in_t));
  const int out = m.AddTensor(std::move(out_t));
  TfliteOp op;
  op.builtin = builtin;
  op.inputs = {in};
  op.outputs = {out};
  m.ops.push_back(op);
  m.inputs = {in};
  m.outputs = {out};
  return m;
}

TEST(Int16Model, LogisticNeedsQ15Output) {
  std::string err;
  EXPECT_FALSE(Load(Unary(14, {"in", {1, 8}, DType::kInt16, {}, {1.0f / 4096}, {0}},
                          {"out", {1, 8}, DType::kInt16, {}, {1.0f / 256}, {0}}),
                    &err));
  EXPECT_NE(err.find("2^-15"), std::string::npos) << err;
  auto lm = Load(Unary(14, {"in", {1, 2}, DType::kInt16, {}, {1.0f / 4096}, {0}},
                       {"out", {1, 2}, DType::kInt16, {}, {1.0f / 32768}, {0}}),
                 &err);
  ASSERT_TRUE(lm) << err;
  const int16_t x[2] = {0, 32767};
  std::memcpy(lm->interpreter().input(0)->data, x, sizeof(x));
  ASSERT_EQ(lm->interpreter().Invoke(), micro::Status::kOk);
  EXPECT_EQ(lm->interpreter().output(0)->as<int16_t>()[0], 16384);  // sigmoid(0) = 1/2
  // sigmoid(8) = 0.999665 -> 32757.0 (table interpolation within 2).
  EXPECT_NEAR(lm->interpreter().output(0)->as<int16_t>()[1], 32768.0 / (1.0 + std::exp(-8.0)), 2);
}

TEST(Int16Model, QuantizeInt16ToInt8AndBack) {
  std::string err;
  auto lm = Load(Unary(114, {"in", {1, 3}, DType::kInt16, {}, {1.0f / 256}, {0}},
                       {"out", {1, 3}, DType::kInt8, {}, {0.5f}, {3}}),
                 &err);
  ASSERT_TRUE(lm) << err;
  const int16_t x[3] = {256, -256, 384};  // 1.0, -1.0, 1.5
  std::memcpy(lm->interpreter().input(0)->data, x, sizeof(x));
  ASSERT_EQ(lm->interpreter().Invoke(), micro::Status::kOk);
  const int8_t* y = lm->interpreter().output(0)->as<int8_t>();
  EXPECT_EQ(y[0], 5);
  EXPECT_EQ(y[1], 1);
  EXPECT_EQ(y[2], 6);
  // float32 -> int16 rounds half away from zero and saturates.
  auto lf = Load(Unary(114, {"in", {1, 2}, DType::kFloat32, {}, {}, {}},
                       {"out", {1, 2}, DType::kInt16, {}, {0.25f}, {0}}),
                 &err);
  ASSERT_TRUE(lf) << err;
  const float xf[2] = {-0.125f, 1.0e9f};
  std::memcpy(lf->interpreter().input(0)->data, xf, sizeof(xf));
  ASSERT_EQ(lf->interpreter().Invoke(), micro::Status::kOk);
  EXPECT_EQ(lf->interpreter().output(0)->as<int16_t>()[0], -1);
  EXPECT_EQ(lf->interpreter().output(0)->as<int16_t>()[1], 32767);
}

TEST(Int16Model, SoftmaxInt8InInt16Out) {
  std::string err;
  auto lm = Load(Unary(25, {"in", {1, 4}, DType::kInt8, {}, {0.1f}, {0}},
                       {"out", {1, 4}, DType::kInt16, {}, {1.0f / 65536}, {-32768}}),
                 &err);
  ASSERT_TRUE(lm) << err;
  const int8_t x[4] = {7, 7, 7, 7};
  std::memcpy(lm->interpreter().input(0)->data, x, sizeof(x));
  ASSERT_EQ(lm->interpreter().Invoke(), micro::Status::kOk);
  for (int c = 0; c < 4; ++c)  // 1/4 in steps of 2^-16 from -32768
    EXPECT_NEAR(lm->interpreter().output(0)->as<int16_t>()[c], -16384, 2);
  EXPECT_FALSE(Load(Unary(25, {"in", {1, 4}, DType::kInt8, {}, {0.1f}, {0}},
                          {"out", {1, 4}, DType::kInt16, {}, {1.0f / 32768}, {0}}),
                    &err));
  EXPECT_NE(err.find("scale 1/65536"), std::string::npos) << err;
}

}  // namespace
}  // namespace mote
