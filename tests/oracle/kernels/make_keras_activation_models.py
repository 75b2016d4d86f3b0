"""Builds small Keras models ending in softmax / sigmoid / tanh and converts
them with full-int8 post-training quantization (and float), so that
check_model_activations.py can test mote's kernels on quantization
parameters chosen by the real TFLite converter.

  python3 tests/oracle/kernels/make_keras_activation_models.py OUT_DIR
  python3 tests/oracle/kernels/check_model_activations.py OUT_DIR/*.tflite

Needs tensorflow (tests only). Deterministic for a given TF version.
"""

import os
import sys

import numpy as np
import tensorflow as tf


def build(kind, width, in_dim, seed, spread):
  tf.keras.utils.set_random_seed(seed)
  inp = tf.keras.Input(shape=(in_dim,))
  h = tf.keras.layers.Dense(width, kernel_initializer=tf.keras.initializers.RandomNormal(stddev=spread))(inp)
  if kind == "softmax":
    out = tf.keras.layers.Softmax()(h)
  elif kind == "sigmoid":
    out = tf.keras.layers.Activation("sigmoid")(h)
  elif kind == "tanh":
    out = tf.keras.layers.Activation("tanh")(h)
  else:  # all three, sharing one Dense: sigmoid(h) * tanh(h) then softmax
    a = tf.keras.layers.Activation("sigmoid")(h)
    b = tf.keras.layers.Activation("tanh")(h)
    out = tf.keras.layers.Softmax()(tf.keras.layers.Concatenate()([a, b]))
  return tf.keras.Model(inp, out)


def convert(model, in_dim, seed, int8):
  conv = tf.lite.TFLiteConverter.from_keras_model(model)
  if int8:
    rng = np.random.default_rng(seed)

    def rep():
      for _ in range(64):
        yield [rng.standard_normal((1, in_dim)).astype(np.float32) * 2]

    conv.optimizations = [tf.lite.Optimize.DEFAULT]
    conv.representative_dataset = rep
    conv.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    conv.inference_input_type = tf.int8
    conv.inference_output_type = tf.int8
  return conv.convert()


def main():
  out_dir = sys.argv[1]
  os.makedirs(out_dir, exist_ok=True)
  configs = []
  for kind in ("softmax", "sigmoid", "tanh", "mixed"):
    for i, (width, spread) in enumerate([(10, 0.3), (12, 1.0), (64, 3.0), (300, 0.1)]):
      configs.append((kind, width, 16, 100 + i, spread))
  for kind, width, in_dim, seed, spread in configs:
    model = build(kind, width, in_dim, seed, spread)
    for int8 in (True, False):
      name = f"{kind}_w{width}_s{spread}_{'int8' if int8 else 'f32'}.tflite"
      with open(os.path.join(out_dir, name), "wb") as f:
        f.write(convert(model, in_dim, seed, int8))
      print("wrote", name)


if __name__ == "__main__":
  main()
