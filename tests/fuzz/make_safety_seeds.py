#!/usr/bin/env python3
"""Writes seed records for the manifest and telemetry fuzzers, built from the
byte layouts in docs/manifest.md and docs/telemetry.md (an independent writer:
Python struct + zlib.crc32).

    tests/fuzz/make_safety_seeds.py OUT_DIR
"""
import os
import struct
import sys
import zlib


def field(tag, value, flags=0):
    pad = (-len(value)) % 4
    return struct.pack("<HHI", tag, flags, len(value)) + value + b"\0" * pad


def manifest(fields):
    body = b"".join(fields)
    total = 12 + len(body) + 4
    head = b"MOTM" + struct.pack("<HHI", 1, 0, total)
    rec = head + body
    return rec + struct.pack("<I", zlib.crc32(rec) & 0xFFFFFFFF)


def labels(names):
    out = struct.pack("<I", len(names))
    for n in names:
        out += struct.pack("<H", len(n)) + n
    return out


def arrays(a, b):
    return struct.pack("<I", len(a)) + struct.pack("<%df" % len(a), *a) + struct.pack("<%df" % len(b), *b)


def main():
    out = sys.argv[1]
    os.makedirs(os.path.join(out, "manifest"), exist_ok=True)
    os.makedirs(os.path.join(out, "telemetry"), exist_ok=True)
    ver = struct.pack("<HHHH", 1, 2, 3, 0)
    seeds = {
        "minimal": manifest([field(1, b"m"), field(2, ver)]),
        "full": manifest([
            field(1, b"anomaly"), field(2, ver), field(3, struct.pack("<HHHH", 0, 1, 0, 0)),
            field(4, labels([b"normal", b"anomaly"])), field(5, arrays([0.5, 2.0], [0.0, -1.0])),
            field(6, struct.pack("<fff", 0.7, 0.05, 1.5)), field(7, arrays([0.1, 0.2], [1.0, 2.0])),
            field(8, bytes(range(32))), field(9, struct.pack("<I", 4096)),
            field(10, struct.pack("<I", 100000)), field(11, struct.pack("<I", 4)),
            field(12, b"\x01\x02\x03"), field(300, b"future")]),
    }
    for name, rec in seeds.items():
        with open(os.path.join(out, "manifest", name), "wb") as f:
            f.write(rec)
    body = b"MOTT" + struct.pack("<HHII", 1, 92, 7, 3600) + struct.pack("<HHHBB", 1, 2, 3, 3, 1)
    body += struct.pack("<9I", 100, 104, 1, 2, 5, 17, 2, 9, 4)
    body += struct.pack("<3I", 900, 1500, 1000) + struct.pack("<IffHH", 100, 3.5, 1.2, 17, 0)
    assert len(body) == 88
    with open(os.path.join(out, "telemetry", "record"), "wb") as f:
        f.write(body + struct.pack("<I", zlib.crc32(body) & 0xFFFFFFFF))


if __name__ == "__main__":
    main()
