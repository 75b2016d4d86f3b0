"""Raw-word differential check of micro/kernels/ref/fixed_point.h against
gemmlowp's fixedpoint.h (the library TFLM's kernels use), as shipped inside
the tensorflow pip package (tensorflow/include/external/gemmlowp).

Compares the full int32 results (not just the 8/16-bit kernel outputs) of
exp_on_negative_values (Q4, Q5), logistic and tanh (Q4 input),
one_over_one_plus_x_for_x_in_0_1 and Rescale over every input of the form
k * 2^s plus random words. Test-only; mote never includes gemmlowp.

  python3 tests/oracle/kernels/verify_fixed_point_gemmlowp.py [--random N]
  python3 tests/oracle/kernels/verify_fixed_point_gemmlowp.py --emit-vectors
      (rewrites micro/kernels/ref/fixed_point_test_vectors.h)
"""

import argparse
import os
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))

SHIM = r"""
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "fixedpoint/fixedpoint.h"
#include "micro/kernels/ref/fixed_point.h"

namespace m = mote::micro::ref;
template <int B> using F = gemmlowp::FixedPoint<int32_t, B>;

static uint64_t state = 0x9E3779B97F4A7C15ull;
static uint32_t Next() {  // xorshift64*
  state ^= state >> 12; state ^= state << 25; state ^= state >> 27;
  return static_cast<uint32_t>((state * 2685821657736338717ull) >> 32);
}

static long failures = 0, checks = 0;
static void Check(const char* what, int32_t in, int32_t got, int32_t want) {
  ++checks;
  if (got != want && failures++ < 10)
    printf("MISMATCH %s(%d): mote %d gemmlowp %d\n", what, in, got, want);
}

static void One(int32_t a) {
  const int32_t neg = a > 0 ? -a : a;  // exp takes a <= 0
  Check("exp<4>", neg, m::ExpOnNegativeValues<4>(neg),
        gemmlowp::exp_on_negative_values(F<4>::FromRaw(neg)).raw());
  Check("exp<5>", neg, m::ExpOnNegativeValues<5>(neg),
        gemmlowp::exp_on_negative_values(F<5>::FromRaw(neg)).raw());
  Check("logistic<4>", a, m::LogisticQ0<4>(a),
        gemmlowp::logistic(F<4>::FromRaw(a)).raw());
  Check("tanh<4>", a, m::TanhQ0<4>(a), gemmlowp::tanh(F<4>::FromRaw(a)).raw());
  const int32_t u = a < 0 ? (a == INT32_MIN ? 0 : -a) : a;  // [0, 1) in Q0
  Check("one_over_one_plus_x", u, m::OneOverOnePlusXForXIn01(u),
        gemmlowp::one_over_one_plus_x_for_x_in_0_1(F<0>::FromRaw(u)).raw());
  Check("rescale<12,0>", a, m::RescaleQ<12, 0>(a),
        gemmlowp::Rescale<12>(F<0>::FromRaw(a)).raw());
  Check("rescale<0,5>", a, m::RescaleQ<0, 5>(a),
        gemmlowp::Rescale<0>(F<5>::FromRaw(a)).raw());
  Check("srdhm", a, m::SaturatingRoundingDoublingHighMul(a, 1302514674),
        gemmlowp::SaturatingRoundingDoublingHighMul(a, 1302514674));
}

// Prints gemmlowp's raw results for a spread of inputs as C++ rows:
// {a, exp<4>(-|a|), exp<5>(-|a|), logistic<4>(a), tanh<4>(a),
//  one_over_one_plus_x(|a|)}.
static void Emit() {
  uint64_t saved = state;
  state = 12345;
  for (int i = 0; i < 64; ++i) {
    int32_t a;
    if (i < 13) {
      // Includes Q5 values beyond -16 (the exp(-16) barrel stage).
      const int32_t fixed[13] = {0, 1, -1, 1 << 27, -(1 << 27), INT32_MAX,
                                 INT32_MIN + 1, 3 << 25, -(17 << 26),
                                 -(20 << 26) + 12345, -(31 << 26) - 777,
                                 -1095153038, -1077474302};
      a = fixed[i];
    } else {
      const uint32_t r = Next();
      a = static_cast<int32_t>(r >> (Next() % 8)) * ((r & 1) ? -1 : 1);
    }
    const int32_t neg = a > 0 ? -a : a;
    const int32_t u = a < 0 ? -a : a;
    printf("    {%d, %d, %d, %d, %d, %d},\n", a,
           gemmlowp::exp_on_negative_values(F<4>::FromRaw(neg)).raw(),
           gemmlowp::exp_on_negative_values(F<5>::FromRaw(neg)).raw(),
           gemmlowp::logistic(F<4>::FromRaw(a)).raw(),
           gemmlowp::tanh(F<4>::FromRaw(a)).raw(),
           gemmlowp::one_over_one_plus_x_for_x_in_0_1(F<0>::FromRaw(u)).raw());
  }
  state = saved;
}

int main(int argc, char** argv) {
  if (argc > 2) { Emit(); return 0; }
  const long n = argc > 1 ? atol(argv[1]) : 1000000;
  for (int s = 0; s < 31; ++s)
    for (int k = -64; k <= 64; ++k) One(static_cast<int32_t>(k * (int64_t{1} << s) / 64));
  One(INT32_MIN); One(INT32_MAX); One(INT32_MIN + 1);
  for (long i = 0; i < n; ++i) {
    const uint32_t r = Next();
    One(static_cast<int32_t>(r >> (Next() % 32)) * ((r & 1) ? -1 : 1));
  }
  printf("%ld checks, %ld mismatches\n", checks, failures);
  return failures ? 1 : 0;
}
"""


