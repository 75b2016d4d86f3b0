#!/usr/bin/env python3
"""Oracle for `mote quantize --activations int16` (16x8 mode): the model mote's
quantizer writes must be a 16x8 model (int16 activations and I/O, int8
weights, int64 biases) that the pip TFLM interpreter runs with the same output
bytes as `mote run`.

  quantize16_oracle.py --mote build/mote [--seed 1] [--windows 100] [--dir DIR]

Trains the anomaly demo (`mote demo anomaly`, or uses --dir), quantizes its
float model with --activations int16 calibrated on the test windows, then runs
the first --windows test windows (quantized to int16 with the model's input
scale) through TFLM and through `mote run`, and requires equal bytes. Prints
one summary line; exit 1 on a mismatch or a wrong model, 2 on a harness error.
"""
import argparse
import os
import subprocess
import sys
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402


def check_model(model):
  """Problems with the 16x8 structure of the model (list of strings)."""
  import tensorflow as tf
  it = tf.lite.Interpreter(model_content=model)
  problems = []
  for d in it.get_input_details() + it.get_output_details():
    if d["dtype"] != np.int16 or d["quantization"][1] != 0:
      problems.append(f"I/O tensor {d['name']} is {d['dtype'].__name__} zp {d['quantization'][1]}")
  ops = it._get_ops_details()
  types = {t["index"]: t["dtype"] for t in it.get_tensor_details()}
  for op in ops:
    if op["op_name"] in ("CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED"):
      ins = list(op["inputs"])
      if types[ins[0]] != np.int16 or types[ins[1]] != np.int8:
        problems.append(f"{op['op_name']} is not 16x8")
      if len(ins) > 2 and ins[2] >= 0 and types[ins[2]] != np.int64:
        problems.append(f"{op['op_name']} bias is {types[ins[2]].__name__}, not int64")
  return problems, it.get_input_details()[0]


def main():
  ap = argparse.ArgumentParser()
  ap.add_argument("--mote", required=True)
  ap.add_argument("--seed", type=int, default=1)
  ap.add_argument("--windows", type=int, default=100)
  ap.add_argument("--dir", help="use an existing `mote demo anomaly` output directory")
  args = ap.parse_args()
  mote = os.path.abspath(args.mote)
  with tempfile.TemporaryDirectory() as tmp:
    out = args.dir or tmp
    if not args.dir:
      subprocess.run([mote, "demo", "anomaly", "--out", out, "--seed", str(args.seed), "--json"],
                     check=True, stdout=subprocess.DEVNULL)
    q16 = os.path.join(tmp, "anomaly_16x8.tflite")
    subprocess.run([mote, "quantize", os.path.join(out, "anomaly_f32.bin"), "--data",
                    os.path.join(out, "test_x.npy"), "--activations", "int16", "-o", q16],
                   check=True, stdout=subprocess.DEVNULL)
    model = open(q16, "rb").read()
    problems, in_d = check_model(model)
    if problems:
      print("quantize16_oracle: not a 16x8 model: " + "; ".join(problems))
      return 1
    from tflite_micro.python.tflite_micro import runtime
    tflm = runtime.Interpreter.from_bytes(model)
    scale = in_d["quantization"][0]
    x = np.load(os.path.join(out, "test_x.npy")).astype(np.float32)
    x = x.reshape(x.shape[0], -1)[: args.windows]
    equal, first = 0, None
    for i, row in enumerate(x):
      q = np.clip(np.round(row / scale), -32768, 32767).astype(np.int16)
      inp, outp = os.path.join(tmp, "in.bin"), os.path.join(tmp, "out.bin")
      q.tofile(inp)
      r = subprocess.run([mote, "run", q16, "--input", inp, "--output", outp],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
      if r.returncode != 0:
        print(f"quantize16_oracle: mote run failed on window {i}: {r.stderr.strip()[:200]}")
        return 1
      mine = np.fromfile(outp, dtype=np.int16)
      tflm.reset()
      tflm.set_input(q.reshape(in_d["shape"]), 0)
      tflm.invoke()
      theirs = np.asarray(tflm.get_output(0)).astype(np.int16).ravel()
      if mine.tobytes() == theirs.tobytes():
        equal += 1
      elif first is None:
        first = f"window {i}: mote {mine[:4].tolist()} vs TFLM {theirs[:4].tolist()}"
    print(f"quantize16_oracle: {equal}/{len(x)} test windows equal (mote 16x8 model in TFLM vs "
          f"mote run, seed {args.seed})" + (f"; first mismatch {first}" if first else ""))
    # Plus random int16 inputs over the full range (saturating paths).
    here = os.path.dirname(os.path.abspath(__file__))
    r = subprocess.run([sys.executable, os.path.join(here, "tflm_diff.py"), q16, "--mote", mote,
                        "--count", "50", "--check-inspect"], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, errors="replace")
    summary = [l for l in r.stdout.splitlines() if "inputs equal" in l or "mismatch" in l]
    print("quantize16_oracle: random inputs: " + (summary[0] if summary else r.stdout[-300:]))
    return 0 if equal == len(x) and r.returncode == 0 else 1


if __name__ == "__main__":
  sys.exit(main())
