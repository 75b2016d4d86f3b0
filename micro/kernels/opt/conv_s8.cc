#include "micro/kernels/opt/conv_s8.h"

#include <string.h>

#include "micro/kernels/opt/dot_s8.h"

namespace mote::micro::opt {
namespace {

// The reference kernels' output step: bias, requantize, zero point, clamp.
// Holds a copy of the quantization record: int8 output stores may alias any
// memory, so fields read through a reference would be reloaded per output.
struct Output {
  const ref::ChannelQuant quant;
  const int32_t* bias;
  int32_t offset, lo, hi;
  int8_t operator()(int32_t acc, int c) const {
    if (bias != nullptr) acc += bias[c];
    return static_cast<int8_t>(ref::Clamp(quant.Apply(acc, c) + offset, lo, hi));
  }
};

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
  const Output finish{quant, bias, p.output_offset, p.act_min, p.act_max};
  const int k = fs.h * fs.w * fs.c;  // one output channel's filter
  const int cout = os.c;
  const int plane = os.h * os.w;
  const int pixels = os.n * plane;
  int16_t* col1 = col + Conv2DS8ColStride(fs);
  // Pixel q+1's outputs wait here until pixel q's are written: the output is
  // written in increasing address order, each pixel after its window was
  // read, so in-place operation (output over the input, SlidingWindowGap)
  // is as safe as in the reference.
  int8_t later[kMaxPairChannels];
  int q = 0;
  for (; cout <= kMaxPairChannels && q + 2 <= pixels; q += 2) {
    const int r0 = q % plane, r1 = (q + 1) % plane;
    Window(p, is, in, fs, q / plane, r0 / os.w, r0 % os.w, col);
    Window(p, is, in, fs, (q + 1) / plane, r1 / os.w, r1 % os.w, col1);
    int8_t* o0 = out + static_cast<int64_t>(q) * cout;
    int oc = 0;
    for (; oc + 2 <= cout; oc += 2) {
      int32_t acc[4] = {0, 0, 0, 0};
      Dot2x2S16(col, col1, filter + oc * k, k, k, acc);
      o0[oc] = finish(acc[0], oc);
      o0[oc + 1] = finish(acc[1], oc + 1);
      later[oc] = finish(acc[2], oc);
      later[oc + 1] = finish(acc[3], oc + 1);
    }
    if (oc < cout) {
      int32_t a0 = 0, a1 = 0;
      Dot1S16(col, filter + oc * k, k, &a0);
      Dot1S16(col1, filter + oc * k, k, &a1);
      o0[oc] = finish(a0, oc);
      later[oc] = finish(a1, oc);
    }
    memcpy(o0 + cout, later, static_cast<size_t>(cout));
  }
  for (; q < pixels; ++q) {  // the last pixel, or every pixel of a wide layer
    const int r = q % plane;
    Window(p, is, in, fs, q / plane, r / os.w, r % os.w, col);
    int8_t* o = out + static_cast<int64_t>(q) * cout;
    int oc = 0;
    for (; oc + 4 <= cout; oc += 4) {
      int32_t acc[4] = {0, 0, 0, 0};
      Dot4S16(col, filter + oc * k, k, k, acc);
      for (int j = 0; j < 4; ++j) o[oc + j] = finish(acc[j], oc + j);
    }
    for (; oc < cout; ++oc) {
      int32_t acc = 0;
      Dot1S16(col, filter + oc * k, k, &acc);
      o[oc] = finish(acc, oc);
    }
  }
}

bool DepthwiseConv2DS8Applies(const ref::ConvParams& p, const ref::Shape4& fs) {
  return p.depth_multiplier == 1 && fs.h * fs.w <= kMaxTaps;
}

void DepthwiseConv2DS8(const ref::ConvParams& p, const ref::ChannelQuant& quant,
                       const int32_t* bias, const ref::Shape4& is, const int8_t* in,
                       const ref::Shape4& fs, const int8_t* filter, const ref::Shape4& os,
                       int8_t* out) {
  const Output finish{quant, bias, p.output_offset, p.act_min, p.act_max};
  const int32_t off = p.input_offset;
  const int ch = is.c;
  const int8_t* tap_in[kMaxTaps];  // the pixel's taps inside the input
  const int8_t* tap_f[kMaxTaps];   // and their filter rows
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
            tap_in[taps] = in + is.Offset(b, iy, ix, 0);
            tap_f[taps++] = filter + (ky * fs.w + kx) * ch;
          }
        }
        int8_t* o = out + os.Offset(b, oy, ox, 0);
        int c = 0;
