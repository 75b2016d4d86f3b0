#!/usr/bin/env python3
"""Prints TFLM's arena usage for a .tflite model as one JSON object.

Usage:
  tests/oracle/tflm_arena.py MODEL.tflite [--arena-size BYTES] [--after-invoke]

The tflite-micro Python wrapper has no arena_used_bytes() accessor; it builds
the interpreter on a RecordingMicroAllocator (InterpreterConfig
kAllocationRecording) and exposes PrintAllocations(), which MicroPrintf's the
arena totals to the C stdout.  This script captures and parses that text:

  arena_used_bytes   "Arena allocation total" = head + tail
  head_bytes         non-persistent (planned activations + scratch) section
  tail_bytes         persistent section (tensor structs, op data, allocator)
  records            per-category bytes, e.g. "Persistent buffer data"

The value is for this host (64-bit pointers, so tensor/node structs are larger
than on Cortex-M) and for the pip package's TFLM revision; it can differ by a
few hundred bytes from the C++ MicroInterpreter::arena_used_bytes() recorded in
golden/*/manifest.json (tflm_arena_used_bytes; measured: +272 bytes for
most MLPerf Tiny models, +560 for ad_autoencoder), because the recording allocator
and the Python wrapper's bookkeeping also live in the arena tail.

Exit 0 and the JSON on success; exit 2 and {"error": ...} if TFLM refuses the
model (e.g. hybrid models).
"""

import argparse
import json
import os
import re
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import numpy as np  # noqa: E402

import tflm_diff  # noqa: E402


def tflm_arena(model_bytes, arena_size=None, after_invoke=False):
    """Returns a dict with arena_used_bytes, head_bytes, tail_bytes, records."""
    interp = tflm_diff.new_interpreter(model_bytes, arena_size)
    if after_invoke:
        ins, outs = tflm_diff.tensor_details(interp)
        xs = [np.zeros(d["shape"], d["dtype"]) for d in ins]
        tflm_diff.tflm_run(interp, xs, ins, len(outs))
    log = tempfile.NamedTemporaryFile(prefix="tflm_arena_", delete=False)
    log.close()
    try:
        with tflm_diff.redirect_c_stdio(log.name):
            interp.print_allocations()
        with open(log.name, errors="replace") as f:
            text = f.read()
    finally:
        os.unlink(log.name)
    out = {}
    for key, pat in (("arena_used_bytes", r"Arena allocation total (\d+) bytes"),
                     ("head_bytes", r"Arena allocation head (\d+) bytes"),
                     ("tail_bytes", r"Arena allocation tail (\d+) bytes")):
        m = re.search(pat, text)
        if not m:
            raise tflm_diff.HarnessError(f"cannot parse PrintAllocations output: {text[:200]!r}")
        out[key] = int(m.group(1))
    out["records"] = {}
    for m in re.finditer(r"'([^']+)' used (\d+) bytes with alignment overhead "
                         r"\(requested (\d+) bytes for (\d+)", text):
        out["records"][m.group(1)] = {"used": int(m.group(2)), "requested": int(m.group(3)),
                                      "count": int(m.group(4))}
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("model")
    ap.add_argument("--arena-size", type=int,
                    help="arena given to TFLM (default max(10x model, 4 MiB); "
                         "does not change the reported usage)")
    ap.add_argument("--after-invoke", action="store_true",
                    help="invoke once (zero input) before reading the totals")
    args = ap.parse_args(argv)
    res = {"model": os.path.basename(args.model)}
    try:
        with open(args.model, "rb") as f:
            model_bytes = f.read()
        res.update(tflm_arena(model_bytes, args.arena_size, args.after_invoke))
    except (OSError, tflm_diff.HarnessError) as e:
        res["error"] = str(e)
        print(json.dumps(res))
        return 2
    res["source"] = ("tflite_micro pip " + _version() +
                     ", RecordingMicroAllocator PrintAllocations(), host 64-bit")
    print(json.dumps(res))
    return 0


def _version():
    try:
        import tflite_micro
        return str(tflite_micro.__version__)
    except Exception:  # pragma: no cover
        return "?"


if __name__ == "__main__":
    sys.exit(main())
