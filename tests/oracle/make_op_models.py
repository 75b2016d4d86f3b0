#!/usr/bin/env python3
"""Builds one small .tflite model per operator variant mote must run
bit-exact with TFLM, for the differential test (tests/oracle/ops_diff.py).

  python3 tests/oracle/make_op_models.py OUTDIR [--only SUBSTR] [--list]

For every case NAME it writes OUTDIR/NAME_int8.tflite (full-int8 PTQ:
representative data uniform in [-1, 1], int8 input and output, per-channel
conv/depthwise weights unless the case says per-tensor) and, unless the case
is int8-only, OUTDIR/NAME_f32.tflite (plain float conversion). Cases marked
"fio" keep float32 input/output on the int8 model, so the converter adds a
QUANTIZE at the input and a DEQUANTIZE at the output.

It also writes OUTDIR/expected_ops.json: {file: [ops the model must contain]}
so the driver can check the converter did not fuse/rewrite the op away.

Deterministic: fixed seeds for weights and calibration data (TF 2.21).
Needs tensorflow (tests only; mote never calls it).
"""

import argparse
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

L = tf.keras.layers


def rnd_init(seed, stddev=0.3):
  return tf.keras.initializers.RandomNormal(stddev=stddev, seed=seed)


def conv(filters, k, seed, **kw):
  return L.Conv2D(filters, k, kernel_initializer=rnd_init(seed),
                  bias_initializer=rnd_init(seed + 1, 0.1), **kw)


def dwconv(k, seed, **kw):
  return L.DepthwiseConv2D(k, depthwise_initializer=rnd_init(seed),
                           bias_initializer=rnd_init(seed + 1, 0.1), **kw)


def dense(units, seed, **kw):
  return L.Dense(units, kernel_initializer=rnd_init(seed),
                 bias_initializer=rnd_init(seed + 1, 0.1), **kw)


def fn(f):
  """A Lambda layer around a tf function (keeps the graph op as written)."""
  return L.Lambda(f)


def same_quant_output(op_name):
  """Post-processing: gives the output of every `op_name` operator the
  quantization of its input 0 (the converter never does this for MEAN, but
  TFLM has a separate path for it)."""
  def post(data):
    import flatbuffers
    from tensorflow.lite.python import schema_py_generated as fb
    model = fb.ModelT.InitFromObj(fb.Model.GetRootAsModel(bytearray(data), 0))
    names = {v: k for k, v in fb.BuiltinOperator.__dict__.items() if not k.startswith("_")}
    for sg in model.subgraphs:
      for op in sg.operators:
        oc = model.operatorCodes[op.opcodeIndex]
        code = max(oc.builtinCode, oc.deprecatedBuiltinCode)
        if names.get(code) == op_name:
          src = sg.tensors[op.inputs[0]].quantization
          dst = sg.tensors[op.outputs[0]].quantization
          dst.scale, dst.zeroPoint = list(src.scale), list(src.zeroPoint)
    b = flatbuffers.Builder(len(data) + 1024)
    b.Finish(model.Pack(b), file_identifier=b"TFL3")
    return bytes(b.Output())
  return post


def as_requantize(scale_factor, zero_point):
  """Post-processing for a one-op int8 model: turns the op into QUANTIZE
  int8 -> int8 (a requantization, which the converter only emits in larger
  graphs) with output scale = input scale * scale_factor."""
  def post(data):
    import flatbuffers
    from tensorflow.lite.python import schema_py_generated as fb
    model = fb.ModelT.InitFromObj(fb.Model.GetRootAsModel(bytearray(data), 0))
    code = fb.OperatorCodeT()
    code.builtinCode = code.deprecatedBuiltinCode = fb.BuiltinOperator.QUANTIZE
    code.version = 1
    model.operatorCodes.append(code)
    sg = model.subgraphs[0]
    assert len(sg.operators) == 1, "as_requantize needs a one-op model"
    op = sg.operators[0]
    op.opcodeIndex = len(model.operatorCodes) - 1
    op.builtinOptionsType, op.builtinOptions = 0, None
    op.inputs = op.inputs[:1]
    src = sg.tensors[op.inputs[0]].quantization
    dst = sg.tensors[op.outputs[0]].quantization
    dst.scale = [src.scale[0] * scale_factor]
    dst.zeroPoint = [zero_point]
    b = flatbuffers.Builder(len(data) + 1024)
    b.Finish(model.Pack(b), file_identifier=b"TFL3")
    return bytes(b.Output())
  return post


