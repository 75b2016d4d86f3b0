#!/usr/bin/env python3
"""Audio front end figures for the KWS config (16 kHz, 30 ms / 20 ms, FFT 512,
40 mel, 10 MFCC, 49 frames). Prints JSON:

  bench/frontend_bench.py [--build build] [--json out.json]

  code_size   arm-none-eabi-size of micro/dsp objects, compiled with
              -Os -mcpu=cortex-m4 -mthumb -ffunction-sections -fno-exceptions -fno-rtti
              (soft-float ABI, as the issue asks) and with the M4F FPU, plus the
              front end's share of a linked image (--gc-sections, nm sizes).
  qemu        Cortex-M4F (mps2-an386) image bench/frontend_fw_main.cc at -O2 and -Os:
              instructions (QEMU TCG plugin count, NOT cycles) for Init and for
              1 s of audio per path, scratch bytes, stack peaks.
  callgrind   host x86-64 instructions (Ir) for 1 s of audio, fixed and float path
              (valgrind --tool=callgrind), -O2.
  host_checksum  the same firmware main built for the host (board stubbed): the
              checksum of the int16 features must equal the Cortex-M one
              (qemu.*.paths.*.same_as_host).
"""
import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DSP = sorted(f for f in glob.glob(os.path.join(ROOT, "micro/dsp/*.cc")) if not f.endswith("_test.cc"))
M4F = ["-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv4-sp-d16"]


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw)


def size_of(objs):
    out = run(["arm-none-eabi-size", "-t"] + objs).stdout.splitlines()
    per = {}
    for line in out[1:-1]:
        p = line.split()
        per[os.path.basename(p[5]).replace(".o", "")] = int(p[0]) + int(p[1])
    total = out[-1].split()
    return {"text_plus_data_total": int(total[0]) + int(total[1]), "bss_total": int(total[2]),
            "per_file": per}


def code_size(tmp):
    res = {}
    for name, extra in [("cortex-m4_soft_float_Os", []), ("cortex-m4f_Os", ["-mfloat-abi=hard", "-mfpu=fpv4-sp-d16"])]:
        objs = []
        for src in DSP:
            o = os.path.join(tmp, name + "_" + os.path.basename(src) + ".o")
            run(["arm-none-eabi-g++", "-std=c++17", "-Os", "-mcpu=cortex-m4", "-mthumb",
                 "-ffunction-sections", "-fno-exceptions", "-fno-rtti", "-fno-threadsafe-statics",
                 "-I", ROOT, "-c", src, "-o", o] + extra)
            objs.append(o)
        res[name] = size_of(objs)
    return res


def build_image(tmp, opt, main_src="bench/frontend_fw_main.cc"):
    elf = os.path.join(tmp, f"frontend_{opt}.elf")
    srcs = DSP + [os.path.join(ROOT, "micro/status.cc"), os.path.join(ROOT, "micro/safety/crc32.cc"),
                  os.path.join(ROOT, main_src)] + \
        [os.path.join(ROOT, "firmware", f) for f in ("startup.cc", "semihost.cc", "report.cc")]
    objs = []
    for s in srcs:
        o = os.path.join(tmp, f"{opt}_{os.path.basename(s)}.o")
        run(["arm-none-eabi-g++", "-std=c++17", f"-{opt}", "-g", "-ffunction-sections", "-fdata-sections",
             "-fno-common", "-fno-exceptions", "-fno-rtti", "-fno-threadsafe-statics",
             "-fno-use-cxa-atexit", "-I", ROOT, "-c", s, "-o", o] + M4F)
        objs.append(o)
    run(["arm-none-eabi-gcc"] + M4F + ["--specs=nosys.specs", "-nostartfiles", "-Wl,--gc-sections",
         f"-T{ROOT}/firmware/boards/mps2-an386.ld", f"-L{ROOT}/firmware", f"-Wl,-Map={elf}.map",
         "-o", elf] + objs + ["-lm"])
    return elf


