#!/usr/bin/env python3
"""Builds the wake-word example's development model (kws_small_int8.tflite).

A stand-in until the DS-CNN of `mote demo kws` exists: a small DS-CNN-like
Keras model over the device front end's features, quantized to int8 by the
TFLite converter, with labels and the front-end config in its manifest.

  .venv/bin/python examples/wakeword/make_model.py --mote build/mote \
      --data /tmp/ww/kws --out /tmp/ww/model

The defaults rebuild the committed model (synth-kws 250 clips per label,
seed 11; 3,500 talk sentences; seed 3; 25 epochs), about 15 min on 2 busy
cores, up to TensorFlow's thread scheduling.

Steps: `mote data synth-kws` (if --data does not exist yet), the clips of each
split packed into int16 .npy, plus 1 s crops of connected talk (espeak-ng
sentences without digit words, TRAIN-split speakers only, noise added) as
more `_unknown_` examples, `mote features --path fixed` (the device's
fixed-point front end, KWS config: 49 x 10 MFCC), Keras training on the train
split (random time shifts of +-100 ms), int8 conversion with 300 training
clips as the representative set, `mote manifest set` (labels, front_end).
"""
import argparse
import csv
import json
import os
import subprocess
import sys
import wave

import numpy as np

LABELS = ["_silence_", "_unknown_", "zero", "one", "two", "three", "four", "five", "six",
          "seven", "eight", "nine"]


def run(cmd):
    print("+", " ".join(cmd), file=sys.stderr)
    subprocess.run(cmd, check=True)


def load_split(data, split):
    rows = [r for r in csv.DictReader(open(os.path.join(data, "index.csv"))) if r["split"] == split]
    x = np.zeros((len(rows), 16000), np.int16)
    y = np.zeros(len(rows), np.int64)
    for i, r in enumerate(rows):
        with wave.open(os.path.join(data, r["path"])) as w:
            a = np.frombuffer(w.readframes(w.getnframes()), np.int16)
        x[i, :min(16000, len(a))] = a[:16000]
        y[i] = LABELS.index(r["label"])
    return x, y


def features(mote, out, name, clips):
    raw = os.path.join(out, name + "_pcm.npy")
    feat = os.path.join(out, name + "_mfcc.npy")
    np.save(raw, clips)
    run([mote, "features", raw, "--path", "fixed", "-o", feat])
    return np.load(feat).astype(np.float32)


# Train-split speakers of synth-kws (docs/kws_data.md): accent i, variant j
# with (i + 3 j) mod 10 >= 2. The test speakers of synth-stream never talk here.
ACCENTS = ["en-us", "en", "en-gb-scotland", "en-gb-x-gbclan", "en-gb-x-rp", "en-gb-x-gbcwmd",
           "en-029", "en-us-nyc"]
VARIANTS = ["m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "f1", "f2", "f3", "f4", "f5", "croak",
            "whisper", "whisperf", "klatt", "klatt2", "klatt3", "grandma", "grandpa", "steph",
            "travis", "victor"]
TRAIN_SPEAKERS = [f"{a}+{v}" for i, a in enumerate(ACCENTS) for j, v in enumerate(VARIANTS)
                  if (i + 3 * j) % 10 >= 2]
# Words for connected talk: no digit and no digit homophone (for, to, won, ate, ...).
TALK_WORDS = """a an the this that my your our their some every many few small big long short
red green blue yellow black white happy quiet loud warm cold early late morning evening river
mountain window kitchen garden table letter music paper market station doctor teacher farmer
dog cat horse bird apple bread coffee water summer winter city village road forest ocean
walks runs reads writes builds opens closes finds keeps brings carries watches helps likes
slowly quickly often never always again together outside inside under over near behind beside
and but or because while when where after before then also very really maybe perhaps
house garden bridge yesterday tomorrow people children weather language picture story
question answer minute moment second hour holiday journey friend family neighbour""".split()


def talk_crops(out_dir, n_sentences, rng):
    """1 s crops of connected speech (train speakers) for the _unknown_ class."""
    crops = []
    tmp = os.path.join(out_dir, "talk_tmp")
    os.makedirs(tmp, exist_ok=True)
    for i in range(n_sentences):
        words = [TALK_WORDS[k] for k in rng.integers(0, len(TALK_WORDS), rng.integers(6, 14))]
        voice = TRAIN_SPEAKERS[rng.integers(0, len(TRAIN_SPEAKERS))]
        raw = os.path.join(tmp, "s.wav")
        wav = os.path.join(tmp, "s16.wav")
        subprocess.run(["espeak-ng", "-v", voice, "-p", str(rng.integers(20, 81)),
                        "-s", str(rng.integers(120, 211)), "-w", raw, " ".join(words)],
                       check=True, capture_output=True)
        subprocess.run(["sox", "-R", "-D", raw, "-r", "16000", "-b", "16", wav],
                       check=True, capture_output=True)
        with wave.open(wav) as w:
            a = np.frombuffer(w.readframes(w.getnframes()), np.int16).astype(np.float32) / 32768
        if len(a) < 16000:
            continue
        for _ in range(4):
            st = int(rng.integers(0, len(a) - 16000 + 1))
            c = a[st:st + 16000].copy()
            rms = float(np.sqrt(np.mean(c * c))) + 1e-9
            c *= 10 ** (rng.uniform(-34, -16) / 20) / rms
            noise_db = rng.uniform(-85, -36)
            c += rng.standard_normal(16000).astype(np.float32) * 10 ** (noise_db / 20)
            crops.append(np.clip(np.round(c * 32768), -32768, 32767).astype(np.int16))
    return np.stack(crops)


