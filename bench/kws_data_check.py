#!/usr/bin/env python3
"""Learnability check of a `mote data synth-kws` dataset (a bench, not a test).

Trains a small depthwise-separable CNN (DS-CNN-like, float, Keras) on log-mel
features of the train split, picks the epoch by val accuracy and prints the
test-split accuracy (speakers never heard in training) as JSON. The features
are TensorFlow's (tf.signal), not mote's front end: this only checks that the
data carries the labels.

  .venv/bin/python bench/kws_data_check.py --data kws --epochs 20
"""
import argparse
import csv
import json
import os
import time

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import tensorflow as tf  # noqa: E402


def load(data_dir):
    labels = None
    with open(os.path.join(data_dir, "summary.json")) as f:
        labels = json.load(f)["labels"]
    rows = list(csv.DictReader(open(os.path.join(data_dir, "index.csv"))))
    xs = {"train": [], "val": [], "test": []}
    ys = {"train": [], "val": [], "test": []}
    for r in rows:
        audio = tf.audio.decode_wav(tf.io.read_file(os.path.join(data_dir, r["path"])))
        xs[r["split"]].append(audio.audio[:, 0].numpy())
        ys[r["split"]].append(labels.index(r["label"]))
    return labels, {k: np.stack(v) for k, v in xs.items() if v}, {k: np.array(v) for k, v in ys.items() if v}


def logmel(x):
    # 30 ms windows, 20 ms hop, 40 mel bands 20 Hz..4 kHz: 49 x 40 like MLPerf Tiny KWS.
    stft = tf.signal.stft(x, frame_length=480, frame_step=320, fft_length=512)
    mel = tf.signal.linear_to_mel_weight_matrix(40, 257, 16000, 20.0, 4000.0)
    m = tf.tensordot(tf.abs(stft) ** 2, mel, 1)
    return tf.math.log(m + 1e-6)[..., tf.newaxis].numpy()


def model(n_classes):
    L = tf.keras.layers
    inp = L.Input((49, 40, 1))
    h = L.Conv2D(64, (10, 4), strides=2, padding="same", use_bias=False)(inp)
    h = L.ReLU()(L.BatchNormalization()(h))
    for _ in range(4):
        h = L.ReLU()(L.BatchNormalization()(L.DepthwiseConv2D(3, padding="same", use_bias=False)(h)))
        h = L.ReLU()(L.BatchNormalization()(L.Conv2D(64, 1, use_bias=False)(h)))
    h = L.Dropout(0.3)(L.GlobalAveragePooling2D()(h))
    return tf.keras.Model(inp, L.Dense(n_classes)(h))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--epochs", type=int, default=30)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    tf.keras.utils.set_random_seed(a.seed)
    t0 = time.time()
    labels, xs, ys = load(a.data)
    feats = {k: logmel(v) for k, v in xs.items()}
    mean, std = feats["train"].mean(), feats["train"].std()
    feats = {k: (v - mean) / std for k, v in feats.items()}
    m = model(len(labels))
    steps = a.epochs * ((len(ys["train"]) + 63) // 64)
    m.compile(tf.keras.optimizers.Adam(tf.keras.optimizers.schedules.CosineDecay(2e-3, steps)),
              tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
    best = tf.keras.callbacks.ModelCheckpoint("/tmp/kws_check_best.weights.h5", monitor="val_accuracy",
                                              save_best_only=True, save_weights_only=True)
    m.fit(feats["train"], ys["train"], validation_data=(feats["val"], ys["val"]), epochs=a.epochs,
          batch_size=64, verbose=2, callbacks=[best])
    m.load_weights("/tmp/kws_check_best.weights.h5")
    pred = m.predict(feats["test"], verbose=0).argmax(1)
    conf = np.zeros((len(labels), len(labels)), int)
    for t, p in zip(ys["test"], pred):
        conf[t, p] += 1
    print(json.dumps({
        "train_clips": int(len(ys["train"])), "val_clips": int(len(ys["val"])),
        "test_clips": int(len(ys["test"])),
        "val_accuracy": float((m.predict(feats["val"], verbose=0).argmax(1) == ys["val"]).mean()),
        "test_accuracy": float((pred == ys["test"]).mean()),
        "per_label_test_accuracy": {l: float(conf[i, i] / max(conf[i].sum(), 1)) for i, l in enumerate(labels)},
        "top_test_confusions": [f"{labels[t]}->{labels[p]}: {conf[t, p]}" for t, p in
                                sorted(((t, p) for t in range(len(labels)) for p in range(len(labels)) if t != p),
                                       key=lambda tp: -conf[tp])[:8] if conf[t, p] > 0],
        "seconds": round(time.time() - t0, 1)}, indent=2))


if __name__ == "__main__":
    main()