# Each case: name -> dict(inputs=[full input shapes, None = unknown dimension],
#   body=callable(list of keras tensors) -> keras tensor, ops=[expected ops],
#   options: int8_only, fio (float io on the int8 model), per_tensor,
#   rep_range (calibration / float test data uniform in [-r, r]),
#   post (callable(model bytes) -> bytes applied to the int8 model)).
CASES = {}


def case(name, inputs, ops, int8_only=False, fio=False, per_tensor=False, f32_ops=None,
         rep_range=1.0, post=None):
  def reg(body):
    CASES[name] = dict(inputs=inputs, body=body, ops=ops, int8_only=int8_only, fio=fio,
                       per_tensor=per_tensor, f32_ops=f32_ops if f32_ops is not None else ops,
                       rep_range=rep_range, post=post)
    return body
  return reg


IMG = (1, 9, 9, 4)
IMG8 = (1, 8, 8, 4)

# ---------------------------------------------------------------- CONV_2D
case("conv_valid", [IMG], ["CONV_2D"])(lambda x: conv(8, 3, 10, padding="valid")(x[0]))
case("conv_same_s2", [IMG], ["CONV_2D"])(
    lambda x: conv(8, 3, 11, padding="same", strides=2)(x[0]))
case("conv_same_s2_even", [IMG8], ["CONV_2D"])(
    lambda x: conv(6, 3, 12, padding="same", strides=2)(x[0]))
case("conv_dilation2", [IMG], ["CONV_2D"])(
    lambda x: conv(6, 3, 13, padding="same", dilation_rate=2)(x[0]))
case("conv_relu", [IMG], ["CONV_2D"])(
    lambda x: conv(8, 3, 14, padding="same", activation="relu")(x[0]))
case("conv_relu6", [IMG], ["CONV_2D"])(
    lambda x: L.ReLU(max_value=6.0)(conv(8, 3, 15, padding="valid")(x[0])))
case("conv_1x1_5x3", [IMG], ["CONV_2D"])(
    lambda x: conv(5, (3, 1), 16, padding="same", strides=(2, 1))(x[0]))
case("conv_per_tensor", [IMG], ["CONV_2D"], int8_only=True, per_tensor=True)(
    lambda x: conv(8, 3, 17, padding="same")(x[0]))
case("dw_per_tensor", [IMG], ["DEPTHWISE_CONV_2D"], int8_only=True, per_tensor=True)(
    lambda x: dwconv(3, 18, padding="same")(x[0]))

# ---------------------------------------------------------------- DEPTHWISE_CONV_2D
case("dw_valid", [IMG], ["DEPTHWISE_CONV_2D"])(lambda x: dwconv(3, 20, padding="valid")(x[0]))
case("dw_same_s2_mult2", [IMG], ["DEPTHWISE_CONV_2D"])(
    lambda x: dwconv(3, 21, padding="same", strides=2, depth_multiplier=2)(x[0]))
case("dw_dilation2", [IMG], ["DEPTHWISE_CONV_2D"])(
    lambda x: dwconv(3, 22, padding="same", dilation_rate=2)(x[0]))
case("dw_relu6", [IMG], ["DEPTHWISE_CONV_2D"])(
    lambda x: L.ReLU(max_value=6.0)(dwconv(3, 23, padding="same")(x[0])))

case("dw_mult2_dilation2_valid", [(1, 11, 10, 3)], ["DEPTHWISE_CONV_2D"])(
    lambda x: dwconv(3, 24, padding="valid", dilation_rate=2, depth_multiplier=2)(x[0]))
case("dw_mult2_per_tensor", [IMG], ["DEPTHWISE_CONV_2D"], int8_only=True, per_tensor=True)(
    lambda x: dwconv(3, 25, padding="same", strides=2, depth_multiplier=2)(x[0]))
case("conv_no_bias_wide", [IMG], ["CONV_2D"], rep_range=4.0)(
    lambda x: L.Conv2D(8, 3, use_bias=False, kernel_initializer=rnd_init(26, 1.0))(x[0]))

# ---------------------------------------------------------------- FULLY_CONNECTED
case("fc", [(1, 32)], ["FULLY_CONNECTED"])(lambda x: dense(10, 30)(x[0]))
case("fc_relu", [(1, 32)], ["FULLY_CONNECTED"])(lambda x: dense(16, 31, activation="relu")(x[0]))
case("fc_flatten", [IMG8], ["FULLY_CONNECTED"])(lambda x: dense(7, 32)(L.Flatten()(x[0])))
case("fc_3d", [(1, 4, 12)], ["FULLY_CONNECTED"])(lambda x: dense(6, 33)(x[0]))

