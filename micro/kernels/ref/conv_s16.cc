#include "micro/kernels/ref/conv_s16.h"

namespace mote::micro::ref {
namespace {

// The requantization that goes with each accumulator type.
inline int32_t Requant(const ChannelQuant& q, int64_t acc, int c) { return q.Apply64(acc, c); }
inline int32_t Requant(const ChannelQuant& q, int32_t acc, int c) { return q.Apply(acc, c); }

template <typename Acc>
void ConvS16(const ConvParams& p, const ChannelQuant& quant, const Shape4& is, const int16_t* in,
             const Shape4& fs, const int8_t* filter, const Acc* bias, const Shape4& os,
             int16_t* out) {
  const int group_ch = fs.c;
  const int groups = is.c / group_ch;
  const int out_per_group = os.c / groups;
  for (int b = 0; b < os.n; ++b) {
    for (int oy = 0; oy < os.h; ++oy) {
      const int iy0 = oy * p.stride_h - p.pad_h;
      for (int ox = 0; ox < os.w; ++ox) {
        const int ix0 = ox * p.stride_w - p.pad_w;
        int16_t* o = out + os.Offset(b, oy, ox, 0);
        for (int oc = 0; oc < os.c; ++oc) {
          const int g = oc / out_per_group;
          Acc acc = 0;
          for (int ky = 0; ky < fs.h; ++ky) {
            const int iy = iy0 + p.dilation_h * ky;
            if (iy < 0 || iy >= is.h) continue;
            for (int kx = 0; kx < fs.w; ++kx) {
              const int ix = ix0 + p.dilation_w * kx;
              if (ix < 0 || ix >= is.w) continue;
              const int16_t* ip = in + is.Offset(b, iy, ix, g * group_ch);
              const int8_t* fp = filter + fs.Offset(oc, ky, kx, 0);
              for (int ic = 0; ic < group_ch; ++ic) acc += int32_t{fp[ic]} * ip[ic];
            }
          }
          if (bias != nullptr) acc += bias[oc];
          o[oc] = static_cast<int16_t>(Clamp(Requant(quant, acc, oc), p.act_min, p.act_max));
        }
      }
    }
  }
}

template <typename Acc>
void DepthwiseS16(const ConvParams& p, const ChannelQuant& quant, const Shape4& is,
                  const int16_t* in, const Shape4& fs, const int8_t* filter, const Acc* bias,
                  const Shape4& os, int16_t* out) {
  const int mult = p.depth_multiplier;
  for (int b = 0; b < os.n; ++b) {
    for (int oy = 0; oy < os.h; ++oy) {
      const int iy0 = oy * p.stride_h - p.pad_h;
      for (int ox = 0; ox < os.w; ++ox) {
        const int ix0 = ox * p.stride_w - p.pad_w;
        for (int ic = 0; ic < is.c; ++ic) {
          for (int m = 0; m < mult; ++m) {
            const int oc = ic * mult + m;
            Acc acc = 0;
            for (int ky = 0; ky < fs.h; ++ky) {
              const int iy = iy0 + p.dilation_h * ky;
              if (iy < 0 || iy >= is.h) continue;
              for (int kx = 0; kx < fs.w; ++kx) {
                const int ix = ix0 + p.dilation_w * kx;
                if (ix < 0 || ix >= is.w) continue;
                acc += int32_t{filter[fs.Offset(0, ky, kx, oc)]} * in[is.Offset(b, iy, ix, ic)];
              }
            }
            if (bias != nullptr) acc += bias[oc];
            out[os.Offset(b, oy, ox, oc)] =
                static_cast<int16_t>(Clamp(Requant(quant, acc, oc), p.act_min, p.act_max));
          }
        }
      }
    }
  }
}

}  // namespace

void Conv2DPerChannelS16(const ConvParams& p, const ChannelQuant& quant, const Shape4& is,
                         const int16_t* in, const Shape4& fs, const int8_t* filter,
                         const int64_t* bias, const Shape4& os, int16_t* out) {
  ConvS16<int64_t>(p, quant, is, in, fs, filter, bias, os, out);
}

void Conv2DPerChannelS16(const ConvParams& p, const ChannelQuant& quant, const Shape4& is,
                         const int16_t* in, const Shape4& fs, const int8_t* filter,
                         const int32_t* bias, const Shape4& os, int16_t* out) {
  ConvS16<int32_t>(p, quant, is, in, fs, filter, bias, os, out);
}

void DepthwiseConv2DPerChannelS16(const ConvParams& p, const ChannelQuant& quant,
                                  const Shape4& is, const int16_t* in, const Shape4& fs,
                                  const int8_t* filter, const int64_t* bias, const Shape4& os,
                                  int16_t* out) {
  DepthwiseS16<int64_t>(p, quant, is, in, fs, filter, bias, os, out);
}

void DepthwiseConv2DPerChannelS16(const ConvParams& p, const ChannelQuant& quant,
                                  const Shape4& is, const int16_t* in, const Shape4& fs,
                                  const int8_t* filter, const int32_t* bias, const Shape4& os,
                                  int16_t* out) {
  DepthwiseS16<int32_t>(p, quant, is, in, fs, filter, bias, os, out);
}

}  // namespace mote::micro::ref
