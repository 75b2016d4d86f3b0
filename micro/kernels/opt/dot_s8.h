// int8 dot-product primitives of the optimized kernels (micro/kernels/opt/).
//
// Contract: exact integer sums of (x[i] + x_offset) * w[i], the reference
// kernels' products, the same values on every target. On Arm cores with
// Helium (__ARM_FEATURE_MVE: Cortex-M55) eight int16 products per VMLADAVA,
// tails by lane predication; with the DSP extension (__ARM_FEATURE_DSP:
// Cortex-M4/M7/M33) four int8 x are widened and offset in two SXTAB16
// (x + offset fits int16) and multiplied two at a time with SMLAD; elsewhere
// plain C++ that compilers vectorize.
// Every partial sum is bounded by sum|w| * max|x + x_offset|, which Prepare
// checked fits int32 (ExpectAccumulatorFits).
//
//   int32_t acc[4] = {0, 0, 0, 0};
//   Dot4S8(x, x_offset, w, w_stride, n, acc);
//   // acc[j] += sum_{i<n} (x[i] + x_offset) * w[j * w_stride + i]
#ifndef MOTE_MICRO_KERNELS_OPT_DOT_S8_H_
#define MOTE_MICRO_KERNELS_OPT_DOT_S8_H_

#include <stdint.h>
#include <string.h>

#if defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 1) && defined(__GNUC__)
#include <arm_mve.h>
#define MOTE_OPT_ARM_MVE 1  // Helium (Cortex-M55/M85): 8 int16 lanes per vector
#else
#define MOTE_OPT_ARM_MVE 0
#endif
#if defined(__ARM_FEATURE_DSP) && defined(__GNUC__)
#include <arm_acle.h>
#define MOTE_OPT_ARM_DSP 1
#else
#define MOTE_OPT_ARM_DSP 0
#endif
// The loops written in assembly take up to 13 registers: only when GCC
// optimizes (at -O0 it cannot free that many; the C++ loops run instead).
#if MOTE_OPT_ARM_DSP && defined(__OPTIMIZE__)
#define MOTE_OPT_ARM_ASM 1
#else
#define MOTE_OPT_ARM_ASM 0
#endif