def dsp_linked_bytes(elf):
    """Flash bytes of the front end's functions and tables in the linked image."""
    out = run(["arm-none-eabi-nm", "-S", "-C", "--size-sort", elf]).stdout
    total, libgcc = 0, 0
    for line in out.splitlines():
        p = line.split(None, 3)
        if len(p) < 4 or p[2] not in "tTrR":
            continue
        size, name = int(p[1], 16), p[3]
        if "mote::micro::dsp" in name:
            total += size
        elif name.startswith("__aeabi_d") or name.startswith("__aeabi_l") or name in (
                "__adddf3", "__muldf3", "__divdf3", "__subdf3", "__floatsidf", "__fixdfsi",
                "__aeabi_ul2d", "__aeabi_l2d", "__extendsfdf2", "__truncdfsf2"):
            libgcc += size
    return total, libgcc


BOARD_STUB = r"""
#include <cstdio>
#include <cstdlib>
#include <cstdint>
#include <cstddef>
extern "C" {
void MoteWrite(const char* s) { std::fputs(s, stdout); }
void MoteWriteU(uint32_t v) { std::printf("%u", v); }
void MoteWriteI(int32_t v) { std::printf("%d", v); }
void MoteExit(int code) { std::fflush(stdout); std::exit(code); }
void MoteStackPaint(void) {}
size_t MoteStackUsed(void) { return 0; }
void MoteMarkBegin(void) {}
void MoteMarkEnd(void) {}
}
"""


def host_checksums(tmp):
    """Runs bench/frontend_fw_main.cc on the host: {path: checksum of the int16 features}."""
    stub = os.path.join(tmp, "board_stub.cc")
    with open(stub, "w") as f:
        f.write(BOARD_STUB)
    prog = os.path.join(tmp, "fe_fw_host")
    run(["g++", "-std=c++17", "-O2", "-I", ROOT, os.path.join(ROOT, "bench/frontend_fw_main.cc"), stub] +
        DSP + [os.path.join(ROOT, "micro/status.cc"), os.path.join(ROOT, "micro/safety/crc32.cc"), "-o", prog])
    out = subprocess.run([prog], text=True, capture_output=True).stdout
    return {m.group(1): int(m.group(2)) for m in re.finditer(r"path=(\w+) .*checksum=(-?\d+)", out)}


def qemu(tmp, plugin):
    res = {}
    host_sums = host_checksums(tmp)
    for opt in ("O2", "Os"):
        elf = build_image(tmp, opt)
        sizes = run(["arm-none-eabi-size", elf]).stdout.splitlines()[1].split()
        dsp_bytes, soft_double = dsp_linked_bytes(elf)
        p = subprocess.run([os.path.join(ROOT, "tests/target/qemu_run.sh"), "mps2-an386", elf, plugin],
                           text=True, capture_output=True, timeout=600)
        text = p.stdout + p.stderr
        insns = [int(x) for x in re.findall(r"^mote-insns (\d+)$", text, re.M)]
        paths = {}
        for m in re.finditer(r"path=(\w+) scratch=(\d+) frames=(\d+) init_stack=(\d+) push_stack=(\d+) checksum=(-?\d+)", text):
            paths[m.group(1)] = {"scratch_bytes": int(m.group(2)), "frames": int(m.group(3)),
                                 "init_stack_bytes": int(m.group(4)), "push_stack_bytes": int(m.group(5)),
                                 "same_as_host": host_sums.get(m.group(1)) == int(m.group(6))}
        order = ["fixed", "float"]
        for i, name in enumerate(order):
            if name in paths and len(insns) >= 2 * i + 2:
                paths[name]["init_instructions"] = insns[2 * i]
                paths[name]["instructions_per_second_of_audio"] = insns[2 * i + 1]
                paths[name]["mips_at_realtime"] = insns[2 * i + 1] / 1e6
                paths[name]["percent_of_80mhz_if_1_ipc"] = 100.0 * insns[2 * i + 1] / 80e6
        res[opt] = {"exit": p.returncode, "image_text": int(sizes[0]), "image_data": int(sizes[1]),
                    "image_bss": int(sizes[2]), "dsp_flash_bytes_linked": dsp_bytes,
                    "libgcc_soft_double_bytes": soft_double, "paths": paths}
        if p.returncode != 0:
            res[opt]["output"] = text[-2000:]
    return res


