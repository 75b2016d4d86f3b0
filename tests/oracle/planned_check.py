#!/usr/bin/env python3
"""Oracle check of `mote plan -o`: the planned .tflite must give the golden
outputs (and random-input outputs equal to TFLM) in both mote and the pip
TFLM interpreter, and TFLM's own arena_used_bytes must drop when it loads the
planned file. Prints before/after. Exit 1 on any failure.

  planned_check.py MODEL.tflite --mote build/mote --golden ../shared/golden
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def tflm_arena(model):
    out = subprocess.run([sys.executable, os.path.join(HERE, "tflm_arena.py"), model],
                         capture_output=True, text=True, check=True).stdout
    j = json.loads(out)
    return j["arena_used_bytes"], j["head_bytes"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model")
    ap.add_argument("--mote", required=True)
    ap.add_argument("--golden", required=True, help="golden folder (parent of <model>/)")
    ap.add_argument("--count", type=int, default=50)
    args = ap.parse_args()
    name = os.path.splitext(os.path.basename(args.model))[0]
    with tempfile.TemporaryDirectory() as tmp:
        planned = os.path.join(tmp, name + ".tflite")
        plan = json.loads(subprocess.run([args.mote, "plan", args.model, "-o", planned, "--json"],
                                         capture_output=True, text=True, check=True).stdout)
        (before, head), (after, _) = tflm_arena(args.model), tflm_arena(planned)
        print(f"{name}: mote arena {plan['arena_bytes']} B; TFLM arena {before} B -> "
              f"{after} B with the offline plan (TFLM's own activation head {head} B, "
              f"mote's plan {plan['activation_bytes']} B)")
        # TFLM must shrink whenever mote's activation plan is smaller than TFLM's.
        ok = after <= before and (after < before or plan["activation_bytes"] >= head)
        if not ok:
            print(f"{name}: TFLM's arena did not drop")
        diff = subprocess.run([sys.executable, os.path.join(HERE, "tflm_diff.py"), planned,
                               "--mote", args.mote, "--count", str(args.count), "--seed", "7",
                               "--jobs", "2", "--golden", os.path.join(args.golden, name)])
        ok = ok and diff.returncode == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
