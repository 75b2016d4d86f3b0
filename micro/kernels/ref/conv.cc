#include "micro/kernels/ref/conv.h"

#include "micro/kernels/ref/quant.h"

namespace mote::micro::ref {
namespace {

inline float ClampF(float v, float lo, float hi) {
  return v < lo ? lo : (v > hi ? hi : v);
}

}  // namespace

void Conv2DPerChannelS8(const ConvParams& p, const ChannelQuant& quant, const Shape4& is,
                        const int8_t* in, const Shape4& fs,
                        const int8_t* filter, const int32_t* bias,
                        const Shape4& os, int8_t* out) {
  const int group_ch = fs.c;  // == in channels unless grouped
  const int groups = is.c / group_ch;
  const int out_per_group = os.c / groups;
  const int filter_stride = fs.h * fs.w * fs.c;  // one output channel
  for (int b = 0; b < os.n; ++b) {
    for (int oy = 0; oy < os.h; ++oy) {
      const int iy0 = oy * p.stride_h - p.pad_h;
      for (int ox = 0; ox < os.w; ++ox) {
        const int ix0 = ox * p.stride_w - p.pad_w;
        int8_t* o = out + os.Offset(b, oy, ox, 0);
        // Up to four output channels of one group per pass over the window.
        for (int oc = 0; oc < os.c;) {
          const int g = oc / out_per_group;
          const int n = (g + 1) * out_per_group - oc >= 4 ? 4 : 1;
          int32_t acc[4] = {0, 0, 0, 0};
          for (int ky = 0; ky < fs.h; ++ky) {
            const int iy = iy0 + p.dilation_h * ky;
            if (iy < 0 || iy >= is.h) continue;
            for (int kx = 0; kx < fs.w; ++kx) {
              const int ix = ix0 + p.dilation_w * kx;
              if (ix < 0 || ix >= is.w) continue;
              const int8_t* ip = in + is.Offset(b, iy, ix, g * group_ch);
              const int8_t* fp = filter + fs.Offset(oc, ky, kx, 0);
              if (n == 4) {
                for (int ic = 0; ic < group_ch; ++ic) {
                  const int32_t v = ip[ic] + p.input_offset;
                  acc[0] += fp[ic] * v;
                  acc[1] += fp[filter_stride + ic] * v;
                  acc[2] += fp[2 * filter_stride + ic] * v;
                  acc[3] += fp[3 * filter_stride + ic] * v;
                }
              } else {
                for (int ic = 0; ic < group_ch; ++ic) acc[0] += fp[ic] * (ip[ic] + p.input_offset);
              }
            }
          }
          for (int k = 0; k < n; ++k, ++oc) {
            int32_t a = acc[k] + (bias != nullptr ? bias[oc] : 0);
            a = quant.Apply(a, oc) + p.output_offset;
            o[oc] = static_cast<int8_t>(Clamp(a, p.act_min, p.act_max));
          }
        }
      }
    }
  }
}

void Conv2DF32(const ConvParams& p, const Shape4& is, const float* in,
               const Shape4& fs, const float* filter, const float* bias,
               const Shape4& os, float* out) {
  const int group_ch = fs.c;
  const int groups = is.c / group_ch;
  const int out_per_group = os.c / groups;
  const int filter_stride = fs.h * fs.w * fs.c;  // one output channel
  for (int b = 0; b < os.n; ++b) {
    for (int oy = 0; oy < os.h; ++oy) {
      const int iy0 = oy * p.stride_h - p.pad_h;
      for (int ox = 0; ox < os.w; ++ox) {
        const int ix0 = ox * p.stride_w - p.pad_w;
        float* o = out + os.Offset(b, oy, ox, 0);
        // Up to four output channels of one group at once, each summed in
        // (ky, kx, ic) order: identical results to one channel at a time.
        for (int oc = 0; oc < os.c;) {
          const int g = oc / out_per_group;
          const int group_end = (g + 1) * out_per_group;
          const int n = group_end - oc >= 4 ? 4 : 1;
          float t[4] = {0.0f, 0.0f, 0.0f, 0.0f};
          for (int ky = 0; ky < fs.h; ++ky) {
            const int iy = iy0 + p.dilation_h * ky;
            if (iy < 0 || iy >= is.h) continue;
            for (int kx = 0; kx < fs.w; ++kx) {
              const int ix = ix0 + p.dilation_w * kx;
              if (ix < 0 || ix >= is.w) continue;
              const float* ip = in + is.Offset(b, iy, ix, g * group_ch);
              const float* fp = filter + fs.Offset(oc, ky, kx, 0);
              if (n == 4) {
                for (int ic = 0; ic < group_ch; ++ic) {
                  const float v = ip[ic];
                  t[0] += v * fp[ic];
                  t[1] += v * fp[filter_stride + ic];
                  t[2] += v * fp[2 * filter_stride + ic];
                  t[3] += v * fp[3 * filter_stride + ic];
                }
              } else {
                for (int ic = 0; ic < group_ch; ++ic) t[0] += ip[ic] * fp[ic];
              }
            }
          }
          for (int k = 0; k < n; ++k, ++oc) {
            const float bias_value = bias != nullptr ? bias[oc] : 0.0f;
            o[oc] = ClampF(t[k] + bias_value, p.act_min_f, p.act_max_f);
          }
        }
      }
    }
  }
}

void DepthwiseConv2DPerChannelS8(const ConvParams& p, const ChannelQuant& quant, const Shape4& is,
                                 const int8_t* in, const Shape4& fs,
                                 const int8_t* filter, const int32_t* bias,
                                 const Shape4& os, int8_t* out) {
  const int mult = p.depth_multiplier;
  for (int b = 0; b < os.n; ++b) {
    for (int oy = 0; oy < os.h; ++oy) {
      const int iy0 = oy * p.stride_h - p.pad_h;
      for (int ox = 0; ox < os.w; ++ox) {
        const int ix0 = ox * p.stride_w - p.pad_w;
        for (int ic = 0; ic < is.c; ++ic) {
          for (int m = 0; m < mult; ++m) {
            const int oc = ic * mult + m;
            int32_t acc = 0;
            for (int ky = 0; ky < fs.h; ++ky) {
              const int iy = iy0 + p.dilation_h * ky;
              if (iy < 0 || iy >= is.h) continue;
              for (int kx = 0; kx < fs.w; ++kx) {
                const int ix = ix0 + p.dilation_w * kx;
                if (ix < 0 || ix >= is.w) continue;
                const int32_t v = in[is.Offset(b, iy, ix, ic)];
                const int32_t f = filter[fs.Offset(0, ky, kx, oc)];
                acc += f * (v + p.input_offset);
              }
            }
            if (bias != nullptr) acc += bias[oc];
            acc = quant.Apply(acc, oc);
            acc += p.output_offset;
            out[os.Offset(b, oy, ox, oc)] =
                static_cast<int8_t>(Clamp(acc, p.act_min, p.act_max));
          }
        }
      }
    }
  }
}

void DepthwiseConv2DF32(const ConvParams& p, const Shape4& is, const float* in,
                        const Shape4& fs, const float* filter,
                        const float* bias, const Shape4& os, float* out) {
  const int mult = p.depth_multiplier;
  for (int b = 0; b < os.n; ++b) {
    for (int oy = 0; oy < os.h; ++oy) {
      const int iy0 = oy * p.stride_h - p.pad_h;
      for (int ox = 0; ox < os.w; ++ox) {
        const int ix0 = ox * p.stride_w - p.pad_w;
        for (int ic = 0; ic < is.c; ++ic) {
          for (int m = 0; m < mult; ++m) {
            const int oc = ic * mult + m;
            float total = 0.0f;
            for (int ky = 0; ky < fs.h; ++ky) {
              const int iy = iy0 + p.dilation_h * ky;
              if (iy < 0 || iy >= is.h) continue;
              for (int kx = 0; kx < fs.w; ++kx) {
                const int ix = ix0 + p.dilation_w * kx;
                if (ix < 0 || ix >= is.w) continue;
                total += in[is.Offset(b, iy, ix, ic)] *
                         filter[fs.Offset(0, ky, kx, oc)];
              }
            }
            const float bias_value = bias != nullptr ? bias[oc] : 0.0f;
            out[os.Offset(b, oy, ox, oc)] =
                ClampF(total + bias_value, p.act_min_f, p.act_max_f);
          }
        }
      }
    }
  }
}

}  // namespace mote::micro::ref
