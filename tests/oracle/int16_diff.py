#!/usr/bin/env python3
"""16x8-mode differential test: mote vs TFLM on converter-made int16 models.

  tests/oracle/int16_diff.py --mote build/mote --workdir DIR [--count 50]
      [--only SUBSTR] [--jobs N]

1. Builds one small Keras model per case, converts it with the TFLite
   converter in 16x8 mode (int16 activations, int8 weights, int64 bias:
   supported_ops = [EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8],
   representative data uniform in [-r, r]) into DIR/models/CASE_s16.tflite with
   int16 input and output, and for the cases marked "fio" also
   DIR/models/CASE_s16fio.tflite with float32 input/output (the converter adds
   QUANTIZE float->int16 and DEQUANTIZE int16->float).
2. Checks with `mote inspect --json` that the model contains the case's
   operators and that its activations are int16 (the converter may refuse to
   quantize an op to 16x8 and leave it float; that is a harness error).
3. Runs tests/oracle/tflm_diff.py on it: --count random inputs through the pip
   `tflite_micro` interpreter (TFLM reference kernels) and `mote run`; int16
   outputs must be equal byte for byte, float32 within tolerance.

Exit 0 if every model passed, 1 on any mismatch / missing op / mote failure,
2 on a harness error. Deterministic (fixed seeds; TF 2.21).
"""

import argparse
import contextlib
import io
import json
import os
import subprocess
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = {}


def case(name, inputs, ops, fio=False, rep_range=1.0, float_range=(-1.0, 1.0)):
  def reg(body):
    CASES[name] = dict(inputs=inputs, ops=ops, fio=fio, body=body, rep_range=rep_range,
                       float_range=float_range)
    return body
  return reg


def layers():
  import tensorflow as tf
  return tf, tf.keras.layers


def init(seed, stddev=0.3):
  tf, _ = layers()
  return tf.keras.initializers.RandomNormal(stddev=stddev, seed=seed)


@case("conv", [(1, 9, 9, 3)], ["CONV_2D"], fio=True)
def _conv(x):
  _, L = layers()
  y = L.Conv2D(6, 3, padding="same", activation="relu", kernel_initializer=init(1),
               bias_initializer=init(2, 0.1))(x[0])
  return L.Conv2D(4, 3, strides=2, kernel_initializer=init(3),
                  bias_initializer=init(4, 0.1))(y)


@case("conv_dilated_relu6", [(1, 10, 10, 4)], ["CONV_2D"])
def _conv_dil(x):
  _, L = layers()
  return L.Conv2D(5, 3, dilation_rate=2, padding="same", activation="relu6",
                  kernel_initializer=init(5), bias_initializer=init(6, 0.1))(x[0])


@case("depthwise", [(1, 8, 8, 3)], ["DEPTHWISE_CONV_2D"], fio=True)
def _dw(x):
  _, L = layers()
  y = L.DepthwiseConv2D(3, depth_multiplier=2, padding="same", activation="relu",
                        depthwise_initializer=init(7), bias_initializer=init(8, 0.1))(x[0])
  return L.DepthwiseConv2D(3, strides=2, depthwise_initializer=init(9),
                           bias_initializer=init(10, 0.1))(y)


@case("dense", [(1, 4, 5)], ["FULLY_CONNECTED"], fio=True)
def _dense(x):
  _, L = layers()
  y = L.Flatten()(x[0])
  y = L.Dense(12, activation="relu", kernel_initializer=init(11),
              bias_initializer=init(12, 0.1))(y)
  return L.Dense(5, kernel_initializer=init(13), bias_initializer=init(14, 0.1))(y)


@case("add", [(1, 4, 4, 3), (1, 4, 4, 3)], ["ADD"], rep_range=2.0)
def _add(x):
  _, L = layers()
  return L.Add()([x[0], x[1]])


@case("add_broadcast_scaled", [(1, 4, 4, 3), (1, 1, 1, 3)], ["ADD"])
def _add_bc(x):
  _, L = layers()
  return L.Add()([x[0], L.Lambda(lambda t: t * 3.0)(x[1])])