#if MOTE_OPT_ARM_MVE
        // Four channels per vector of int32 lanes per pass over the taps.
        for (; c + 4 <= ch; c += 4) {
          int32x4_t acc = vdupq_n_s32(0);
          for (int t = 0; t < taps; ++t) {
            const int32x4_t xv = vaddq_n_s32(vldrbq_s32(tap_in[t] + c), off);
            acc = vaddq_s32(acc, vmulq_s32(xv, vldrbq_s32(tap_f[t] + c)));
          }
          o[c] = finish(vgetq_lane_s32(acc, 0), c);
          o[c + 1] = finish(vgetq_lane_s32(acc, 1), c + 1);
          o[c + 2] = finish(vgetq_lane_s32(acc, 2), c + 2);
          o[c + 3] = finish(vgetq_lane_s32(acc, 3), c + 3);
        }
#elif defined(__arm__)
        // Four channels in registers per pass over the taps.
#if MOTE_OPT_ARM_DSP
        const int32_t off2 = Pair16(off);
#endif
        for (; c + 4 <= ch; c += 4) {
          int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
          for (int t = 0; t < taps; ++t) {
            const int8_t* x = tap_in[t] + c;
            const int8_t* f = tap_f[t] + c;
#if MOTE_OPT_ARM_DSP
            const uint32_t xv = Load4(x);
            const uint32_t fv = Load4(f);
            const int32_t xe = Even16Add(xv, off2), xo = Odd16Add(xv, off2);
            const int32_t fe = Even16(fv), fo = Odd16(fv);
            a0 = __smlabb(xe, fe, a0);
            a2 = __smlatt(xe, fe, a2);
            a1 = __smlabb(xo, fo, a1);
            a3 = __smlatt(xo, fo, a3);
#else
            a0 += (x[0] + off) * f[0];
            a1 += (x[1] + off) * f[1];
            a2 += (x[2] + off) * f[2];
            a3 += (x[3] + off) * f[3];
#endif
          }
          o[c] = finish(a0, c);
          o[c + 1] = finish(a1, c + 1);
          o[c + 2] = finish(a2, c + 2);
          o[c + 3] = finish(a3, c + 3);
        }
#else
        // Chunks of channels the compiler vectorizes (contiguous in NHWC).
        constexpr int kChunk = 32;
        const int16_t off16 = static_cast<int16_t>(off);
        for (; c + kChunk <= ch; c += kChunk) {
          int32_t acc[kChunk] = {};
          for (int t = 0; t < taps; ++t) {
            const int8_t* x = tap_in[t] + c;
            const int8_t* f = tap_f[t] + c;
            for (int i = 0; i < kChunk; ++i)
              acc[i] += static_cast<int16_t>(x[i] + off16) * static_cast<int16_t>(f[i]);
          }
          for (int i = 0; i < kChunk; ++i) o[c + i] = finish(acc[i], c + i);
        }
#endif
        for (; c < ch; ++c) {
          int32_t acc = 0;
          for (int t = 0; t < taps; ++t) acc += (tap_in[t][c] + off) * tap_f[t][c];
          o[c] = finish(acc, c);
        }
      }
    }
  }
}

void FullyConnectedS8(const ref::FullyConnectedParams& p, const ref::ChannelQuant& quant,
                      const int32_t* bias, int batches, int depth, int units,
                      const int8_t* input, const int8_t* weights, int8_t* output) {
  const Output finish{quant, bias, p.output_offset, p.act_min, p.act_max};
  for (int b = 0; b < batches; ++b) {
    const int8_t* x = input + b * depth;
    int8_t* y = output + b * units;
    int u = 0;
    for (; u + 4 <= units; u += 4) {
      int32_t acc[4] = {0, 0, 0, 0};
      Dot4S8(x, p.input_offset, weights + u * depth, depth, depth, acc);
      for (int j = 0; j < 4; ++j) y[u + j] = finish(acc[j], u + j);
    }
    for (; u < units; ++u) {
      int32_t acc = 0;
      Dot1S8(x, p.input_offset, weights + u * depth, depth, &acc);
      y[u] = finish(acc, u);
    }
  }
}

}  // namespace mote::micro::opt
