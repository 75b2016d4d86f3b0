#!/usr/bin/env python3
"""Oracle for mote's QAT export: int8 models made by `mote quantize --qat`
(anomaly Conv1D model, fine-tuned) and `mote train --qat` (Conv2D + BatchNorm
+ ReLU + Dense softmax, BN folded with frozen statistics, and again with
`--qat-bn batch`, and with `--qat-bn batch --qat-ranges tfmot`, TFMOT's
activation ranges) must give the same output bytes in mote's runtime
(`mote run`) and in the pip TFLM interpreter.

  qat_tflm_oracle.py --mote build/mote [--rows 48]

Prints one line per model; exit 1 on any byte mismatch.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402


def run(cmd):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)


def compare(mote, model_path, x, rows, tmp):
    from tflite_micro.python.tflite_micro import runtime
    import tensorflow as tf

    model = open(model_path, "rb").read()
    lite = tf.lite.Interpreter(model_content=model)
    li = lite.get_input_details()[0]
    scale, zp = li["quantization"]
    tflm = runtime.Interpreter.from_bytes(model)
    bad = 0
    for i in range(rows):
        # TFLite's QUANTIZE: round half away from zero, saturate.
        q = np.clip(np.sign(x[i] / scale) * np.floor(np.abs(x[i] / scale) + 0.5) + zp, -128, 127)
        q = q.astype(np.int8).reshape(li["shape"])
        inp, out = os.path.join(tmp, "in.bin"), os.path.join(tmp, "out.bin")
        q.tofile(inp)
        run([mote, "run", model_path, "-i", inp, "-o", out])
        a = np.fromfile(out, dtype=np.int8)
        tflm.set_input(q, 0)
        tflm.invoke()
        b = np.asarray(tflm.get_output(0)).reshape(-1)
        if not np.array_equal(a, b):
            bad += 1
            if bad <= 3:
                print(f"{os.path.basename(model_path)} row {i}: mote {a.tolist()} tflm {b.tolist()}")
    print(f"{os.path.basename(model_path)}: {rows - bad}/{rows} rows byte-equal in mote and TFLM "
          f"({len(model)} bytes)")
    return bad


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mote", required=True)
    ap.add_argument("--rows", type=int, default=48)
    args = ap.parse_args()
    src = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        p = lambda n: os.path.join(tmp, n)  # noqa: E731
        # (1) anomaly model: float training, then `mote quantize --qat`.
        run([args.mote, "data", "synth-anomaly", "--n", "600", "--length", "64", "--seed", "3",
             "-o", p("a.npy")])
        run([args.mote, "train", "--model", os.path.join(src, "examples/anomaly/model.json"),
             "--data", p("a.npy"), "--labels", p("a_labels.npy"), "--epochs", "6", "-o", p("a.bin")])
        run([args.mote, "quantize", p("a.bin"), "--data", p("a.npy"), "--labels", p("a_labels.npy"),
             "--qat", "--epochs", "2", "-o", p("a_qat.tflite")])
        bad += compare(args.mote, p("a_qat.tflite"), np.load(p("a.npy")), args.rows, tmp)
        # (2) Conv2D + BatchNorm + ReLU (folded), softmax: `mote train --qat --qat-after 2`.
        rng = np.random.default_rng(5)
        x = rng.normal(size=(400, 8, 8, 1)).astype(np.float32)
        y = (x[:, :4].sum(axis=(1, 2, 3)) > 0).astype(np.int32) + (x[:, :, :4].mean(axis=(1, 2, 3)) > 0.1)
        np.save(p("c.npy"), x)
        np.save(p("c_labels.npy"), y.astype(np.int32))
        spec = {"input_shape": [8, 8, 1], "loss": "sparse_categorical_crossentropy",
                "optimizer": {"type": "adam", "learning_rate": 0.01},
                "layers": [{"type": "Conv2D", "filters": 6, "kernel_size": 3, "use_bias": False},
                           {"type": "BatchNormalization"}, {"type": "ReLU"},
                           {"type": "MaxPooling2D", "pool_size": 2},
                           {"type": "DepthwiseConv2D", "kernel_size": 3, "activation": "relu6"},
                           {"type": "Flatten"},
                           {"type": "Dense", "units": 3, "activation": "softmax"}]}
        json.dump(spec, open(p("c.json"), "w"))
        run([args.mote, "train", "--model", p("c.json"), "--data", p("c.npy"), "--labels",
             p("c_labels.npy"), "--epochs", "4", "--qat", "--qat-after", "2", "-o", p("c.bin"),
             "--int8", p("c_qat.tflite")])
        bad += compare(args.mote, p("c_qat.tflite"), x, args.rows, tmp)
        # (3) the same with BatchNorm training on batch statistics (--qat-bn batch).
        run([args.mote, "train", "--model", p("c.json"), "--data", p("c.npy"), "--labels",
             p("c_labels.npy"), "--epochs", "4", "--qat", "--qat-after", "2", "--qat-bn", "batch",
             "-o", p("cb.bin"), "--int8", p("cb_qat.tflite")])
        bad += compare(args.mote, p("cb_qat.tflite"), x, args.rows, tmp)
        # (4) TFMOT's semantics: batch statistics and ranges started at [-6, 6].
        run([args.mote, "train", "--model", p("c.json"), "--data", p("c.npy"), "--labels",
             p("c_labels.npy"), "--epochs", "4", "--qat", "--qat-after", "2", "--qat-bn", "batch",
             "--qat-ranges", "tfmot", "-o", p("ct.bin"), "--int8", p("ct_qat.tflite")])
        bad += compare(args.mote, p("ct_qat.tflite"), x, args.rows, tmp)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
