#!/usr/bin/env python3
"""Side by side: the seed's Keras script (Keras + TFLite converter) and
`mote demo anomaly`, same data files, both recipes.

  bench/anomaly_vs_keras.py --mote build/mote [--seeds 5] [--recipes seed,default] [--json]

Per recipe, mean over seeds: float test accuracy, anomaly recall, int8 test
accuracy (tf.lite.Interpreter for Keras, mote's runtime for mote), .tflite
bytes and training wall time. Data: `mote data synth-anomaly --seed S`
(2000 windows), first 1600 train (Keras' validation_split=0.2 takes the last
320 of them, as mote does), last 400 test.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402

RECIPES = {  # mirrors cli/demo.cc Recipe()
    "seed": dict(lr=1e-3, epochs=10, patience=0),
    "default": dict(lr=5e-2, epochs=300, patience=50),
}


def keras_run(x, y, recipe, seed):
    import tensorflow as tf
    tf.keras.utils.set_random_seed(seed)
    m = tf.keras.Sequential([
        tf.keras.Input((64, 1)),
        tf.keras.layers.Conv1D(8, 3, activation="relu"),
        tf.keras.layers.MaxPooling1D(2),
        tf.keras.layers.Conv1D(8, 3, activation="relu"),
        tf.keras.layers.GlobalAveragePooling1D(),
        tf.keras.layers.Dense(1, activation="sigmoid"),
    ])
    r = RECIPES[recipe]
    m.compile(optimizer=tf.keras.optimizers.Adam(r["lr"]), loss="binary_crossentropy",
              metrics=["accuracy"])
    cb = []
    if r["patience"]:
        cb.append(tf.keras.callbacks.EarlyStopping(monitor="val_loss", patience=r["patience"],
                                                   restore_best_weights=True))
    xtr, ytr, xte, yte = x[:1600], y[:1600], x[1600:], y[1600:]
    t0 = time.perf_counter()
    m.fit(xtr, ytr, epochs=r["epochs"], batch_size=32, validation_split=0.2, callbacks=cb,
          verbose=0)
    train_s = time.perf_counter() - t0
    pred = (m.predict(xte, verbose=0).reshape(-1) > 0.5).astype(int)
    conv = tf.lite.TFLiteConverter.from_keras_model(m)
    conv.optimizations = [tf.lite.Optimize.DEFAULT]
    conv.representative_dataset = lambda: ([xtr[i:i + 1]] for i in range(100))
    conv.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    conv.inference_input_type = tf.int8
    conv.inference_output_type = tf.int8
    tfl = conv.convert()
    it = tf.lite.Interpreter(model_content=tfl)
    it.allocate_tensors()
    i, o = it.get_input_details()[0], it.get_output_details()[0]
    s, z = i["quantization"]
    os_, oz = o["quantization"]
    q = []
    for w in xte:
        it.set_tensor(i["index"], np.clip(np.round(w / s) + z, -128, 127).astype(np.int8)[None])
        it.invoke()
        q.append((float(it.get_tensor(o["index"]).reshape(-1)[0]) - oz) * os_ > 0.5)
    q = np.array(q, dtype=int)
    return dict(float_acc=float((pred == yte).mean()),
                recall=float(pred[yte == 1].mean()) if (yte == 1).any() else 0.0,
                int8_acc=float((q == yte).mean()), tflite_bytes=len(tfl), train_s=train_s)


def mote_run(mote, recipe, seed):
    out = subprocess.run([mote, "demo", "anomaly", "--seed", str(seed), "--recipe", recipe, "--json",
                          "--out", tempfile.mkdtemp()], check=True, capture_output=True, text=True)
    j = json.loads(out.stdout)
    return dict(float_acc=j["float_accuracy"], recall=j["float_anomaly_recall"],
                int8_acc=j["int8_accuracy"], tflite_bytes=j["tflite_bytes"],
                train_s=j["seconds"]["train"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mote", default="build/mote")
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--recipes", default="seed,default")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for recipe in a.recipes.split(","):
            for tool in ("keras", "mote"):
                runs = []
                for seed in range(1, a.seeds + 1):
                    if tool == "mote":
                        runs.append(mote_run(a.mote, recipe, seed))
                        continue
                    f = os.path.join(tmp, f"d{seed}.npy")
                    subprocess.run([a.mote, "data", "synth-anomaly", "--n", "2000", "--length", "64",
                                    "--seed", str(seed), "-o", f], check=True, capture_output=True)
                    x = np.load(f)
                    y = np.load(f.replace(".npy", "_labels.npy")).astype(int)
                    runs.append(keras_run(x, y, recipe, seed))
                mean = {k: float(np.mean([r[k] for r in runs])) for k in runs[0]}
                rows.append(dict(recipe=recipe, tool=tool, seeds=a.seeds, **mean))
    if a.json:
        print(json.dumps(rows))
        return 0
    print(f"mean over seeds 1..{a.seeds}")
    print(f"{'recipe':8} {'tool':6} {'float acc':>9} {'recall':>7} {'int8 acc':>9} "
          f"{'tflite B':>9} {'train s':>8}")
    for r in rows:
        print(f"{r['recipe']:8} {r['tool']:6} {r['float_acc']:9.4f} {r['recall']:7.4f} "
              f"{r['int8_acc']:9.4f} {r['tflite_bytes']:9.0f} {r['train_s']:8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
