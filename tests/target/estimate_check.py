#!/usr/bin/env python3
"""The budget's instruction estimate vs instructions measured on the target.

For every golden image of one QEMU board: median instructions per Invoke()
counted by the QEMU plugin (firmware/qemu/insn_count.c) vs `mote budget --json`'s
"instructions" (host/plan/op_costs.def). Fails if any model is off by more than
--tolerance (default 0.25): then the kernels changed and the table must be
refitted (bench/fit_op_costs.py --write host/plan/op_costs.def).

  tests/target/estimate_check.py --mote build/mote --build build --board mps2-an386
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TARGETS = {"mps2-an386": "cortex-m4", "mps2-an500": "cortex-m7",
           "mps2-an505": "cortex-m33", "mps3-an547": "cortex-m55"}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mote", required=True)
    ap.add_argument("--build", required=True)
    ap.add_argument("--board", required=True, choices=sorted(TARGETS))
    ap.add_argument("--shared", default=os.path.abspath(os.path.join(ROOT, "..", "shared")))
    ap.add_argument("--models", required=True, help="comma-separated golden model names")
    ap.add_argument("--tolerance", type=float, default=0.25)
    args = ap.parse_args()
    plugin = os.path.join(args.build, "libmote_insn_count.so")
    bad = []
    for m in args.models.split(","):
        elf = os.path.join(args.build, "target", args.board, f"golden_{m}.elf")
        p = subprocess.run([os.path.join(ROOT, "tests/target/qemu_run.sh"), args.board, elf, plugin],
                           text=True, capture_output=True, stdin=subprocess.DEVNULL)
        counts = [int(x) for x in re.findall(r"^mote-insns (\d+)$", p.stdout + p.stderr, re.M)]
        if p.returncode != 0 or not counts:
            sys.exit(f"estimate_check: {elf} failed (exit {p.returncode})")
        measured = statistics.median(counts)
        out = subprocess.run([args.mote, "budget", os.path.join(args.shared, "models", f"{m}.tflite"),
                              "--target", f"{TARGETS[args.board]}@100MHz", "--json"],
                             text=True, capture_output=True)
        estimate = json.loads(out.stdout)["instructions"]
        err = estimate / measured - 1
        print(f"{args.board} {m}: measured {measured:.0f} estimate {estimate:.0f} error {err:+.1%}")
        if abs(err) > args.tolerance:
            bad.append(m)
    if bad:
        sys.exit(f"estimate_check: off by more than {args.tolerance:.0%}: {', '.join(bad)}")


if __name__ == "__main__":
    main()
