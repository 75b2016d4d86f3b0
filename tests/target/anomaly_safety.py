#!/usr/bin/env python3
"""Field-safety scenarios of the anomaly device loop (examples/anomaly/firmware)
under QEMU, checked from the outside: the telemetry record the device prints
(hex) is decoded by `mote telemetry decode --json` on the host and compared
with what the device said in its own summary lines.

  normal     the signed update boots (slot B), every window runs through the
             guard (40 invocations, no fallback, no overrun), the decoded
             clamp counter equals the device's count, exit 0.
  tampered   the update with one flipped bit is refused at install and at
             boot, slot A (the factory model) runs, decisions still pass.
  saturated  the front-end gain fault saturates inputs: the decoded clamp
             counter is > 0 and equals the device's count.

  anomaly_safety.py --mote build/mote --board mps2-an386 --elf X.elf --scenario normal
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mote", required=True)
    ap.add_argument("--board", required=True)
    ap.add_argument("--elf", required=True)
    ap.add_argument("--scenario", required=True, choices=["normal", "tampered", "saturated"])
    a = ap.parse_args()

    p = subprocess.run([os.path.join(HERE, "qemu_run.sh"), a.board, a.elf],
                       capture_output=True, text=True, timeout=300)
    out = p.stdout + p.stderr  # semihosting output arrives on QEMU's stderr
    print("\n".join(l for l in out.splitlines() if not l.startswith(("window ", "  in="))))
    m = re.search(r"^telemetry: ([0-9a-f]+)$", out, re.M)
    if not m:
        fail("no telemetry line (exit %d)" % p.returncode)
    raw = bytes.fromhex(m.group(1))
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "telemetry.bin")
        with open(path, "wb") as f:
            f.write(raw)
        d = subprocess.run([a.mote, "telemetry", "decode", path, "--json"],
                           capture_output=True, text=True)
        if d.returncode != 0:
            fail("mote telemetry decode: " + d.stderr)
        t = json.loads(d.stdout)
    if len(t) != 1:
        fail("expected one telemetry record, got %d" % len(t))
    t = t[0]
    print("decoded telemetry:", json.dumps(t, sort_keys=True))

    s = re.search(r"^summary: windows=(\d+) .* clamped_samples=(\d+)$", out, re.M)
    g = re.search(r"^guard: invocations=(\d+) fallbacks=(\d+) overruns=(\d+) clamped_values=(\d+)",
                  out, re.M)
    log = re.search(r"^field log: (\d+) records written, (\d+) read back intact", out, re.M)
    if not (s and g and log):
        fail("missing summary / guard / field log lines")
    windows, clamped = int(s.group(1)), int(s.group(2))
    checks = [
        ("telemetry windows == device windows", t["windows"] == windows),
        ("telemetry invocations == guard invocations", t["invocations"] == int(g.group(1))),
        ("every window invoked (no warm-up, no fallback)", t["invocations"] == windows and t["fallbacks"] == 0),
        ("no watchdog overrun", t["overruns"] == 0 and t["watchdog"]),
        ("telemetry clamped_values == device's own count", t["clamped_values"] == clamped),
        ("drift monitor on", t["drift"]["enabled"]),
        ("model version from the manifest", t["model_version"] == "1.0.0"),
        ("field log records read back", int(log.group(1)) == int(log.group(2)) and int(log.group(1)) > 0),
    ]
    if a.scenario == "normal":
        checks += [("signed update booted", "booting slot B\n" in out),
                   ("decisions pass", p.returncode == 0 and "result: PASS" in out)]
    elif a.scenario == "tampered":
        checks += [("update refused at install",
                    re.search(r"^update v2 -> slot B: REFUSED: signature does not verify", out, re.M) is not None),
                   ("slot B rejected at boot",
                    re.search(r"^  slot B: rejected by the verifier \(signature does not verify\)", out, re.M) is not None),
                   ("previous slot booted", "booting slot A (fell back" in out),
                   ("decisions pass", p.returncode == 0 and "result: PASS" in out)]
    else:
        checks += [("saturated inputs clamped", t["clamped_values"] > 0)]
    bad = [name for name, ok in checks if not ok]
    for name, ok in checks:
        print(("ok    " if ok else "FAIL  ") + name)
    if bad:
        fail(", ".join(bad))
    print("PASS")


if __name__ == "__main__":
    main()
