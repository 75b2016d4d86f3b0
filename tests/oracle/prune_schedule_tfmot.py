#!/usr/bin/env python3
"""Oracle: mote's pruning schedule (PolynomialDecay + pruning-step rule) against
tfmot.sparsity.keras.PolynomialDecay, step by step, for several schedules.

  tests/oracle/prune_schedule_tfmot.py --mote build/mote

TFMOT's schedule returns (should_prune, sparsity) for a step; mote's hidden
`mote prune-schedule` prints the same for steps 0..N-1. Decisions must be
equal, sparsities within 1e-6 (float32 on both sides). Exit 0 when all agree.
"""
import argparse
import json
import os
import subprocess
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")

CASES = [  # initial, final, begin, end, frequency, power
    (0.0, 0.5, 0, 100, 10, 3),
    (0.0, 0.75, 0, 315, 45, 3),
    (0.1, 0.8, 10, 110, 25, 3),
    (0.2, 0.9, 7, 50, 1, 2),
    (0.0, 0.6, 5, 61, 4, 3),
    (0.3, 0.3, 0, 20, 3, 1),
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mote", required=True)
    a = ap.parse_args()
    import tensorflow_model_optimization as tfmot
    bad = 0
    for ini, fin, beg, end, freq, power in CASES:
        steps = end + 20
        out = subprocess.run([a.mote, "prune-schedule", "--initial", str(ini), "--final", str(fin),
                              "--begin", str(beg), "--end", str(end), "--frequency", str(freq),
                              "--power", str(power), "--steps", str(steps)],
                             check=True, capture_output=True, text=True).stdout
        mote = json.loads(out)
        sched = tfmot.sparsity.keras.PolynomialDecay(initial_sparsity=ini, final_sparsity=fin, begin_step=beg,
                                                     end_step=end, power=power, frequency=freq)
        for step, prune, sparsity in mote:
            tp, ts = sched(step)
            tp, ts = bool(tp.numpy()), float(ts.numpy())
            if tp != prune or abs(ts - sparsity) > 1e-6:
                bad += 1
                if bad <= 10:
                    print(f"case {ini, fin, beg, end, freq, power} step {step}: mote ({prune}, {sparsity}) "
                          f"tfmot ({tp}, {ts})")
        print(f"case {ini, fin, beg, end, freq, power}: {len(mote)} steps compared")
    print("OK" if bad == 0 else f"{bad} mismatches")
    return 0 if bad == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
