#!/usr/bin/env python3
"""Oracle for whole training runs: `mote train` and Keras model.fit, started
from the SAME initial weights on the same data (no shuffling), end with the
same weights and the same per-epoch loss.

  train_fit_keras.py --mote build/mote [--keep DIR]

Where train_keras_layers.py checks one layer's forward and backward pass,
this checks everything a fit adds on top: the loss and its reduction over a
batch (mean, with a short last batch), the fused sigmoid/softmax + cross-entropy
gradient, MaxPooling, GlobalAveragePooling, Flatten, BatchNormalization's
moving statistics (momentum 0.99) and inference mode, Adam (bias
correction, epsilon 1e-7), label smoothing ("fit": {"label_smoothing"}
against Keras's CategoricalCrossentropy / BinaryCrossentropy with
label_smoothing) and the weights' moving average ("optimizer": {"use_ema",
"ema_momentum"} against Adam(use_ema=True)). Keras's initial weights are written as a mote
weights file ("MOTEW001", host/train/model.h) and given to `mote train --init`.

Each case passes when every final weight satisfies
|mote - keras| <= 2e-4 + 2e-3 * |keras| and every epoch's loss agrees within
1e-4 relative. Float rounding differs between the two (summation order), so
the cases run few steps at a moderate learning rate.
"""
import argparse
import json
import os
import struct
import subprocess
import sys
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402

ANOMALY = [{"type": "Conv1D", "filters": 8, "kernel_size": 3, "activation": "relu"},
           {"type": "MaxPooling1D", "pool_size": 2},
           {"type": "Conv1D", "filters": 8, "kernel_size": 3, "activation": "relu"},
           {"type": "GlobalAveragePooling1D"},
           {"type": "Dense", "units": 1, "activation": "sigmoid"}]
MLP_BN = [{"type": "Dense", "units": 12, "activation": "relu"},
          {"type": "BatchNormalization"},
          {"type": "Dense", "units": 3, "activation": "softmax"}]

# name, mote layers, input shape, loss, rows, epochs, batch, lr[, options:
# {"label_smoothing": s} and / or {"ema": momentum}]
CASES = [
    ("anomaly_conv1d", ANOMALY, (64, 1), "binary_crossentropy", 100, 3, 16, 3e-3),
    ("digits_cnn_bn",
     [{"type": "Conv2D", "filters": 16, "kernel_size": 3, "padding": "same", "use_bias": False},
      {"type": "BatchNormalization"},
      {"type": "ReLU"},
      {"type": "MaxPooling2D", "pool_size": 2},
      {"type": "Conv2D", "filters": 32, "kernel_size": 3, "activation": "relu"},
      {"type": "Flatten"},
      {"type": "Dense", "units": 10, "activation": "softmax"}],
     (8, 8, 1), "sparse_categorical_crossentropy", 90, 3, 16, 3e-3),
    ("mlp_bn_small_batch", MLP_BN, (6,), "sparse_categorical_crossentropy", 60, 4, 8, 1e-2),
    ("mlp_cce_label_smoothing", MLP_BN, (6,), "categorical_crossentropy", 60, 4, 8, 1e-2,
     {"label_smoothing": 0.2}),
    ("anomaly_bce_label_smoothing", ANOMALY, (64, 1), "binary_crossentropy", 100, 3, 16, 3e-3,
     {"label_smoothing": 0.1}),
    ("mlp_bn_ema", MLP_BN, (6,), "sparse_categorical_crossentropy", 60, 4, 8, 1e-2, {"ema": 0.9}),
]


def keras_model(tf, layers, in_shape):
    L = tf.keras.layers
    out = [tf.keras.Input(in_shape)]
    for spec in layers:
        k = dict(spec)
        t = k.pop("type")
        out.append(getattr(L, t)(**k))
    return tf.keras.Sequential(out)


def write_motew(path, spec, weights):
    text = json.dumps(spec).encode()
    with open(path, "wb") as f:
        f.write(b"MOTEW001" + struct.pack("<I", len(text)) + text)
        for w in weights:  # Keras's get_weights() order is mote's Layer::params() order
            f.write(np.ascontiguousarray(w, dtype="<f4").tobytes())


def read_motew(path):
    b = open(path, "rb").read()
    n = struct.unpack("<I", b[8:12])[0]
    return np.frombuffer(b[12 + n:], dtype="<f4")


