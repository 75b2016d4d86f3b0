#include "micro/dsp/fft.h"

#include "micro/dsp/dsp_math.h"

namespace mote::micro::dsp {
namespace {

constexpr float kQ30ToFloat = 1.0f / 1073741824.0f;

// Thumb-2 cores have RBIT (Armv7-M, Armv8-M Mainline): the bit-reversed
// index in one instruction instead of the carry loop below.
#if defined(__GNUC__) && defined(__thumb2__) &&                                             \
    (defined(__ARM_ARCH_7M__) || defined(__ARM_ARCH_7EM__) || defined(__ARM_ARCH_8M_MAIN__) || \
     defined(__ARM_ARCH_8_1M_MAIN__))
#define MOTE_DSP_RBIT 1
#else
#define MOTE_DSP_RBIT 0
#endif
// Radix22Groups (13 registers of inline assembly) when GCC optimizes.
#if MOTE_DSP_RBIT && defined(__OPTIMIZE__)
#define MOTE_DSP_FFT_ASM 1
#else
#define MOTE_DSP_FFT_ASM 0
#endif

template <typename T>
void BitReverse(T* z, int m) {  // z: m complex values, interleaved
#if MOTE_DSP_RBIT
  int bits = 0;
  while ((1 << bits) < m) ++bits;
  for (uint32_t i = 1; i < static_cast<uint32_t>(m); ++i) {
    uint32_t j;
    __asm__("rbit %0, %1" : "=r"(j) : "r"(i));
    j >>= 32 - bits;  // m >= 16: bits >= 4
    if (i < j) {
      T t = z[2 * i]; z[2 * i] = z[2 * j]; z[2 * j] = t;
      t = z[2 * i + 1]; z[2 * i + 1] = z[2 * j + 1]; z[2 * j + 1] = t;
    }
  }
#else
  for (int i = 1, j = 0; i < m; ++i) {
    int bit = m >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      T t = z[2 * i]; z[2 * i] = z[2 * j]; z[2 * j] = t;
      t = z[2 * i + 1]; z[2 * i + 1] = z[2 * j + 1]; z[2 * j + 1] = t;
    }
  }
#endif
}

// Stages of length 2 and 4 in one pass: their twiddles are 1 and -i, so no
// multiplications (a quarter of the work of a 256-point FFT).
template <typename T>
void FirstTwoStages(T* z, int m) {
  for (int i = 0; i + 3 < m; i += 4) {
    T* p = z + 2 * i;
    const T a0r = p[0] + p[2], a0i = p[1] + p[3], a1r = p[0] - p[2], a1i = p[1] - p[3];
    const T a2r = p[4] + p[6], a2i = p[5] + p[7], a3r = p[4] - p[6], a3i = p[5] - p[7];
    p[0] = a0r + a2r; p[1] = a0i + a2i;
    p[4] = a0r - a2r; p[5] = a0i - a2i;
    // -i * a3 = (a3i, -a3r)
    p[2] = a1r + a3i; p[3] = a1i - a3r;
    p[6] = a1r - a3i; p[7] = a1i + a3r;
  }
}

void ComplexFftF32(float* z, int m) {
  BitReverse(z, m);
  FirstTwoStages(z, m);  // m >= 16
  for (int len = 8; len <= m; len <<= 1) {
    const int half = len / 2, step = 1024 / len;
    for (int j = 0; j < half; ++j) {
      int32_t c, s;
      CosSinQ30(static_cast<uint32_t>(j * step), &c, &s);
      const float wr = c * kQ30ToFloat, wi = s * kQ30ToFloat;
      for (int i = j; i < m; i += len) {
        float* u = z + 2 * i;
        float* v = z + 2 * (i + half);
        const float vr = v[0] * wr - v[1] * wi, vi = v[0] * wi + v[1] * wr;
        v[0] = u[0] - vr; v[1] = u[1] - vi;
        u[0] += vr; u[1] += vi;
      }
    }
  }
}

// Q31 twiddle e^{-2 pi i j / 1024} for the fixed FFT (angle < pi), with -Im.
struct TwiddleQ31 {
  int32_t r, i, ni;
};
MOTE_DSP_INLINE TwiddleQ31 MakeTwiddle(uint32_t j) {
  int32_t c30, s30;
  CosSinQ30(j, &c30, &s30);
  TwiddleQ31 w;
  w.r = c30 >= (1 << 30) ? INT32_MAX : c30 * 2;
  w.i = s30 <= -(1 << 30) ? -INT32_MAX : s30 * 2;  // angle < pi: s30 <= 0
  w.ni = -w.i;
  return w;
}

// u, v <- (u + v w) / 2, (u - v w) / 2. v w / 2 is the high word of the 64-bit
// product sum (truncating): one SMULL + SMLAL per component on Cortex-M4.
MOTE_DSP_INLINE void Butterfly(int32_t& ur, int32_t& ui, int32_t& vr, int32_t& vi, const TwiddleQ31& w) {
  const int32_t hr = ur >> 1, hi = ui >> 1;
  const int32_t tr = static_cast<int32_t>(
      (static_cast<int64_t>(vr) * w.r + static_cast<int64_t>(vi) * w.ni) >> 32);
  const int32_t ti = static_cast<int32_t>(
      (static_cast<int64_t>(vr) * w.i + static_cast<int64_t>(vi) * w.r) >> 32);
  ur = hr + tr; ui = hi + ti;
  vr = hr - tr; vi = hi - ti;
}

#if MOTE_DSP_FFT_ASM
// The radix-2^2 loop below over `base` for one j, in assembly: GCC keeps the
// eight values in registers but spills the two twiddles and the pointers
// (about 85 instructions per group); here 64. Same products and sums as
// Butterfly (SMULL + SMLAL give the exact 64-bit sum, its high word is the
// truncated product), so the output is bit-identical. The (x1, x3) butterfly
// folds the -i rotation of x3 into the products: with x3' = (x3i, -x3r),
//   tr = x3i br + x3r bi,   ti = x3i bi + x3r (-br).
struct GroupTwiddles {
  int32_t ar, ai, ani;        // a = e^{-2 pi i j / len}, ani = -ai
  int32_t br, bi, bni, bnr;   // b = e^{-2 pi i j / (2 len)}, bni = -bi, bnr = -br
};

// Groups at p, p + 4s, ... while < end; s = the span h in bytes (8 h).
void Radix22Groups(int32_t* p, const int32_t* end, int32_t s, const GroupTwiddles& tw) {
  int32_t x0r, x0i, x1r, x1i, x2r, x2i, x3r, x3i, t0, t1, t2, t3;
  // 13 registers (the span s and end are read from memory into a free
  // temporary), so that the block also builds where GCC keeps a frame
  // pointer (-Og, -fno-omit-frame-pointer).
  __asm__ volatile(
      "1:\n\t"
      "ldr   %[t0], %[s]\n\t"
      "ldrd  %[x0r], %[x0i], [%[p]]\n\t"
      "add   %[p], %[p], %[t0]\n\t"
      "ldrd  %[x1r], %[x1i], [%[p]]\n\t"
      "add   %[p], %[p], %[t0]\n\t"
      "ldrd  %[x2r], %[x2i], [%[p]]\n\t"
      "add   %[p], %[p], %[t0]\n\t"
      "ldrd  %[x3r], %[x3i], [%[p]]\n\t"
      // (x0, x1) with a
      "ldr   %[t2], %[ar]\n\t"
      "ldr   %[t3], %[ani]\n\t"
      "smull %[t0], %[t1], %[x1r], %[t2]\n\t"
      "smlal %[t0], %[t1], %[x1i], %[t3]\n\t"
      "ldr   %[t3], %[ai]\n\t"
      "smull %[t0], %[t3], %[x1r], %[t3]\n\t"
      "smlal %[t0], %[t3], %[x1i], %[t2]\n\t"
      "rsb   %[x1r], %[t1], %[x0r], asr #1\n\t"
      "add   %[x0r], %[t1], %[x0r], asr #1\n\t"
      "rsb   %[x1i], %[t3], %[x0i], asr #1\n\t"
      "add   %[x0i], %[t3], %[x0i], asr #1\n\t"
      // (x2, x3) with a
      "ldr   %[t3], %[ani]\n\t"
      "smull %[t0], %[t1], %[x3r], %[t2]\n\t"
      "smlal %[t0], %[t1], %[x3i], %[t3]\n\t"
      "ldr   %[t3], %[ai]\n\t"
      "smull %[t0], %[t3], %[x3r], %[t3]\n\t"
      "smlal %[t0], %[t3], %[x3i], %[t2]\n\t"
      "rsb   %[x3r], %[t1], %[x2r], asr #1\n\t"
      "add   %[x2r], %[t1], %[x2r], asr #1\n\t"
      "rsb   %[x3i], %[t3], %[x2i], asr #1\n\t"
      "add   %[x2i], %[t3], %[x2i], asr #1\n\t"
      // (x0, x2) with b
      "ldr   %[t2], %[br]\n\t"
      "ldr   %[t3], %[bni]\n\t"
      "smull %[t0], %[t1], %[x2r], %[t2]\n\t"
      "smlal %[t0], %[t1], %[x2i], %[t3]\n\t"
      "ldr   %[t3], %[bi]\n\t"
      "smull %[t0], %[t3], %[x2r], %[t3]\n\t"
      "smlal %[t0], %[t3], %[x2i], %[t2]\n\t"
      "rsb   %[x2r], %[t1], %[x0r], asr #1\n\t"
      "add   %[x0r], %[t1], %[x0r], asr #1\n\t"
      "rsb   %[x2i], %[t3], %[x0i], asr #1\n\t"
      "add   %[x0i], %[t3], %[x0i], asr #1\n\t"
      // (x1, -i x3) with b
      "ldr   %[t3], %[bi]\n\t"
      "smull %[t0], %[t1], %[x3i], %[t2]\n\t"
      "smlal %[t0], %[t1], %[x3r], %[t3]\n\t"
      "ldr   %[t2], %[bnr]\n\t"
      "smull %[t0], %[t3], %[x3i], %[t3]\n\t"
      "smlal %[t0], %[t3], %[x3r], %[t2]\n\t"
      "rsb   %[x3r], %[t1], %[x1r], asr #1\n\t"
      "add   %[x1r], %[t1], %[x1r], asr #1\n\t"
      "rsb   %[x3i], %[t3], %[x1i], asr #1\n\t"
      "add   %[x1i], %[t3], %[x1i], asr #1\n\t"
      // back to memory, p back at x0, then the next group
      "ldr   %[t0], %[s]\n\t"
      "strd  %[x3r], %[x3i], [%[p]]\n\t"
      "sub   %[p], %[p], %[t0]\n\t"
      "strd  %[x2r], %[x2i], [%[p]]\n\t"
      "sub   %[p], %[p], %[t0]\n\t"
      "strd  %[x1r], %[x1i], [%[p]]\n\t"
      "sub   %[p], %[p], %[t0]\n\t"
      "strd  %[x0r], %[x0i], [%[p]]\n\t"
      "add   %[p], %[p], %[t0], lsl #2\n\t"
      "ldr   %[t1], %[end]\n\t"
      "cmp   %[p], %[t1]\n\t"
      "blo   1b\n\t"
      : [p] "+r"(p), [x0r] "=&r"(x0r), [x0i] "=&r"(x0i), [x1r] "=&r"(x1r), [x1i] "=&r"(x1i),
        [x2r] "=&r"(x2r), [x2i] "=&r"(x2i), [x3r] "=&r"(x3r), [x3i] "=&r"(x3i),
        [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3)
      : [s] "m"(s), [end] "m"(end), [ar] "m"(tw.ar), [ai] "m"(tw.ai), [ani] "m"(tw.ani),
        [br] "m"(tw.br), [bi] "m"(tw.bi), [bni] "m"(tw.bni), [bnr] "m"(tw.bnr)
      : "cc", "memory");
}
#endif

// Halves after every stage (u' = (u + v w) / 2) so that magnitudes never grow:
// the result is the DFT / m. Stages 2 and 4 need no multiplications; the rest
// go two at a time (radix-2^2: each element loaded and stored once per pair),
// in Radix22Groups on Thumb-2 cores when kAsm.
template <bool kAsm>
void ComplexFftS32(int32_t* z, int m) {
  BitReverse(z, m);
  for (int i = 0; i + 3 < m; i += 4) {  // stages 2 and 4: twiddles 1 and -i
    int32_t* p = z + 2 * i;
    const int32_t a0r = (p[0] + p[2]) >> 1, a0i = (p[1] + p[3]) >> 1;
    const int32_t a1r = (p[0] - p[2]) >> 1, a1i = (p[1] - p[3]) >> 1;
    const int32_t a2r = (p[4] + p[6]) >> 1, a2i = (p[5] + p[7]) >> 1;
    const int32_t a3r = (p[4] - p[6]) >> 1, a3i = (p[5] - p[7]) >> 1;
    p[0] = (a0r + a2r) >> 1; p[1] = (a0i + a2i) >> 1;
    p[4] = (a0r - a2r) >> 1; p[5] = (a0i - a2i) >> 1;
    p[2] = (a1r + a3i) >> 1; p[3] = (a1i - a3r) >> 1;
    p[6] = (a1r - a3i) >> 1; p[7] = (a1i + a3r) >> 1;
  }
  int len = 8;
  for (; 2 * len <= m; len *= 4) {  // stages len (span h) and 2 len (span 2h)
    const int h = len / 2;
    for (int j = 0; j < h; ++j) {
      const TwiddleQ31 a = MakeTwiddle(static_cast<uint32_t>(j * (1024 / len)));
      const TwiddleQ31 b = MakeTwiddle(static_cast<uint32_t>(j * (512 / len)));
#if MOTE_DSP_FFT_ASM
      if (kAsm) {
        const GroupTwiddles tw{a.r, a.i, a.ni, b.r, b.i, b.ni, -b.r};
        Radix22Groups(z + 2 * j, z + 2 * m, 8 * h, tw);
        continue;
      }
#endif
      for (int base = j; base < m; base += 2 * len) {
        int32_t* p0 = z + 2 * base;
        int32_t* p1 = p0 + 2 * h;
        int32_t* p2 = p0 + 4 * h;
        int32_t* p3 = p0 + 6 * h;
        int32_t x0r = p0[0], x0i = p0[1], x1r = p1[0], x1i = p1[1];
        int32_t x2r = p2[0], x2i = p2[1], x3r = p3[0], x3i = p3[1];
        Butterfly(x0r, x0i, x1r, x1i, a);
        Butterfly(x2r, x2i, x3r, x3i, a);
        Butterfly(x0r, x0i, x2r, x2i, b);
        const int32_t t = x3r;  // (x1, x3) use b * (-i): rotate x3 by -i first
        x3r = x3i;
        x3i = -t;
        Butterfly(x1r, x1i, x3r, x3i, b);
        p0[0] = x0r; p0[1] = x0i; p1[0] = x1r; p1[1] = x1i;
        p2[0] = x2r; p2[1] = x2i; p3[0] = x3r; p3[1] = x3i;
      }
    }
  }
  if (len <= m) {  // odd number of remaining stages: one radix-2 stage
    const int half = len / 2;
    for (int j = 0; j < half; ++j) {
      const TwiddleQ31 w = MakeTwiddle(static_cast<uint32_t>(j * (1024 / len)));
      for (int i = j; i < m; i += len) {
        int32_t* u = z + 2 * i;
        int32_t* v = z + 2 * (i + half);
        Butterfly(u[0], u[1], v[0], v[1], w);
      }
    }
  }
}

template <bool kAsm>
void RealFftS32Impl(int32_t* buf, int n) {
  const int m = n / 2;
  ComplexFftS32<kAsm>(buf, m);  // Z / m
  const int64_t a0 = buf[0], b0 = buf[1];
  buf[0] = static_cast<int32_t>((a0 + b0 + 1) >> 1);  // X[0] / n
  buf[1] = static_cast<int32_t>((a0 - b0 + 1) >> 1);  // X[n/2] / n
  const int step = 1024 / n;
  constexpr int64_t kHalf = int64_t{1} << 31;
  constexpr int32_t kOne30 = int32_t{1} << 30;
  for (int k = 1; k <= m / 2; ++k) {
    int32_t* zk = buf + 2 * k;
    int32_t* zm = buf + 2 * (m - k);
    const int32_t a = zk[0], b = zk[1], c = zm[0], d = zm[1];
    // 2E and 2O exact; X / n = (2E + W 2O) / 4 in Q30 with one rounding.
    // |a|, |b|, |c|, |d| < 2^30 (the complex FFT of inputs < 2^29 never
    // grows), so the sums fit in int32 and every product is one 32x32->64
    // multiply (SMULL/SMLAL on Cortex-M); the int64 sums are the same
    // integers as with int64 operands.
    const int32_t er2 = a + c, ei2 = b - d, or2 = b + d, oi2 = c - a;
    int32_t wr, wi;
    CosSinQ30(static_cast<uint32_t>(k * step), &wr, &wi);
    const int32_t nwi = -wi;  // |wi| <= 2^30
    const int64_t tr = static_cast<int64_t>(or2) * wr + static_cast<int64_t>(oi2) * nwi;
    const int64_t ti = static_cast<int64_t>(oi2) * wr + static_cast<int64_t>(or2) * wi;
    const int64_t er = static_cast<int64_t>(er2) * kOne30 + kHalf;
    const int64_t ei = static_cast<int64_t>(ei2) * kOne30;
    zm[0] = static_cast<int32_t>((er - tr) >> 32);
    zm[1] = static_cast<int32_t>((ti + kHalf - ei) >> 32);
    zk[0] = static_cast<int32_t>((er + tr) >> 32);
    zk[1] = static_cast<int32_t>((ti + kHalf + ei) >> 32);
  }
}

}  // namespace

