#include "micro/kernels/ref/elementwise.h"

#include <math.h>

#include "micro/kernels/ref/quant.h"

namespace mote::micro::ref {
namespace {

// Calls fn(out_index, a_index, b_index) for every output element.
template <typename Fn>
void ForEach(const Broadcast& bc, Fn fn) {
  if (bc.same) {
    for (int i = 0; i < bc.elements; ++i) fn(i, i, i);
    return;
  }
  int idx[kMaxBroadcastRank] = {};
  int ia = 0, ib = 0;
  for (int i = 0; i < bc.elements; ++i) {
    fn(i, ia, ib);
    for (int d = bc.rank - 1; d >= 0; --d) {
      ia += bc.stride_a[d];
      ib += bc.stride_b[d];
      if (++idx[d] < bc.dims[d]) break;
      ia -= bc.stride_a[d] * bc.dims[d];
      ib -= bc.stride_b[d] * bc.dims[d];
      idx[d] = 0;
    }
  }
}

inline float ClampF(float v, float lo, float hi) {
  return v < lo ? lo : (v > hi ? hi : v);
}

// ADD of two quantized inputs (TFLite's scheme): each input plus its offset
// is shifted left by left_shift (20 for int8, 15 for int16) and rescaled to
// half the larger input scale; the sum is rescaled to the output.
void AddPrepareQuantized(int left_shift, float scale1, int32_t zp1, float scale2, int32_t zp2,
                         float out_scale, int32_t out_zp, int32_t act_min, int32_t act_max,
                         AddParamsS8* p) {
  p->input1_offset = -zp1;
  p->input2_offset = -zp2;
  p->output_offset = out_zp;
  p->left_shift = left_shift;
  const double twice_max = 2.0 * static_cast<double>(scale1 > scale2 ? scale1 : scale2);
  QuantizeMultiplier(static_cast<double>(scale1) / twice_max, &p->input1_mult, &p->input1_shift);
  QuantizeMultiplier(static_cast<double>(scale2) / twice_max, &p->input2_mult, &p->input2_shift);
  QuantizeMultiplier(twice_max / ((1 << p->left_shift) * static_cast<double>(out_scale)),
                     &p->output_mult, &p->output_shift);
  p->act_min = act_min;
  p->act_max = act_max;
}

template <typename T>
void AddQuantized(const AddParamsS8& p, const Broadcast& bc, const T* a, const T* b, T* out) {
  ForEach(bc, [&](int o, int ia, int ib) {
    const int32_t x = (p.input1_offset + a[ia]) * (1 << p.left_shift);
    const int32_t y = (p.input2_offset + b[ib]) * (1 << p.left_shift);
    const int32_t sx = MultiplyByQuantizedMultiplier(x, p.input1_mult, p.input1_shift);
    const int32_t sy = MultiplyByQuantizedMultiplier(y, p.input2_mult, p.input2_shift);
    const int32_t r = MultiplyByQuantizedMultiplier(sx + sy, p.output_mult, p.output_shift) +
                      p.output_offset;
    out[o] = static_cast<T>(Clamp(r, p.act_min, p.act_max));
  });
}

template <typename T>
void MulQuantized(const MulParamsS8& p, const Broadcast& bc, const T* a, const T* b, T* out) {
  ForEach(bc, [&](int o, int ia, int ib) {
    const int32_t prod = (p.input1_offset + a[ia]) * (p.input2_offset + b[ib]);
    const int32_t r = p.output_offset +
                      MultiplyByQuantizedMultiplier(prod, p.output_mult, p.output_shift);
    out[o] = static_cast<T>(Clamp(r, p.act_min, p.act_max));
  });
}

}  // namespace

bool MakeBroadcast(const int32_t* a_dims, int a_rank, const int32_t* b_dims,
                   int b_rank, Broadcast* out) {
  *out = Broadcast();
  const int rank = a_rank > b_rank ? a_rank : b_rank;
  if (rank > kMaxBroadcastRank) return false;
  out->rank = rank;
  int ea = 1, eb = 1, n = 1;
  for (int d = rank - 1; d >= 0; --d) {
    const int da = d - (rank - a_rank) >= 0 ? a_dims[d - (rank - a_rank)] : 1;
    const int db = d - (rank - b_rank) >= 0 ? b_dims[d - (rank - b_rank)] : 1;
    if (da != db && da != 1 && db != 1) return false;
    const int dim = da > db ? da : db;
    out->dims[d] = (da == 0 || db == 0) ? 0 : dim;
    out->stride_a[d] = da == 1 ? 0 : ea;
    out->stride_b[d] = db == 1 ? 0 : eb;
    if (da != db) out->same = false;
    ea *= da;
    eb *= db;
    n *= out->dims[d];
  }
  out->elements = n;
  return true;
}

void AddPrepareS8(float scale1, int32_t zp1, float scale2, int32_t zp2,
                  float out_scale, int32_t out_zp, int32_t act_min,
                  int32_t act_max, AddParamsS8* p) {
  AddPrepareQuantized(20, scale1, zp1, scale2, zp2, out_scale, out_zp, act_min, act_max, p);
}

void AddS8(const AddParamsS8& p, const Broadcast& bc, const int8_t* a,
           const int8_t* b, int8_t* out) {
  AddQuantized(p, bc, a, b, out);
}

void AddF32(float act_min, float act_max, const Broadcast& bc, const float* a,
            const float* b, float* out) {
  ForEach(bc, [&](int o, int ia, int ib) { out[o] = ClampF(a[ia] + b[ib], act_min, act_max); });
}

void MulPrepareS8(float scale1, int32_t zp1, float scale2, int32_t zp2,
                  float out_scale, int32_t out_zp, int32_t act_min,
                  int32_t act_max, MulParamsS8* p) {
  p->input1_offset = -zp1;
  p->input2_offset = -zp2;
  p->output_offset = out_zp;
  QuantizeMultiplier(static_cast<double>(scale1) * static_cast<double>(scale2) /
                         static_cast<double>(out_scale),
                     &p->output_mult, &p->output_shift);
  p->act_min = act_min;
  p->act_max = act_max;
}

void MulS8(const MulParamsS8& p, const Broadcast& bc, const int8_t* a,
           const int8_t* b, int8_t* out) {
  MulQuantized(p, bc, a, b, out);
}

void MulF32(float act_min, float act_max, const Broadcast& bc, const float* a,
            const float* b, float* out) {
  ForEach(bc, [&](int o, int ia, int ib) { out[o] = ClampF(a[ia] * b[ib], act_min, act_max); });
}

void ReluPrepareS8(float in_scale, int32_t in_zp, float out_scale,
                   int32_t out_zp, ReluParamsS8* p) {
  p->input_offset = in_zp;
  p->output_offset = out_zp;
  QuantizeMultiplier(static_cast<double>(in_scale) / static_cast<double>(out_scale),
                     &p->mult, &p->shift);
  p->act_min = out_zp > -128 ? out_zp : -128;
  p->act_max = 127;
}

void ReluS8(const ReluParamsS8& p, int size, const int8_t* in, int8_t* out) {
  for (int i = 0; i < size; ++i) {
    const int32_t v = p.output_offset +
                      MultiplyByQuantizedMultiplier(in[i] - p.input_offset, p.mult, p.shift);
    out[i] = static_cast<int8_t>(Clamp(v, p.act_min, p.act_max));
  }
}

void Relu6S8(int32_t zero, int32_t six, int size, const int8_t* in, int8_t* out) {
  for (int i = 0; i < size; ++i) out[i] = static_cast<int8_t>(Clamp(in[i], zero, six));
}

void ReluF32(float lo, float hi, int size, const float* in, float* out) {
  for (int i = 0; i < size; ++i) out[i] = ClampF(in[i], lo, hi);
}

void QuantizeF32ToS8(float scale, int32_t zp, int size, const float* in,
                     int8_t* out) {
  for (int i = 0; i < size; ++i) {
    const float q = roundf(in[i] / scale);
    int32_t v;
    if (!(q == q)) {
      v = zp;  // NaN
    } else if (q < -1.0e9f || q > 1.0e9f) {
      v = q < 0 ? -128 : 127;
    } else {
      v = static_cast<int32_t>(q) + zp;
    }
    out[i] = static_cast<int8_t>(Clamp(v, -128, 127));
  }
}

void RequantizePrepare(float in_scale, int32_t in_zp, float out_scale,
                       int32_t out_zp, RequantizeParams* p) {
  p->input_zp = in_zp;
  p->output_zp = out_zp;
  QuantizeMultiplier(static_cast<double>(in_scale) / static_cast<double>(out_scale),
                     &p->mult, &p->shift);
}

void RequantizeS8(const RequantizeParams& p, int size, const int8_t* in,
                  int8_t* out) {
  for (int i = 0; i < size; ++i) {
    const int32_t v = MultiplyByQuantizedMultiplier(in[i] - p.input_zp, p.mult, p.shift) +
                      p.output_zp;
    out[i] = static_cast<int8_t>(Clamp(v, -128, 127));
  }
}

void DequantizeS8(double scale, int32_t zp, int size, const int8_t* in,
                  float* out) {
  for (int i = 0; i < size; ++i) out[i] = static_cast<float>(scale * (in[i] - zp));
}

// ---- 16x8 mode ---------------------------------------------------------------

namespace {

template <typename In, typename Out>
void RequantizeImpl(const RequantizeParams& p, int size, const In* in, Out* out,
                    int32_t lo, int32_t hi) {
  for (int i = 0; i < size; ++i) {
    const int32_t v = MultiplyByQuantizedMultiplier(in[i] - p.input_zp, p.mult, p.shift) +
                      p.output_zp;
    out[i] = static_cast<Out>(Clamp(v, lo, hi));
  }
}

}  // namespace

void AddPrepareS16(float scale1, int32_t zp1, float scale2, int32_t zp2,
                   float out_scale, int32_t out_zp, int32_t act_min,
                   int32_t act_max, AddParamsS8* p) {
  AddPrepareQuantized(15, scale1, zp1, scale2, zp2, out_scale, out_zp, act_min, act_max, p);
}

void AddS16(const AddParamsS8& p, const Broadcast& bc, const int16_t* a,
            const int16_t* b, int16_t* out) {
  AddQuantized(p, bc, a, b, out);
}

void MulS16(const MulParamsS8& p, const Broadcast& bc, const int16_t* a,
            const int16_t* b, int16_t* out) {
  MulQuantized(p, bc, a, b, out);
}

void QuantizeF32ToS16(float scale, int32_t zp, int size, const float* in,
                      int16_t* out) {
  for (int i = 0; i < size; ++i) {
    const float q = roundf(in[i] / scale);
    int32_t v;
    if (!(q == q)) {
      v = zp;  // NaN
    } else if (q < -1.0e9f || q > 1.0e9f) {
      v = q < 0 ? -32768 : 32767;
    } else {
      v = static_cast<int32_t>(q) + zp;
    }
    out[i] = static_cast<int16_t>(Clamp(v, -32768, 32767));
  }
}

void RequantizeS16ToS8(const RequantizeParams& p, int size, const int16_t* in,
                       int8_t* out) {
  RequantizeImpl(p, size, in, out, -128, 127);
}

void RequantizeS8ToS16(const RequantizeParams& p, int size, const int8_t* in,
                       int16_t* out) {
  RequantizeImpl(p, size, in, out, -32768, 32767);
}

void RequantizeS16(const RequantizeParams& p, int size, const int16_t* in,
                   int16_t* out) {
  RequantizeImpl(p, size, in, out, -32768, 32767);
}

void DequantizeS16(double scale, int32_t zp, int size, const int16_t* in,
                   float* out) {
  for (int i = 0; i < size; ++i) out[i] = static_cast<float>(scale * (in[i] - zp));
}

}  // namespace mote::micro::ref
