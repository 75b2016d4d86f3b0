#!/usr/bin/env python3
"""Oracle check of the field log format and `mote data ingest`: logs written
here from docs/field_log.md with Python's struct + zlib.crc32 (an encoder
independent of mote's), with injected corruption, must ingest to exactly the
intact records (numpy reads the .npy files) with exact defect counts and
per-device mean / std / decision rate equal to numpy's. Exit 1 on failure.

  field_log_zlib.py --mote build/mote
"""
import argparse
import json
import os
import random
import struct
import subprocess
import sys
import tempfile
import zlib

import numpy as np

FMT = {0: ("b", 1), 1: ("h", 2), 2: ("f", 4)}


def record(ts, device, decision, conf, stype, window, ctx, version=1):
    code, size = FMT[stype]
    head = struct.pack("<BBBBHBBQIIHH", 0xA5, 0x4C, version, stype, 0, len(ctx), decision, ts,
                       device, 5, conf, len(window))
    body = head + b"".join(struct.pack("<Bh", k, v) for k, v in ctx)
    body += struct.pack("<%d%s" % (len(window), code), *window)
    length = len(body) + 4
    body = body[:4] + struct.pack("<H", length) + body[6:]
    return body + struct.pack("<I", zlib.crc32(body))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mote", required=True)
    args = ap.parse_args()
    rnd = random.Random(7)
    length = 48
    logs, rows = [], []  # rows: (device, decision, window) of intact records
    expect = {"bad_crc": 0, "torn": 0, "truncated": 0, "unknown_version": 0, "bad_field": 0}
    with tempfile.TemporaryDirectory() as tmp:
        for device in (11, 12, 13):
            data = b""
            for i in range(150):
                stype = rnd.randrange(3)
                if stype == 0:
                    w = [rnd.randrange(-128, 128) for _ in range(length)]
                elif stype == 1:
                    w = [rnd.randrange(-32768, 32768) for _ in range(length)]
                else:
                    w = [float(np.float32(rnd.gauss(device, 2.0))) for _ in range(length)]
                dec = int(rnd.random() < 0.1 * (device - 10))
                ctx = [(1, rnd.randrange(-400, 400)), (2, rnd.randrange(2800, 3400))][: i % 3]
                rec = record(1700000000000 + i * 1000, device, dec, rnd.randrange(65536), stype, w, ctx)
                fate = rnd.random()
                if fate < 0.04:  # bit flip in the window
                    b = bytearray(rec)
                    b[len(rec) - 5 - rnd.randrange(length)] ^= 1 << rnd.randrange(8)
                    rec = bytes(b)
                    expect["bad_crc"] += 1
                elif fate < 0.06:  # torn: the next record follows
                    rec = rec[: rnd.randrange(8, len(rec) - 1)]
                    expect["torn"] += 1
                elif fate < 0.08:  # a later format version: skipped whole
                    rec = record(1, device, 0, 0, stype, w, ctx, version=2)
                    expect["unknown_version"] += 1
                else:
                    rows.append((device, dec, np.array(w, dtype=np.float32)))
                data += rec
                if fate > 0.97:  # garbage without the sync byte, or erased flash
                    data += bytes(rnd.choice([0xFF, rnd.randrange(0xA5)]) for _ in range(rnd.randrange(1, 40)))
            path = os.path.join(tmp, "dev%d.log" % device)
            with open(path, "wb") as f:
                f.write(data)
            logs.append(path)
        # The last file ends in a cut record.
        with open(logs[-1], "ab") as f:
            f.write(record(9, 13, 0, 0, 0, [1] * length, [])[:-3])
        expect["truncated"] = 1
        out = os.path.join(tmp, "field.npy")
        p = subprocess.run([args.mote, "data", "ingest", *logs, "-o", out, "--json"],
                           capture_output=True, text=True)
        if p.returncode != 0:
            print(p.stdout, p.stderr)
            return 1
        j = json.loads(p.stdout)
        x = np.load(out)
        y = np.load(os.path.join(tmp, "field_labels.npy"))
    failures = []
    if j["corrupt"] != expect:
        failures.append("defect counts %s, expected %s" % (j["corrupt"], expect))
    if j["records"] != len(rows) or x.shape != (len(rows), length, 1):
        failures.append("rows %s / %s, expected %d" % (j["records"], x.shape, len(rows)))
    else:
        want = np.stack([r[2] for r in rows])[:, :, None]
        if not np.array_equal(x, want):
            failures.append("window values differ")
        if not np.array_equal(y, np.array([r[1] for r in rows], dtype=np.int32)):
            failures.append("decisions differ")
    for d in j["devices"]:
        ws = np.concatenate([r[2].astype(np.float64) for r in rows if r[0] == d["device_id"]])
        decs = [r[1] for r in rows if r[0] == d["device_id"]]
        if not (np.isclose(d["mean"], ws.mean(), rtol=1e-9, atol=1e-9)
                and np.isclose(d["std"], ws.std(), rtol=1e-6)
                and d["count"] == len(decs) and abs(d["decision_rate"] - np.mean(decs)) < 1e-12):
            failures.append("device %d summary %s vs numpy mean %.6f std %.6f"
                            % (d["device_id"], d, ws.mean(), ws.std()))
    print("records %d, defects %s: %s" % (len(rows), expect, "OK" if not failures else "FAIL"))
    for f in failures:
        print("  " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
