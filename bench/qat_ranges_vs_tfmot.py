#!/usr/bin/env python3
"""The int8 activation parameters after QAT, mote against TFMOT, on the
digits CNN of bench/compress_vs_tfmot.py for one seed (paired: the same
initial weights and batch order for the float training and the QAT).

  bench/qat_ranges_vs_tfmot.py --mote build/mote [--seed 1] [--qat-epochs 5]

Prints, per int8 activation tensor (input, each layer output, the logits,
the softmax), scale and zero point of: TFMOT's QAT model converted by the
TFLite converter; `mote quantize --qat --qat-bn batch --qat-ranges tfmot`
(TFMOT's semantics); `mote quantize --qat` (mote's default: ranges from the
calibration rows, decay 0.99). If mote's QAT tracks its ranges as TFMOT
does, the first two columns agree closely (they see the same batches of
nearly the same float model, docs/keras_parity.md).
"""
import argparse
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compress_vs_tfmot as bench  # noqa: E402  (sets TF_USE_LEGACY_KERAS)
import numpy as np  # noqa: E402


def activations(tf, path):
    """(shape, scale, zero point) of every per-tensor int8 tensor but the weights."""
    it = tf.lite.Interpreter(model_path=path)
    weights = {op["inputs"][1] for op in it._get_ops_details()
               if op["op_name"] in ("CONV_2D", "FULLY_CONNECTED", "DEPTHWISE_CONV_2D")}
    out = []
    for d in sorted(it.get_tensor_details(), key=lambda d: d["index"]):
        qp = d["quantization_parameters"]
        if d["dtype"] == np.int8 and len(qp["scales"]) == 1 and d["index"] not in weights:
            out.append(([int(v) for v in d["shape"]], float(qp["scales"][0]), int(qp["zero_points"][0])))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mote", default="build/mote")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--qat-epochs", type=int, default=5)
    a = ap.parse_args()
    a.epochs, a.lr, a.pairing, a.qat_bn_compare = 30, 3e-3, "full", None
    a.variant = ["tfmot=--qat-bn batch --qat-ranges tfmot"]
    import tensorflow as tf
    import tensorflow_model_optimization as tfmot
    data = bench.digits_data()
    xtr, ytr = data[0], data[1]
    with tempfile.TemporaryDirectory() as tmp:
        r = bench.mote_run("digits", data, a, tmp, a.seed)
        tf.keras.utils.set_random_seed(a.seed)
        m = bench.keras_model(tf, "digits")
        m.compile(optimizer=tf.keras.optimizers.Adam(a.lr), loss="sparse_categorical_crossentropy")
        rng, order = bench.MoteShuffle(a.seed), list(range(len(xtr)))
        for _ in range(a.epochs):
            rng.shuffle(order)
            m.fit(xtr[order], ytr[order], epochs=1, batch_size=32, shuffle=False, verbose=0)
        q = tfmot.quantization.keras.quantize_model(m)
        q.compile(optimizer=tf.keras.optimizers.Adam(1e-4), loss="sparse_categorical_crossentropy")
        rng, order = bench.MoteShuffle(a.seed), list(range(len(xtr)))
        for _ in range(a.qat_epochs):
            rng.shuffle(order)
            q.fit(xtr[order], ytr[order], epochs=1, batch_size=32, shuffle=False, verbose=0)
        conv = tf.lite.TFLiteConverter.from_keras_model(q)
        conv.optimizations = [tf.lite.Optimize.DEFAULT]
        conv.representative_dataset = lambda: ([xtr[i:i + 1]] for i in range(100))  # as the bench
        conv.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        conv.inference_input_type = tf.int8
        conv.inference_output_type = tf.int8
        path = os.path.join(tmp, "tfmot.tflite")
        open(path, "wb").write(conv.convert())
        cols = [activations(tf, path), activations(tf, os.path.join(tmp, "digits_qat_tfmot.tflite")),
                activations(tf, os.path.join(tmp, "digits_qat.tflite"))]
    print(f"digits seed {a.seed}: test accuracy mote QAT default {100 * r['qat_acc']:.2f} %, "
          f"mote QAT --qat-ranges tfmot {100 * r['qat_tfmot_acc']:.2f} %")
    print(f"{'tensor shape':<18} {'TFMOT + converter':>20} {'mote, tfmot ranges':>20} {'mote default':>20}")
    for rows in zip(*cols):
        print(f"{str(rows[0][0]):<18}" + "".join(f"{f'{s:.5f} / {z}':>21}" for _, s, z in rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