def callgrind(tmp):
    prog = os.path.join(tmp, "fe_host")
    main = os.path.join(tmp, "fe_host.cc")
    with open(main, "w") as f:
        f.write(r'''
#include <cmath>
#include <cstdio>
#include <cstring>
#include <vector>
#include "micro/dsp/frontend.h"
using namespace mote::micro; using namespace mote::micro::dsp;
__attribute__((noinline)) int PushSecond(FrontEnd& fe, const int16_t* pcm) {
  int frames = 0;
  for (int i = 0; i < 16000; i += 320) frames += fe.PushSamples(pcm + i, 320);
  return frames;
}
int main(int argc, char** argv) {
  const bool fixed = argc > 1 && std::strcmp(argv[1], "fixed") == 0;
  std::vector<int16_t> pcm(16000);
  for (int i = 0; i < 16000; ++i)
    pcm[i] = (int16_t)std::lround(8000 * std::sin(2 * M_PI * (150.0 * i / 16000 + 0.05 * i * i / 16000.0 / 16000 * 1000)));
  FrontEndConfig c = KwsConfig();
  const FrontEndPath p = fixed ? FrontEndPath::kFixed : FrontEndPath::kFloat;
  std::vector<uint64_t> s(FrontEnd::ScratchBytes(c, p) / 8 + 1);
  FrontEnd fe;
  if (fe.Init(c, nullptr, p, s.data(), s.size() * 8, nullptr) != Status::kOk) return 1;
  std::printf("%d\n", PushSecond(fe, pcm.data()));
}
''')
    srcs = DSP + [os.path.join(ROOT, "micro/status.cc"), os.path.join(ROOT, "micro/safety/crc32.cc")]
    run(["g++", "-std=c++17", "-O2", "-g", "-I", ROOT, main] + srcs + ["-o", prog])
    res = {}
    for path in ("fixed", "float"):
        out = os.path.join(tmp, f"cg.{path}")
        run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
             "--toggle-collect=PushSecond*", prog, path])
        ann = run(["callgrind_annotate", out]).stdout
        m = re.search(r"([\d,]+)\s+\(100\.0%\)\s+PROGRAM TOTALS", ann) or re.search(r"([\d,]+) *PROGRAM TOTALS", ann)
        res[path] = {"host_x86_64_instructions_per_second_of_audio": int(m.group(1).replace(",", "")) if m else None}
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--json", default=None)
    ap.add_argument("--skip-qemu", action="store_true")
    ap.add_argument("--check", action="store_true",
                    help="exit 1 unless every image ran, emitted 49 frames and matched the host")
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="mote_fe_bench_")
    result = {"config": "KWS: 16 kHz, 30 ms window, 20 ms hop, FFT 512, 40 mel, 10 MFCC, 49 frames",
              "code_size": code_size(tmp)}
    plugin = os.path.join(a.build, "libmote_insn_count.so")
    if not os.path.exists(plugin):
        plugin = os.path.join(tmp, "libmote_insn_count.so")
        run(["gcc", "-shared", "-fPIC", "-O2", "-fvisibility=hidden", "-o", plugin,
             os.path.join(ROOT, "firmware/qemu/insn_count.c")])
    if not a.skip_qemu:
        result["qemu_cortex_m4f"] = qemu(tmp, plugin)
    if shutil.which("valgrind"):
        result["callgrind"] = callgrind(tmp)
    text = json.dumps(result, indent=1)
    if a.json:
        with open(a.json, "w") as f:
            f.write(text)
    print(text)
    if a.check:
        bad = []
        for opt, r in result.get("qemu_cortex_m4f", {}).items():
            if r["exit"] != 0 or set(r["paths"]) != {"fixed", "float"}:
                bad.append(f"{opt}: exit {r['exit']}, paths {sorted(r['paths'])}")
            for name, p in r["paths"].items():
                if p["frames"] != 49 or not p["same_as_host"]:
                    bad.append(f"{opt}/{name}: frames {p['frames']}, same_as_host {p['same_as_host']}")
        for b in bad:
            print("FAIL", b, file=sys.stderr)
        return 1 if bad else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
