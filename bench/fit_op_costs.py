#!/usr/bin/env python3
"""Fits mote's per-operator instruction model to Cortex-M instruction counts.

For each QEMU board, runs every golden image (build/target/<board>/golden_<m>.elf,
-O2) with the instruction-count plugin: the image runs input 0 once more one
operator at a time with a marker between operators, so the plugin prints the
instructions of every operator (INSTRUCTIONS, NOT CYCLES). The work counts of each
operator come from `mote profile --json` (macs, window, outputs, inputs; see
host/plan/cost.h). Per board and (operator, input dtype), a non-negative least
squares fit, weighted for relative error, of

    instructions = a*macs + b*window + c*outputs + d*inputs + e

plus one fallback row per dtype ("*", outputs/inputs/node only) fitted on the
operators without MACs, for operators not seen in the golden models.

Prints JSON: per board the coefficients and, per model, the measured instructions
per invoke, the estimate fitted on all models, and the leave-one-model-out
estimate (fitted without that model: the honest figure for a model mote has not
seen). With --write FILE, writes the coefficient table (host/plan/op_costs.def).

  bench/fit_op_costs.py [--build build] [--boards mps2-an386,...] [--write host/plan/op_costs.def]
"""
import argparse
import datetime
import json
import os
import re
import statistics
import subprocess
import sys

import numpy as np
from scipy.optimize import nnls

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BOARDS = {"mps2-an386": "cortex-m4", "mps2-an500": "cortex-m7",
          "mps2-an505": "cortex-m33", "mps3-an547": "cortex-m55"}
MODELS = ["ad_autoencoder_f32", "ad_autoencoder_int8", "ic_resnet8_f32", "ic_resnet8_int8",
          "kws_dscnn_int8", "sww_int8", "vww_mobilenet_f32", "vww_mobilenet_int8"]
FEATURES = ["macs", "window", "outputs", "inputs"]


def measure(build, board, model):
    elf = os.path.join(build, "target", board, f"golden_{model}.elf")
    if not os.path.exists(elf):
        sys.exit(f"fit_op_costs: {elf} missing: ninja -C {build} firmware_{board}")
    plugin = os.path.join(build, "libmote_insn_count.so")
    p = subprocess.run([os.path.join(ROOT, "tests/target/qemu_run.sh"), board, elf, plugin],
                       text=True, capture_output=True, stdin=subprocess.DEVNULL)
    if p.returncode != 0:
        sys.exit(f"fit_op_costs: {elf} failed:\n{p.stdout}{p.stderr}")
    text = p.stdout + p.stderr
    invoke = [int(x) for x in re.findall(r"^mote-insns (\d+)$", text, re.M)]
    nodes = [int(x) for x in re.findall(r"^mote-node-insns (\d+)$", text, re.M)]
    return int(statistics.median(invoke)), nodes


def work(mote, shared, model):
    out = subprocess.run([mote, "profile", os.path.join(shared, "models", f"{model}.tflite"),
                          "--json", "--runs", "1"], text=True, capture_output=True, check=True)
    return json.loads(out.stdout)["ops"]


def row(op):
    return [float(op[f]) for f in FEATURES] + [1.0]


def fit(samples, columns):
    """NNLS on the given feature columns, rows weighted by 1/measured."""
    x = np.array([[r[c] for c in columns] for r, _ in samples])
    y = np.array([m for _, m in samples], dtype=float)
    w = 1.0 / np.maximum(y, 1.0)
    coef, _ = nnls(x * w[:, None], y * w)
    full = [0.0] * (len(FEATURES) + 1)
    for c, v in zip(columns, coef):
        full[c] = float(v)
    return full


def fit_all(nodes):
    """nodes: [(op, dtype, row, measured)] -> {(op, dtype): coefficients}."""
    groups = {}
    for op, dtype, r, m in nodes:
        groups.setdefault((op, dtype), []).append((r, m))
    table = {}
    for key, samples in groups.items():
        # Only the columns that vary within the group, so that few samples
        # cannot spread one effect over collinear columns arbitrarily.
        cols = [c for c in range(len(FEATURES)) if any(r[c] for r, _ in samples)] + [len(FEATURES)]
        table[key] = fit(samples, cols)
    for dtype in {d for _, d, _, _ in nodes}:
        plain = [(r, m) for op, d, r, m in nodes if d == dtype and r[0] == 0 and r[1] == 0]
        if plain:
            table[("*", dtype)] = fit(plain, [2, 3, 4])
    return table


