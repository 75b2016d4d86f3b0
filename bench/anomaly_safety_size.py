#!/usr/bin/env python3
"""Flash bytes of micro/safety/ as linked into the anomaly device loop image
(examples/anomaly/firmware), attributed per object from the GNU ld map as
bench/target_bench.py does, plus the image's sections (arm-none-eabi-size)
and, with --run, the instructions of the signed A/B Boot() under QEMU
(firmware/qemu/insn_count.c; instructions, NOT cycles).

  bench/anomaly_safety_size.py --elf build/target/mps2-an386/anomaly_loop.elf \
      [--run --board mps2-an386 --plugin build/libmote_insn_count.so] [--json out.json]
"""
import argparse
import glob
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from target_bench import map_attribution, section_sizes  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--elf", required=True)
    ap.add_argument("--run", action="store_true")
    ap.add_argument("--board", default="mps2-an386")
    ap.add_argument("--plugin", default="")
    ap.add_argument("--json", default="")
    a = ap.parse_args()

    safety = {os.path.basename(p) for p in glob.glob(os.path.join(ROOT, "micro/safety/*.cc"))
              if not p.endswith("_test.cc")}
    per = map_attribution(a.elf[:-4] + ".map")
    mine = {k.split(":", 1)[1]: v for k, v in per.items()
            if k.startswith("libmote_micro:") and k.split(":", 1)[1] in safety}
    out = {"elf": a.elf, "sections": section_sizes(a.elf),
           "micro_safety_flash_bytes": sum(mine.values()),
           "micro_safety_by_object": dict(sorted(mine.items(), key=lambda kv: -kv[1])),
           "image_flash_by_object_top": dict(list(per.items())[:12])}
    if a.run:
        cmd = [os.path.join(ROOT, "tests/target/qemu_run.sh"), a.board, a.elf, a.plugin]
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        insns = [int(x) for x in re.findall(r"mote-insns (\d+)", p.stdout + p.stderr)]
        checks = re.search(r"boot: (\d+) signature checks so far, stack (\d+) B", p.stdout + p.stderr)
        out["boot_insns"] = insns[0] if insns else None
        if checks:
            out["signature_checks_in_run"] = int(checks.group(1))
            out["boot_stack_bytes"] = int(checks.group(2))
    text = json.dumps(out, indent=2)
    print(text)
    if a.json:
        with open(a.json, "w") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