@case("mul", [(1, 5, 6), (1, 5, 6)], ["MUL"], rep_range=1.5)
def _mul(x):
  _, L = layers()
  return L.Multiply()([x[0], x[1]])


@case("softmax", [(1, 10)], ["SOFTMAX"], fio=True, rep_range=4.0, float_range=(-4.0, 4.0))
def _softmax(x):
  _, L = layers()
  return L.Softmax()(x[0])


@case("softmax_rows", [(1, 3, 17)], ["SOFTMAX"], rep_range=8.0, float_range=(-8.0, 8.0))
def _softmax_rows(x):
  _, L = layers()
  return L.Softmax()(x[0])


@case("logistic", [(1, 64)], ["LOGISTIC"], fio=True, rep_range=6.0, float_range=(-6.0, 6.0))
def _logistic(x):
  tf, L = layers()
  return L.Activation("sigmoid")(x[0])


@case("logistic_wide", [(1, 40)], ["LOGISTIC"], rep_range=0.3, float_range=(-0.3, 0.3))
def _logistic_wide(x):
  _, L = layers()
  return L.Activation("sigmoid")(x[0])


@case("tanh", [(1, 64)], ["TANH"], fio=True, rep_range=4.0, float_range=(-4.0, 4.0))
def _tanh(x):
  _, L = layers()
  return L.Activation("tanh")(x[0])


@case("tanh_small", [(1, 40)], ["TANH"], rep_range=0.5, float_range=(-0.5, 0.5))
def _tanh_small(x):
  _, L = layers()
  return L.Activation("tanh")(x[0])


@case("avgpool", [(1, 7, 7, 3)], ["AVERAGE_POOL_2D"])
def _avgpool(x):
  _, L = layers()
  return L.AveragePooling2D(3, strides=2, padding="same")(x[0])


@case("maxpool", [(1, 7, 7, 3)], ["MAX_POOL_2D"])
def _maxpool(x):
  _, L = layers()
  return L.MaxPooling2D(2, strides=2, padding="same")(x[0])


@case("kws_like", [(1, 10, 8, 1)],
      ["CONV_2D", "DEPTHWISE_CONV_2D", "AVERAGE_POOL_2D", "FULLY_CONNECTED", "SOFTMAX"],
      fio=True)
def _kws(x):
  _, L = layers()
  y = L.Conv2D(8, (3, 3), strides=2, padding="same", activation="relu",
               kernel_initializer=init(21), bias_initializer=init(22, 0.1))(x[0])
  y = L.DepthwiseConv2D(3, padding="same", activation="relu", depthwise_initializer=init(23),
                        bias_initializer=init(24, 0.1))(y)
  y = L.Conv2D(8, 1, activation="relu", kernel_initializer=init(25),
               bias_initializer=init(26, 0.1))(y)
  y = L.AveragePooling2D((5, 4))(y)
  y = L.Flatten()(y)
  y = L.Dense(4, kernel_initializer=init(27), bias_initializer=init(28, 0.1))(y)
  return L.Softmax()(y)


@case("concat_reshape", [(1, 4, 3), (1, 4, 5)], ["QUANTIZE", "CONCATENATION", "RESHAPE"])
def _concat(x):
  _, L = layers()
  y = L.Concatenate(axis=-1)([x[0], x[1]])
  return L.Reshape((32,))(y)


def build(name, c):
  tf, _ = layers()
  tf.keras.utils.set_random_seed(1234)
  ins = [tf.keras.Input(batch_size=s[0], shape=s[1:]) for s in c["inputs"]]
  return tf.keras.Model(ins, c["body"](ins), name=name)


def convert(model, c, int16_io, seed):
  import numpy as np
  tf, _ = layers()
  cv = tf.lite.TFLiteConverter.from_keras_model(model)
  rng = np.random.default_rng(seed)
  r = c["rep_range"]

  def rep():
    for _ in range(100):
      yield [rng.uniform(-r, r, size=s).astype(np.float32) for s in c["inputs"]]

  cv.optimizations = [tf.lite.Optimize.DEFAULT]
  cv.representative_dataset = rep
  cv.target_spec.supported_ops = [
      tf.lite.OpsSet.EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8]
  if int16_io:
    cv.inference_input_type = tf.int16
    cv.inference_output_type = tf.int16
  return cv.convert()