case("fc_no_bias", [(1, 20)], ["FULLY_CONNECTED"])(
    lambda x: L.Dense(9, use_bias=False, kernel_initializer=rnd_init(35))(x[0]))
case("fc_relu6_batch3", [(3, 20)], ["FULLY_CONNECTED"])(
    lambda x: L.ReLU(max_value=6.0)(dense(9, 36)(x[0])))

# ---------------------------------------------------------------- pooling
case("avgpool_valid", [IMG8], ["AVERAGE_POOL_2D"])(lambda x: L.AveragePooling2D(2)(x[0]))
case("avgpool_same_s2", [IMG], ["AVERAGE_POOL_2D"])(
    lambda x: L.AveragePooling2D(3, strides=2, padding="same")(x[0]))
case("avgpool_5x5_same", [IMG], ["AVERAGE_POOL_2D"], rep_range=4.0)(
    lambda x: L.AveragePooling2D(5, strides=1, padding="same")(x[0]))
case("avgpool_3x2_s3x1", [IMG], ["AVERAGE_POOL_2D"])(
    lambda x: L.AveragePooling2D((3, 2), strides=(3, 1), padding="valid")(x[0]))
case("maxpool_valid", [IMG8], ["MAX_POOL_2D"])(lambda x: L.MaxPooling2D(2)(x[0]))
case("maxpool_same_s2", [IMG], ["MAX_POOL_2D"])(
    lambda x: L.MaxPooling2D(3, strides=2, padding="same")(x[0]))

# ---------------------------------------------------------------- ADD / MUL
case("add", [(1, 4, 4, 8), (1, 4, 4, 8)], ["ADD"])(lambda x: L.Add()(x))
case("add_bcast", [(1, 4, 4, 8), (1, 1, 1, 8)], ["ADD"])(lambda x: fn(lambda t: t[0] + t[1])(x))
case("add_bcast_rows", [(1, 4, 4, 8), (1, 4, 1, 1)], ["ADD"])(
    lambda x: fn(lambda t: t[0] + t[1])(x))
case("add_relu", [(1, 4, 4, 8), (1, 4, 4, 8)], ["ADD"])(lambda x: L.ReLU()(L.Add()(x)))
case("add_const", [(1, 4, 4, 8)], ["ADD"])(
    lambda x: fn(lambda t: t + tf.constant(np.linspace(-0.5, 0.7, 8, dtype=np.float32)))(x[0]))
case("mul", [(1, 4, 4, 8), (1, 4, 4, 8)], ["MUL"])(lambda x: L.Multiply()(x))
case("mul_bcast", [(1, 4, 4, 8), (1, 1, 1, 8)], ["MUL"])(lambda x: fn(lambda t: t[0] * t[1])(x))
case("mul_bcast_scalar", [(1, 4, 4, 8), (1, 1, 1, 1)], ["MUL"])(
    lambda x: fn(lambda t: t[0] * t[1])(x))

case("add_relu6", [(1, 4, 4, 8), (1, 4, 4, 8)], ["ADD"], rep_range=6.0)(
    lambda x: L.ReLU(max_value=6.0)(L.Add()(x)))
case("mul_relu", [(1, 4, 4, 8), (1, 1, 1, 8)], ["MUL"])(
    lambda x: L.ReLU()(fn(lambda t: t[0] * t[1])(x)))
case("mul_const", [(1, 4, 4, 8)], ["MUL"])(
    lambda x: fn(lambda t: t * tf.constant(np.linspace(-2.0, 1.5, 8, dtype=np.float32)))(x[0]))

# ---------------------------------------------------------------- activations
case("relu", [(1, 4, 4, 8)], ["RELU"])(lambda x: L.ReLU()(x[0]))
case("relu6", [(1, 4, 4, 8)], ["RELU6"], rep_range=8.0)(lambda x: fn(tf.nn.relu6)(x[0]))
case("relu6_narrow", [(1, 4, 4, 8)], ["RELU6"])(lambda x: fn(tf.nn.relu6)(x[0]))
case("relu_after_add", [(1, 4, 4, 8), (1, 4, 4, 8)], ["ADD"])(
    lambda x: L.ReLU()(fn(lambda t: t[0] + t[1])(x)))