void RealFftF32(float* buf, int n) {
  const int m = n / 2;
  ComplexFftF32(buf, m);
  const float a0 = buf[0], b0 = buf[1];
  buf[0] = a0 + b0;
  buf[1] = a0 - b0;
  const int step = 1024 / n;
  for (int k = 1; k <= m / 2; ++k) {
    float* zk = buf + 2 * k;
    float* zm = buf + 2 * (m - k);
    const float a = zk[0], b = zk[1], c = zm[0], d = zm[1];
    const float er = 0.5f * (a + c), ei = 0.5f * (b - d);
    const float orr = 0.5f * (b + d), oi = 0.5f * (c - a);
    int32_t wc, ws;
    CosSinQ30(static_cast<uint32_t>(k * step), &wc, &ws);
    const float wr = wc * kQ30ToFloat, wi = ws * kQ30ToFloat;
    const float tr = wr * orr - wi * oi, ti = wr * oi + wi * orr;
    zm[0] = er - tr; zm[1] = ti - ei;
    zk[0] = er + tr; zk[1] = ei + ti;
  }
}

void RealFftS32(int32_t* buf, int n) { RealFftS32Impl<true>(buf, n); }
void RealFftS32Portable(int32_t* buf, int n) { RealFftS32Impl<false>(buf, n); }

void PowerSpectrumF32(const float* packed, int n, float* power) {
  // In place safe: power[k] (k >= 1) only overwrites packed values already read.
  const float dc = packed[0], nyquist = packed[1];
  for (int k = 1; k < n / 2; ++k)
    power[k] = packed[2 * k] * packed[2 * k] + packed[2 * k + 1] * packed[2 * k + 1];
  power[0] = dc * dc;
  power[n / 2] = nyquist * nyquist;
}

}  // namespace mote::micro::dsp
