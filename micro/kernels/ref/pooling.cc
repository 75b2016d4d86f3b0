#include "micro/kernels/ref/pooling.h"

#include "micro/kernels/ref/quant.h"

namespace mote::micro::ref {
namespace {

// Visits every output element; `reduce` gets the (b, c) plane and the window
// clipped to the input, in absolute rows [y0, y1) and columns [x0, x1), and
// returns the output value.
template <typename T, typename Reduce>
void Pool(const PoolParams& p, const Shape4& is, const T* in, const Shape4& os,
          T* out, Reduce reduce) {
  for (int b = 0; b < os.n; ++b)
    for (int oy = 0; oy < os.h; ++oy)
      for (int ox = 0; ox < os.w; ++ox) {
        const PoolWindow w = ClippedWindow(p, is, oy, ox);
        for (int c = 0; c < os.c; ++c)
          out[os.Offset(b, oy, ox, c)] =
              reduce(in + is.Offset(b, 0, 0, c), is, w.y0, w.y1, w.x0, w.x1);
      }
}

}  // namespace

void AveragePoolS8(const PoolParams& p, const Shape4& is, const int8_t* in,
                   const Shape4& os, int8_t* out) {
  Pool(p, is, in, os, out,
       [&p](const int8_t* base, const Shape4& s, int y0, int y1, int x0, int x1) {
         int32_t acc = 0;
         int count = 0;
         for (int y = y0; y < y1; ++y)
           for (int x = x0; x < x1; ++x, ++count) acc += base[(y * s.w + x) * s.c];
         if (count == 0) return static_cast<int8_t>(p.act_min);
         acc = acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
         return static_cast<int8_t>(Clamp(acc, p.act_min, p.act_max));
       });
}

void AveragePoolF32(const PoolParams& p, const Shape4& is, const float* in,
                    const Shape4& os, float* out) {
  Pool(p, is, in, os, out,
       [&p](const float* base, const Shape4& s, int y0, int y1, int x0, int x1) {
         float total = 0.0f;
         int count = 0;
         for (int y = y0; y < y1; ++y)
           for (int x = x0; x < x1; ++x, ++count) total += base[(y * s.w + x) * s.c];
         float v = count > 0 ? total / static_cast<float>(count) : 0.0f;
         return v < p.act_min_f ? p.act_min_f : (v > p.act_max_f ? p.act_max_f : v);
       });
}

void MaxPoolS8(const PoolParams& p, const Shape4& is, const int8_t* in,
               const Shape4& os, int8_t* out) {
  Pool(p, is, in, os, out,
       [&p](const int8_t* base, const Shape4& s, int y0, int y1, int x0, int x1) {
         int32_t m = -128;
         for (int y = y0; y < y1; ++y)
           for (int x = x0; x < x1; ++x) {
             const int32_t v = base[(y * s.w + x) * s.c];
             if (v > m) m = v;
           }
         return static_cast<int8_t>(Clamp(m, p.act_min, p.act_max));
       });
}

void MaxPoolF32(const PoolParams& p, const Shape4& is, const float* in,
                const Shape4& os, float* out) {
  Pool(p, is, in, os, out,
       [&p](const float* base, const Shape4& s, int y0, int y1, int x0, int x1) {
         float m = -3.4028235e38f;
         for (int y = y0; y < y1; ++y)
           for (int x = x0; x < x1; ++x) {
             const float v = base[(y * s.w + x) * s.c];
             if (v > m) m = v;
           }
         return m < p.act_min_f ? p.act_min_f : (m > p.act_max_f ? p.act_max_f : m);
       });
}

void AveragePoolS16(const PoolParams& p, const Shape4& is, const int16_t* in,
                    const Shape4& os, int16_t* out) {
  Pool(p, is, in, os, out,
       [&p](const int16_t* base, const Shape4& s, int y0, int y1, int x0, int x1) {
         int32_t acc = 0;
         int count = 0;
         for (int y = y0; y < y1; ++y)
           for (int x = x0; x < x1; ++x, ++count) acc += base[(y * s.w + x) * s.c];
         if (count == 0) return static_cast<int16_t>(p.act_min);
         acc = acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
         return static_cast<int16_t>(Clamp(acc, p.act_min, p.act_max));
       });
}

void MaxPoolS16(const PoolParams& p, const Shape4& is, const int16_t* in,
                const Shape4& os, int16_t* out) {
  Pool(p, is, in, os, out,
       [&p](const int16_t* base, const Shape4& s, int y0, int y1, int x0, int x1) {
         int32_t m = -32768;
         for (int y = y0; y < y1; ++y)
           for (int x = x0; x < x1; ++x) {
             const int32_t v = base[(y * s.w + x) * s.c];
             if (v > m) m = v;
           }
         return static_cast<int16_t>(Clamp(m, p.act_min, p.act_max));
       });
}

}  // namespace mote::micro::ref
