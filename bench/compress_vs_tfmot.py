#!/usr/bin/env python3
"""Side by side, QAT part: mote (train, PTQ, QAT) against Keras + TFMOT
(float, TFLite-converter PTQ, tfmot.quantization.keras.quantize_model QAT)
on the same data and architecture, in one run, JSON out.

  bench/compress_vs_tfmot.py --mote build/mote [--tasks digits,anomaly] [--qat-epochs 5] [--seeds 3]
                            [--pairing full|init|none] [--qat-bn-compare batch|frozen] [--mote-only]
                            [--variant NAME='--qat-bn batch --qat-ranges tfmot' ...]

Tasks:
  digits   scikit-learn's 8x8 digits (1,797 images, pixels / 16), split
           train_test_split(test_size=0.2, random_state=0, stratify=y);
           Conv2D(16,3)+BN+ReLU, MaxPool 2, Conv2D(32,3)+ReLU, Flatten,
           Dense(10) softmax.
  anomaly  `mote data synth-anomaly --n 2000 --seed 1`: first 1600 train,
           last 400 test; examples/anomaly/model.json's layers (Keras: the
           same maths as Conv2D (1,3) on [1, 64, 1], since TFMOT 0.8 cannot
           quantize Conv1D).
Both tools: Adam, same epochs and batch size, no validation split. Float
training is paired so that the comparison measures compression, not which
tool drew the luckier random numbers (tests/oracle/train_fit_keras.py shows
the two trainers take the same steps from the same weights and batches):
  --pairing full (default): Keras initialises the model from the seed, mote
      starts from those weights (`mote train --init`), and Keras trains on
      mote's batch order (each epoch the order mote's shuffle gives for the
      seed, MoteShuffle below, fed to one-epoch fits without shuffling);
  --pairing init: the same initial weights, each tool its own shuffling;
  --pairing none: each tool draws both from the seed (mote's seed-2 draw of
      the anomaly model starts where neither tool leaves the constant
      classifier within 30 epochs: Keras from those weights fails the same
      way; 1 of mote's seeds 1-12 does, none of Keras's 1-8).
QAT fine-tuning is paired the same way with --pairing full: mote's QAT gets
`--seed SEED` and Keras fine-tunes on the order mote's QAT shuffle gives
(one-epoch fits, the optimizer and range variables carry over); with init or
none each tool shuffles with its own generator. --variant NAME=ARGS also
fine-tunes mote's float model with `mote quantize --qat ARGS` (same seed) and
reports it as qat_NAME_acc beside qat_acc, on the same Keras run. PTQ
calibrates on the first 100 training rows; QAT fine-tunes the float model
for --qat-epochs epochs at lr 1e-4. int8 accuracy: mote's runtime for mote
(`mote quantize --test`), tf.lite.Interpreter for TFLite. Needs scikit-learn,
tensorflow-model-optimization and tf_keras (TF_USE_LEGACY_KERAS=1 is set here:
TFMOT 0.8 does not support Keras 3).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ["TF_USE_LEGACY_KERAS"] = "1"
import numpy as np  # noqa: E402

DIGITS_LAYERS = [
    {"type": "Conv2D", "filters": 16, "kernel_size": 3, "padding": "same", "use_bias": False},
    {"type": "BatchNormalization"},
    {"type": "ReLU"},
    {"type": "MaxPooling2D", "pool_size": 2},
    {"type": "Conv2D", "filters": 32, "kernel_size": 3, "activation": "relu"},
    {"type": "Flatten"},
    {"type": "Dense", "units": 10, "activation": "softmax"},
]


def digits_data():
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split
    d = load_digits()
    x = (d.images / 16.0).astype(np.float32)[..., None]
    y = d.target.astype(np.int32)
    xtr, xte, ytr, yte = train_test_split(x, y, test_size=0.2, random_state=0, stratify=y)
    return xtr, ytr, xte, yte


def anomaly_data(mote, tmp):
    f = os.path.join(tmp, "anomaly.npy")
    subprocess.run([mote, "data", "synth-anomaly", "--n", "2000", "--length", "64", "--seed", "1",
                    "-o", f], check=True, capture_output=True)
    x = np.load(f).astype(np.float32)
    y = np.load(f.replace(".npy", "_labels.npy")).astype(np.int32)
    return x[:1600], y[:1600], x[1600:], y[1600:]


def keras_model(tf, task):
    L = tf.keras.layers
    if task == "digits":
        return tf.keras.Sequential([
            tf.keras.Input((8, 8, 1)),
            L.Conv2D(16, 3, padding="same", use_bias=False), L.BatchNormalization(), L.ReLU(),
            L.MaxPooling2D(2), L.Conv2D(32, 3, activation="relu"), L.Flatten(),
            L.Dense(10, activation="softmax")])
    # TFMOT 0.8 cannot quantize Conv1D: the same maths as Conv2D on [1, 64, 1]
    # (which is also how both converters lower Conv1D to CONV_2D).
    return tf.keras.Sequential([
        tf.keras.Input((1, 64, 1)), L.Conv2D(8, (1, 3), activation="relu"), L.MaxPooling2D((1, 2)),
        L.Conv2D(8, (1, 3), activation="relu"), L.GlobalAveragePooling2D(),
        L.Dense(1, activation="sigmoid")])


def accuracy(task, p, y):
    if task == "digits":
        return float((p.argmax(axis=1) == y).mean())
    return float(((p.reshape(-1) > 0.5).astype(int) == y).mean())


def tflite_int8(tf, model, xtr, xte, yte, task):
    conv = tf.lite.TFLiteConverter.from_keras_model(model)
    conv.optimizations = [tf.lite.Optimize.DEFAULT]
    conv.representative_dataset = lambda: ([xtr[i:i + 1]] for i in range(100))
    conv.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    conv.inference_input_type = tf.int8
    conv.inference_output_type = tf.int8
    tfl = conv.convert()
    it = tf.lite.Interpreter(model_content=tfl,
                             experimental_op_resolver_type=tf.lite.experimental.OpResolverType.BUILTIN_REF)
    it.allocate_tensors()
    i, o = it.get_input_details()[0], it.get_output_details()[0]
    s, z = i["quantization"]
    os_, oz = o["quantization"]
    out = []
    for w in xte:
        it.set_tensor(i["index"], np.clip(np.round(w / s) + z, -128, 127).astype(np.int8)[None])
        it.invoke()
        out.append((it.get_tensor(o["index"]).reshape(-1).astype(np.float32) - oz) * os_)
    return accuracy(task, np.array(out), yte), len(tfl)


class MoteShuffle:
    """mote's training shuffle (host/train/rng.h: xoshiro256** seeded by
    splitmix64, Fisher-Yates with Next() % i), so Keras can see mote's batches."""
    M = (1 << 64) - 1

    def __init__(self, seed):
        self.s, z = [], seed
        for _ in range(4):
            z = (z + 0x9E3779B97F4A7C15) & self.M
            x = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & self.M
            x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & self.M
            self.s.append(x ^ (x >> 31))

    def _rotl(self, x, k):
        return ((x << k) | (x >> (64 - k))) & self.M

    def next(self):
        s = self.s
        r = (self._rotl((s[1] * 5) & self.M, 7) * 9) & self.M
        t = (s[1] << 17) & self.M
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = self._rotl(s[3], 45)
        return r

    def shuffle(self, v):  # in place, as Rng::Shuffle; mote reshuffles the same list every epoch
        for i in range(len(v), 1, -1):
            j = self.next() % i
            v[i - 1], v[j] = v[j], v[i - 1]


