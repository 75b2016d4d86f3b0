#include "host/dsp/features.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <stdexcept>

namespace mote::host::dsp {
namespace {

using micro::dsp::FeatureType;
using micro::dsp::MelNorm;
using micro::dsp::MelScale;
using micro::dsp::MelTriangles;
using micro::dsp::WindowType;

double ToMel(MelScale s, double hz) {
  if (s == MelScale::kHtk) return 2595.0 * std::log10(1.0 + hz / 700.0);
  const double step = 200.0 / 3.0, log_step = std::log(6.4) / 27.0;
  return hz < 1000.0 ? hz / step : 15.0 + std::log(hz / 1000.0) / log_step;
}
double FromMel(MelScale s, double mel) {
  if (s == MelScale::kHtk) return 700.0 * (std::pow(10.0, mel / 2595.0) - 1.0);
  const double step = 200.0 / 3.0, log_step = std::log(6.4) / 27.0;
  return mel < 15.0 ? mel * step : 1000.0 * std::exp(log_step * (mel - 15.0));
}

// In-place iterative radix-2 complex FFT (forward, unscaled).
void Fft(std::vector<std::complex<double>>& a) {
  const size_t n = a.size();
  for (size_t i = 1, j = 0; i < n; ++i) {
    size_t bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) std::swap(a[i], a[j]);
  }
  for (size_t len = 2; len <= n; len <<= 1) {
    const double ang = -2.0 * M_PI / static_cast<double>(len);
    for (size_t k = 0; k < len / 2; ++k) {
      const std::complex<double> w(std::cos(ang * k), std::sin(ang * k));
      for (size_t i = 0; i < n; i += len) {
        const auto u = a[i + k], v = a[i + k + len / 2] * w;
        a[i + k] = u + v;
        a[i + k + len / 2] = u - v;
      }
    }
  }
}

double Window(WindowType t, int n, int len) {
  const double c = std::cos(2.0 * M_PI * n / len);
  return t == WindowType::kHann ? 0.5 - 0.5 * c : t == WindowType::kHamming ? 0.54 - 0.46 * c : 1.0;
}

}  // namespace

void CheckConfig(const FrontEndConfig& c, const FeatureNorm* norm) {
  micro::ErrorText err;
  if (micro::dsp::ValidateConfig(c, norm, &err) != micro::Status::kOk)
    throw std::invalid_argument(err.c_str());
}

std::vector<float> Int16ToFloat(const int16_t* x, size_t n) {
  std::vector<float> out(n);
  for (size_t i = 0; i < n; ++i) out[i] = static_cast<float>(x[i]) / 32768.0f;
  return out;
}

std::vector<double> MelMatrix(const FrontEndConfig& c) {
  const int bins = c.fft_size / 2 + 1, bands = c.mel_bands;
  std::vector<double> edges(bands + 2), w(static_cast<size_t>(bands) * bins, 0.0);
  const double lo = ToMel(c.mel_scale, c.fmin_hz), hi = ToMel(c.mel_scale, c.fmax_hz);
  for (int i = 0; i < bands + 2; ++i) edges[i] = FromMel(c.mel_scale, lo + (hi - lo) * i / (bands + 1));
  const bool in_mel = c.mel_triangles == MelTriangles::kMel;
  for (int m = 0; m < bands; ++m) {
    double l = edges[m], ctr = edges[m + 1], u = edges[m + 2];
    if (in_mel) {
      l = ToMel(c.mel_scale, l);
      ctr = ToMel(c.mel_scale, ctr);
      u = ToMel(c.mel_scale, u);
    }
    const double scale = c.mel_norm == MelNorm::kSlaney ? 2.0 / (edges[m + 2] - edges[m]) : 1.0;
    for (int k = in_mel ? 1 : 0; k < bins; ++k) {
      const double hz = static_cast<double>(k) * c.sample_rate_hz / c.fft_size;
      const double f = in_mel ? ToMel(c.mel_scale, hz) : hz;
      const double v = std::min((f - l) / (ctr - l), (u - f) / (u - ctr));
      w[static_cast<size_t>(m) * bins + k] = std::max(0.0, v) * scale;
    }
  }
  return w;
}

