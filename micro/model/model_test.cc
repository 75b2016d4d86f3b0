// Reader errors name what is wrong. (Exhaustive truncation/mutation sweeps
// live in tests/robustness_test.cc.)
#include "micro/model/model.h"

#include <gtest/gtest.h>

#include <string>

#include "host/io/file.h"

namespace mote::micro {
namespace {

host::AlignedBytes Load(const char* name) {
  std::string err;
  auto b = host::ReadFile(std::string(MOTE_SHARED_DIR) + "/models/" + name, &err);
  EXPECT_TRUE(b.has_value()) << err;
  return b ? std::move(*b) : host::AlignedBytes();
}

TEST(Model, ReadsKwsStructure) {
  auto bytes = Load("kws_dscnn_int8.tflite");
  Model m;
  ErrorText err;
  ASSERT_EQ(m.Init(bytes.data(), bytes.size(), &err), Status::kOk) << err.c_str();
  EXPECT_EQ(m.num_ops(), 13u);
  EXPECT_EQ(m.num_inputs(), 1u);
  TensorView t;
  ASSERT_EQ(m.GetTensor(m.input(0), &t, &err), Status::kOk);
  EXPECT_EQ(t.type, DType::kInt8);
  ASSERT_EQ(t.rank, 4);
  EXPECT_EQ(t.dims[1], 49);
  EXPECT_EQ(t.dims[2], 10);
  EXPECT_EQ(t.zero_point, 83);
}

TEST(Model, BadIdentifierIsNamed) {
  auto bytes = Load("kws_dscnn_int8.tflite");
  bytes.data()[4] = 'X';
  Model m;
  ErrorText err;
  EXPECT_EQ(m.Init(bytes.data(), bytes.size(), &err), Status::kBadModel);
  EXPECT_NE(std::string(err.c_str()).find("identifier"), std::string::npos) << err.c_str();
}

TEST(Model, TruncatedFileIsNamed) {
  auto bytes = Load("kws_dscnn_int8.tflite");
  Model m;
  ErrorText err;
  EXPECT_NE(m.Init(bytes.data(), 6, &err), Status::kOk);
  EXPECT_NE(std::string(err.c_str()).find("too short"), std::string::npos) << err.c_str();
}

TEST(Model, MisalignedDataRefused) {
  alignas(8) uint8_t buf[64] = {};
  Model m;
  ErrorText err;
  EXPECT_EQ(m.Init(buf + 1, 32, &err), Status::kBadArgument);
}

TEST(ErrorText, FormatsNumbersAndTruncates) {
  ErrorText e;
  e.Add("x=").Add(int64_t{-42}).Add(" y=").Add(int64_t{0});
  EXPECT_STREQ(e.c_str(), "x=-42 y=0");
  for (int i = 0; i < 100; ++i) e.Add("abcdef");
  EXPECT_EQ(std::string(e.c_str()).size(), ErrorText::kCapacity - 1);
}

}  // namespace
}  // namespace mote::micro
