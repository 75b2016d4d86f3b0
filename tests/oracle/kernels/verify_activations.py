"""Bulk differential check of mote's SOFTMAX / LOGISTIC / TANH ref kernels.

Compiles micro/kernels/ref/{softmax,logistic,tanh,quant}.cc plus a tiny C
shim into a shared library, then compares it with TFLM (activation_oracle.py)
on many random quantization configurations and inputs: every int8 output
byte must match; float outputs must satisfy |a-b| <= 1e-5 + 1e-4*|b|.

  python3 tests/oracle/kernels/verify_activations.py [--configs N] [--seed S]

Exits non-zero on the first mismatch, printing the failing case.
"""

import argparse
import ctypes
import os
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import activation_oracle as oracle  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))

SHIM = r"""
#include <stdint.h>
#include "micro/kernels/ref/logistic.h"
#include "micro/kernels/ref/softmax.h"
#include "micro/kernels/ref/tanh.h"
using namespace mote::micro::ref;
extern "C" {
void softmax_s8(float scale, float beta, int outer, int depth,
                const int8_t* in, int8_t* out, int32_t* params) {
  SoftmaxParamsS8 p; SoftmaxPrepareS8(scale, beta, &p);
  params[0] = p.input_multiplier; params[1] = p.input_left_shift;
  params[2] = p.diff_min;
  SoftmaxS8(p, outer, depth, in, out);
}
void softmax_s8s16(float scale, float beta, int outer, int depth,
                   const int8_t* in, int16_t* out) {
  SoftmaxParamsS8 p; SoftmaxPrepareS8(scale, beta, &p);
  SoftmaxS8S16(p, outer, depth, in, out);
}
void softmax_f32(float beta, int outer, int depth, const float* in, float* out) {
  SoftmaxF32(beta, outer, depth, in, out);
}
void logistic_s8(float scale, int zp, int n, const int8_t* in, int8_t* out) {
  LogisticParamsS8 p; LogisticPrepareS8(scale, zp, &p); LogisticS8(p, n, in, out);
}
void logistic_f32(int n, const float* in, float* out) { LogisticF32(n, in, out); }
void tanh_s8(float scale, int zp, int n, const int8_t* in, int8_t* out) {
  TanhParamsS8 p; TanhPrepareS8(scale, zp, &p); TanhS8(p, n, in, out);
}
void tanh_f32(int n, const float* in, float* out) { TanhF32(n, in, out); }
}
"""


def build_lib():
  tmp = tempfile.mkdtemp(prefix="mote_act_")
  shim = os.path.join(tmp, "shim.cc")
  with open(shim, "w") as f:
    f.write(SHIM)
  lib = os.path.join(tmp, "libact.so")
  srcs = [os.path.join(ROOT, "micro/kernels/ref", n + ".cc")
          for n in ("softmax", "logistic", "tanh", "quant")]
  subprocess.check_call(["g++", "-std=c++17", "-O2", "-shared", "-fPIC",
                         "-Wall", "-Werror", "-I", ROOT, shim, *srcs, "-o", lib])
  return ctypes.CDLL(lib)


def ptr(a):
  return a.ctypes.data_as(ctypes.c_void_p)


