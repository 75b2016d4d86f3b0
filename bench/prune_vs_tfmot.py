#!/usr/bin/env python3
"""Pruning side by side: `mote prune` (unstructured and structured) and TFMOT's
prune_low_magnitude, on two tasks, at 50% and 75% sparsity, in one run.

  TF_USE_LEGACY_KERAS=1 bench/prune_vs_tfmot.py --mote build/mote [--tasks digits,anomaly] \
      [--sparsities 0.5,0.75] [--json]

Needs: numpy, tensorflow, scikit-learn, tensorflow-model-optimization and
tf_keras (TFMOT 0.8 works only with Keras 2: TF_USE_LEGACY_KERAS=1, set here).

Tasks:
  digits  - scikit-learn's 8x8 digits (1,797 images, /16), split with
            train_test_split(test_size=0.2, random_state=0, stratify=y);
            CNN Conv2D(16,3,same,relu) MaxPool2 Conv2D(32,3,same,relu) MaxPool2
            Flatten Dense(32,relu) Dense(10,softmax).
  anomaly - `mote data synth-anomaly --n 2000 --length 64 --seed 1`, first
            1600 windows train, last 400 test; examples/anomaly/model.json.

Both tools train the same architecture from their own initialisation with
Adam, the same epochs and batch size, then prune + fine-tune for the same
number of epochs with the same schedule (PolynomialDecay 0 -> s, power 3,
begin 0, end after 2/3 of the fine-tuning epochs, one mask update per epoch). Every
int8 .tflite (PTQ on 100 training rows, int8 in/out) is then measured by the
same tool, mote: accuracy on the test rows (`mote accuracy`), MACs and arena
(`mote inspect`), median host invoke time (`mote run --bench`). .tflite and
gzip -9 bytes are reported as TFMOT does. TFMOT has no filter pruning: the
structured rows are mote only.
"""
import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
import numpy as np  # noqa: E402

TASKS = {
    "digits": dict(
        input_shape=[8, 8, 1], loss="sparse_categorical_crossentropy", epochs=30, tune_epochs=10,
        lr=1e-3, batch=32,
        layers=[
            {"type": "Conv2D", "filters": 16, "kernel_size": 3, "padding": "same", "activation": "relu"},
            {"type": "MaxPooling2D", "pool_size": 2},
            {"type": "Conv2D", "filters": 32, "kernel_size": 3, "padding": "same", "activation": "relu"},
            {"type": "MaxPooling2D", "pool_size": 2},
            {"type": "Flatten"},
            {"type": "Dense", "units": 32, "activation": "relu"},
            {"type": "Dense", "units": 10, "activation": "softmax"},
        ]),
    "anomaly": dict(
        input_shape=[64, 1], loss="binary_crossentropy", epochs=30, tune_epochs=10, lr=1e-2, batch=32,
        layers=[
            {"type": "Conv1D", "filters": 8, "kernel_size": 3, "activation": "relu"},
            {"type": "MaxPooling1D", "pool_size": 2},
            {"type": "Conv1D", "filters": 8, "kernel_size": 3, "activation": "relu"},
            {"type": "GlobalAveragePooling1D"},
            {"type": "Dense", "units": 1, "activation": "sigmoid"},
        ]),
}


def load_task(name, mote, tmp):
    if name == "digits":
        from sklearn.datasets import load_digits
        from sklearn.model_selection import train_test_split
        d = load_digits()
        x = (d.images / 16.0).astype(np.float32)[..., None]
        y = d.target.astype(np.int32)
        xtr, xte, ytr, yte = train_test_split(x, y, test_size=0.2, random_state=0, stratify=y)
        return xtr, ytr, xte, yte
    f = os.path.join(tmp, "anomaly.npy")
    subprocess.run([mote, "data", "synth-anomaly", "--n", "2000", "--length", "64", "--seed", "1",
                    "-o", f], check=True, capture_output=True)
    x = np.load(f).astype(np.float32).reshape(-1, 64, 1)
    y = np.load(f.replace(".npy", "_labels.npy")).astype(np.int32)
    return x[:1600], y[:1600], x[1600:], y[1600:]


