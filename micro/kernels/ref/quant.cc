#include "micro/kernels/ref/quant.h"

#include <math.h>

namespace mote::micro::ref {

float RoundAway(float x) { return roundf(x); }
double RoundAway(double x) { return round(x); }

void QuantizeMultiplier(double real, int32_t* multiplier, int* shift) {
  if (real == 0.0) {
    *multiplier = 0;
    *shift = 0;
    return;
  }
  int exp = 0;
  const double fraction = frexp(real, &exp);
  int64_t q = static_cast<int64_t>(round(fraction * static_cast<double>(int64_t{1} << 31)));
  if (q == (int64_t{1} << 31)) {
    q /= 2;
    ++exp;
  }
  if (exp < -31) {
    exp = 0;
    q = 0;
  }
  *multiplier = static_cast<int32_t>(q);
  *shift = exp;
}

}  // namespace mote::micro::ref
