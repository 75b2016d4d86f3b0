#include "micro/kernels/ref/reduce.h"

#include "micro/kernels/ref/quant.h"

namespace mote::micro::ref {
namespace {

// Advances a row-major counter over `dims`; *offset follows with `strides`.
// Returns false after the last position (the counter is back to all zeros).
inline bool Next(int n, const int32_t* dims, const int32_t* strides, int32_t* idx,
                 int32_t* offset) {
  for (int i = n - 1; i >= 0; --i) {
    *offset += strides[i];
    if (++idx[i] < dims[i]) return true;
    *offset -= strides[i] * dims[i];
    idx[i] = 0;
  }
  return false;
}

// Calls f(output_index, first input offset) then g(input offset) for each
// reduced element in row-major order, then h(output_index) to finish.
template <typename Start, typename Add, typename Finish>
void ForEachOutput(const ReduceShape& s, Start start, Add add, Finish finish) {
  if (s.count == 0) {
    for (int32_t o = 0; o < s.outputs; ++o) start(o);
    return;
  }
  int32_t kidx[kMaxReduceRank] = {};
  int32_t base = 0;
  for (int32_t o = 0; o < s.outputs; ++o) {
    start(o);
    int32_t ridx[kMaxReduceRank] = {};
    int32_t off = base;
    do {
      add(off);
    } while (Next(s.num_reduced, s.red_dims, s.red_strides, ridx, &off));
    finish(o);
    Next(s.num_kept, s.kept_dims, s.kept_strides, kidx, &base);
  }
}

}  // namespace

void MakeReduceShape(const int32_t* dims, int rank, uint32_t reduced_mask,
                     ReduceShape* s) {
  *s = ReduceShape();
  int32_t stride = 1;
  int32_t strides[kMaxReduceRank] = {};
  for (int i = rank - 1; i >= 0; --i) {
    strides[i] = stride;
    stride *= dims[i];
  }
  for (int i = 0; i < rank; ++i) {
    if (reduced_mask & (1u << i)) {
      s->red_dims[s->num_reduced] = dims[i];
      s->red_strides[s->num_reduced++] = strides[i];
      s->count *= dims[i];
    } else {
      s->kept_dims[s->num_kept] = dims[i];
      s->kept_strides[s->num_kept++] = strides[i];
      s->outputs *= dims[i];
    }
  }
}

void MeanPrepareS8(float input_scale, int32_t input_zp, float output_scale,
                   int32_t output_zp, int32_t count, MeanParamsS8* p) {
  *p = MeanParamsS8();
  p->input_zp = input_zp;
  p->output_zp = output_zp;
  int32_t mult = 0;
  int shift = 0;
  QuantizeMultiplier(static_cast<double>(input_scale) / static_cast<double>(output_scale),
                     &mult, &shift);
  // Fold 1/count into the multiplier: scale it up by 2^k (k = floor(log2
  // count), at most 32 and at most 31 + shift) before the integer division.
  int k = 0;
  while (k < 62 && (int64_t{1} << (k + 1)) <= count) ++k;
  if (k > 32) k = 32;
  if (k > 31 + shift) k = 31 + shift;
  if (k < 0) k = 0;
  p->mult = static_cast<int32_t>((static_cast<int64_t>(mult) << k) / count);
  p->shift = shift - k;
}

void MeanS8(const ReduceShape& s, const MeanParamsS8& p, const int8_t* in, int8_t* out) {
  int32_t sum = 0;
  ForEachOutput(
      s, [&](int32_t o) { out[o] = 0; sum = 0; },
      [&](int32_t off) { sum += in[off]; },
      [&](int32_t o) {
        const int32_t centered = static_cast<int32_t>(
            static_cast<int64_t>(sum) - static_cast<int64_t>(p.input_zp) * s.count);
        const int32_t v = MultiplyByQuantizedMultiplier(centered, p.mult, p.shift) + p.output_zp;
        out[o] = static_cast<int8_t>(Clamp(v, -128, 127));
      });
}

void MeanF32(const ReduceShape& s, const float* in, float* out) {
  float sum = 0.0f;
  ForEachOutput(
      s, [&](int32_t o) { out[o] = 0.0f; sum = 0.0f; },
      [&](int32_t off) { sum += in[off]; },
      [&](int32_t o) { out[o] = sum / static_cast<float>(s.count); });
}

}  // namespace mote::micro::ref
