#!/usr/bin/env python3
"""Cortex-M figures per QEMU board: flash, RAM, stack and instructions per invoke.

For each board and optimization level, builds firmware/ (build/target/<board>[-Os]),
runs every golden image under QEMU with the instruction-count plugin
(firmware/qemu/insn_count.c) and prints JSON:

  bench/target_bench.py [--build build] [--boards mps2-an386,...] [--opts O2,Os]
                        [--models kws_dscnn_int8,...] [--json out.json] [--table]

Per image: sections (.text = vectors + code + exidx, .rodata, .data, .bss without
the static arena, model = embedded model + golden data), runtime_flash (text +
rodata + data: everything in flash except the model and golden data), arena_used,
stack_peak (painted stack, deepest over all invokes), instructions per invoke
(min/median/max over the embedded golden inputs: executed instructions counted by
QEMU TCG, INSTRUCTIONS, NOT CYCLES), bit-exact (every golden input matched), and
the flash attributed per object file from the link map; and the same for the
generated code (codegen_<model>.elf, from `mote codegen`) where it was built.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BOARDS = {"mps2-an386": "Cortex-M4F", "mps2-an500": "Cortex-M7",
          "mps2-an505": "Cortex-M33", "mps3-an547": "Cortex-M55"}
MODELS = ["ad_autoencoder_f32", "ad_autoencoder_int8", "ic_resnet8_f32", "ic_resnet8_int8",
          "kws_dscnn_int8", "sww_int8", "vww_mobilenet_f32", "vww_mobilenet_int8"]
FLASH_SECTIONS = {".vectors": "text", ".text": "text", ".ARM.exidx": "text",
                  ".ARM.extab": "text", ".rodata": "rodata", ".data": "data"}


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw).stdout


def ensure_build(build, board, opt, shared):
    name = board if opt == "O2" else f"{board}-{opt}"
    out = os.path.join(build, "target", name)
    if not os.path.exists(os.path.join(out, "build.ninja")):
        run(["cmake", "-S", os.path.join(ROOT, "firmware"), "-B", out, "-G", "Ninja",
             f"-DCMAKE_TOOLCHAIN_FILE={ROOT}/cmake/toolchains/arm-none-eabi.cmake",
             f"-DMOTE_BOARD={board}", f"-DMOTE_OPT={opt}", f"-DMOTE_SHARED_DIR={shared}",
             f"-DMOTE_CODEGEN_DIR={os.path.join(build, 'codegen')}"])
    run(["ninja", "-C", out])
    return out


def section_sizes(elf):
    """Bytes per section (arm-none-eabi-size -A)."""
    sizes = {}
    for line in run(["arm-none-eabi-size", "-A", elf]).splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[0].startswith(".") and parts[1].isdigit():
            sizes[parts[0]] = int(parts[1])
    return sizes


def symbol_size(elf, name):
    for line in run(["arm-none-eabi-nm", "-S", "-C", elf]).splitlines():
        parts = line.split(None, 3)
        if len(parts) == 4 and parts[3].split("::")[-1] == name:
            return int(parts[1], 16)
    return 0


def image_sizes(elf):
    s = section_sizes(elf)
    text = sum(v for k, v in s.items() if FLASH_SECTIONS.get(k) == "text")
    arena = symbol_size(elf, "g_arena")
    out = {"text": text, "rodata": s.get(".rodata", 0), "data": s.get(".data", 0),
           "bss": s.get(".bss", 0) - arena, "model_and_golden_data": s.get(".mote_data", 0)}
    out["runtime_flash"] = out["text"] + out["rodata"] + out["data"]
    return out


MAP_LINE = re.compile(r"^\s+(\S+)?\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S+)$")


def map_attribution(map_path):
    """Flash bytes per input object (archive members by name) from a GNU ld map."""
    per = {}
    out_sec = None
    in_map = False
    with open(map_path) as f:
        for line in f:
            if line.startswith("Linker script and memory map"):
                in_map = True
                continue
            if not in_map:
                continue
            if line and not line[0].isspace() and line.startswith("."):
                out_sec = line.split()[0]
                continue
            m = MAP_LINE.match(line.rstrip("\n"))
            if not m or out_sec not in FLASH_SECTIONS:
                continue
            size = int(m.group(3), 16)
            if size == 0 or "*fill*" in line:
                continue
            src = m.group(4)
            am = re.search(r"([^/]+)\.a\(([^)]+)\)$", src)
            key = f"{am.group(1)}:{am.group(2)}" if am else os.path.basename(src)
            key = key.replace(".cc.obj", ".cc").replace(".c.obj", ".c").replace(".S.obj", ".S")
            per[key] = per.get(key, 0) + size
    return dict(sorted(per.items(), key=lambda kv: -kv[1]))


def run_image(board, elf, plugin):
    p = subprocess.run([os.path.join(ROOT, "tests/target/qemu_run.sh"), board, elf, plugin],
                       text=True, capture_output=True, stdin=subprocess.DEVNULL)
    text = p.stdout + p.stderr
    insns = [int(x) for x in re.findall(r"^mote-insns (\d+)$", text, re.M)]
    stacks = [int(x) for x in re.findall(r"stack_used=(\d+)", text)]
    arena = re.search(r"arena_used=(\d+)", text)
    res = re.search(r"result: (\d+) passed, (\d+) failed", text)
    return {
        "exit_code": p.returncode,
        "bit_exact": p.returncode == 0 and res is not None and res.group(2) == "0",
        "inputs_checked": int(res.group(1)) + int(res.group(2)) if res else 0,
        "arena_used": int(arena.group(1)) if arena else None,
        "stack_peak": max(stacks) if stacks else None,
        "instructions_per_invoke": {
            "min": min(insns), "median": int(statistics.median(insns)), "max": max(insns),
        } if insns else None,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--shared", default=os.path.abspath(os.path.join(ROOT, "..", "shared")))
    ap.add_argument("--boards", default=",".join(BOARDS))
    ap.add_argument("--opts", default="O2,Os")
    ap.add_argument("--models", default=",".join(MODELS))
    ap.add_argument("--json", help="also write the JSON here")
    ap.add_argument("--no-map", action="store_true", help="skip per-object flash attribution")
    args = ap.parse_args()
    plugin = os.path.join(args.build, "libmote_insn_count.so")
    if not os.path.exists(plugin):
        sys.exit(f"target_bench: {plugin} missing: build the host tree first (ninja -C {args.build})")
    result = {"unit": "instructions, not cycles (QEMU TCG plugin count per Invoke)",
              "compiler": run(["arm-none-eabi-gcc", "--version"]).splitlines()[0],
              "qemu": run(["qemu-system-arm", "--version"]).splitlines()[0],
              "targets": []}
    for board in args.boards.split(","):
        for opt in args.opts.split(","):
            out = ensure_build(args.build, board, opt, args.shared)
            entry = {"board": board, "core": BOARDS[board], "opt": f"-{opt}", "models": {}}
            for m in args.models.split(","):
                elf = os.path.join(out, f"golden_{m}.elf")
                model_bytes = os.path.getsize(os.path.join(args.shared, "models", f"{m}.tflite"))
                info = {"flash": image_sizes(elf)}
                # Flash of a deployable image: runtime + the model (golden data excluded).
                info["flash"]["image_without_golden_data"] = info["flash"]["runtime_flash"] + model_bytes
                info.update(run_image(board, elf, plugin))
                if not args.no_map and m == "kws_dscnn_int8":
                    info["flash_by_object"] = map_attribution(elf[:-4] + ".map")
                gen = os.path.join(out, f"codegen_{m}.elf")
                if os.path.exists(gen):
                    g = {"flash": image_sizes(gen)}
                    g["flash"]["image_without_golden_data"] = g["flash"]["runtime_flash"]
                    g.update(run_image(board, gen, plugin))
                    g["flash_vs_interpreter"] = round(
                        g["flash"]["image_without_golden_data"] /
                        info["flash"]["image_without_golden_data"], 3)
                    info["codegen"] = g
                entry["models"][m] = info
                print(f"{board} -{opt} {m}: {info['instructions_per_invoke']} "
                      f"flash {info['flash']['runtime_flash']} exact {info['bit_exact']}",
                      file=sys.stderr)
            result["targets"].append(entry)
    text = json.dumps(result, indent=1)
    if args.json:
        with open(args.json, "w") as f:
            f.write(text + "\n")
    print(text)
    bad = [(t["board"], t["opt"], m) for t in result["targets"] for m, i in t["models"].items()
           if not i["bit_exact"] or not i.get("codegen", {"bit_exact": True})["bit_exact"]]
    if bad:
        sys.exit(f"target_bench: not bit-exact: {bad}")


if __name__ == "__main__":
    main()