def shifted(x, rng, max_shift=1600):
    """Random time shift of each clip (zero fill), in samples."""
    out = np.zeros_like(x)
    for i in range(len(x)):
        s = int(rng.integers(-max_shift, max_shift + 1))
        if s >= 0:
            out[i, s:] = x[i, :len(x[i]) - s]
        else:
            out[i, :s] = x[i, -s:]
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mote", default="build/mote")
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--per-class", type=int, default=250)
    ap.add_argument("--epochs", type=int, default=25)
    ap.add_argument("--seed", type=int, default=3, help="training / talk seed")
    ap.add_argument("--data-seed", type=int, default=11, help="synth-kws seed")
    ap.add_argument("--channels", type=int, default=48)
    ap.add_argument("--blocks", type=int, default=3, help="depthwise-separable blocks")
    ap.add_argument("--stride-t", type=int, default=2, help="time stride of the first conv")
    ap.add_argument("--talk", type=int, default=3500,
                    help="sentences of connected talk (4 crops each) added to _unknown_")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    if not os.path.exists(os.path.join(args.data, "index.csv")):
        run([args.mote, "data", "synth-kws", "-o", args.data, "--per-class", str(args.per_class),
             "--seed", str(args.data_seed), "--jobs", "2", "-q"])

    import tensorflow as tf
    tf.keras.utils.set_random_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    xtr, ytr = load_split(args.data, "train")
    xva, yva = load_split(args.data, "val")
    xte, yte = load_split(args.data, "test")
    # Two shifted copies of the training clips besides the originals.
    xtr_all = np.concatenate([xtr, shifted(xtr, rng), shifted(xtr, rng)])
    ytr_all = np.concatenate([ytr, ytr, ytr])
    if args.talk > 0:
        talk = talk_crops(args.out, args.talk, rng)
        print("talk crops", talk.shape, file=sys.stderr)
        xtr_all = np.concatenate([xtr_all, talk])
        ytr_all = np.concatenate([ytr_all, np.full(len(talk), LABELS.index("_unknown_"))])
    ftr = features(args.mote, args.out, "train", xtr_all)[..., None]
    fva = features(args.mote, args.out, "val", xva)[..., None]
    fte = features(args.mote, args.out, "test", xte)[..., None]
    print("features", ftr.shape, "range", float(ftr.min()), float(ftr.max()), file=sys.stderr)

    L = tf.keras.layers
    inp = L.Input((49, 10, 1))
    h = L.Conv2D(args.channels, (10, 4), strides=(args.stride_t, 2), padding="same",
                 use_bias=False)(inp)
    h = L.BatchNormalization()(h)
    h = L.ReLU()(h)
    for _ in range(args.blocks):
        h = L.DepthwiseConv2D((3, 3), padding="same", use_bias=False)(h)
        h = L.BatchNormalization()(h)
        h = L.ReLU()(h)
        h = L.Conv2D(args.channels, (1, 1), use_bias=False)(h)
        h = L.BatchNormalization()(h)
        h = L.ReLU()(h)
    h = L.GlobalAveragePooling2D()(h)
    h = L.Dropout(0.2)(h)
    out = L.Dense(len(LABELS), activation="softmax")(h)
    model = tf.keras.Model(inp, out)
    model.compile(optimizer=tf.keras.optimizers.Adam(2e-3),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    sched = tf.keras.callbacks.LearningRateScheduler(
        lambda e: 2e-3 if e < args.epochs * 0.6 else (6e-4 if e < args.epochs * 0.85 else 2e-4))
    model.fit(ftr, ytr_all, validation_data=(fva, yva), epochs=args.epochs, batch_size=64,
              callbacks=[sched], verbose=2)
    acc = model.evaluate(fte, yte, verbose=0)[1]

    def rep():
        for i in rng.choice(len(ftr), 300, replace=False):
            yield [ftr[i:i + 1]]

    conv = tf.lite.TFLiteConverter.from_keras_model(model)
    conv.optimizations = [tf.lite.Optimize.DEFAULT]
    conv.representative_dataset = rep
    conv.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    conv.inference_input_type = tf.int8
    conv.inference_output_type = tf.int8
    plain = os.path.join(args.out, "kws_small_plain.tflite")
    open(plain, "wb").write(conv.convert())

    # Int8 test accuracy through the TFLite interpreter.
    it = tf.lite.Interpreter(model_path=plain)
    it.allocate_tensors()
    di, do = it.get_input_details()[0], it.get_output_details()[0]
    s, z = di["quantization"]
    good = 0
    for i in range(len(fte)):
        q = np.clip(np.round(fte[i:i + 1] / s) + z, -128, 127).astype(np.int8)
        it.set_tensor(di["index"], q)
        it.invoke()
        good += int(np.argmax(it.get_tensor(do["index"])[0]) == yte[i])
    acc8 = good / len(fte)

    fe_bin = os.path.join(args.out, "frontend.bin")
    run([args.mote, "features", "--write-config", fe_bin])
    fe_hex = open(fe_bin, "rb").read().hex()
    final = os.path.join(args.out, "kws_small_int8.tflite")
    run([args.mote, "manifest", "set", plain, "-o", final, "name=kws_small", "version=0.1.0",
         "labels=" + ",".join(LABELS), "front_end=" + fe_hex])
    summary = {"test_accuracy_float": float(acc), "test_accuracy_int8": acc8,
               "train_clips": int(len(xtr)), "train_examples": int(len(xtr_all)), "test_clips": int(len(xte)),
               "params": int(model.count_params()), "model": final}
    json.dump(summary, open(os.path.join(args.out, "summary.json"), "w"), indent=2)
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