def keras_initial_weights(task, seed):
    """The weights keras_run starts from, in mote's parameter order (Keras's
    get_weights() order; Conv2D (1, k) kernels [1, k, in, out] have the same
    bytes as mote's Conv1D [k, in, out])."""
    import tensorflow as tf
    tf.keras.utils.set_random_seed(seed)
    return keras_model(tf, task).get_weights()


def write_motew(path, spec, weights):
    """A mote weights file (host/train/model.h): "MOTEW001", uint32 LE JSON
    length, the model JSON, every parameter as float32 LE."""
    text = json.dumps(spec).encode()
    with open(path, "wb") as f:
        f.write(b"MOTEW001" + len(text).to_bytes(4, "little") + text)
        for w in weights:
            f.write(np.ascontiguousarray(w, dtype="<f4").tobytes())


def keras_run(task, data, a, seed):
    import tensorflow as tf
    import tensorflow_model_optimization as tfmot
    xtr, ytr, xte, yte = data
    if task == "anomaly":
        xtr, xte = xtr.reshape(-1, 1, 64, 1), xte.reshape(-1, 1, 64, 1)
    tf.keras.utils.set_random_seed(seed)
    m = keras_model(tf, task)  # the same weights as keras_initial_weights(task, seed)
    loss = "sparse_categorical_crossentropy" if task == "digits" else "binary_crossentropy"
    m.compile(optimizer=tf.keras.optimizers.Adam(a.lr), loss=loss, metrics=["accuracy"])
    t0 = time.perf_counter()
    if a.pairing == "full":
        rng, order = MoteShuffle(seed), list(range(len(xtr)))
        for _ in range(a.epochs):
            rng.shuffle(order)
            m.fit(xtr[order], ytr[order], epochs=1, batch_size=32, shuffle=False, verbose=0)
    else:
        m.fit(xtr, ytr, epochs=a.epochs, batch_size=32, verbose=0)
    train_s = time.perf_counter() - t0
    r = dict(float_acc=accuracy(task, m.predict(xte, verbose=0), yte), train_s=train_s)
    r["ptq_acc"], r["ptq_bytes"] = tflite_int8(tf, m, xtr, xte, yte, task)
    q = tfmot.quantization.keras.quantize_model(m)
    q.compile(optimizer=tf.keras.optimizers.Adam(1e-4), loss=loss, metrics=["accuracy"])
    t0 = time.perf_counter()
    if a.pairing == "full":
        rng, order = MoteShuffle(seed), list(range(len(xtr)))
        for _ in range(a.qat_epochs):
            rng.shuffle(order)
            q.fit(xtr[order], ytr[order], epochs=1, batch_size=32, shuffle=False, verbose=0)
    else:
        q.fit(xtr, ytr, epochs=a.qat_epochs, batch_size=32, verbose=0)
    r["qat_s"] = time.perf_counter() - t0
    r["qat_float_acc"] = accuracy(task, q.predict(xte, verbose=0), yte)
    r["qat_acc"], r["qat_bytes"] = tflite_int8(tf, q, xtr, xte, yte, task)
    return r


