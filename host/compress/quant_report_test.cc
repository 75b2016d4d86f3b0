// The quantization report: SQNR against an independent computation from the
// int8 model's own outputs, weight ranges of known weights, suggestions, HTML.
#include "host/compress/quant_report.h"

#include <cmath>

#include <gtest/gtest.h>

#include "host/compress/evaluate.h"
#include "host/io/tflite_writer.h"
#include "host/report/quant_html.h"
#include "host/train/rng.h"

namespace mote::compress {
namespace {

using train::Tensor;

std::unique_ptr<train::Sequential> Model(const nlohmann::json& layers, train::Shape in) {
  std::string err;
  auto m = train::Sequential::FromJson({{"input_shape", in}, {"loss", "mse"}, {"layers", layers}}, 1, &err);
  EXPECT_TRUE(m) << err;
  return m;
}

Tensor Normal(int n, train::Shape shape, uint64_t seed) {
  shape.insert(shape.begin(), n);
  Tensor t(shape);
  train::Rng rng(seed);
  for (float& v : t.data) v = rng.Normal(0.0f, 1.0f);
  return t;
}

TEST(QuantReport, SqnrOfLastLayerMatchesInt8Outputs) {
  auto m = Model({{{"type", "Conv1D"}, {"filters", 3}, {"kernel_size", 3}, {"activation", "relu"}},
                  {{"type", "Flatten"}},
                  {{"type", "Dense"}, {"units", 2}}},
                 {10, 1});
  const Tensor x = Normal(50, {10, 1}, 2);
  std::string err;
  auto q = QuantizeInt8(*m, x, &err);
  ASSERT_TRUE(q) << err;
  auto r = MakeQuantReport(*m, *q, x, &err);
  ASSERT_TRUE(r) << err;
  ASSERT_EQ(r->layers.size(), 2u);  // conv_0 (+ReLU), the Dense output; RESHAPEs are skipped
  EXPECT_EQ(r->layers[0].layers, "Conv1D+ReLU");
  // Independent SQNR of the model output: float Predict vs the int8 run.
  const Tensor f = m->Predict(x);
  auto run = RunInt8(host::WriteTflite(q->model), x, &err);
  ASSERT_TRUE(run) << err;
  double sig = 0, noise = 0;
  for (size_t i = 0; i < f.data.size(); ++i) {
    sig += double(f.data[i]) * f.data[i];
    noise += std::pow(double(f.data[i]) - run->dequantized.data[i], 2);
  }
  ASSERT_GT(noise, 0);
  EXPECT_NEAR(r->layers[1].sqnr_db, 10 * std::log10(sig / noise), 1e-6);
  EXPECT_GT(r->layers[1].sqnr_db, 20.0);  // int8 of a small net: far above noise
  EXPECT_NEAR(r->layers[1].sqnr_drop_db, r->layers[0].sqnr_db - r->layers[1].sqnr_db, 1e-9);
  EXPECT_LE(r->worst.size(), 2u);
  const auto j = r->ToJson();
  EXPECT_EQ(j["layers"].size(), 2u);
  EXPECT_TRUE(j["layers"][0].contains("weights"));
}

TEST(QuantReport, WeightRangesPerChannel) {
  auto m = Model({{{"type", "Conv1D"}, {"filters", 2}, {"kernel_size", 2}, {"use_bias", false}}}, {4, 1});
  // kernel [kw=2, cin=1, cout=2]: channel 0 = {0.5, -1}, channel 1 = {4, 2}.
  m->layers()[0]->params()[0].value = {0.5f, 4.0f, -1.0f, 2.0f};
  std::string err;
  const Tensor x = Normal(20, {4, 1}, 3);
  auto q = QuantizeInt8(*m, x, &err);
  ASSERT_TRUE(q) << err;
  auto r = MakeQuantReport(*m, *q, x, &err);
  ASSERT_TRUE(r) << err;
  ASSERT_EQ(r->layers.size(), 1u);
  const auto& l = r->layers[0];
  ASSERT_TRUE(l.has_weights);
  EXPECT_TRUE(l.per_channel);
  EXPECT_EQ(l.channel_min, (std::vector<float>{-1.0f, 2.0f}));
  EXPECT_EQ(l.channel_max, (std::vector<float>{0.5f, 4.0f}));
  EXPECT_NEAR(l.channel_range_ratio, 2.0 / 1.75, 1e-9);  // ranges 1.5 and 2: max 2 / median 1.75
}

TEST(QuantReport, OutlierActivationSuggestsClipping) {
  auto m = Model({{{"type", "Dense"}, {"units", 1}, {"use_bias", false}}}, {1});
  m->layers()[0]->params()[0].value = {1.0f};
  Tensor x = Normal(2000, {1}, 4);
  x.data[7] = 100.0f;  // one value sets the range: most inputs get a handful of int8 levels
  std::string err;
  auto q = QuantizeInt8(*m, x, &err);
  ASSERT_TRUE(q) << err;
  auto r = MakeQuantReport(*m, *q, x, &err);
  ASSERT_TRUE(r) << err;
  ASSERT_EQ(r->layers.size(), 1u);
  EXPECT_GT(r->layers[0].act_outlier_ratio, 4.0);
  EXPECT_EQ(r->layers[0].suggestion, "clip outliers");
  const std::string html = host::QuantReportHtml(*r);
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_NE(html.find("clip outliers"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
}

TEST(QuantReport, EmptyCalibrationIsAnError) {
  auto m = Model({{{"type", "Dense"}, {"units", 1}}}, {1});
  std::string err;
  auto q = QuantizeInt8(*m, Normal(4, {1}, 1), &err);
  ASSERT_TRUE(q) << err;
  EXPECT_FALSE(MakeQuantReport(*m, *q, Tensor(), &err));
  EXPECT_NE(err.find("empty"), std::string::npos);
}

}  // namespace
}  // namespace mote::compress
