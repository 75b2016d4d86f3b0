// Deterministic random numbers for training (initializers, shuffling,
// dropout, synthetic data). The standard library's distributions differ
// between implementations; these are specified here, so the same seed gives
// the same bytes everywhere.
//
//   Rng rng(42);
//   float u = rng.Uniform(-1, 1);   float n = rng.Normal(0, 0.1f);
#ifndef MOTE_HOST_TRAIN_RNG_H_
#define MOTE_HOST_TRAIN_RNG_H_

#include <cmath>
#include <cstdint>
#include <vector>

namespace mote::train {

class Rng {
 public:
  explicit Rng(uint64_t seed = 0) { Seed(seed); }
  void Seed(uint64_t seed) {
    // splitmix64 expands the seed into xoshiro256** state.
    uint64_t z = seed;
    for (auto& s : s_) {
      z += 0x9e3779b97f4a7c15ull;
      uint64_t x = z;
      x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
      x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
      s = x ^ (x >> 31);
    }
    has_spare_ = false;
  }
  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }
  // Uniform in [0, 1) with 53 random bits.
  double Uniform01() { return static_cast<double>(Next() >> 11) * (1.0 / 9007199254740992.0); }
  float Uniform(float lo, float hi) {
    return static_cast<float>(lo + (static_cast<double>(hi) - lo) * Uniform01());
  }
  // Integer in [0, n).
  uint64_t Below(uint64_t n) { return n == 0 ? 0 : Next() % n; }
  // Gaussian by the Box-Muller transform.
  float Normal(float mean, float stddev) {
    double z;
    if (has_spare_) {
      has_spare_ = false;
      z = spare_;
    } else {
      double u1 = Uniform01(), u2 = Uniform01();
      if (u1 < 1e-300) u1 = 1e-300;
      const double r = std::sqrt(-2.0 * std::log(u1));
      z = r * std::cos(6.283185307179586 * u2);
      spare_ = r * std::sin(6.283185307179586 * u2);
      has_spare_ = true;
    }
    return static_cast<float>(mean + stddev * z);
  }
  // Fisher-Yates.
  template <typename T>
  void Shuffle(std::vector<T>& v) {
    for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[Below(i)]);
  }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
  bool has_spare_ = false;
  double spare_ = 0;
};

}  // namespace mote::train

#endif  // MOTE_HOST_TRAIN_RNG_H_