def predict(table, op, dtype, r):
    """The (op, dtype) row; else the same op's row of another dtype; else the
    dtype's fallback row; else any fallback row (as host/plan/targets.cc)."""
    coef = (table.get((op, dtype)) or next((v for (o, _), v in table.items() if o == op), None)
            or table.get(("*", dtype)) or next(v for (o, _), v in table.items() if o == "*"))
    return sum(a * b for a, b in zip(coef, r))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--shared", default=os.path.abspath(os.path.join(ROOT, "..", "shared")))
    ap.add_argument("--boards", default=",".join(BOARDS))
    ap.add_argument("--models", default=",".join(MODELS))
    ap.add_argument("--write", help="write the coefficient table (C++ X-macro rows) here")
    args = ap.parse_args()
    mote = os.path.join(args.build, "mote")
    models = args.models.split(",")
    ops = {m: work(mote, args.shared, m) for m in models}
    report = {"unit": "instructions (QEMU TCG count, -O2), not cycles", "features": FEATURES,
              "boards": {}}
    rows = []
    for board in args.boards.split(","):
        per_model, nodes = {}, []
        for m in models:
            invoke, counts = measure(args.build, board, m)
            if len(counts) != len(ops[m]):
                sys.exit(f"fit_op_costs: {board} {m}: {len(counts)} operator counts for "
                         f"{len(ops[m])} operators")
            per_model[m] = {"measured": invoke, "operators_sum": sum(counts)}
            nodes += [(o["op"], o["dtype"], row(o), c, m) for o, c in zip(ops[m], counts)]
        table = fit_all([n[:4] for n in nodes])
        for m in models:
            own = [n for n in nodes if n[4] == m]
            loo = fit_all([n[:4] for n in nodes if n[4] != m])
            est = sum(predict(table, o, d, r) for o, d, r, _, _ in own)
            est_loo = sum(predict(loo, o, d, r) for o, d, r, _, _ in own)
            meas = per_model[m]["measured"]
            per_model[m].update({"estimate": round(est), "error": round(est / meas - 1, 4),
                                 "estimate_leave_one_out": round(est_loo),
                                 "error_leave_one_out": round(est_loo / meas - 1, 4)})
            print(f"{board} {m}: measured {meas} fit {est / meas - 1:+.1%} "
                  f"leave-one-out {est_loo / meas - 1:+.1%}", file=sys.stderr)
        report["boards"][board] = {
            "target": BOARDS[board], "models": per_model,
            "coefficients": {f"{o} {d}": [round(v, 4) for v in c] for (o, d), c in sorted(table.items())}}
        rows += [(BOARDS[board], o, d, c) for (o, d), c in sorted(table.items())]
    if args.write:
        compiler = subprocess.run(["arm-none-eabi-gcc", "--version"], text=True,
                                  capture_output=True).stdout.splitlines()[0]
        with open(args.write, "w") as f:
            f.write("// Per-operator instruction model of mote's interpreter on Cortex-M (-O2):\n"
                    "//   instructions = per_mac*macs + per_window*window + per_output*outputs\n"
                    "//                  + per_input*inputs + per_op   (host/plan/cost.h)\n"
                    "// GENERATED by bench/fit_op_costs.py (do not edit): non-negative least\n"
                    "// squares on QEMU 7.2 per-operator instruction counts of the golden models,\n"
                    f"// {compiler}, {datetime.date.today().isoformat()}. Operator \"*\" = fallback\n"
                    "// for operators without MACs that the golden models do not contain; an\n"
                    "// operator missing for one dtype uses its row of another dtype.\n"
                    "// MOTE_OP_COST(target, op, dtype, per_mac, per_window, per_output, per_input, per_op)\n")
            for target, o, d, c in rows:
                f.write(f'MOTE_OP_COST("{target}", "{o}", "{d}", ' +
                        ", ".join(f"{v:.6g}" for v in c) + ")\n")
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
