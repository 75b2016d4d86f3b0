"""Checks mote's SOFTMAX / LOGISTIC / TANH ref kernels inside real models.

For every SOFTMAX, LOGISTIC or TANH operator of each .tflite model given (or
of ../shared/models/*.tflite), runs the model in the TFLM Python interpreter
with all tensors preserved, feeds the operator's actual input tensor to
mote's kernel (built by verify_activations.py) and requires the same output
bytes as TFLM (float: |a-b| <= 1e-5 + 1e-4*|b|). When golden files exist
(../shared/golden/<model>/input_K.bin, output_K.bin) those inputs are used
and a model-output activation is also compared with output_K.bin; otherwise
`--random N` random inputs are used.

  python3 tests/oracle/kernels/check_model_activations.py [model.tflite ...]
"""

import argparse
import glob
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import verify_activations as va  # noqa: E402

from tflite_micro.python.tflite_micro import runtime  # noqa: E402
from tflite_micro.tensorflow.lite.micro.python import schema_py_generated as fb  # noqa: E402

SHARED = os.path.abspath(os.path.join(va.ROOT, "..", "shared"))
ACT = {fb.BuiltinOperator.SOFTMAX: "SOFTMAX",
       fb.BuiltinOperator.LOGISTIC: "LOGISTIC",
       fb.BuiltinOperator.TANH: "TANH"}


def close(got, want):
  return bool((np.abs(got - want) <= 1e-5 + 1e-4 * np.abs(want)).all())


def model_inputs(path, det, rng, n_random):
  name = os.path.basename(path)[:-len(".tflite")]
  gdir = os.path.join(SHARED, "golden", name)
  if os.path.exists(os.path.join(gdir, "input_0.bin")):
    k = 0
    while os.path.exists(os.path.join(gdir, f"input_{k}.bin")):
      x = np.fromfile(os.path.join(gdir, f"input_{k}.bin"), dtype=det["dtype"])
      gold = os.path.join(gdir, f"output_{k}.bin")
      yield x.reshape(det["shape"]), (gold if os.path.exists(gold) else None)
      k += 1
    return
  for _ in range(n_random):
    if np.issubdtype(det["dtype"], np.integer):
      info = np.iinfo(det["dtype"])
      x = rng.integers(info.min, info.max + 1, det["shape"]).astype(det["dtype"])
    else:
      x = rng.standard_normal(det["shape"]).astype(det["dtype"])
    yield x, None


def check_model(m, path, rng, n_random):
  data = open(path, "rb").read()
  model = fb.ModelT.InitFromObj(fb.Model.GetRootAsModel(data, 0))
  sg = model.subgraphs[0]
  acts = []
  for op in sg.operators:
    code = model.operatorCodes[op.opcodeIndex]
    bc = max(code.builtinCode, code.deprecatedBuiltinCode)
    if bc in ACT:
      acts.append((bc, op))
  if not acts:
    return 0
  try:
    interp = runtime.Interpreter.from_file(
      path, intrepreter_config=runtime.InterpreterConfig.kPreserveAllTensors)
  except RuntimeError as e:  # e.g. hybrid models TFLM cannot run
    print(f"{os.path.basename(path)}: TFLM cannot run it ({e}), skipped")
    return 0
  det = interp.get_input_details(0)
  checked = golden = 0
  for x, gold_path in model_inputs(path, det, rng, n_random):
    interp.set_input(x, 0)
    interp.invoke()
    for bc, op in acts:
      tin = sg.tensors[op.inputs[0]]
      a = np.array(interp.GetTensor(op.inputs[0], 0)["tensor_data"])
      b = np.array(interp.GetTensor(op.outputs[0], 0)["tensor_data"]).reshape(-1)
      if tin.type == fb.TensorType.FLOAT32:
        if bc == fb.BuiltinOperator.SOFTMAX:
          got = m.softmax_f32(op.builtinOptions.beta, a.reshape(-1, a.shape[-1]))
        else:
          got = m.eltwise_f32(ACT[bc].lower() + "_f32", a.reshape(-1))
        got = got.reshape(-1)
        ok = close(got, b)
        gold_dtype = np.float32
      elif tin.type == fb.TensorType.INT8:
        s = float(tin.quantization.scale[0])
        zp = int(tin.quantization.zeroPoint[0])
        if bc == fb.BuiltinOperator.SOFTMAX:
          got, _ = m.softmax_s8(s, op.builtinOptions.beta, a.reshape(-1, a.shape[-1]))
        else:
          got = m.eltwise_s8(ACT[bc].lower() + "_s8", s, zp, a.reshape(-1))
        got = got.reshape(-1)
        ok = np.array_equal(got, b)
        gold_dtype = np.int8
      else:
        print(f"  {ACT[bc]}: input type {tin.type} not covered, skipped")
        continue
      if not ok:
        print(f"MISMATCH {path} {ACT[bc]}: got {got[:16]} want {b[:16]}")
        sys.exit(1)
      if gold_path and op.outputs[0] == sg.outputs[0]:
        gold = np.fromfile(gold_path, dtype=gold_dtype)
        gok = close(got, gold) if gold_dtype == np.float32 else np.array_equal(got, gold)
        if not gok:
          print(f"GOLDEN MISMATCH {gold_path}: got {got[:16]} want {gold[:16]}")
          sys.exit(1)
        golden += got.size
      checked += got.size
  print(f"{os.path.basename(path)}: {len(acts)} activation op(s), "
        f"{checked} output elements identical to TFLM"
        + (f", {golden} also to golden outputs" if golden else ""))
  return checked


def main():
  ap = argparse.ArgumentParser()
  ap.add_argument("models", nargs="*")
  ap.add_argument("--random", type=int, default=20)
  args = ap.parse_args()
  paths = args.models or sorted(glob.glob(os.path.join(SHARED, "models", "*.tflite")))
  m = va.Mote()
  rng = np.random.default_rng(0)
  total = sum(check_model(m, p, rng, args.random) for p in paths)
  print(f"total: {total} elements")


if __name__ == "__main__":
  main()