def sh(*args):
    r = subprocess.run([str(a) for a in args], capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, args))}\n{r.stderr}")
    return r.stdout


def measure(mote, tfl_path, xte_path, yte_path, in_bin, tmp):
    """Everything measured by mote on an int8 .tflite."""
    b = open(tfl_path, "rb").read()
    acc = json.loads(sh(mote, "accuracy", tfl_path, "--data", xte_path, "--labels", yte_path, "--json"))
    ins = json.loads(sh(mote, "inspect", tfl_path, "--json"))
    run = json.loads(sh(mote, "run", tfl_path, "--input", in_bin, "--bench", "300", "--json"))
    return dict(int8_accuracy=acc["accuracy"], tflite_bytes=len(b), gzip_bytes=len(gzip.compress(b, 9)),
                macs=ins["total_macs"], arena_bytes=ins["arena_bytes"], host_us=run["median_us"])


def keras_model(t):
    import tensorflow as tf
    L = tf.keras.layers
    m = [tf.keras.Input(t["input_shape"])]
    for s in t["layers"]:
        ty = s["type"]
        if ty in ("Conv2D", "Conv1D"):
            m.append(getattr(L, ty)(s["filters"], s["kernel_size"], padding=s.get("padding", "valid"),
                                    activation=s.get("activation")))
        elif ty in ("MaxPooling2D", "MaxPooling1D"):
            m.append(getattr(L, ty)(s["pool_size"]))
        elif ty == "Dense":
            m.append(L.Dense(s["units"], activation=s.get("activation")))
        else:
            m.append(getattr(L, ty)())
    return tf.keras.Sequential(m)


def to_int8(m, xtr):
    import tensorflow as tf
    conv = tf.lite.TFLiteConverter.from_keras_model(m)
    conv.optimizations = [tf.lite.Optimize.DEFAULT]
    conv.representative_dataset = lambda: ([xtr[i:i + 1]] for i in range(100))
    conv.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    conv.inference_input_type = tf.int8
    conv.inference_output_type = tf.int8
    return conv.convert()


