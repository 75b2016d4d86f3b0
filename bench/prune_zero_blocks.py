#!/usr/bin/env python3
"""How much a sparse weight encoding could save on an int8 .tflite: per
weight tensor (2-D or more, int8), the fraction of zeros, of all-zero blocks
of 4 / 8 / 16 consecutive weights along the innermost (input) dimension -- the
inner loops a zero-block-skipping kernel could skip -- and the bytes of a
bitmap encoding (1 bit per weight + the non-zero bytes).

  bench/prune_zero_blocks.py model_int8.tflite [--json]

Used to decide whether mote needs sparse kernels (docs/pruning.md).
"""
import argparse
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    import tensorflow as tf
    it = tf.lite.Interpreter(model_path=a.model)
    rows = []
    for d in it.get_tensor_details():
        if d["dtype"] != np.int8:
            continue
        try:
            w = it.get_tensor(d["index"])
        except ValueError:  # activations have no data
            continue
        if w.ndim < 2:
            continue
        flat = w.reshape(-1, w.shape[-1])
        r = dict(tensor=d["name"], shape=list(w.shape), zeros=float((w == 0).mean()),
                 dense_bytes=int(w.size), bitmap_bytes=int(np.ceil(w.size / 8) + (w != 0).sum()))
        for blk in (4, 8, 16):
            if w.shape[-1] % blk == 0:
                r[f"zero_blocks_{blk}"] = float((flat.reshape(flat.shape[0], -1, blk) == 0).all(-1).mean())
        rows.append(r)
    if a.json:
        print(json.dumps(rows, indent=1))
        return 0
    for r in rows:
        blocks = " ".join(f"{k[12:]}:{v:.3f}" for k, v in r.items() if k.startswith("zero_blocks_"))
        print(f"{r['tensor'][:28]:28} {str(r['shape']):16} zeros {r['zeros']:.3f} zero blocks {blocks or '-':24} "
              f"bitmap {r['bitmap_bytes']} B / dense {r['dense_bytes']} B")
    return 0


if __name__ == "__main__":
    sys.exit(main())
