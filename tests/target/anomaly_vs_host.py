#!/usr/bin/env python3
"""The anomaly device loop on QEMU decides exactly as the host runtime does.

  tests/target/anomaly_vs_host.py --mote build/mote --model build/demo/anomaly_int8.tflite \
      --board mps2-an386 --elf build/target/mps2-an386/anomaly_loop.elf

Runs the firmware (examples/anomaly/firmware/, through tests/target/qemu_run.sh),
which prints per window the int8 bytes it gave the model (`in=<hex>`), the int8
output `q=` and its decision. For every window this script runs the same bytes
through `mote run` on the host and requires the same output byte, recomputes
the decision from the model's output quantization (`mote inspect --json`,
p = (q - zero_point) * scale >= 0.5) and requires the firmware's, and checks the
input quantization the firmware printed equals the model's. Fails also if the
firmware's exit status is not 0 or the window count differs from its summary.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

WINDOW = re.compile(r"^window (\d+): p=([0-9.]+) q=(-?\d+) (ANOMALY|normal)")
INPUT = re.compile(r"^  in=([0-9a-f]+)$")
QUANT = re.compile(r"input scale=([0-9.]+) zero_point=(-?\d+)")
SUMMARY = re.compile(r"^summary: windows=(\d+)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mote", required=True)
    ap.add_argument("--model", required=True)
    ap.add_argument("--board", required=True)
    ap.add_argument("--elf", required=True)
    ap.add_argument("--threshold", type=float, default=0.5)
    a = ap.parse_args()

    runner = os.path.join(os.path.dirname(os.path.abspath(__file__)), "qemu_run.sh")
    fw = subprocess.run([runner, a.board, a.elf], stdout=subprocess.PIPE,
                        stderr=subprocess.STDOUT, text=True)
    lines = fw.stdout.splitlines()
    info = json.loads(subprocess.run([a.mote, "inspect", a.model, "--json"], check=True,
                                     capture_output=True, text=True).stdout)
    in_q, out_q = info["inputs"][0], info["outputs"][0]

    failures = []
    windows, summary_windows, quant = [], None, None
    for i, line in enumerate(lines):
        if m := QUANT.search(line):
            quant = (float(m.group(1)), int(m.group(2)))
        if m := SUMMARY.match(line):
            summary_windows = int(m.group(1))
        if m := WINDOW.match(line):
            nxt = INPUT.match(lines[i + 1]) if i + 1 < len(lines) else None
            if not nxt:
                failures.append(f"window {m.group(1)}: no in= line after it")
                continue
            windows.append((int(m.group(1)), int(m.group(3)), m.group(4) == "ANOMALY",
                            bytes.fromhex(nxt.group(1))))
    if fw.returncode != 0:
        failures.append(f"firmware exit status {fw.returncode}")
    if quant is None or abs(quant[0] - in_q["scale"]) > 5e-7 or quant[1] != in_q["zero_point"]:
        failures.append(f"firmware input quantization {quant} != model's "
                        f"({in_q['scale']}, {in_q['zero_point']})")
    if not windows or summary_windows != len(windows):
        failures.append(f"{len(windows)} window lines, summary says {summary_windows}")

    with tempfile.TemporaryDirectory() as tmp:
        src, dst = os.path.join(tmp, "in.bin"), os.path.join(tmp, "out.bin")
        for w, q_fw, flag_fw, data in windows:
            if len(data) != 64:
                failures.append(f"window {w}: {len(data)} input bytes, want 64")
                continue
            with open(src, "wb") as f:
                f.write(data)
            subprocess.run([a.mote, "run", a.model, "-i", src, "-o", dst], check=True,
                           capture_output=True)
            with open(dst, "rb") as f:
                q_host = int.from_bytes(f.read(1), "little", signed=True)
            flag_host = (q_host - out_q["zero_point"]) * out_q["scale"] >= a.threshold
            if q_host != q_fw or flag_host != flag_fw:
                failures.append(f"window {w}: firmware q={q_fw} {flag_fw}, host q={q_host} {flag_host}")

    flagged = sum(1 for w in windows if w[2])
    print(f"{len(windows)} windows compared with `mote run`: {flagged} flagged on both; "
          f"{len(failures)} problem(s)")
    for f in failures:
        print("  " + f)
    if failures:
        print("--- firmware output ---\n" + fw.stdout)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
