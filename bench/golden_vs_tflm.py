#!/usr/bin/env python3
"""Side-by-side latency and arena: mote vs TFLM on the golden models.

Usage:
  bench/golden_vs_tflm.py [--mote build/mote] [--models ../shared/models]
      [--golden DIR] [--runs 50] [--warmup 5] [--repeats 3] [--only NAME ...]
      [--json] [--strict]

For every folder of the golden set (default: `golden/` next to --models) that
has input_1.bin (kws_dscnn_hybrid has none and is skipped):

  mote_us   median µs per Invoke from `mote run MODEL --input input_1.bin
            --bench RUNS --json` (mote does its own warm-up and timing in C++);
            the lowest median of --repeats calls.
  tflm_us   median µs per invoke() of the TFLM Python interpreter (pip package
            `tflite-micro`) in this process, same input, after --warmup
            invokes; the lowest median of --repeats repetitions of RUNS.
            Only the pybind11 Invoke call is inside the timer (perf_counter_ns),
            so the figure includes the Python->C++ call overhead; the measured
            overhead of an empty pybind11 call is reported in `notes`
            (typically well under 1 µs, i.e. <1% of the smallest model).
            The two runtimes' repetitions are interleaved so that load changes
            hit both; the load average is reported (noisy if the machine is busy).
  ratio     tflm_us / mote_us (> 1: mote is faster).
  tflm_cpp_us   the manifest's tflm_invoke_median_us (C++ TFLM reference
            kernels, g++ -O2, measured when the golden files were made; other
            machine/run, for orientation only).
  mote_arena    `mote inspect MODEL --json` field arena_bytes.
  tflm_arena    manifest tflm_arena_used_bytes (C++ MicroInterpreter).
  tflm_py_arena the pip wrapper's RecordingMicroAllocator total (see
            tests/oracle/tflm_arena.py; ~+272 B over the C++ figure).
  exact     whether `mote run` on input_1.bin reproduces output_1.bin
            (int: byte for byte; float32: |a-b| <= 1e-5 + 1e-4*|b|).  A latency
            for a model whose output is wrong is flagged, not hidden.

Which TFLM kernels does the pip package run?  The reference kernels.
`tflite_micro/python/tflite_micro/_runtime.so` (tflite-micro
0.dev20261023182759-g8f6596d, manylinux_2_28 x86_64 wheel built by Bazel with
GCC 14.2.1) embeds only tensorflow/lite/micro/kernels/*.cc sources and
tflite::reference_ops / reference_integer_ops symbols; there are no CMSIS-NN
(arm_*), Xtensa/HiFi or other optimized-kernel symbols (the only vendor op,
ETHOSU, is a registration stub).  It is compiled for generic manylinux x86-64
(no AVX in the kernels: ymm registers appear only in a few tensor_utils
quantize helpers), so compiler auto-vectorization is all the "optimization" the
kernels get.
The golden outputs (TFLM commit 90b983c2b3f1, reference kernels) are reproduced
bit-exactly by this package (tests/oracle/tflm_diff.py --golden).

Prints a fixed-width table (or, with --json, one JSON document).  Exit 0 even
if mote fails on some models (their row carries the error) unless --strict.
"""

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "oracle"))

import numpy as np  # noqa: E402

import tflm_arena  # noqa: E402
import tflm_diff  # noqa: E402

SKIP = {"kws_dscnn_hybrid"}


def last_json_line(text):
    for line in reversed(text.splitlines()):
        line = line.strip()
        if line.startswith("{"):
            return json.loads(line)
    raise ValueError(f"no JSON object in output: {text[:200]!r}")


def mote_cmd(mote, args, timeout=600):
    r = subprocess.run([mote] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, errors="replace", timeout=timeout)
    if r.returncode != 0:
        raise RuntimeError(f"`mote {args[0]}` {tflm_diff.describe_exit(r.returncode)}: "
                           f"{tflm_diff.first_line(r.stderr or r.stdout)}")
    return r.stdout


def mote_bench_once(mote, model, inp, runs):
    res = last_json_line(mote_cmd(mote, ["run", model, "--input", inp,
                                         "--bench", str(runs), "--json"]))
    return float(res["median_us"]), res


def mote_exact(mote, model, inp, expected_path, out_dtype, tmpdir):
    out = os.path.join(tmpdir, "mote_out.bin")
    if os.path.exists(out):
        os.unlink(out)
    mote_cmd(mote, ["run", model, "--input", inp, "--output", out])
    with open(out, "rb") as f, open(expected_path, "rb") as g:
        msg = tflm_diff.compare(g.read(), f.read(), out_dtype)
    return msg is None, msg