class Mote:
  def __init__(self):
    self.lib = build_lib()
    for name in ("softmax_s8", "softmax_s8s16", "logistic_s8", "tanh_s8"):
      getattr(self.lib, name).restype = None
    f = ctypes.c_float
    self.lib.softmax_s8.argtypes = [f, f, ctypes.c_int, ctypes.c_int] + [ctypes.c_void_p] * 3
    self.lib.softmax_s8s16.argtypes = [f, f, ctypes.c_int, ctypes.c_int] + [ctypes.c_void_p] * 2
    self.lib.softmax_f32.argtypes = [f, ctypes.c_int, ctypes.c_int] + [ctypes.c_void_p] * 2
    for n in ("logistic_s8", "tanh_s8"):
      getattr(self.lib, n).argtypes = [f, ctypes.c_int, ctypes.c_int] + [ctypes.c_void_p] * 2
    for n in ("logistic_f32", "tanh_f32"):
      getattr(self.lib, n).argtypes = [ctypes.c_int] + [ctypes.c_void_p] * 2

  def softmax_s8(self, scale, beta, x):
    x = np.ascontiguousarray(x, np.int8)
    out = np.zeros_like(x)
    params = np.zeros(3, np.int32)
    self.lib.softmax_s8(scale, beta, x.shape[0], x.shape[1], ptr(x), ptr(out), ptr(params))
    return out, params

  def softmax_s8s16(self, scale, beta, x):
    x = np.ascontiguousarray(x, np.int8)
    out = np.zeros(x.shape, np.int16)
    self.lib.softmax_s8s16(scale, beta, x.shape[0], x.shape[1], ptr(x), ptr(out))
    return out

  def softmax_f32(self, beta, x):
    x = np.ascontiguousarray(x, np.float32)
    out = np.zeros_like(x)
    self.lib.softmax_f32(beta, x.shape[0], x.shape[1], ptr(x), ptr(out))
    return out

  def eltwise_s8(self, name, scale, zp, x):
    x = np.ascontiguousarray(x, np.int8)
    out = np.zeros_like(x)
    getattr(self.lib, name)(scale, zp, x.size, ptr(x), ptr(out))
    return out

  def eltwise_f32(self, name, x):
    x = np.ascontiguousarray(x, np.float32)
    out = np.zeros_like(x)
    getattr(self.lib, name)(x.size, ptr(x), ptr(out))
    return out


def f32(v):
  return float(np.float32(v))


def random_scale(rng, lo=-12.0, hi=2.0):
  return f32(2.0 ** rng.uniform(lo, hi))


def softmax_rows(rng, rows, depth):
  """Rows drawn from several distributions, including ties and extremes."""
  out = np.empty((rows, depth), np.int8)
  for r in range(rows):
    kind = rng.integers(0, 8)
    if kind == 0:
      row = rng.integers(-128, 128, depth)
    elif kind == 1:  # narrow band: many ties near the max
      c = rng.integers(-128, 128)
      row = np.clip(c + rng.integers(-3, 4, depth), -128, 127)
    elif kind == 2:
      row = np.full(depth, rng.integers(-128, 128))
    elif kind == 3:
      row = np.full(depth, -128)
    elif kind == 4:
      row = np.full(depth, 127)
    elif kind == 5:  # one spike over a floor
      row = np.full(depth, -128)
      row[rng.integers(0, depth)] = 127
    elif kind == 6:  # two extremes, random mix
      row = rng.choice([-128, 127], depth)
    else:  # medium spread
      c = rng.integers(-100, 100)
      row = np.clip(c + rng.integers(-30, 31, depth), -128, 127)
    out[r] = row
  return out


def fail(msg, **kw):
  print("MISMATCH:", msg)
  for k, v in kw.items():
    print(f"  {k} = {v!r}")
  sys.exit(1)


def check_float(name, got, want, ctx):
  tol = 1e-5 + 1e-4 * np.abs(want)
  bad = ~(np.abs(got - want) <= tol)
  if bad.any():
    i = np.argwhere(bad)[0]
    fail(f"{name} float", index=i, got=got[tuple(i)], want=want[tuple(i)], **ctx)