def inspect(mote, model):
  r = subprocess.run([mote, "inspect", model, "--json"], stdout=subprocess.PIPE,
                     stderr=subprocess.PIPE, text=True, timeout=60)
  if r.returncode != 0:
    return None, (r.stderr or r.stdout).strip().splitlines()[:1]
  try:
    return json.loads(r.stdout), None
  except ValueError as e:
    return None, [f"bad inspect JSON: {e}"]


def make_models(models_dir, only):
  os.makedirs(models_dir, exist_ok=True)
  made = {}
  for k, (name, c) in enumerate(CASES.items()):
    if only and only not in name:
      continue
    model = build(name, c)
    for suffix, int16_io in [("s16", True)] + ([("s16fio", False)] if c["fio"] else []):
      fname = f"{name}_{suffix}.tflite"
      with contextlib.redirect_stdout(io.StringIO()):  # the converter's export chatter
        data = convert(model, c, int16_io, seed=2000 + k)
      with open(os.path.join(models_dir, fname), "wb") as f:
        f.write(data)
      made[fname] = c
  return made


def main(argv=None):
  ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
  ap.add_argument("--mote", default="build/mote")
  ap.add_argument("--workdir", required=True)
  ap.add_argument("--count", type=int, default=50)
  ap.add_argument("--seed", type=int, default=0)
  ap.add_argument("--only", help="only cases whose name contains this")
  ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
  args = ap.parse_args(argv)
  mote = os.path.abspath(args.mote)
  if not (os.path.isfile(mote) and os.access(mote, os.X_OK)):
    print(f"int16_diff: mote binary {args.mote} not found / not executable")
    return 2
  try:
    made = make_models(os.path.join(args.workdir, "models"), args.only)
  except Exception as e:  # converter or TF missing: harness error
    print(f"int16_diff: building models failed: {type(e).__name__}: {e}")
    return 2
  worst, rows, op_count = 0, [], {}
  for fname, c in sorted(made.items()):
    model = os.path.join(args.workdir, "models", fname)
    info, err = inspect(mote, model)
    ops = [o["op"] for o in info["ops"]] if info else []
    missing = [o for o in c["ops"] if o not in ops]
    cmd = [sys.executable, os.path.join(HERE, "tflm_diff.py"), model, "--mote", mote,
           "--count", str(args.count), "--seed", str(args.seed), "--jobs", str(args.jobs),
           "--check-inspect", "--workdir", os.path.join(args.workdir, "diff", fname[:-7]),
           "--float-range", *[str(v) for v in c["float_range"]]]
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       errors="replace")
    out = r.stdout.strip().splitlines()
    summary = next((l for l in out if l.startswith(fname + ":")), out[-1] if out else "")
    rc = r.returncode
    if err is not None or missing:
      rc = max(rc, 1)
    worst = max(worst, rc)
    status = "ok" if rc == 0 else "FAIL"
    for o in ops:
      op_count[o] = op_count.get(o, 0) + 1
    print(f"{status:4} {summary}  ops={' '.join(ops) or '?'}")
    if err is not None:
      print(f"     inspect: {' '.join(err)}")
    if missing:
      print(f"     expected op(s) {' '.join(missing)} not in the model")
    if r.returncode != 0:
      for l in out:
        if l != summary:
          print(f"     {l}")
    rows.append(status)
    sys.stdout.flush()
  n_ok = rows.count("ok")
  print(f"int16_diff: {n_ok}/{len(rows)} models equal to TFLM ({args.count} random inputs "
        f"each); op instances: " + ", ".join(f"{k} {v}" for k, v in sorted(op_count.items())))
  return 1 if "FAIL" in rows and worst != 2 else worst


if __name__ == "__main__":
  sys.exit(main())
