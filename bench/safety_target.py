#!/usr/bin/env python3
"""Cortex-M figures for the signature check: flash of the crypto objects and
instructions to verify a signed ~3 KB model under QEMU (default mps2-an386, M4).

  bench/safety_target.py [--build build] [--opt Os] [--board mps2-an386] [--json out.json]

Needs build/safety_bench (host build), arm-none-eabi-g++ and qemu-system-arm.
Steps: safety_bench writes a signed model + public key; a firmware image
(bench/safety_target.cc + firmware/ startup, semihosting, report + the micro
sources it needs) embeds both; QEMU runs it with firmware/qemu/insn_count.c.
Prints JSON: per-object code size (-c, arm-none-eabi-size: text+data), the
linked image sections, instructions (NOT cycles) for VerifyModelSignature,
for SHA-256 of the model alone and for a tampered copy, and the stack peak.
"""
import argparse
import glob
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BOARDS = {  # as cmake/toolchains/arm-none-eabi.cmake
    "mps2-an386": ("Cortex-M4F", ["-mcpu=cortex-m4", "-mfloat-abi=hard", "-mfpu=fpv4-sp-d16"]),
    "mps2-an500": ("Cortex-M7", ["-mcpu=cortex-m7", "-mfloat-abi=hard", "-mfpu=fpv5-d16"]),
    "mps2-an505": ("Cortex-M33", ["-mcpu=cortex-m33", "-mfloat-abi=hard", "-mfpu=fpv5-sp-d16"]),
    "mps3-an547": ("Cortex-M55", ["-mcpu=cortex-m55", "-mfloat-abi=hard"]),
}
CXX = ["-std=c++17", "-ffunction-sections", "-fdata-sections", "-fno-common", "-fno-exceptions",
       "-fno-rtti", "-fno-threadsafe-statics", "-fno-use-cxa-atexit", "-I", ROOT]
CRYPTO = ["micro/safety/sha256.cc", "micro/safety/sha512.cc", "micro/safety/fe25519.cc",
          "micro/safety/ed25519.cc", "micro/safety/model_signature.cc"]


def run(cmd, **kw):
    p = subprocess.run(cmd, text=True, capture_output=True, **kw)
    if p.returncode != 0:
        sys.exit(f"safety_target: {' '.join(cmd[:3])}... failed:\n{p.stdout}{p.stderr}")
    return p.stdout


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--opt", default="Os")
    ap.add_argument("--board", default="mps2-an386", choices=sorted(BOARDS))
    ap.add_argument("--json")
    a = ap.parse_args()
    cpu_name, cpu_flags = BOARDS[a.board]
    CPU = ["-mthumb", *cpu_flags]
    out = os.path.join(a.build, "safety_target", f"{a.board}-{a.opt}")
    os.makedirs(out, exist_ok=True)
    model, key = os.path.join(out, "signed.tflite"), os.path.join(out, "key.bin")
    run([os.path.join(a.build, "safety_bench"), "--iterations", "1",
         "--write-model", model, "--write-key", key])

    sizes = {}
    for src in CRYPTO:
        obj = os.path.join(out, os.path.basename(src) + ".o")
        run(["arm-none-eabi-g++", f"-{a.opt}", *CPU, *CXX, "-c", os.path.join(ROOT, src), "-o", obj])
        text, data = run(["arm-none-eabi-size", obj]).splitlines()[1].split()[:2]
        sizes[src] = int(text) + int(data)

    with open(os.path.join(out, "data.S"), "w") as f:
        f.write('.section .mote_data,"a"\n.balign 16\n.global mote_model\nmote_model:\n'
                f'.incbin "{model}"\n.global mote_model_end\nmote_model_end:\n'
                f'.balign 4\n.global mote_key\nmote_key:\n.incbin "{key}"\n')
    srcs = [os.path.join(ROOT, s) for s in CRYPTO + ["micro/status.cc", "bench/safety_target.cc",
                                                     "firmware/startup.cc", "firmware/semihost.cc",
                                                     "firmware/report.cc"]]
    srcs += glob.glob(os.path.join(ROOT, "micro/model/*.cc"))
    srcs = [s for s in srcs if not s.endswith("_test.cc")] + [os.path.join(out, "data.S")]
    elf = os.path.join(out, "safety_target.elf")
    # Compile with g++, link with gcc (no libstdc++, as cmake/toolchains/arm-none-eabi.cmake).
    objs = []
    for s in srcs:
        obj = os.path.join(out, "img_" + os.path.basename(s) + ".o")
        run(["arm-none-eabi-g++", f"-{a.opt}", "-g", *CPU, *CXX, "-c", s, "-o", obj])
        objs.append(obj)
    run(["arm-none-eabi-gcc", f"-{a.opt}", *CPU, *objs,
         "-T", os.path.join(ROOT, f"firmware/boards/{a.board}.ld"), "-L", os.path.join(ROOT, "firmware"),
         "--specs=nosys.specs", "-nostartfiles", "-Wl,--gc-sections", "-o", elf, "-lm"])
    plugin = os.path.join(out, "libmote_insn_count.so")
    run(["gcc", "-shared", "-fPIC", "-O2", "-o", plugin, os.path.join(ROOT, "firmware/qemu/insn_count.c")])
    p = subprocess.run([os.path.join(ROOT, "tests/target/qemu_run.sh"), a.board, elf, plugin],
                       text=True, capture_output=True, stdin=subprocess.DEVNULL)
    text = p.stdout + p.stderr
    insns = [int(x) for x in re.findall(r"^mote-insns (\d+)$", text, re.M)]
    stack = re.search(r"stack_used=(\d+)", text)
    status = re.search(r"verify: ([^\n]*?) model_bytes", text)
    tampered = re.search(r"tampered: ([^\n]*)", text)
    kat = re.search(r"known answers failed: (\d+)", text)
    elf_sizes = {}
    for line in run(["arm-none-eabi-size", "-A", elf]).splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[0].startswith(".") and parts[1].isdigit():
            elf_sizes[parts[0]] = int(parts[1])
    result = {
        "board": f"{a.board} ({cpu_name}, QEMU)", "opt": a.opt,
        "unit": "instructions, not cycles (QEMU TCG plugin)",
        "model_bytes": os.path.getsize(model),
        "exit_code": p.returncode,
        "verify_status": status.group(1) if status else None,
        "tampered_status": tampered.group(1) if tampered else None,
        "known_answers_failed": int(kat.group(1)) if kat else None,
        "instructions": dict(zip(["verify_model", "sha256_model_only", "verify_tampered"], insns)),
        "stack_peak_bytes": int(stack.group(1)) if stack else None,
        "code_bytes_per_object": sizes,
        "code_bytes_sha256_sha512_ed25519": sum(v for k, v in sizes.items() if "model_signature" not in k),
        "code_bytes_all": sum(sizes.values()),
        "image_sections": elf_sizes,
    }
    s = json.dumps(result, indent=1)
    print(s)
    if a.json:
        with open(a.json, "w") as f:
            f.write(s + "\n")
    return 0 if p.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