def tfmot_runs(t, xtr, ytr, sparsities, seed, tmp):
    """Baseline and pruned int8 .tflite files from Keras + TFMOT."""
    import tensorflow as tf
    import tensorflow_model_optimization as tfmot
    tf.keras.utils.set_random_seed(seed)
    base = keras_model(t)
    base.compile(optimizer=tf.keras.optimizers.Adam(t["lr"]), loss=t["loss"])
    base.fit(xtr, ytr, epochs=t["epochs"], batch_size=t["batch"], verbose=0)
    out = {"baseline": to_int8(base, xtr)}
    steps = -(-len(xtr) // t["batch"])
    end = steps * max(1, t["tune_epochs"] * 2 // 3)  # a pruning step: final sparsity is reached
    for s in sparsities:
        sched = tfmot.sparsity.keras.PolynomialDecay(initial_sparsity=0.0, final_sparsity=s, begin_step=0,
                                                     end_step=end, power=3, frequency=steps)
        m = tf.keras.models.clone_model(base)
        m.set_weights(base.get_weights())
        p = tfmot.sparsity.keras.prune_low_magnitude(m, pruning_schedule=sched)
        p.compile(optimizer=tf.keras.optimizers.Adam(1e-3), loss=t["loss"])
        p.fit(xtr, ytr, epochs=t["tune_epochs"], batch_size=t["batch"], verbose=0,
              callbacks=[tfmot.sparsity.keras.UpdatePruningStep()])
        out[s] = to_int8(tfmot.sparsity.keras.strip_pruning(p), xtr)
    return out


def run_task(name, mote, sparsities, tmp):
    t = TASKS[name]
    xtr, ytr, xte, yte = load_task(name, mote, tmp)
    d = os.path.join(tmp, name)
    os.makedirs(d, exist_ok=True)
    p = {k: os.path.join(d, k + ".npy") for k in ("xtr", "ytr", "xte", "yte")}
    for k, v in zip(("xtr", "ytr", "xte", "yte"), (xtr, ytr, xte, yte)):
        np.save(p[k], v)
    in_bin = os.path.join(d, "in.bin")
    np.zeros(int(np.prod(t["input_shape"])), np.int8).tofile(in_bin)
    spec = dict(name=name, input_shape=t["input_shape"], layers=t["layers"], loss=t["loss"],
                optimizer={"type": "adam", "learning_rate": t["lr"]},
                fit={"epochs": t["epochs"], "batch_size": t["batch"]})
    mj = os.path.join(d, "model.json")
    json.dump(spec, open(mj, "w"))
    base = os.path.join(d, "base.bin")
    sh(mote, "train", "--model", mj, "--data", p["xtr"], "--labels", p["ytr"], "-o", base, "--json")
    rows = []

    def add(tool, method, sparsity, weights=None, tflite=None, extra=None):
        path = os.path.join(d, f"{tool}_{method}_{sparsity}.tflite")
        if tflite is not None:
            open(path, "wb").write(tflite)
        else:
            sh(mote, "quantize", weights, "--data", p["xtr"], "-o", path)
        r = dict(task=name, tool=tool, method=method, sparsity=sparsity)
        r.update(measure(mote, path, p["xte"], p["yte"], in_bin, d))
        r.update(extra or {})
        rows.append(r)

    add("mote", "baseline", 0.0, weights=base)
    steps = -(-len(xtr) // t["batch"])
    end = steps * max(1, t["tune_epochs"] * 2 // 3)
    for s in sparsities:
        for structured in (False, True):
            out = os.path.join(d, f"pruned_{s}_{int(structured)}.bin")
            args = [mote, "prune", base, "--data", p["xtr"], "--labels", p["ytr"], "--sparsity", s,
                    "--epochs", t["tune_epochs"], "--batch-size", t["batch"], "--lr", "1e-3",
                    "-o", out, "--json"]
            if structured:
                args.append("--structured")
            else:
                args += ["--end-step", end, "--frequency", steps]
            j = json.loads(sh(*args))
            add("mote", "structured" if structured else "unstructured", s, weights=out,
                extra=dict(kernel_sparsity=j["kernel_sparsity"], params=j["params_after"]))
    tf_models = tfmot_runs(t, xtr, ytr, sparsities, 1, d)
    add("tfmot", "baseline", 0.0, tflite=tf_models["baseline"])
    for s in sparsities:
        add("tfmot", "unstructured", s, tflite=tf_models[s])
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mote", default="build/mote")
    ap.add_argument("--tasks", default="digits,anomaly")
    ap.add_argument("--sparsities", default="0.5,0.75")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    sparsities = [float(s) for s in a.sparsities.split(",")]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in a.tasks.split(","):
            rows += run_task(name, a.mote, sparsities, tmp)
    if a.json:
        print(json.dumps(rows, indent=1))
        return 0
    print(f"{'task':8} {'tool':6} {'method':13} {'sparse':>6} {'int8 acc':>8} {'tflite B':>8} "
          f"{'gzip B':>7} {'MACs':>7} {'arena B':>7} {'host us':>7}")
    for r in rows:
        print(f"{r['task']:8} {r['tool']:6} {r['method']:13} {r['sparsity']:6.2f} {r['int8_accuracy']:8.4f} "
              f"{r['tflite_bytes']:8d} {r['gzip_bytes']:7d} {r['macs']:7d} {r['arena_bytes']:7d} "
              f"{r['host_us']:7.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
