#!/usr/bin/env python3
"""A signed model is still an ordinary .tflite: TFLite and TFLM load it and
give byte-identical outputs to the unsigned model.

  tests/oracle/signed_model_loads.py MODEL.tflite --mote build/mote [--count 5]

Signs MODEL with a fresh key (mote keygen + mote sign, in a temp dir), checks
`mote verify` accepts it, then runs the unsigned and the signed file through
tf.lite.Interpreter and the TFLM Python interpreter on the same seeded random
inputs and compares every output byte. Exit 0 iff all match.
"""
import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np


def random_input(detail, rng):
    dt = np.dtype(detail["dtype"])
    if dt.kind == "f":
        return rng.uniform(-1, 1, detail["shape"]).astype(dt)
    info = np.iinfo(dt)
    return rng.integers(info.min, info.max, detail["shape"], endpoint=True).astype(dt)


def run_tflite(path, inputs, n_outputs):
    import tensorflow as tf
    it = tf.lite.Interpreter(model_path=path)
    it.allocate_tensors()
    for d, x in zip(it.get_input_details(), inputs):
        it.set_tensor(d["index"], x)
    it.invoke()
    return [it.get_tensor(d["index"]).tobytes() for d in it.get_output_details()]


def run_tflm(path, inputs, n_outputs):
    from tflite_micro.python.tflite_micro import runtime
    it = runtime.Interpreter.from_file(path)
    for i, x in enumerate(inputs):
        it.set_input(x, i)
    it.invoke()
    return [np.ascontiguousarray(it.get_output(j)).tobytes() for j in range(n_outputs)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("model")
    ap.add_argument("--mote", required=True)
    ap.add_argument("--count", type=int, default=5)
    a = ap.parse_args()
    import tensorflow as tf
    with tempfile.TemporaryDirectory() as d:
        key, signed = os.path.join(d, "k"), os.path.join(d, "signed.tflite")
        subprocess.run([a.mote, "keygen", "-o", key], check=True, capture_output=True)
        subprocess.run([a.mote, "sign", a.model, "--key", key, "-o", signed], check=True,
                       capture_output=True)
        v = subprocess.run([a.mote, "verify", signed, "--pub", key + ".pub"], capture_output=True)
        if v.returncode != 0:
            print("mote verify rejected the signed model:", v.stderr.decode())
            return 1
        it = tf.lite.Interpreter(model_path=a.model)
        details = it.get_input_details()
        n_outputs = len(it.get_output_details())
        rng = np.random.default_rng(0)
        failures = 0
        for k in range(a.count):
            inputs = [random_input(dd, rng) for dd in details]
            for name, fn in (("tflite", run_tflite), ("tflm", run_tflm)):
                want, got = fn(a.model, inputs, n_outputs), fn(signed, inputs, n_outputs)
                if want != got:
                    print(f"input {k}: {name} output of the signed model differs")
                    failures += 1
        print(f"{os.path.basename(a.model)}: signed ({os.path.getsize(signed)} bytes) vs unsigned "
              f"({os.path.getsize(a.model)} bytes), {a.count} inputs x (tflite, tflm): "
              f"{'all outputs identical' if failures == 0 else f'{failures} mismatches'}")
        return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
