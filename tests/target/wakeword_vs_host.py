#!/usr/bin/env python3
"""The wake-word device loop must detect what the host runner detects.

Runs wakeword_loop.elf under QEMU and `mote wakeword MODEL STREAM --point
POINT --json` with the operating point file the firmware was built with
(hop, window, refractory, threshold, look-back, gate, verifiers; the
firmware prints them and they must match), and requires the same detections
(time in ms, label, score in output units) in the same order, at least one,
and the same number of model runs and of windows the verifiers ran on. With
--insns PLUGIN it also sums the plugin's per-hop instruction counts and
prints instructions per second of audio.

  tests/target/wakeword_vs_host.py --mote build/mote --board mps2-an386 \
      --elf build/target/mps2-an386/wakeword_loop.elf --model M.tflite --stream S.wav \
      --point examples/wakeword/operating_point.json [--insns build/libmote_insn_count.so]
"""
import argparse
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mote", required=True)
    ap.add_argument("--board", required=True)
    ap.add_argument("--elf", required=True)
    ap.add_argument("--model", required=True)
    ap.add_argument("--stream", required=True)
    ap.add_argument("--point", required=True,
                    help="operating_point.json the firmware was built with")
    ap.add_argument("--insns", help="QEMU instruction-count plugin (.so)")
    args = ap.parse_args()

    cmd = [os.path.join(HERE, "qemu_run.sh"), args.board, args.elf]
    if args.insns:
        cmd.append(args.insns)
    dev = subprocess.run(cmd, capture_output=True, text=True)
    out = dev.stdout + dev.stderr
    print(out)
    if dev.returncode != 0:
        print(f"FAIL: firmware exit status {dev.returncode}")
        return 1
    device = [(int(t), int(l), int(s)) for t, l, s in
              re.findall(r"detect t_ms=(\d+) label=(\d+) name=\S+ score=(\d+)", out)]

    # The host, with the threshold in the same output units.
    host_cmd = [args.mote, "wakeword", args.model, args.stream, "--point", args.point, "--json"]
    print("+", " ".join(host_cmd))
    h = subprocess.run(host_cmd, capture_output=True, text=True)
    if h.returncode != 0:
        print(h.stdout, h.stderr)
        print("FAIL: mote wakeword failed")
        return 1
    j = json.loads(h.stdout)
    # The firmware was built with the same point (a stale build would not be).
    m = re.search(r"hop (\d+) ms, window (\d+), threshold (\d+) units, look-back (\d+) gate (\d+) units, "
                  r"refractory (\d+) ms, verifiers (\d+) at (\d+) units", out)
    built = tuple(int(v) for v in m.groups()) if m else None
    wanted = (j["hop_ms"], j["window"], j["threshold_units"], j["look_back"], j["gate_units"], j["refractory_ms"],
              len(j["verifiers"]), j["verify_units"])
    print(f"point: device {built}, host {wanted} "
          "(hop, window, threshold, look-back, gate, refractory, verifiers, verify units)")
    if built != wanted:
        print("FAIL: the firmware was built with another operating point than " + args.point)
        return 1
    host = [(round(d["time_s"] * 1000), d["label"], d["units"]) for d in j["detections"]]
    print("device:", device)
    print("host:  ", host)
    if args.insns:
        counts = [int(n) for n in re.findall(r"mote-insns (\d+)", out)]
        audio_ms = int(re.search(r"audio_ms=(\d+)", out).group(1))
        total = sum(counts)
        print(f"instructions: {total} over {len(counts)} hops, {audio_ms} ms of audio: "
              f"{total * 1000 / audio_ms:.0f} per second of audio; max per hop {max(counts)}")
    if not device:
        print("FAIL: no detection on the device")
        return 1
    if device != host:
        print("FAIL: device and host detections differ")
        return 1
    runs = int(re.search(r"inferences=(\d+)", out).group(1))
    verified = int(re.search(r"verified=(\d+)", out).group(1))
    print(f"inferences: device {runs}, host {j['inferences']}; verified windows: device {verified}, "
          f"host {j['verified']}")
    if runs != j["inferences"] or verified != j["verified"]:
        print("FAIL: device and host ran the model or the verifiers a different number of times")
        return 1
    print(f"PASS: {len(device)} detections identical")
    return 0


if __name__ == "__main__":
    sys.exit(main())
