#include "micro/kernels/opt/pool_s8.h"

#include "micro/kernels/ref/quant.h"

namespace mote::micro::opt {
namespace {

// The reference's rounding (half away from zero) and clamp; count > 0.
inline int8_t Average(int32_t sum, int count, const ref::PoolParams& p) {
  const int32_t v = sum > 0 ? (sum + count / 2) / count : (sum - count / 2) / count;
  return static_cast<int8_t>(ref::Clamp(v, p.act_min, p.act_max));
}

}  // namespace

void AveragePoolS8(const ref::PoolParams& p, const ref::Shape4& is, const int8_t* in,
                   const ref::Shape4& os, int8_t* out) {
  for (int b = 0; b < os.n; ++b) {
    for (int oy = 0; oy < os.h; ++oy) {
      for (int ox = 0; ox < os.w; ++ox) {
        const ref::PoolWindow w = ref::ClippedWindow(p, is, oy, ox);
        const int count = w.count();
        int8_t* dst = out + os.Offset(b, oy, ox, 0);
        if (count == 0) {  // a window outside the input: act_min, as the reference
          for (int c = 0; c < os.c; ++c) dst[c] = static_cast<int8_t>(p.act_min);
          continue;
        }
        const int8_t* base = in + is.Offset(b, w.y0, w.x0, 0);
        const int rows = w.y1 - w.y0, cols = w.x1 - w.x0, row_step = is.w * is.c;
        int c = 0;
        // Four channels at a time in registers over the whole window.
        for (; c + 4 <= os.c; c += 4) {
          int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
          for (int y = 0; y < rows; ++y) {
            const int8_t* src = base + y * row_step + c;
            for (int x = 0; x < cols; ++x, src += is.c) {
              a0 += src[0];
              a1 += src[1];
              a2 += src[2];
              a3 += src[3];
            }
          }
          dst[c] = Average(a0, count, p);
          dst[c + 1] = Average(a1, count, p);
          dst[c + 2] = Average(a2, count, p);
          dst[c + 3] = Average(a3, count, p);
        }
        for (; c < os.c; ++c) {
          int32_t a = 0;
          for (int y = 0; y < rows; ++y) {
            const int8_t* src = base + y * row_step + c;
            for (int x = 0; x < cols; ++x, src += is.c) a += *src;
          }
          dst[c] = Average(a, count, p);
        }
      }
    }
  }
}

}  // namespace mote::micro::opt