std::vector<double> LogMelFrames(const FrontEndConfig& c, const std::vector<float>& samples,
                                 int* frames) {
  FrontEndConfig plain = c;
  plain.normalize = 0;  // statistics only matter after the log-mel
  CheckConfig(plain, nullptr);
  const int win = micro::dsp::WindowSamples(c), hop = micro::dsp::HopSamples(c);
  const int n = c.fft_size, bins = n / 2 + 1, bands = c.mel_bands;
  const int t_count = micro::dsp::NumFrames(c, samples.size());
  *frames = t_count;
  // Stream filters over the whole clip: DC blocker, then pre-emphasis.
  std::vector<double> x(samples.begin(), samples.end());
  if (c.dc_alpha > 0) {
    double x1 = 0, y1 = 0;
    for (double& v : x) {
      const double y = v - x1 + static_cast<double>(c.dc_alpha) * y1;
      x1 = v;
      y1 = y;
      v = y;
    }
  }
  std::vector<double> pre(x.size());
  for (size_t i = 0; i < x.size(); ++i)
    pre[i] = x[i] - static_cast<double>(c.preemphasis) * (i > 0 ? x[i - 1] : 0.0);
  const std::vector<double> mel_w = MelMatrix(c);
  std::vector<double> win_w(win), out(static_cast<size_t>(t_count) * bands);
  for (int i = 0; i < win; ++i) win_w[i] = Window(c.window, i, win);
  std::vector<std::complex<double>> buf(n);
  std::vector<double> power(bins);
  const double floor = c.log_floor;
  for (int t = 0; t < t_count; ++t) {
    for (int i = 0; i < n; ++i)
      buf[i] = i < win ? pre[static_cast<size_t>(t) * hop + i] * win_w[i] : 0.0;
    Fft(buf);
    for (int k = 0; k < bins; ++k) power[k] = std::norm(buf[k]);
    for (int m = 0; m < bands; ++m) {
      double e = 0;
      for (int k = 0; k < bins; ++k) e += power[k] * mel_w[static_cast<size_t>(m) * bins + k];
      out[static_cast<size_t>(t) * bands + m] = std::log(std::max(e, floor));
    }
  }
  return out;
}

Features ComputeFeatures(const FrontEndConfig& c, const FeatureNorm* norm,
                         const std::vector<float>& samples) {
  CheckConfig(c, norm);
  int frames = 0;
  const std::vector<double> lm = LogMelFrames(c, samples, &frames);
  const int bands = c.mel_bands, nf = micro::dsp::NumFeatures(c);
  Features f;
  f.frames = frames;
  f.features = nf;
  f.data.resize(static_cast<size_t>(frames) * nf);
  for (int t = 0; t < frames; ++t) {
    const double* row = lm.data() + static_cast<size_t>(t) * bands;
    for (int k = 0; k < nf; ++k) {
      double v = row[k];
      if (c.feature == FeatureType::kMfcc) {
        v = 0;
        for (int m = 0; m < bands; ++m) v += row[m] * std::cos(M_PI * k * (2 * m + 1) / (2.0 * bands));
        v *= std::sqrt((k == 0 ? 1.0 : 2.0) / bands);
      }
      if (c.normalize) v = (v - norm->mean[k]) / norm->std[k];
      f.data[static_cast<size_t>(t) * nf + k] = static_cast<float>(v);
    }
  }
  return f;
}

FeatureNorm FitNorm(const std::vector<Features>& set) {
  FeatureNorm n;
  if (set.empty()) throw std::invalid_argument("FitNorm: no feature matrices");
  const int nf = set[0].features;
  if (nf < 1 || nf > micro::dsp::kMaxFeatures)
    throw std::invalid_argument("FitNorm: " + std::to_string(nf) + " features (1..128)");
  std::vector<double> sum(nf, 0.0), sq(nf, 0.0);
  double count = 0;
  for (const Features& f : set) {
    if (f.features != nf) throw std::invalid_argument("FitNorm: feature counts differ");
    for (int t = 0; t < f.frames; ++t)
      for (int k = 0; k < nf; ++k) sum[k] += f.data[static_cast<size_t>(t) * nf + k];
    count += f.frames;
  }
  if (count == 0) throw std::invalid_argument("FitNorm: no frames");
  for (const Features& f : set)
    for (int t = 0; t < f.frames; ++t)
      for (int k = 0; k < nf; ++k) {
        const double d = f.data[static_cast<size_t>(t) * nf + k] - sum[k] / count;
        sq[k] += d * d;
      }
  n.count = static_cast<uint16_t>(nf);
  for (int k = 0; k < nf; ++k) {
    n.mean[k] = static_cast<float>(sum[k] / count);
    n.std[k] = static_cast<float>(std::max(std::sqrt(sq[k] / count), 1e-6));
  }
  return n;
}

}  // namespace mote::host::dsp
