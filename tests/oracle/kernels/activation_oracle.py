"""TFLM oracle for the SOFTMAX / LOGISTIC / TANH reference kernels.

Builds one-operator .tflite models with exactly the quantization parameters
(and softmax beta) asked for, and runs them through the TensorFlow Lite Micro
Python interpreter (`pip install tflite-micro`), whose kernels are TFLM's
reference kernels. Used by verify_activations.py (bulk differential check)
and gen_activation_vectors.py (vectors embedded in the unit tests).
Test-only: never imported by mote itself.
"""

import numpy as np

from tflite_micro.python.tflite_micro import runtime
from tflite_micro.tensorflow.lite.micro.compression import model_editor as me
from tflite_micro.tensorflow.lite.micro.python import schema_py_generated as fb

_DTYPES = {
  np.int8: fb.TensorType.INT8,
  np.int16: fb.TensorType.INT16,
  np.float32: fb.TensorType.FLOAT32,
}

_OPS = {
  "softmax": fb.BuiltinOperator.SOFTMAX,
  "logistic": fb.BuiltinOperator.LOGISTIC,
  "tanh": fb.BuiltinOperator.TANH,
}


def build_model(op, shape, in_dtype, out_dtype, in_q=None, out_q=None,
                beta=1.0):
  """Returns .tflite bytes of input -> op -> output.

  in_q / out_q: (scale, zero_point) or None for float tensors.
  """
  def tensor(name, dtype, q):
    quant = me.Quantization(scales=float(q[0]), zero_points=int(q[1])) if q else None
    return me.Tensor(shape=tuple(shape), dtype=_DTYPES[dtype], name=name,
                     quantization=quant)

  t_in = tensor("input", in_dtype, in_q)
  t_out = tensor("output", out_dtype, out_q)
  op_fb = fb.OperatorT()
  if op == "softmax":
    opts = fb.SoftmaxOptionsT()
    opts.beta = float(beta)
    op_fb.builtinOptionsType = fb.BuiltinOptions.SoftmaxOptions
    op_fb.builtinOptions = opts
  operator = me.Operator(opcode=_OPS[op], inputs=[t_in], outputs=[t_out],
                         _fb=op_fb)
  sg = me.Subgraph(tensors=[t_in, t_out], operators=[operator],
                   inputs=[t_in], outputs=[t_out])
  model = me.Model(subgraphs=[sg])
  model.buffers.append(me.Buffer(data=b""))  # buffer 0 is the empty sentinel
  return bytes(model.build())


class Oracle:
  """One interpreter per model; run() feeds one input batch."""

  def __init__(self, model_bytes):
    self._interp = runtime.Interpreter.from_bytes(model_bytes,
                                                  arena_size=1 << 20)

  def run(self, x):
    self._interp.set_input(x, 0)
    self._interp.invoke()
    return np.array(self._interp.get_output(0))


def run_once(op, x, out_dtype, in_q=None, out_q=None, beta=1.0):
  model = build_model(op, x.shape, x.dtype.type, out_dtype, in_q, out_q, beta)
  return Oracle(model).run(x)