class TflmBench:
    """A TFLM interpreter with input_1 set and warmed up; once() times one repetition."""

    def __init__(self, model_bytes, inp, warmup):
        interp = tflm_diff.new_interpreter(model_bytes)
        ins, outs = tflm_diff.tensor_details(interp)
        if len(ins) != 1:
            raise RuntimeError("golden inputs cover single-input models only")
        x = np.fromfile(inp, dtype=ins[0]["dtype"]).reshape(ins[0]["shape"])
        interp.set_input(x, 0)
        self.interp = interp
        self.invoke = interp._interpreter.Invoke  # the pybind11 call, minus one wrapper layer
        self.out_dtype = outs[0]["dtype"]
        for _ in range(warmup):
            self.invoke()

    def once(self, runs):
        invoke, clock = self.invoke, time.perf_counter_ns
        ts = []
        for _ in range(runs):
            t0 = clock()
            invoke()
            ts.append(clock() - t0)
        return statistics.median(ts) / 1e3, min(ts) / 1e3, max(ts) / 1e3


def python_overhead_us(n=20000):
    """Median µs of perf_counter_ns around a trivial pybind11 call (enum int())."""
    from tflite_micro.python.tflite_micro import _runtime
    e = _runtime.PythonInterpreterConfig.kAllocationRecording
    clock = time.perf_counter_ns
    ts = []
    for _ in range(n):
        t0 = clock()
        int(e)
        ts.append(clock() - t0)
    timer = []
    for _ in range(n):
        t0 = clock()
        timer.append(clock() - t0)
    return statistics.median(ts) / 1e3, statistics.median(timer) / 1e3


def golden_models(golden_dir, only):
    out = []
    for d in sorted(os.listdir(golden_dir)):
        path = os.path.join(golden_dir, d)
        if d in SKIP or not os.path.isfile(os.path.join(path, "input_1.bin")):
            continue
        if only and d not in only:
            continue
        with open(os.path.join(path, "manifest.json")) as f:
            out.append((d, path, json.load(f)))
    return out


