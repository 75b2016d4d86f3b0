#!/usr/bin/env python3
"""Oracle for mote's int8 export: the .tflite written by `mote demo anomaly`
must run in the pip TFLM interpreter and in tf.lite.Interpreter with the same
output bytes as mote's runtime, on the whole test set.

  train_tflite_oracle.py --mote build/mote [--seed 1] [--recipe default]

Runs the demo into a temporary directory, then feeds every quantized test
window (test_input_int8.bin) to both interpreters and compares each output with
mote's (test_output_int8.bin). Prints one summary line; exit 1 on a mismatch.
"""
import argparse
import os
import subprocess
import sys
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mote", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--recipe", default="default")
    ap.add_argument("--dir", help="use an existing demo output directory")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        out = args.dir or tmp
        if not args.dir:
            subprocess.run([args.mote, "demo", "anomaly", "--out", out, "--seed", str(args.seed),
                            "--recipe", args.recipe, "--json"], check=True,
                           stdout=subprocess.DEVNULL)
        model = open(os.path.join(out, "anomaly_int8.tflite"), "rb").read()
        x = np.fromfile(os.path.join(out, "test_input_int8.bin"), dtype=np.int8)
        mote_y = np.fromfile(os.path.join(out, "test_output_int8.bin"), dtype=np.int8)
        n = mote_y.size
        x = x.reshape(n, -1)

        from tflite_micro.python.tflite_micro import runtime
        import tensorflow as tf

        tflm = runtime.Interpreter.from_bytes(model)
        # TFLite's reference kernels: the default XNNPACK delegate rounds its
        # int8 requantization differently (off by one LSB on a few windows).
        lite = tf.lite.Interpreter(
            model_content=model,
            experimental_op_resolver_type=tf.lite.experimental.OpResolverType.BUILTIN_REF)
        lite.allocate_tensors()
        li, lo = lite.get_input_details()[0], lite.get_output_details()[0]
        assert li["dtype"] == np.int8 and lo["dtype"] == np.int8, (li, lo)
        bad_tflm = bad_lite = 0
        for i in range(n):
            row = x[i].reshape(li["shape"])
            tflm.set_input(row, 0)
            tflm.invoke()
            a = np.asarray(tflm.get_output(0)).reshape(-1)
            lite.set_tensor(li["index"], row)
            lite.invoke()
            b = lite.get_tensor(lo["index"]).reshape(-1)
            bad_tflm += int(a[0] != mote_y[i])
            bad_lite += int(b[0] != mote_y[i])
            if (a[0] != mote_y[i] or b[0] != mote_y[i]) and bad_tflm + bad_lite <= 5:
                print(f"row {i}: mote {mote_y[i]} tflm {a[0]} tf.lite {b[0]}")
        print(f"{n} test windows: TFLM {n - bad_tflm}/{n} equal, tf.lite {n - bad_lite}/{n} equal "
              f"({len(model)} byte model)")
        return 1 if bad_tflm or bad_lite else 0


if __name__ == "__main__":
    sys.exit(main())
