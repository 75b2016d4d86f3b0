#!/usr/bin/env python3
"""Golden data for 16x8 models on the Cortex-M targets: TFLM's outputs for a
few random int16 inputs, in the layout firmware/CMakeLists.txt embeds
(MOTE_INT16_GOLDEN_DIR).

  tests/oracle/int16_golden.py MODELS_DIR OUT_DIR [--count 4] [--seed 0]

For every single-input, single-output int16 model MODELS_DIR/NAME.tflite
(e.g. the ones tests/oracle/int16_diff.py builds) writes OUT_DIR/NAME.tflite,
OUT_DIR/NAME/input_K.bin and output_K.bin (K < count; inputs uniform over the
int16 range, outputs from the pip tflite_micro interpreter) and
OUT_DIR/NAME/manifest.json ({"operators": {OP: count}}). Prints the names.
"""
import argparse
import glob
import json
import os
import shutil
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402


def main():
  ap = argparse.ArgumentParser()
  ap.add_argument("models")
  ap.add_argument("out")
  ap.add_argument("--count", type=int, default=4)
  ap.add_argument("--seed", type=int, default=0)
  args = ap.parse_args()
  import tensorflow as tf
  from tflite_micro.python.tflite_micro import runtime
  os.makedirs(args.out, exist_ok=True)
  names = []
  for path in sorted(glob.glob(os.path.join(args.models, "*.tflite"))):
    name = os.path.basename(path)[:-7]
    lite = tf.lite.Interpreter(model_path=path)
    ins, outs = lite.get_input_details(), lite.get_output_details()
    if len(ins) != 1 or len(outs) != 1 or ins[0]["dtype"] != np.int16:
      continue
    ops = {}
    for d in lite._get_ops_details():
      ops[d["op_name"]] = ops.get(d["op_name"], 0) + 1
    model = open(path, "rb").read()
    tflm = runtime.Interpreter.from_bytes(model)
    rng = np.random.default_rng(args.seed)
    d = os.path.join(args.out, name)
    os.makedirs(d, exist_ok=True)
    for k in range(args.count):
      x = rng.integers(-32768, 32768, size=ins[0]["shape"], dtype=np.int16)
      tflm.reset()
      tflm.set_input(x, 0)
      tflm.invoke()
      x.tofile(os.path.join(d, f"input_{k}.bin"))
      np.asarray(tflm.get_output(0)).astype(np.int16).tofile(os.path.join(d, f"output_{k}.bin"))
    with open(os.path.join(d, "manifest.json"), "w") as f:
      json.dump({"operators": ops}, f)
    shutil.copyfile(path, os.path.join(args.out, name + ".tflite"))
    names.append(name)
  print(";".join(names))
  return 0


if __name__ == "__main__":
  sys.exit(main())