def fmt(v, spec):
    return format(v, spec) if isinstance(v, (int, float)) else "-"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mote", default="build/mote")
    ap.add_argument("--models", default="../shared/models")
    ap.add_argument("--golden", help="golden folder (default: MODELS/../golden)")
    ap.add_argument("--runs", type=int, default=50)
    ap.add_argument("--warmup", type=int, default=5, help="TFLM warm-up invokes")
    ap.add_argument("--repeats", type=int, default=3,
                    help="repetitions per runtime; the lowest median is reported")
    ap.add_argument("--only", nargs="*", help="model names to run")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--strict", action="store_true", help="exit 1 if any model has an error")
    args = ap.parse_args(argv)

    golden_dir = args.golden or os.path.join(args.models, "..", "golden")
    if not os.path.isdir(golden_dir):
        print(f"error: golden folder {golden_dir} not found", file=sys.stderr)
        return 2
    mote_ok = os.path.isfile(args.mote) and os.access(args.mote, os.X_OK)
    models = golden_models(golden_dir, set(args.only or []))
    if not models:
        print(f"error: no golden models in {golden_dir}", file=sys.stderr)
        return 2

    load0 = os.getloadavg()[0]
    pyb_us, timer_us = python_overhead_us()
    tmpdir = tempfile.mkdtemp(prefix="golden_vs_tflm_")
    rows = []
    for name, gdir, man in models:
        model = os.path.join(args.models, man["model_file"])
        inp = os.path.join(gdir, "input_1.bin")
        row = {"model": name, "mote_us": None, "tflm_us": None, "ratio": None,
               "tflm_cpp_us": man.get("tflm_invoke_median_us"),
               "mote_arena": None, "tflm_arena": man.get("tflm_arena_used_bytes"),
               "tflm_py_arena": None, "exact": None, "errors": []}
        with open(model, "rb") as f:
            model_bytes = f.read()
        tflm = None
        out_dtype = None
        try:
            tflm = TflmBench(model_bytes, inp, args.warmup)
            out_dtype = tflm.out_dtype
        except Exception as e:  # noqa: BLE001 - report and continue
            row["errors"].append(f"tflm: {e}")
        try:
            row["tflm_py_arena"] = tflm_arena.tflm_arena(model_bytes)["arena_used_bytes"]
        except Exception as e:  # noqa: BLE001
            row["errors"].append(f"tflm arena: {e}")
        run_mote = mote_ok
        if not mote_ok:
            row["errors"].append(f"mote: {args.mote} not found")
        else:
            try:
                info = json.loads(mote_cmd(args.mote, ["inspect", model, "--json"]))
                row["mote_arena"] = info.get("arena_bytes")
            except Exception as e:  # noqa: BLE001
                row["errors"].append(f"mote inspect: {e}")
            if out_dtype is not None:
                try:
                    row["exact"], msg = mote_exact(args.mote, model, inp,
                                                   os.path.join(gdir, "output_1.bin"),
                                                   out_dtype, tmpdir)
                    if msg:
                        row["errors"].append(f"mote output_1 differs: {msg}")
                except Exception as e:  # noqa: BLE001
                    row["errors"].append(f"mote run: {e}")
        # Interleave the two runtimes' repetitions so that load changes on the
        # machine hit both; report the lowest median of each.
        mote_meds, tflm_meds = [], []
        for _ in range(args.repeats):
            if run_mote:
                try:
                    med, last = mote_bench_once(args.mote, model, inp, args.runs)
                    mote_meds.append(med)
                    row.update(mote_min_us=last.get("min_us"), mote_max_us=last.get("max_us"),
                               mote_runs=last.get("runs"))
                except Exception as e:  # noqa: BLE001
                    row["errors"].append(f"mote bench: {e}")
                    run_mote = False
            if tflm is not None:
                med, tmin, tmax = tflm.once(args.runs)
                tflm_meds.append(med)
                row.update(tflm_min_us=tmin, tflm_max_us=tmax)
        if mote_meds:
            row["mote_us"] = min(mote_meds)
            row["mote_us_repeats"] = mote_meds
        if tflm_meds:
            row["tflm_us"] = min(tflm_meds)
            row["tflm_us_repeats"] = tflm_meds
        if row["mote_us"] and row["tflm_us"]:
            row["ratio"] = row["tflm_us"] / row["mote_us"]
        if row["mote_arena"] and row["tflm_arena"]:
            row["arena_ratio"] = row["mote_arena"] / row["tflm_arena"]
        rows.append(row)
    shutil.rmtree(tmpdir, ignore_errors=True)

    notes = {
        "tflm_kernels": "tflite-micro pip package: TFLM reference kernels (no CMSIS-NN/"
                        "optimized kernels), GCC 14.2.1 via Bazel, generic x86-64",
        "tflm_version": tflm_arena._version(),
        "tflm_timing": (f"perf_counter_ns around the pybind11 Invoke() call; median of "
                        f"{args.runs} after {args.warmup} warm-up, lowest of {args.repeats} "
                        f"repetitions; includes Python call overhead"),
        "python_overhead_us": round(pyb_us, 3),
        "python_timer_overhead_us": round(timer_us, 3),
        "mote_timing": (f"`mote run --bench {args.runs} --json` median_us, lowest of "
                        f"{args.repeats} calls"),
        "tflm_cpp_us": "manifest tflm_invoke_median_us (C++ TFLM reference, g++ -O2, "
                       "machine that made the golden files)",
        "arena": "mote_arena = `mote inspect --json` arena_bytes; tflm_arena = manifest "
                 "tflm_arena_used_bytes; tflm_py_arena = pip wrapper RecordingMicroAllocator",
        "machine": f"{platform.machine()} {_cpu_name()}, {os.cpu_count()} CPUs, "
                   f"Python {platform.python_version()}",
        "loadavg_1min_start_end": [round(load0, 2), round(os.getloadavg()[0], 2)],
    }
    doc = {"benchmark": "golden_vs_tflm", "runs": args.runs, "models": rows, "notes": notes}
    if args.json:
        print(json.dumps(doc, indent=1))
    else:
        print(f"{'model':<20} {'mote_us':>10} {'tflm_us':>10} {'tflm/mote':>9} "
              f"{'tflm_cpp':>9} {'mote_arena':>10} {'tflm_arena':>10} {'tflm_py':>8} {'m/t':>5} "
              f"{'exact':>5}")
        for r in rows:
            print(f"{r['model']:<20} {fmt(r['mote_us'], '10.1f'):>10} "
                  f"{fmt(r['tflm_us'], '10.1f'):>10} {fmt(r['ratio'], '9.2f'):>9} "
                  f"{fmt(r['tflm_cpp_us'], '9.1f'):>9} {fmt(r['mote_arena'], 'd'):>10} "
                  f"{fmt(r['tflm_arena'], 'd'):>10} {fmt(r['tflm_py_arena'], 'd'):>8} "
                  f"{fmt(r.get('arena_ratio'), '5.2f'):>5} "
                  f"{'-' if r['exact'] is None else ('yes' if r['exact'] else 'NO'):>5}")
        for r in rows:
            for e in r["errors"]:
                print(f"  {r['model']}: {e}")
        print(f"notes: TFLM = {notes['tflm_kernels']}; tflm_us includes Python call overhead "
              f"(~{pyb_us:.2f} us per pybind11 call, timer {timer_us:.2f} us); tflm_cpp = "
              f"manifest C++ figure (other run).")
        busy = max(load0, os.getloadavg()[0])
        if busy > 0.75 * (os.cpu_count() or 1):
            print(f"warning: load average {busy:.1f} on {os.cpu_count()} CPUs; timings are noisy")
    if args.strict and any(r["errors"] for r in rows):
        return 1
    return 0


def _cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


if __name__ == "__main__":
    sys.exit(main())