case("logistic", [(1, 4, 4, 8)], ["LOGISTIC"])(lambda x: fn(lambda t: tf.sigmoid(t * 6.0))(x[0]))
case("tanh", [(1, 4, 4, 8)], ["TANH"])(lambda x: fn(lambda t: tf.tanh(t * 3.0))(x[0]))
case("softmax", [(1, 10)], ["SOFTMAX"])(lambda x: L.Softmax()(fn(lambda t: t * 4.0)(x[0])))
case("logistic_wide", [(1, 4, 4, 8)], ["LOGISTIC"], rep_range=10.0)(
    lambda x: fn(tf.sigmoid)(x[0]))
case("tanh_wide", [(1, 4, 4, 8)], ["TANH"], rep_range=6.0)(lambda x: fn(tf.tanh)(x[0]))
case("softmax_wide", [(1, 3, 20)], ["SOFTMAX"], rep_range=12.0)(lambda x: L.Softmax()(x[0]))
case("softmax_4d", [(1, 3, 3, 6)], ["SOFTMAX"])(lambda x: L.Softmax()(x[0]))
case("fc_softmax", [(1, 32)], ["FULLY_CONNECTED", "SOFTMAX"])(
    lambda x: L.Softmax()(dense(12, 34)(x[0])))

# ---------------------------------------------------------------- MEAN
case("mean_hw_keep", [IMG], ["MEAN"])(
    lambda x: fn(lambda t: tf.reduce_mean(t, axis=[1, 2], keepdims=True))(x[0]))
case("mean_hw", [IMG], ["MEAN"])(
    lambda x: fn(lambda t: tf.reduce_mean(t, axis=[1, 2], keepdims=False))(x[0]))
case("mean_last", [IMG], ["MEAN"])(
    lambda x: fn(lambda t: tf.reduce_mean(t, axis=-1, keepdims=False))(x[0]))
case("mean_last_keep", [(1, 5, 7)], ["MEAN"])(
    lambda x: fn(lambda t: tf.reduce_mean(t, axis=-1, keepdims=True))(x[0]))
case("mean_axis1_3d", [(1, 6, 5)], ["MEAN"])(
    lambda x: fn(lambda t: tf.reduce_mean(t, axis=1))(x[0]))
case("mean_hw_samequant", [IMG], ["MEAN"], int8_only=True, post=same_quant_output("MEAN"))(
    lambda x: fn(lambda t: tf.reduce_mean(t, axis=[1, 2], keepdims=True))(x[0]))
case("mean_last_samequant", [(1, 5, 7)], ["MEAN"], int8_only=True,
     post=same_quant_output("MEAN"))(lambda x: fn(lambda t: tf.reduce_mean(t, axis=-1))(x[0]))
case("mean_gap_conv", [IMG], ["CONV_2D", "MEAN"])(
    lambda x: L.GlobalAveragePooling2D()(conv(8, 3, 40, padding="same")(x[0])))

# ---------------------------------------------------------------- shape ops
case("reshape", [(1, 4, 4, 6)], ["RESHAPE"])(lambda x: L.Reshape((8, 12))(x[0]))
# With static shapes the converter rewrites SQUEEZE / EXPAND_DIMS as RESHAPE;
# unknown (None) dimensions keep them (TFLM sees 1 for those).
case("squeeze", [(None, 1, None, 5)], ["SQUEEZE"])(
    lambda x: fn(lambda t: tf.squeeze(t, axis=1))(x[0]))
case("squeeze_static", [(1, 1, 6, 5)], ["RESHAPE"])(
    lambda x: fn(lambda t: tf.squeeze(t, axis=1))(x[0]))
case("expand_dims", [(None, 6, 5)], ["EXPAND_DIMS"])(
    lambda x: fn(lambda t: tf.expand_dims(t, axis=2))(x[0]))
case("concat", [(1, 4, 4, 3), (1, 4, 4, 5)], ["CONCATENATION"])(
    lambda x: L.Concatenate(axis=-1)(x))
case("concat3_mid", [(1, 2, 4, 3), (1, 3, 4, 3), (1, 1, 4, 3)], ["CONCATENATION"])(
    lambda x: L.Concatenate(axis=1)(x))
case("concat_conv", [IMG], ["CONV_2D", "CONCATENATION"])(
    lambda x: L.Concatenate()([conv(4, 3, 50, padding="same")(x[0]),
                               conv(3, 1, 52, padding="same")(x[0])]))