def mote_run(task, data, a, tmp, seed):
    xtr, ytr, xte, yte = data
    p = lambda n: os.path.join(tmp, f"{task}_{n}")  # noqa: E731
    for n, v in (("xtr.npy", xtr), ("ytr.npy", ytr), ("xte.npy", xte), ("yte.npy", yte)):
        np.save(p(n), v)
    if task == "digits":
        spec = {"input_shape": [8, 8, 1], "layers": DIGITS_LAYERS, "loss": "sparse_categorical_crossentropy"}
    else:
        src = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        spec = json.load(open(os.path.join(src, "examples/anomaly/model.json")))
        spec.pop("fit", None)
    spec["optimizer"] = {"type": "adam", "learning_rate": a.lr}
    spec["fit"] = {"epochs": a.epochs, "batch_size": 32}
    json.dump(spec, open(p("model.json"), "w"))
    init = []
    if a.pairing != "none":
        write_motew(p("init.bin"), spec, keras_initial_weights(task, seed))
        init = ["--init", p("init.bin")]
    t0 = time.perf_counter()
    subprocess.run([a.mote, "train", "-m", p("model.json"), "-d", p("xtr.npy"), "-l", p("ytr.npy"),
                    "-o", p("float.bin"), "--seed", str(seed)] + init, check=True, capture_output=True)
    train_s = time.perf_counter() - t0
    test = ["--test", p("xte.npy"), "--test-labels", p("yte.npy"), "--json"]
    ptq = json.loads(subprocess.run([a.mote, "quantize", p("float.bin"), "-d", p("xtr.npy"), "-o",
                                     p("ptq.tflite")] + test, check=True, capture_output=True,
                                    text=True).stdout)
    qat_seed = ["--seed", str(seed)] if a.pairing == "full" else []

    def run_qat(extra, out):
        return json.loads(subprocess.run([a.mote, "quantize", p("float.bin"), "-d", p("xtr.npy"), "-l",
                                          p("ytr.npy"), "--qat", "--epochs", str(a.qat_epochs), "-o",
                                          p(out)] + qat_seed + extra + test, check=True,
                                         capture_output=True, text=True).stdout)
    t0 = time.perf_counter()
    qat = run_qat([], "qat.tflite")
    qat_s = time.perf_counter() - t0
    r = dict(float_acc=ptq["float_accuracy"], train_s=train_s, ptq_acc=ptq["int8_accuracy"],
             ptq_bytes=ptq["bytes"], qat_acc=qat["int8_accuracy"], qat_bytes=qat["bytes"],
             qat_s=qat_s)
    # --qat-bn-compare: the same float model fine-tuned with the other BatchNorm mode.
    if a.qat_bn_compare:
        q2 = run_qat(["--qat-bn", a.qat_bn_compare], "qat2.tflite")
        r["qat_bn_" + a.qat_bn_compare + "_acc"] = q2["int8_accuracy"]
    for v in a.variant:
        name, _, args = v.partition("=")
        r["qat_" + name + "_acc"] = run_qat(args.split(), "qat_" + name + ".tflite")["int8_accuracy"]
    return r


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mote", default="build/mote")
    ap.add_argument("--tasks", default="digits,anomaly")
    ap.add_argument("--epochs", type=int, default=30)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--qat-epochs", type=int, default=5)
    ap.add_argument("--seeds", type=int, default=1, help="mean over seeds 1..N (weights, shuffling)")
    ap.add_argument("--pairing", choices=["full", "init", "none"], default="full",
                    help="float training: full: mote starts from Keras's initial weights and "
                         "Keras trains on mote's batch order; init: only the weights; none: "
                         "each tool its own draws")
    ap.add_argument("--qat-bn-compare", choices=["batch", "frozen"], default=None,
                    help="also fine-tune mote's float model with `--qat-bn MODE` (reported as "
                         "qat_bn_MODE_acc, beside qat_acc with the default mode)")
    ap.add_argument("--variant", action="append", default=[],
                    help="NAME=ARGS: also fine-tune mote's float model with `mote quantize --qat "
                         "ARGS` (reported as qat_NAME_acc), e.g. tfmot='--qat-bn batch "
                         "--qat-ranges tfmot'")
    ap.add_argument("--mote-only", action="store_true",
                    help="skip Keras/TFMOT training (compare mote's own options, e.g. with "
                         "--qat-bn-compare; --pairing still takes Keras's initial weights)")
    a = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for task in a.tasks.split(","):
            data = digits_data() if task == "digits" else anomaly_data(a.mote, tmp)
            ms, ks = [], []
            for seed in range(1, a.seeds + 1):
                ms.append(mote_run(task, data, a, tmp, seed))
                print(task, seed, "mote", json.dumps(ms[-1]), file=sys.stderr, flush=True)
                if a.mote_only:
                    continue
                ks.append(keras_run(task, data, a, seed))
                print(task, seed, "keras", json.dumps(ks[-1]), file=sys.stderr, flush=True)
            m = {k: float(np.mean([r[k] for r in ms])) for k in ms[0]}
            for key in [key for key in ms[0] if key.endswith("_acc")]:
                m["per_seed_" + key] = [r[key] for r in ms]
            if a.mote_only:
                rows.append(dict(task=task, seeds=a.seeds, pairing=a.pairing, epochs=a.epochs,
                                 qat_epochs=a.qat_epochs, mote=m))
                continue
            k = {key: float(np.mean([r[key] for r in ks])) for key in ks[0]}
            for key in ("float_acc", "ptq_acc", "qat_acc"):
                k["per_seed_" + key] = [r[key] for r in ks]
            rows.append(dict(task=task, train_rows=len(data[0]), test_rows=len(data[2]),
                             seeds=a.seeds, pairing=a.pairing, epochs=a.epochs, qat_epochs=a.qat_epochs, mote=m, keras_tfmot=k,
                             mote_qat_minus_float_points=100 * (m["qat_acc"] - m["float_acc"]),
                             mote_ptq_minus_tfmot_ptq_points=100 * (m["ptq_acc"] - k["ptq_acc"]),
                             mote_qat_minus_tfmot_qat_points=100 * (m["qat_acc"] - k["qat_acc"])))
            # Per seed, in test images: each mote QAT result (default and variants) - TFMOT's.
            for key in [key for key in ms[0] if key.startswith("qat") and key.endswith("_acc")]:
                rows[-1]["per_seed_mote_" + key[:-4] + "_minus_tfmot_images"] = [
                    int(round((mr[key] - kr["qat_acc"]) * len(data[2]))) for mr, kr in zip(ms, ks)]
    print(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