namespace mote::micro::opt {

#if MOTE_OPT_ARM_DSP
// Four int8 at p (any alignment: M4/M7/M33/M55 load unaligned words).
inline uint32_t Load4(const int8_t* p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}
// Bytes 0 and 2 of v as two sign-extended int16 halves.
inline int32_t Even16(uint32_t v) { return static_cast<int32_t>(__sxtb16(static_cast<int32_t>(v))); }
// Bytes 1 and 3 of v as two sign-extended int16 halves (SXTB16 with ROR #8).
inline int32_t Odd16(uint32_t v) {
  int32_t r;
  __asm__("sxtb16 %0, %1, ror #8" : "=r"(r) : "r"(v));
  return r;
}
// Even16(v) / Odd16(v) plus the int16 pair `off2` (no carry between halves).
inline int32_t Even16Add(uint32_t v, int32_t off2) {
  return static_cast<int32_t>(__sxtab16(off2, static_cast<int32_t>(v)));
}
inline int32_t Odd16Add(uint32_t v, int32_t off2) {
  int32_t r;
  __asm__("sxtab16 %0, %1, %2, ror #8" : "=r"(r) : "r"(off2), "r"(v));
  return r;
}
// The offset in both int16 halves. REQUIRES -32768 <= offset <= 32767.
inline int32_t Pair16(int32_t offset) {
  return static_cast<int32_t>((static_cast<uint32_t>(offset) & 0xFFFFu) |
                              (static_cast<uint32_t>(offset) << 16));
}
// acc + dot of the 4 int8 in x (already split into halves) and in w.
inline int32_t Mac4(int32_t x_even, int32_t x_odd, uint32_t w, int32_t acc) {
  acc = __smlad(x_even, Even16(w), acc);
  return __smlad(x_odd, Odd16(w), acc);
}
#endif

// acc[0] += sum_{i < n} (x[i] + x_offset) * w[i].
inline void Dot1S8(const int8_t* x, int32_t x_offset, const int8_t* w, int n, int32_t* acc) {
  int32_t a = 0;
  int i = 0;
#if MOTE_OPT_ARM_MVE
  // Inactive lanes load 0 weights: their (offset) inputs add nothing.
  for (; i < n; i += 8) {
    const mve_pred16_t p = vctp16q(static_cast<uint32_t>(n - i));
    const int16x8_t xv = vaddq_n_s16(vldrbq_z_s16(x + i, p), static_cast<int16_t>(x_offset));
    a = vmladavaq_s16(a, xv, vldrbq_z_s16(w + i, p));
  }
#elif MOTE_OPT_ARM_DSP
  const int32_t off2 = Pair16(x_offset);
  for (; i + 4 <= n; i += 4) {
    const uint32_t xv = Load4(x + i);
    a = Mac4(Even16Add(xv, off2), Odd16Add(xv, off2), Load4(w + i), a);
  }
#endif
  const int16_t off = static_cast<int16_t>(x_offset);
  for (; i < n; ++i) a += static_cast<int16_t>(x[i] + off) * static_cast<int16_t>(w[i]);
  acc[0] += a;
}

// acc[j] += sum_{i < n} (x[i] + x_offset) * w[j * w_stride + i] for j = 0..3:
// one input vector against four weight rows (each x word widened once).
inline void Dot4S8(const int8_t* x, int32_t x_offset, const int8_t* w, int w_stride, int n,
                   int32_t* acc) {
  const int8_t* w0 = w;
  const int8_t* w1 = w0 + w_stride;
  const int8_t* w2 = w1 + w_stride;
  const int8_t* w3 = w2 + w_stride;
  int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
  int i = 0;
#if MOTE_OPT_ARM_MVE
  for (; i < n; i += 8) {
    const mve_pred16_t p = vctp16q(static_cast<uint32_t>(n - i));
    const int16x8_t xv = vaddq_n_s16(vldrbq_z_s16(x + i, p), static_cast<int16_t>(x_offset));
    a0 = vmladavaq_s16(a0, xv, vldrbq_z_s16(w0 + i, p));
    a1 = vmladavaq_s16(a1, xv, vldrbq_z_s16(w1 + i, p));
    a2 = vmladavaq_s16(a2, xv, vldrbq_z_s16(w2 + i, p));
    a3 = vmladavaq_s16(a3, xv, vldrbq_z_s16(w3 + i, p));
  }
#elif MOTE_OPT_ARM_DSP
  const int32_t off2 = Pair16(x_offset);
  for (; i + 4 <= n; i += 4) {
    const uint32_t xv = Load4(x + i);
    const int32_t xe = Even16Add(xv, off2);
    const int32_t xo = Odd16Add(xv, off2);
    a0 = Mac4(xe, xo, Load4(w0 + i), a0);
    a1 = Mac4(xe, xo, Load4(w1 + i), a1);
    a2 = Mac4(xe, xo, Load4(w2 + i), a2);
    a3 = Mac4(xe, xo, Load4(w3 + i), a3);
  }
#endif
  // int16 operands: x86 compilers turn these sums into PMADDWD.
  const int16_t off = static_cast<int16_t>(x_offset);
  for (; i < n; ++i) {
    const int16_t v = static_cast<int16_t>(x[i] + off);
    a0 += v * static_cast<int16_t>(w0[i]);
    a1 += v * static_cast<int16_t>(w1[i]);
    a2 += v * static_cast<int16_t>(w2[i]);
    a3 += v * static_cast<int16_t>(w3[i]);
  }
  acc[0] += a0;
  acc[1] += a1;
  acc[2] += a2;
  acc[3] += a3;
}

// ---- int16 inputs (an im2col window widened once, offset added) ----------

// Loads two int16 at p (any alignment).
#if MOTE_OPT_ARM_DSP
inline int32_t Load2x16(const int16_t* p) {
  int32_t v;
  memcpy(&v, p, 4);
  return v;
}
#endif

// dst[i] = src[i] + offset for i < n, each group of four stored as
// (x0, x2, x1, x3) on Arm DSP cores without MVE: the halves SXTB16 gives of the weights
// (Even16 = w0, w2; Odd16 = w1, w3), so that one SMLAD multiplies a word of
// each; the last n % 4 in order. src may be the upper half of dst's bytes
// (src == (int8_t*)dst + n): every source word is read before it is written.
inline void WidenS8(const int8_t* src, int32_t offset, int n, int16_t* dst) {
  int i = 0;
#if MOTE_OPT_ARM_DSP && !MOTE_OPT_ARM_MVE  // MVE reads them in order
  const int32_t off2 = Pair16(offset);
  for (; i + 4 <= n; i += 4) {
    const uint32_t v = Load4(src + i);
    const int32_t even = Even16Add(v, off2);
    const int32_t odd = Odd16Add(v, off2);
    memcpy(dst + i, &even, 4);
    memcpy(dst + i + 2, &odd, 4);
  }
#endif
  for (; i < n; ++i) dst[i] = static_cast<int16_t>(src[i] + offset);
}

// acc[0] += x0.w, acc[1] += x0.w1, acc[2] += x1.w, acc[3] += x1.w1 over n
// (w1 = w + w_stride), x from WidenS8.
inline void Dot2x2S16(const int16_t* x0, const int16_t* x1, const int8_t* w, int w_stride, int n,
                      int32_t* acc) {
  const int8_t* w0 = w;
  const int8_t* w1 = w + w_stride;
  int32_t a00 = 0, a01 = 0, a10 = 0, a11 = 0;
  int i = 0;
#if MOTE_OPT_ARM_MVE
  for (; i < n; i += 8) {
    const mve_pred16_t p = vctp16q(static_cast<uint32_t>(n - i));
    const int16x8_t v0 = vldrhq_z_s16(x0 + i, p), v1 = vldrhq_z_s16(x1 + i, p);
    const int16x8_t u0 = vldrbq_z_s16(w0 + i, p), u1 = vldrbq_z_s16(w1 + i, p);
    a00 = vmladavaq_s16(a00, v0, u0);
    a01 = vmladavaq_s16(a01, v0, u1);
    a10 = vmladavaq_s16(a10, v1, u0);
    a11 = vmladavaq_s16(a11, v1, u1);
  }
#elif MOTE_OPT_ARM_ASM
  if (n >= 4 && (reinterpret_cast<uintptr_t>(x0) & 3) == 0 &&
      (reinterpret_cast<uintptr_t>(x1) & 3) == 0) {
    // 16 MACs in 20 instructions; GCC spills registers in the C version of
    // this loop. LDRD needs word-aligned x (the window buffer is).
    const int8_t* pw0 = w0;
    const int8_t* pw1 = w1;
    const int16_t* px0 = x0;
    const int16_t* px1 = x1;
    int count = n >> 2;
    int32_t t0, t1, t2, t3;
    __asm__ volatile(
        "1:\n\t"
        "ldr    %[t0], [%[w0]], #4\n\t"
        "sxtb16 %[t1], %[t0]\n\t"
        "sxtb16 %[t0], %[t0], ror #8\n\t"
        "ldrd   %[t2], %[t3], [%[x0]]\n\t"
        "smlad  %[a00], %[t2], %[t1], %[a00]\n\t"
        "smlad  %[a00], %[t3], %[t0], %[a00]\n\t"
        "ldrd   %[t2], %[t3], [%[x1]], #8\n\t"
        "smlad  %[a10], %[t2], %[t1], %[a10]\n\t"
        "smlad  %[a10], %[t3], %[t0], %[a10]\n\t"
        "ldr    %[t0], [%[w1]], #4\n\t"
        "sxtb16 %[t1], %[t0]\n\t"
        "sxtb16 %[t0], %[t0], ror #8\n\t"
        "smlad  %[a11], %[t2], %[t1], %[a11]\n\t"
        "smlad  %[a11], %[t3], %[t0], %[a11]\n\t"
        "ldrd   %[t2], %[t3], [%[x0]], #8\n\t"
        "smlad  %[a01], %[t2], %[t1], %[a01]\n\t"
        "smlad  %[a01], %[t3], %[t0], %[a01]\n\t"
        "subs   %[count], %[count], #1\n\t"
        "bne    1b\n\t"
        : [a00] "+r"(a00), [a01] "+r"(a01), [a10] "+r"(a10), [a11] "+r"(a11),
          [x0] "+r"(px0), [x1] "+r"(px1), [w0] "+r"(pw0), [w1] "+r"(pw1),
          [count] "+r"(count), [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2),
          [t3] "=&r"(t3)
        :
        : "cc", "memory");
    i = n & ~3;
  }
#endif
  for (; i < n; ++i) {
    const int16_t u0 = w0[i], u1 = w1[i];
    a00 += x0[i] * u0;
    a01 += x0[i] * u1;
    a10 += x1[i] * u0;
    a11 += x1[i] * u1;
  }
  acc[0] += a00;
  acc[1] += a01;
  acc[2] += a10;
  acc[3] += a11;
}

// acc[j] += x.w_j over n for the four rows w_j = w + j * w_stride, x from WidenS8.
inline void Dot4S16(const int16_t* x, const int8_t* w, int w_stride, int n, int32_t* acc) {
  const int8_t* w0 = w;
  const int8_t* w1 = w0 + w_stride;
  const int8_t* w2 = w1 + w_stride;
  const int8_t* w3 = w2 + w_stride;
  int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
  int i = 0;
#if MOTE_OPT_ARM_MVE
  for (; i < n; i += 8) {
    const mve_pred16_t p = vctp16q(static_cast<uint32_t>(n - i));
    const int16x8_t v = vldrhq_z_s16(x + i, p);
    a0 = vmladavaq_s16(a0, v, vldrbq_z_s16(w0 + i, p));
    a1 = vmladavaq_s16(a1, v, vldrbq_z_s16(w1 + i, p));
    a2 = vmladavaq_s16(a2, v, vldrbq_z_s16(w2 + i, p));
    a3 = vmladavaq_s16(a3, v, vldrbq_z_s16(w3 + i, p));
  }
#elif MOTE_OPT_ARM_DSP
  for (; i + 4 <= n; i += 4) {
    const int32_t xa = Load2x16(x + i), xb = Load2x16(x + i + 2);
    uint32_t wv = Load4(w0 + i);
    a0 = __smlad(xb, Odd16(wv), __smlad(xa, Even16(wv), a0));
    wv = Load4(w1 + i);
    a1 = __smlad(xb, Odd16(wv), __smlad(xa, Even16(wv), a1));
    wv = Load4(w2 + i);
    a2 = __smlad(xb, Odd16(wv), __smlad(xa, Even16(wv), a2));
    wv = Load4(w3 + i);
    a3 = __smlad(xb, Odd16(wv), __smlad(xa, Even16(wv), a3));
  }
#endif
  for (; i < n; ++i) {
    const int16_t v = x[i];
    a0 += v * static_cast<int16_t>(w0[i]);
    a1 += v * static_cast<int16_t>(w1[i]);
    a2 += v * static_cast<int16_t>(w2[i]);
    a3 += v * static_cast<int16_t>(w3[i]);
  }
  acc[0] += a0;
  acc[1] += a1;
  acc[2] += a2;
  acc[3] += a3;
}

// acc[0] += x.w over n, x from WidenS8.
inline void Dot1S16(const int16_t* x, const int8_t* w, int n, int32_t* acc) {
  int32_t a = 0;
  int i = 0;
#if MOTE_OPT_ARM_MVE
  for (; i < n; i += 8) {
    const mve_pred16_t p = vctp16q(static_cast<uint32_t>(n - i));
    a = vmladavaq_s16(a, vldrhq_z_s16(x + i, p), vldrbq_z_s16(w + i, p));
  }
#elif MOTE_OPT_ARM_DSP
  for (; i + 4 <= n; i += 4) {
    const uint32_t wv = Load4(w + i);
    a = __smlad(Load2x16(x + i + 2), Odd16(wv), __smlad(Load2x16(x + i), Even16(wv), a));
  }
#endif
  for (; i < n; ++i) a += x[i] * static_cast<int16_t>(w[i]);
  acc[0] += a;
}

}  // namespace mote::micro::opt

#endif  // MOTE_MICRO_KERNELS_OPT_DOT_S8_H_