case("concat_input_conv", [IMG], ["CONCATENATION"])(
    lambda x: L.Concatenate()([x[0], conv(4, 3, 54, padding="same", activation="relu")(x[0])]))
case("pad", [(1, 4, 5, 3)], ["PAD"])(
    lambda x: fn(lambda t: tf.pad(t, [[0, 0], [1, 2], [2, 1], [0, 0]]))(x[0]))
case("pad_conv", [IMG], ["PAD", "CONV_2D"])(
    lambda x: conv(4, 3, 60, padding="valid")(L.ZeroPadding2D(((2, 0), (1, 3)))(x[0])))

# ---------------------------------------------------------------- QUANTIZE / DEQUANTIZE
case("qdq_conv", [IMG], ["QUANTIZE", "CONV_2D", "DEQUANTIZE"], int8_only=True, fio=True)(
    lambda x: conv(8, 3, 70, padding="same", activation="relu")(x[0]))
case("qdq_fc_softmax", [(1, 16)], ["QUANTIZE", "FULLY_CONNECTED", "SOFTMAX", "DEQUANTIZE"],
     int8_only=True, fio=True)(lambda x: L.Softmax()(dense(8, 71)(x[0])))
case("qdq_mean", [IMG], ["QUANTIZE", "MEAN", "DEQUANTIZE"], int8_only=True, fio=True)(
    lambda x: fn(lambda t: tf.reduce_mean(t, axis=[1, 2]))(x[0]))

case("requantize_up", [(1, 4, 4, 8)], ["QUANTIZE"], int8_only=True,
     post=as_requantize(1.7, 5))(lambda x: L.ReLU()(x[0]))
case("requantize_down", [(1, 4, 4, 8)], ["QUANTIZE"], int8_only=True,
     post=as_requantize(0.37, -20))(lambda x: L.ReLU()(x[0]))

def build(name, c):
  tf.keras.utils.set_random_seed(1234)
  ins = [tf.keras.Input(batch_size=s[0], shape=s[1:]) for s in c["inputs"]]
  out = c["body"](ins)
  return tf.keras.Model(ins, out, name=name)


def convert(model, c, int8, seed):
  cv = tf.lite.TFLiteConverter.from_keras_model(model)
  if int8:
    rng = np.random.default_rng(seed)
    shapes = [[1 if d is None else d for d in s] for s in c["inputs"]]
    r = c["rep_range"]

    def rep():
      for _ in range(100):
        yield [rng.uniform(-r, r, size=s).astype(np.float32) for s in shapes]

    cv.optimizations = [tf.lite.Optimize.DEFAULT]
    cv.representative_dataset = rep
    cv.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    if not c["fio"]:
      cv.inference_input_type = tf.int8
      cv.inference_output_type = tf.int8
    if c["per_tensor"]:
      cv._experimental_disable_per_channel = True
  data = cv.convert()
  if int8 and c["post"] is not None:
    data = c["post"](data)
  return data


def main(argv=None):
  ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
  ap.add_argument("outdir", nargs="?")
  ap.add_argument("--only", help="build only cases whose name contains this")
  ap.add_argument("--list", action="store_true", help="list the cases and exit")
  args = ap.parse_args(argv)
  if args.list or not args.outdir:
    for name, c in CASES.items():
      print(name, " ".join(c["ops"]))
    return 0
  os.makedirs(args.outdir, exist_ok=True)
  expected = {}
  for k, (name, c) in enumerate(CASES.items()):
    if args.only and args.only not in name:
      continue
    model = build(name, c)
    kinds = [("int8", True)] + ([] if c["int8_only"] else [("f32", False)])
    for suffix, int8 in kinds:
      data = convert(model, c, int8, seed=1000 + k)
      fname = f"{name}_{suffix}.tflite"
      with open(os.path.join(args.outdir, fname), "wb") as f:
        f.write(data)
      expected[fname] = {"ops": c["ops"] if int8 else c["f32_ops"],
                         "float_range": [-c["rep_range"], c["rep_range"]]}
      print(f"wrote {fname} ({len(data)} bytes)", flush=True)
  with open(os.path.join(args.outdir, "expected_ops.json"), "w") as f:
    json.dump(expected, f, indent=1, sort_keys=True)
  return 0


if __name__ == "__main__":
  sys.exit(main())
