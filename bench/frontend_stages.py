#!/usr/bin/env python3
"""Per-stage instructions of the fixed-point front end on Cortex-M4F (QEMU
mps2-an386, TCG plugin count: INSTRUCTIONS, NOT CYCLES), KWS config, 49 frames
of 1 s of test audio (bench/frontend_stages_fw.cc). Prints JSON:

  bench/frontend_stages.py [--build build] [--opt O2]

  stages     per stage: total over the 49 frames and per frame
             (window = pre-emphasis + window + block scaling, fft, mel = power
             spectrum + filterbank, log, dct)
  push_1s    FrontEnd::PushSamples for the whole second (everything, 49 frames)
  other      push_1s minus the stages (output rounding, ring, history moves)
  stage_checksum, feature_checksum   of the stage outputs and of the 49x10
             int16 features: a bit-exact optimization leaves both unchanged
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))
import frontend_bench  # noqa: E402  (same sources, flags and link as the front end bench)

STAGES = ["window", "fft", "mel", "log", "dct"]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--opt", default="O2")
    args = ap.parse_args()
    plugin = os.path.join(args.build, "libmote_insn_count.so")
    if not os.path.exists(plugin):
        sys.exit(f"frontend_stages.py: {plugin} missing (build target mote_insn_count)")
    with tempfile.TemporaryDirectory() as tmp:
        elf = frontend_bench.build_image(tmp, args.opt, "bench/frontend_stages_fw.cc")
        p = subprocess.run([os.path.join(ROOT, "tests/target/qemu_run.sh"), "mps2-an386", elf, plugin],
                           capture_output=True, text=True)
    text = p.stdout + p.stderr
    if p.returncode != 0:
        sys.exit("frontend_stages.py: firmware failed:\n" + text)
    nodes = [int(x) for x in re.findall(r"^mote-node-insns (\d+)$", text, re.M)]
    total = [int(x) for x in re.findall(r"^mote-insns (\d+)$", text, re.M)]
    frames = len(nodes) // len(STAGES)
    if frames != 49 or len(total) != 1:
        sys.exit(f"frontend_stages.py: unexpected output ({len(nodes)} node counts):\n" + text)
    stages = {}
    for i, name in enumerate(STAGES):
        t = sum(nodes[i::len(STAGES)])
        stages[name] = {"total": t, "per_frame": round(t / frames)}
    out = {"board": "mps2-an386 (Cortex-M4F)", "opt": args.opt, "frames": frames, "stages": stages,
           "push_1s": total[0], "other": total[0] - sum(s["total"] for s in stages.values())}
    for key in ("stage_checksum", "feature_checksum"):  # equal before/after a bit-exact change
        found = re.search(key + r"=(-?\d+)", text)
        out[key] = int(found.group(1)) if found else None
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
