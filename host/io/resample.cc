#include "host/io/resample.h"

#include <cmath>
#include <cstdint>
#include <numeric>
#include <stdexcept>
#include <string>

namespace mote::host {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kBeta = 9.0;          // Kaiser window: ~90 dB side lobes
constexpr double kZeroCrossings = 32;  // each side of the centre
constexpr double kCutoff = 0.92;       // fraction of the lower Nyquist
constexpr int64_t kMaxTablePhases = 4096;

// Modified Bessel function of the first kind, order 0 (power series).
double BesselI0(double x) {
  double sum = 1, term = 1;
  const double q = x * x / 4;
  for (int k = 1; k < 64; ++k) {
    term *= q / (static_cast<double>(k) * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

struct Filter {
  double fc;      // cut-off, cycles per input sample
  double half;    // half length in input samples
  int64_t reach;  // taps each side: ceil(half)
  double i0_beta;
  // h(t): t in input samples from the interpolation point.
  double At(double t) const {
    const double a = std::fabs(t);
    if (a >= half) return 0;
    const double r = a / half;
    const double w = BesselI0(kBeta * std::sqrt(1 - r * r)) / i0_beta;
    const double x = 2 * fc * t;
    const double s = x == 0 ? 1 : std::sin(kPi * x) / (kPi * x);
    return 2 * fc * s * w;
  }
  // Coefficients for input taps i0 - reach + 1 ... i0 + reach at fractional
  // offset frac in [0, 1) past input sample i0, normalised to unit DC gain.
  void Taps(double frac, double* c) const {
    double sum = 0;
    for (int64_t j = -reach + 1; j <= reach; ++j) {
      const double v = At(frac - static_cast<double>(j));
      c[j + reach - 1] = v;
      sum += v;
    }
    if (sum != 0)
      for (int64_t j = 0; j < 2 * reach; ++j) c[j] /= sum;
  }
};

}  // namespace

size_t ResampledLength(size_t n, int from_rate, int to_rate) {
  const int64_t g = std::gcd(static_cast<int64_t>(from_rate), static_cast<int64_t>(to_rate));
  const int64_t up = to_rate / g, down = from_rate / g;
  return static_cast<size_t>((static_cast<int64_t>(n) * up + down - 1) / down);
}

std::vector<float> Resample(const std::vector<float>& x, int from_rate, int to_rate) {
  if (from_rate < 1 || to_rate < 1 || from_rate > 1000000 || to_rate > 1000000)
    throw std::invalid_argument("Resample: rates must be in [1, 1000000] Hz, got " +
                                std::to_string(from_rate) + " -> " + std::to_string(to_rate));
  if (from_rate == to_rate) return x;
  const int64_t g = std::gcd(static_cast<int64_t>(from_rate), static_cast<int64_t>(to_rate));
  const int64_t up = to_rate / g, down = from_rate / g;
  Filter f;
  f.fc = 0.5 * kCutoff * std::min(1.0, static_cast<double>(up) / static_cast<double>(down));
  f.half = kZeroCrossings / (2 * f.fc);
  f.reach = static_cast<int64_t>(std::ceil(f.half));
  f.i0_beta = BesselI0(kBeta);
  const int64_t width = 2 * f.reach;

  // One row of taps per phase when the phases are few; else taps per output.
  const bool table = up <= kMaxTablePhases;
  std::vector<double> taps(static_cast<size_t>(table ? up * width : width));
  if (table)
    for (int64_t p = 0; p < up; ++p)
      f.Taps(static_cast<double>(p) / static_cast<double>(up), &taps[static_cast<size_t>(p * width)]);

  const int64_t n = static_cast<int64_t>(x.size());
  const size_t out_n = ResampledLength(x.size(), from_rate, to_rate);
  std::vector<float> y(out_n);
  for (size_t k = 0; k < out_n; ++k) {
    const int64_t pos = static_cast<int64_t>(k) * down;
    const int64_t i0 = pos / up, phase = pos % up;
    const double* c;
    if (table) {
      c = &taps[static_cast<size_t>(phase * width)];
    } else {
      f.Taps(static_cast<double>(phase) / static_cast<double>(up), taps.data());
      c = taps.data();
    }
    double acc = 0;
    const int64_t first = i0 - f.reach + 1;
    const int64_t lo = std::max<int64_t>(first, 0), hi = std::min<int64_t>(i0 + f.reach, n - 1);
    for (int64_t i = lo; i <= hi; ++i) acc += c[i - first] * x[static_cast<size_t>(i)];
    y[k] = static_cast<float>(acc);
  }
  return y;
}

}  // namespace mote::host