def data(name, in_shape, loss, rows, rng):
    x = rng.normal(0.0, 1.0, (rows,) + in_shape).astype(np.float32)
    if loss == "binary_crossentropy":  # a spike somewhere: the anomaly task in small
        y = (rng.uniform(size=rows) < 0.3).astype(np.int32)
        for i in np.nonzero(y)[0]:
            x[i, rng.integers(in_shape[0]), 0] += 3.0
        return x, y
    flat = x.reshape(rows, -1)
    classes = 10 if name.startswith("digits") else 3
    y = (np.abs(flat[:, :classes]).argmax(axis=1)).astype(np.int32)
    if loss == "categorical_crossentropy":
        return x, np.eye(classes, dtype=np.float32)[y]
    return x, y


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mote", required=True)
    ap.add_argument("--keep", help="keep the files of every case in this folder")
    a = ap.parse_args()
    import tensorflow as tf
    failures = 0
    tmp_obj = None if a.keep else tempfile.TemporaryDirectory()
    root = a.keep or tmp_obj.name
    for ci, (name, layers, in_shape, loss, rows, epochs, batch, lr, *extra) in enumerate(CASES):
        options = extra[0] if extra else {}
        smoothing = options.get("label_smoothing", 0.0)
        ema = options.get("ema", 0.0)
        d = os.path.join(root, name)
        os.makedirs(d, exist_ok=True)
        rng = np.random.default_rng(10 + ci)
        x, y = data(name, in_shape, loss, rows, rng)
        tf.keras.utils.set_random_seed(ci + 1)
        m = keras_model(tf, layers, in_shape)
        spec = {"name": name, "input_shape": list(in_shape), "layers": layers, "loss": loss,
                "optimizer": {"type": "adam", "learning_rate": lr},
                "fit": {"epochs": epochs, "batch_size": batch, "shuffle": False}}
        if smoothing:
            spec["fit"]["label_smoothing"] = smoothing
        if ema:
            spec["optimizer"].update({"use_ema": True, "ema_momentum": ema})
        json.dump(spec, open(os.path.join(d, "model.json"), "w"))
        write_motew(os.path.join(d, "init.bin"), spec, m.get_weights())
        init_w = np.concatenate([w.reshape(-1) for w in m.get_weights()])
        np.save(os.path.join(d, "x.npy"), x)
        np.save(os.path.join(d, "y.npy"), y)
        k_loss_fn = loss
        if smoothing:
            k_loss_fn = {"categorical_crossentropy": tf.keras.losses.CategoricalCrossentropy,
                         "binary_crossentropy": tf.keras.losses.BinaryCrossentropy}[loss](
                             label_smoothing=smoothing)
        opt = (tf.keras.optimizers.Adam(lr, use_ema=True, ema_momentum=ema) if ema
               else tf.keras.optimizers.Adam(lr))
        m.compile(optimizer=opt, loss=k_loss_fn)
        h = m.fit(x, y, epochs=epochs, batch_size=batch, shuffle=False, verbose=0)
        k_loss = np.array(h.history["loss"])
        k_w = np.concatenate([w.reshape(-1) for w in m.get_weights()])
        r = subprocess.run([a.mote, "train", "-m", os.path.join(d, "model.json"), "-d",
                            os.path.join(d, "x.npy"), "-l", os.path.join(d, "y.npy"), "--init",
                            os.path.join(d, "init.bin"), "-o", os.path.join(d, "out.bin"), "--json"],
                           capture_output=True, text=True)
        if r.returncode != 0:
            print(f"FAIL {name}: mote train exited {r.returncode}: {r.stderr.strip()}")
            failures += 1
            continue
        logs = [json.loads(line) for line in r.stdout.splitlines() if line.startswith("{\"")]
        logs = [e for e in logs if "epoch" in e and "loss" in e]
        m_loss = np.array([e["loss"] for e in logs])
        m_w = read_motew(os.path.join(d, "out.bin"))
        if m_w.shape != k_w.shape or m_loss.shape != k_loss.shape:
            print(f"FAIL {name}: {m_w.size} weights / {m_loss.size} epochs vs Keras "
                  f"{k_w.size} / {k_loss.size}")
            failures += 1
            continue
        bad_w = np.abs(m_w - k_w) > 2e-4 + 2e-3 * np.abs(k_w)
        bad_l = np.abs(m_loss - k_loss) > 1e-4 * np.abs(k_loss)
        # The check means something only if training moved the weights well
        # beyond the tolerance (a trainer that did nothing must fail).
        moved = float(np.abs(k_w - init_w).max())
        status = "FAIL" if bad_w.any() or bad_l.any() or moved < 2e-2 else "ok"
        print(f"{status} {name}: max |dw| {np.abs(m_w - k_w).max():.2e} ({int(bad_w.sum())} of "
              f"{k_w.size} outside; Keras moved them up to {moved:.2f}), loss mote {np.round(m_loss, 6).tolist()} "
              f"keras {np.round(k_loss, 6).tolist()}")
        failures += status == "FAIL"
    print(f"{len(CASES) - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