def main():
  ap = argparse.ArgumentParser()
  ap.add_argument("--random", type=int, default=2000000)
  ap.add_argument("--emit-vectors", action="store_true")
  args = ap.parse_args()
  import importlib.util  # locate tensorflow's bundled headers without importing it
  spec = importlib.util.find_spec("tensorflow")
  if spec is None:
    sys.exit("tensorflow is not installed (pip install tensorflow-cpu)")
  tf_dir = list(spec.submodule_search_locations)[0]
  inc = os.path.join(tf_dir, "include", "external", "gemmlowp")
  if not os.path.exists(os.path.join(inc, "fixedpoint", "fixedpoint.h")):
    sys.exit(f"gemmlowp headers not found under {inc}")
  tmp = tempfile.mkdtemp(prefix="mote_fp_")
  src = os.path.join(tmp, "shim.cc")
  with open(src, "w") as f:
    f.write(SHIM)
  exe = os.path.join(tmp, "fp_check")
  subprocess.check_call(["g++", "-std=c++17", "-O2", "-I", ROOT, "-I", inc, src,
                         "-o", exe])
  if args.emit_vectors:
    rows = subprocess.check_output([exe, "0", "emit"], text=True)
    out = os.path.join(ROOT, "micro", "kernels", "ref", "fixed_point_test_vectors.h")
    with open(out, "w") as f:
      f.write(VECTORS_HEADER.format(rows=rows.rstrip("\n")))
    print("wrote", out)
    return
  sys.exit(subprocess.call([exe, str(args.random)]))


VECTORS_HEADER = """\
// GENERATED by tests/oracle/kernels/verify_fixed_point_gemmlowp.py
// --emit-vectors; do not edit. Raw int32 results of gemmlowp's fixedpoint.h
// (the library behind TFLM's SOFTMAX / LOGISTIC / TANH kernels) for a spread
// of raw inputs a: Q4 and Q5 exp of -|a|, Q4-input logistic and tanh of a,
// and 1 / (1 + x) of |a| read as Q0.
#ifndef MOTE_MICRO_KERNELS_REF_FIXED_POINT_TEST_VECTORS_H_
#define MOTE_MICRO_KERNELS_REF_FIXED_POINT_TEST_VECTORS_H_

#include <stdint.h>

namespace mote::micro::ref::testdata {{

struct FixedPointRawCase {{
  int32_t a;
  int32_t exp_q4;          // ExpOnNegativeValues<4>(-|a|)
  int32_t exp_q5;          // ExpOnNegativeValues<5>(-|a|)
  int32_t logistic_q4;     // LogisticQ0<4>(a)
  int32_t tanh_q4;         // TanhQ0<4>(a)
  int32_t one_over_1px;    // OneOverOnePlusXForXIn01(|a|)
}};

constexpr FixedPointRawCase kFixedPointRawCases[] = {{
{rows}
}};

}}  // namespace mote::micro::ref::testdata

#endif  // MOTE_MICRO_KERNELS_REF_FIXED_POINT_TEST_VECTORS_H_
"""


if __name__ == "__main__":
  main()
