#include "micro/kernels/opt/conv_s8.h"

#include <string.h>

#include "micro/kernels/opt/dot_s8.h"

namespace mote::micro::opt {
namespace {

// Channels whose sums are requantized in one batch (stack: kChunk int32 per
// pixel in flight). The dot products leave their sums (bias included) in a
// chunk, then one tight loop requantizes it: inside the dot-product loops
// the output step had no free registers and reloaded its operands per output.
constexpr int kChunk = 32;

// The reference kernels' output step after the bias: requantize, zero point,
// clamp. A copy of the quantization record: int8 output stores may alias any
// memory, so fields read through a reference would be reloaded per output.
// Per-tensor quantization is spread over a chunk of channels, so that both
// kinds run the same per-channel loop.
struct Output {
  const ref::ChannelQuant quant;
  int32_t offset, lo, hi;
  // Every shift a right shift (real multipliers below 0.5, the usual case)
  // and the clamp the whole int8 range (no activation, or a ReLU whose zero
  // point is -128): RequantizeRightS8 applies.
  bool right_int8;
  int32_t tensor_mult[kChunk];
  int8_t tensor_shift[kChunk];
};

Output MakeOutput(const ref::ChannelQuant& quant, int32_t offset, int32_t lo, int32_t hi,
                  int channels) {
  Output o{quant, offset, lo, hi, lo == -128 && hi == 127, {}, {}};
  if (quant.channel_mult != nullptr) {
    for (int c = 0; o.right_int8 && c < channels; ++c) o.right_int8 = quant.channel_shift[c] < 0;
  } else {
    o.right_int8 = o.right_int8 && quant.shift < 0;
    for (int i = 0; i < kChunk; ++i) {
      o.tensor_mult[i] = quant.mult;
      o.tensor_shift[i] = static_cast<int8_t>(quant.shift);
    }
  }
  return o;
}

inline int32_t Bias(const int32_t* bias, int c) { return bias != nullptr ? bias[c] : 0; }

// Channels in the chunk that starts at c0 of `total`.
inline int ChunkLength(int total, int c0) { return total - c0 < kChunk ? total - c0 : kChunk; }

// acc[i] = bias of channel c0 + i, i < n: the sums of a chunk start from it.
inline void BiasChunk(const int32_t* bias, int c0, int n, int32_t* acc) {
  for (int i = 0; i < n; ++i) acc[i] = Bias(bias, c0 + i);
}

#if MOTE_OPT_ARM_ASM
// out[i] = SSAT8(MultiplyByQuantizedMultiplierRight(acc[i], mult[i], -shift[i])
// + offset), i < n: 17 instructions per output on Cortex-M4 (the C loop: 28,
// GCC computes both shift branches and clamps in compares).
// REQUIRES: n >= 1, every shift[i] in -31..-1.
void RequantizeRightS8(const int32_t* acc, const int32_t* mult, const int8_t* shift, int n,
                       int32_t offset, int8_t* out) {
  int32_t x, m, e1, lo, hi;
  const int32_t one = 1;
  __asm__ volatile(
      "1:\n\t"
      "ldr   %[x], [%[acc]], #4\n\t"
      "ldr   %[m], [%[mult]], #4\n\t"
      "ldrsb %[e1], [%[shift]], #1\n\t"
      "eor   %[lo], %[x], %[m]\n\t"          // sign bit: x, m of opposite signs
      "mvn   %[e1], %[e1]\n\t"               // e - 1 = -shift - 1
      "lsl   %[hi], %[one], %[e1]\n\t"
      "add   %[hi], %[hi], %[lo], asr #31\n\t"  // r = 2^(e-1) - n
      "lsl   %[lo], %[hi], #31\n\t"          // r 2^31 + 2^30 as two words
      "orr   %[lo], %[lo], #0x40000000\n\t"
      "asr   %[hi], %[hi], #1\n\t"
      "smlal %[lo], %[hi], %[x], %[m]\n\t"   // + x m
      "asr   %[hi], %[hi], %[e1]\n\t"        // >> (31 + e)
      "add   %[hi], %[hi], %[off]\n\t"
      "ssat  %[hi], #8, %[hi]\n\t"
      "strb  %[hi], [%[out]], #1\n\t"
      "subs  %[n], %[n], #1\n\t"
      "bne   1b\n\t"
      : [acc] "+r"(acc), [mult] "+r"(mult), [shift] "+r"(shift), [out] "+r"(out), [n] "+r"(n),
        [x] "=&r"(x), [m] "=&r"(m), [e1] "=&r"(e1), [lo] "=&r"(lo), [hi] "=&r"(hi)
      : [one] "r"(one), [off] "r"(offset)
      : "cc", "memory");
}
#endif

// out[i] = the output of sum acc[i] (bias included) of channel c0 + i, i < n.
void Requantize(const Output& o, const int32_t* acc, int c0, int n, int8_t* out) {
  const ref::ChannelQuant& q = o.quant;
  const bool per_channel = q.channel_mult != nullptr;
  const int32_t* mult = per_channel ? q.channel_mult + c0 : o.tensor_mult;
  const int8_t* shift = per_channel ? q.channel_shift + c0 : o.tensor_shift;
#if MOTE_OPT_ARM_ASM
  if (o.right_int8 && n > 0) {
    RequantizeRightS8(acc, mult, shift, n, o.offset, out);
    return;
  }
#endif
  for (int i = 0; i < n; ++i) {
    const int32_t y = ref::MultiplyByQuantizedMultiplierFast(acc[i], mult[i], shift[i]);
    out[i] = static_cast<int8_t>(ref::Clamp(y + o.offset, o.lo, o.hi));
  }
}

// The K = KH*KW*Cin inputs of output pixel (b, oy, ox) in filter order, plus
// the input offset, as int16 in dst (WidenS8's order): padding positions get
// the input zero point, i.e. 0 after the offset, contributing nothing.
void Window(const ref::ConvParams& p, const ref::Shape4& is, const int8_t* in,
            const ref::Shape4& fs, int b, int oy, int ox, int16_t* dst) {
  const int iy0 = oy * p.stride_h - p.pad_h;
  const int ix0 = ox * p.stride_w - p.pad_w;
  const int k = fs.h * fs.w * fs.c;
  if (fs.h == 1 && fs.w == 1) {  // a 1x1 window is never padded
    WidenS8(in + is.Offset(b, iy0, ix0, 0), p.input_offset, k, dst);
    return;
  }
  // Gather the int8 window into the upper half of dst, then widen in place.
  int8_t* col = reinterpret_cast<int8_t*>(dst) + k;
  const int cin = is.c;
  const int row = fs.w * cin;
  const int8_t zero = static_cast<int8_t>(-p.input_offset);
  const bool x_inside = ix0 >= 0 && ix0 + (fs.w - 1) * p.dilation_w < is.w;
  int8_t* d = col;
  for (int ky = 0; ky < fs.h; ++ky, d += row) {
    const int iy = iy0 + p.dilation_h * ky;
    if (iy < 0 || iy >= is.h) {
      memset(d, zero, static_cast<size_t>(row));
    } else if (x_inside && p.dilation_w == 1) {
      memcpy(d, in + is.Offset(b, iy, ix0, 0), static_cast<size_t>(row));
    } else {
      for (int kx = 0; kx < fs.w; ++kx) {
        const int ix = ix0 + p.dilation_w * kx;
        if (ix < 0 || ix >= is.w) {
          memset(d + kx * cin, zero, static_cast<size_t>(cin));
        } else {
          memcpy(d + kx * cin, in + is.Offset(b, iy, ix, 0), static_cast<size_t>(cin));
        }
      }
    }
  }
  WidenS8(col, p.input_offset, k, dst);
}

}  // namespace

bool Conv2DS8Applies(const ref::Shape4& is, const ref::Shape4& fs) {
  return fs.c == is.c && fs.h * fs.w * fs.c <= kMaxWindow;
}

void Conv2DS8(const ref::ConvParams& p, const ref::ChannelQuant& quant, const int32_t* bias,
              int16_t* col, const ref::Shape4& is, const int8_t* in, const ref::Shape4& fs,
              const int8_t* filter, const ref::Shape4& os, int8_t* out) {
  const Output finish = MakeOutput(quant, p.output_offset, p.act_min, p.act_max, os.c);
  const int k = fs.h * fs.w * fs.c;  // one output channel's filter
  const int cout = os.c;
  const int plane = os.h * os.w;
  const int pixels = os.n * plane;
  int16_t* col1 = col + Conv2DS8ColStride(fs);
  int32_t acc0[kChunk], acc1[kChunk];
  // Two pixels per pass. Both windows are gathered before either pixel's
  // outputs are written, and pixel q's outputs are written before pixel q+2's
  // window is read, so in-place operation (output over the input,
  // SlidingWindowGap) is as safe as in the reference.
  int q = 0;
  for (; q + 2 <= pixels; q += 2) {
    const int r0 = q % plane, r1 = (q + 1) % plane;
    Window(p, is, in, fs, q / plane, r0 / os.w, r0 % os.w, col);
    Window(p, is, in, fs, (q + 1) / plane, r1 / os.w, r1 % os.w, col1);
    int8_t* o0 = out + static_cast<int64_t>(q) * cout;
    for (int c0 = 0; c0 < cout; c0 += kChunk) {
      const int n = ChunkLength(cout, c0);
      int j = 0;
      for (; j + 2 <= n; j += 2) {
        const int oc = c0 + j;
        int32_t acc[4] = {Bias(bias, oc), Bias(bias, oc + 1), Bias(bias, oc), Bias(bias, oc + 1)};
        Dot2x2S16(col, col1, filter + oc * k, k, k, acc);
        acc0[j] = acc[0];
        acc0[j + 1] = acc[1];
        acc1[j] = acc[2];
        acc1[j + 1] = acc[3];
      }
      if (j < n) {
        acc0[j] = acc1[j] = Bias(bias, c0 + j);
        Dot1S16(col, filter + (c0 + j) * k, k, &acc0[j]);
        Dot1S16(col1, filter + (c0 + j) * k, k, &acc1[j]);
      }
      Requantize(finish, acc0, c0, n, o0 + c0);
      Requantize(finish, acc1, c0, n, o0 + cout + c0);
    }
  }
  if (q < pixels) {  // an odd pixel count: the last pixel
    const int r = q % plane;
    Window(p, is, in, fs, q / plane, r / os.w, r % os.w, col);
    int8_t* o = out + static_cast<int64_t>(q) * cout;
    for (int c0 = 0; c0 < cout; c0 += kChunk) {
      const int n = ChunkLength(cout, c0);
      BiasChunk(bias, c0, n, acc0);
      int j = 0;
      for (; j + 4 <= n; j += 4) Dot4S16(col, filter + (c0 + j) * k, k, k, acc0 + j);
      for (; j < n; ++j) Dot1S16(col, filter + (c0 + j) * k, k, &acc0[j]);
      Requantize(finish, acc0, c0, n, o + c0);
    }
  }
}

bool DepthwiseConv2DS8Applies(const ref::ConvParams& p, const ref::Shape4& fs) {
  return p.depth_multiplier == 1 && fs.h * fs.w <= kMaxTaps;
}

namespace {

// One filter tap of an output pixel: its input pixel and its filter row.
struct Tap {
  const int8_t* in;
  const int8_t* f;
};

// acc[i] += sum over the taps of (tap[t].in[c0 + i] + off) * tap[t].f[c0 + i]
// for i < n (n <= kChunk).
void DepthwiseSums(const Tap* tap, int taps, int32_t off, int c0, int n, int32_t* acc) {
  int i = 0;
#if MOTE_OPT_ARM_MVE
  // Four channels per vector of int32 lanes per pass over the taps.
  for (; i + 4 <= n; i += 4) {
    const int c = c0 + i;
    int32x4_t a = vldrwq_s32(acc + i);
    const Tap* k = tap;
    for (int t = taps; t > 0; --t) {
      const int8_t* x;
      const int8_t* f;
      // The tap's two pointers in one post-incremented LDRD (GCC indexes).
      __asm__("ldrd %0, %1, [%2], #8" : "=r"(x), "=r"(f), "+r"(k) : "m"(*k));
      const int32x4_t xv = vaddq_n_s32(vldrbq_s32(x + c), off);
      a = vaddq_s32(a, vmulq_s32(xv, vldrbq_s32(f + c)));
    }
    vstrwq_s32(acc + i, a);
  }
#elif MOTE_OPT_ARM_ASM
  // Four channels in registers per pass over the taps, 13 instructions per
  // tap in assembly (GCC's loop: 16): the tap's two pointers (LDRD), one
  // word of inputs and of weights, widened by SXTAB16 / SXTB16 (even and odd
  // bytes), and four 16x16 multiply-accumulates.
  const int32_t off2 = Pair16(off);
  for (; taps > 0 && i + 4 <= n; i += 4) {
    int32_t a0 = acc[i], a1 = acc[i + 1], a2 = acc[i + 2], a3 = acc[i + 3];
    const Tap* tp = tap;
    int t = taps;
    const int c = c0 + i;
    const int8_t* px;
    const int8_t* pf;
    int32_t v, w;
    __asm__ volatile(
        "1:\n\t"
        "ldrd    %[px], %[pf], [%[tp]], #8\n\t"
        "ldr     %[px], [%[px], %[c]]\n\t"
        "ldr     %[pf], [%[pf], %[c]]\n\t"
        "sxtab16 %[v], %[off2], %[px]\n\t"
        "sxtb16  %[w], %[pf]\n\t"
        "smlabb  %[a0], %[v], %[w], %[a0]\n\t"
        "smlatt  %[a2], %[v], %[w], %[a2]\n\t"
        "sxtab16 %[v], %[off2], %[px], ror #8\n\t"
        "sxtb16  %[w], %[pf], ror #8\n\t"
        "smlabb  %[a1], %[v], %[w], %[a1]\n\t"
        "smlatt  %[a3], %[v], %[w], %[a3]\n\t"
        "subs    %[t], %[t], #1\n\t"
        "bne     1b\n\t"
        : [a0] "+r"(a0), [a1] "+r"(a1), [a2] "+r"(a2), [a3] "+r"(a3), [tp] "+r"(tp), [t] "+r"(t),
          [px] "=&r"(px), [pf] "=&r"(pf), [v] "=&r"(v), [w] "=&r"(w)
        : [c] "r"(c), [off2] "r"(off2)
        : "cc", "memory");
    acc[i] = a0;
    acc[i + 1] = a1;
    acc[i + 2] = a2;
    acc[i + 3] = a3;
  }
#elif defined(__arm__)
  // Four channels in registers per pass over the taps.
  for (; i + 4 <= n; i += 4) {
    const int c = c0 + i;
    int32_t a0 = acc[i], a1 = acc[i + 1], a2 = acc[i + 2], a3 = acc[i + 3];
    for (int t = 0; t < taps; ++t) {
      const int8_t* x = tap[t].in + c;
      const int8_t* f = tap[t].f + c;
      a0 += (x[0] + off) * f[0];
      a1 += (x[1] + off) * f[1];
      a2 += (x[2] + off) * f[2];
      a3 += (x[3] + off) * f[3];
    }
    acc[i] = a0;
    acc[i + 1] = a1;
    acc[i + 2] = a2;
    acc[i + 3] = a3;
  }
#else
  // A whole chunk in a loop the compiler vectorizes (contiguous in NHWC).
  if (n == kChunk) {
    const int16_t off16 = static_cast<int16_t>(off);
    for (int t = 0; t < taps; ++t) {
      const int8_t* x = tap[t].in + c0;
      const int8_t* f = tap[t].f + c0;
      for (int j = 0; j < kChunk; ++j)
        acc[j] += static_cast<int16_t>(x[j] + off16) * static_cast<int16_t>(f[j]);
    }
    i = kChunk;
  }
#endif
  for (; i < n; ++i) {
    const int c = c0 + i;
    for (int t = 0; t < taps; ++t) acc[i] += (tap[t].in[c] + off) * tap[t].f[c];
  }
}

}  // namespace

void DepthwiseConv2DS8(const ref::ConvParams& p, const ref::ChannelQuant& quant,
                       const int32_t* bias, const ref::Shape4& is, const int8_t* in,
                       const ref::Shape4& fs, const int8_t* filter, const ref::Shape4& os,
                       int8_t* out) {
  const Output finish = MakeOutput(quant, p.output_offset, p.act_min, p.act_max, os.c);
  const int ch = is.c;
  Tap tap[kMaxTaps];  // the pixel's taps inside the input
  int32_t acc[kChunk];
  for (int b = 0; b < os.n; ++b) {
    for (int oy = 0; oy < os.h; ++oy) {
      const int iy0 = oy * p.stride_h - p.pad_h;
      for (int ox = 0; ox < os.w; ++ox) {
        const int ix0 = ox * p.stride_w - p.pad_w;
        int taps = 0;
        for (int ky = 0; ky < fs.h; ++ky) {
          const int iy = iy0 + p.dilation_h * ky;
          if (iy < 0 || iy >= is.h) continue;  // padding contributes nothing
          for (int kx = 0; kx < fs.w; ++kx) {
            const int ix = ix0 + p.dilation_w * kx;
            if (ix < 0 || ix >= is.w) continue;
            tap[taps++] = Tap{in + is.Offset(b, iy, ix, 0), filter + (ky * fs.w + kx) * ch};
          }
        }
        int8_t* o = out + os.Offset(b, oy, ox, 0);
        for (int c0 = 0; c0 < ch; c0 += kChunk) {
          const int n = ChunkLength(ch, c0);
          BiasChunk(bias, c0, n, acc);
          DepthwiseSums(tap, taps, p.input_offset, c0, n, acc);
          Requantize(finish, acc, c0, n, o + c0);
        }
      }
    }
  }
}

void FullyConnectedS8(const ref::FullyConnectedParams& p, const ref::ChannelQuant& quant,
                      const int32_t* bias, int batches, int depth, int units,
                      const int8_t* input, const int8_t* weights, int8_t* output) {
  const Output finish = MakeOutput(quant, p.output_offset, p.act_min, p.act_max, units);
  int32_t acc[kChunk];
  for (int b = 0; b < batches; ++b) {
    const int8_t* x = input + b * depth;
    int8_t* y = output + b * units;
    for (int u0 = 0; u0 < units; u0 += kChunk) {
      const int n = ChunkLength(units, u0);
      BiasChunk(bias, u0, n, acc);
      int j = 0;
      for (; j + 4 <= n; j += 4)
        Dot4S8(x, p.input_offset, weights + (u0 + j) * depth, depth, depth, acc + j);
      for (; j < n; ++j) Dot1S8(x, p.input_offset, weights + (u0 + j) * depth, depth, &acc[j]);
      Requantize(finish, acc, u0, n, y + u0);
    }
  }
}

}  // namespace mote::micro::opt