def verify_softmax(m, rng, configs):
  # TFLM aborts for int8 output once a row's sum of exps reaches 512, so int8
  # output uses depth < 512 except for uniform random rows with a scale large
  # enough to keep the sum small; int16 output also gets long tied rows.
  depths = [1, 2, 3, 5, 10, 12, 32, 100, 257, 511]
  long_depths = [1000, 4095]
  n8 = n16 = nf = 0
  for k in range(configs):
    scale = random_scale(rng, -10, 3)
    beta = f32(rng.choice([1.0, 1.0, rng.uniform(0.05, 4.0), 2.0 ** rng.uniform(-3, 8)]))
    if k % 17 == 0:  # push beta*scale past 16 (left shift 31 / saturation)
      beta = f32(2.0 ** rng.uniform(4, 12))
    if beta * scale * 2 ** 26 <= 1.0:
      continue
    depth = int(rng.choice(depths))
    rows = max(1, min(64, 4000 // depth))
    x = softmax_rows(rng, rows, depth)
    if k % 7 == 3 and beta * scale >= 0.05:  # long uniform rows: sum < 512
      x = rng.integers(-128, 128, (2, int(rng.choice(long_depths)))).astype(np.int8)
    want = oracle.run_once("softmax", x, np.int8, (scale, 0), (1 / 256, -128), beta)
    got, params = m.softmax_s8(scale, beta, x)
    if not np.array_equal(got, want):
      i = np.argwhere(got != want)[0]
      fail("softmax s8", scale=scale, beta=beta, params=params, row=x[i[0]],
           got=got[i[0]], want=want[i[0]])
    n8 += x.size
    if k % 5 == 0:
      x = softmax_rows(rng, 4, int(rng.choice(long_depths)))
    want16 = oracle.run_once("softmax", x, np.int16, (scale, 0), (1 / 65536, -32768), beta)
    got16 = m.softmax_s8s16(scale, beta, x)
    if not np.array_equal(got16, want16):
      i = np.argwhere(got16 != want16)[0]
      fail("softmax s8->s16", scale=scale, beta=beta, row=x[i[0]],
           got=got16[i[0]], want=want16[i[0]])
    n16 += x.size
    xf = (rng.standard_normal((rows, depth)) * rng.choice([0.1, 1, 5, 30])).astype(np.float32)
    wantf = oracle.run_once("softmax", xf, np.float32, beta=beta)
    check_float("softmax", m.softmax_f32(beta, xf), wantf, dict(beta=beta))
    nf += xf.size
  return n8, n16, nf


def verify_eltwise(m, rng, op, configs):
  all_in = np.arange(-128, 128, dtype=np.int8)
  out_q = (1 / 256, -128) if op == "logistic" else (1 / 128, 0)
  special = [f32(2.0 ** -20), f32(2.0 ** -27), 1.0, 2.0, 4.0, 16.0, 17.5, 100.0,
             f32(1 / 16), f32(1 / 32), f32(0.1), f32(1 / 3)]
  for k in range(configs):
    scale = special[k] if k < len(special) else random_scale(rng, -14, 3)
    zp = int(rng.integers(-128, 128)) if k % 3 else 0
    want = oracle.run_once(op, all_in, np.int8, (scale, zp), out_q)
    got = m.eltwise_s8(op + "_s8", scale, zp, all_in)
    if not np.array_equal(got, want):
      i = int(np.argwhere(got != want)[0][0])
      fail(f"{op} s8", scale=scale, zp=zp, input=int(all_in[i]),
           got=int(got[i]), want=int(want[i]))
  xf = np.concatenate([
    rng.standard_normal(20000).astype(np.float32) * 4,
    np.linspace(-30, 30, 20001, dtype=np.float32),
    np.array([0.0, -0.0, 1e-30, -1e-30, 9.0, -9.0, 16.619047, 16.62, 88.0,
              -88.0, -104.0, 1e6, -1e6], np.float32)])
  wantf = oracle.run_once(op, xf, np.float32)
  check_float(op, m.eltwise_f32(op + "_f32", xf), wantf, {})
  return configs * 256 + xf.size


def main():
  ap = argparse.ArgumentParser()
  ap.add_argument("--configs", type=int, default=300)
  ap.add_argument("--seed", type=int, default=1)
  args = ap.parse_args()
  rng = np.random.default_rng(args.seed)
  m = Mote()
  n8, n16, nf = verify_softmax(m, rng, args.configs)
  print(f"softmax: {args.configs} configs: {n8} int8->int8, {n16} int8->int16, "
        f"{nf} float elements: OK")
  for op in ("logistic", "tanh"):
    n = verify_eltwise(m, rng, op, args.configs)
    print(f"{op}: {args.configs} configs x 256 int8 inputs + float: OK ({n} elements)")


if __name__ == "__main__":
  main()
