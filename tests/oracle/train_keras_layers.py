#!/usr/bin/env python3
"""Oracle for mote's trainer: forward outputs and gradients of Dense, Conv1D,
Conv2D, DepthwiseConv2D and BatchNormalization (training and inference) equal
to Keras (tensorflow-cpu) on the same weights and inputs, within
|a - b| <= 1e-4 + 1e-3 * |b|.

  train_keras_layers.py --mote build/mote

For each case: a Keras layer with random weights, input x and upstream
gradient dy; y = layer(x), and d(sum(y * dy))/d(x, weights) by GradientTape.
`mote layer-check` computes the same from the same .npy files.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402

CASES = [
    ("Dense", {"type": "Dense", "units": 5}, (7,), True),
    ("Conv1D", {"type": "Conv1D", "filters": 4, "kernel_size": 3}, (12, 2), True),
    ("Conv1D_same_s2", {"type": "Conv1D", "filters": 3, "kernel_size": 3, "strides": 2,
                        "padding": "same"}, (11, 3), True),
    ("Conv2D", {"type": "Conv2D", "filters": 4, "kernel_size": [3, 2]}, (6, 5, 3), True),
    ("Conv2D_same_s2", {"type": "Conv2D", "filters": 2, "kernel_size": 3, "strides": 2,
                        "padding": "same"}, (7, 6, 2), True),
    ("DepthwiseConv2D", {"type": "DepthwiseConv2D", "kernel_size": 3, "depth_multiplier": 2},
     (6, 6, 3), True),
    ("DepthwiseConv2D_same_s2", {"type": "DepthwiseConv2D", "kernel_size": 3, "strides": 2,
                                 "padding": "same"}, (7, 7, 2), True),
    ("BatchNorm_train", {"type": "BatchNormalization"}, (5, 3), True),
    ("BatchNorm_infer", {"type": "BatchNormalization"}, (5, 3), False),
]


def keras_layer(spec):
    import tensorflow as tf
    k = dict(spec)
    t = k.pop("type")
    return getattr(tf.keras.layers, t)(**k)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mote", required=True)
    args = ap.parse_args()
    import tensorflow as tf
    rng = np.random.default_rng(0)
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name, spec, in_shape, training in CASES:
            layer = keras_layer(spec)
            x = rng.uniform(-1, 1, (4,) + in_shape).astype(np.float32)
            layer.build((None,) + in_shape)
            weights = [rng.uniform(-0.5, 0.5, w.shape).astype(np.float32) for w in layer.get_weights()]
            if name.startswith("BatchNorm"):  # positive variance, gamma around 1
                weights[0] += 1.0
                weights[3] = np.abs(weights[3]) + 0.5
            layer.set_weights(weights)
            xv = tf.Variable(x)
            with tf.GradientTape() as tape:
                y = layer(xv, training=training)
                dy = rng.uniform(-1, 1, y.shape).astype(np.float32)
                loss = tf.reduce_sum(y * dy)
            trainable = layer.trainable_variables
            grads = tape.gradient(loss, [xv] + list(trainable))
            d = os.path.join(tmp, name)
            os.makedirs(d)
            files = []
            for i, w in enumerate(weights):
                files.append(os.path.join(d, f"w{i}.npy"))
                np.save(files[-1], w)
            np.save(os.path.join(d, "x.npy"), x)
            np.save(os.path.join(d, "dy.npy"), dy)
            case = {"spec": spec, "input_shape": list(in_shape), "training": training,
                    "params": files, "x": os.path.join(d, "x.npy"), "dy": os.path.join(d, "dy.npy")}
            with open(os.path.join(d, "case.json"), "w") as f:
                json.dump(case, f)
            subprocess.run([args.mote, "layer-check", os.path.join(d, "case.json"), d], check=True)
            want = {"y": y.numpy(), "dx": grads[0].numpy()}
            for i, g in enumerate(grads[1:]):
                want[f"grad_{i}"] = g.numpy()
            worst = 0.0
            for key, b in want.items():
                a = np.load(os.path.join(d, f"{key}.npy")).reshape(b.shape)
                err = np.abs(a - b) - (1e-4 + 1e-3 * np.abs(b))
                worst = max(worst, float(np.max(np.abs(a - b))))
                if np.any(err > 0):
                    failures += 1
                    print(f"{name}: {key} differs, max |a-b| = {np.max(np.abs(a - b)):.3g}")
            print(f"{name}: y, dx and {len(want) - 2} weight gradient(s) match Keras "
                  f"(max |diff| {worst:.2g})" if failures == 0 else f"{name}: checked")
    print(f"{len(CASES) - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
