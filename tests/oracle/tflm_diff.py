#!/usr/bin/env python3
"""Differential test: mote vs TensorFlow Lite Micro on random inputs.

Usage:
  tests/oracle/tflm_diff.py MODEL.tflite [MODEL2.tflite ...] [--mote build/mote]
      [--count 100] [--seed 0] [--workdir DIR] [--float-range LO HI] [--jobs N]
      [--golden GOLDEN_DIR] [--check-inspect] [--tflm-only] [--expect-refuse]

  e.g. (from the project root)
  tests/oracle/tflm_diff.py ../shared/models/kws_dscnn_int8.tflite --count 100 --seed 1
  tests/oracle/tflm_diff.py ../shared/models/{ad,ic,kws,sww,vww}*_{int8,f32}.tflite \
      --golden ../shared/golden --check-inspect
  tests/oracle/tflm_diff.py ../shared/models/kws_dscnn_hybrid.tflite --expect-refuse

Several models are checked in turn (one summary line each; exit code is the
worst of them).

For each of `--count` random inputs (seeded, reproducible: input i depends only
on (seed, i), not on --count), the model runs through
  * the TFLM Python interpreter (pip package `tflite-micro`, reference kernels),
  * `mote run MODEL --input in_i_0.bin [...] --output out_i_0.bin [...]`,
and the outputs are compared: integer dtypes byte for byte, float32 element-wise
with |a - b| <= 1e-5 + 1e-4 * |b| (b = TFLM).  Shapes and dtypes come from the
TFLM interpreter.  Random data: int8/int16/uint8/int32 uniform over the dtype's
full range, bool 0/1, float32 uniform over [--float-range] (default [-1, 1]).

Options worth knowing:
  --golden DIR    also check the harness: TFLM must reproduce DIR/output_K.bin
                  from DIR/input_K.bin exactly (exit 2 if not), and the golden
                  inputs are added to the inputs compared against mote.
  --check-inspect compare `mote inspect MODEL --json` inputs/outputs (shape,
                  dtype, scale, zero_point) with TFLM's tensor details.
  --tflm-only     run only the TFLM half (harness self-test, no mote needed).
  --expect-refuse pass iff TFLM refuses the model AND mote exits non-zero with
                  a one-line error (and no crash) -- e.g. kws_dscnn_hybrid.
  --workdir DIR   keep inputs (in_IIIII_J.bin), TFLM outputs (tflm_IIIII_J.bin)
                  and mote outputs (out_IIIII_J.bin) in DIR.  Without it a temp
                  dir is used and deleted, unless something mismatched.

TFLM state: one interpreter is reused with reset() before each input; for the
first --fresh-check inputs a fresh interpreter is also run and must agree (if
not, a warning is printed and every input then uses a fresh interpreter,
matching `mote run`'s one-process-per-input semantics).

Output: one summary line `MODEL: N/N inputs equal` (plus the first mismatch:
input index, tensor, element index, values).  Exit 0 if all equal, 1 on any
mismatch or mote failure, 2 on a harness/usage error.  Usable as a ctest
command directly.
"""

import argparse
import concurrent.futures
import contextlib
import ctypes
import json
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile

import numpy as np

FLOAT_ATOL = 1e-5
FLOAT_RTOL = 1e-4

_NP_TO_NAME = {
    np.dtype(np.int8): "int8",
    np.dtype(np.uint8): "uint8",
    np.dtype(np.int16): "int16",
    np.dtype(np.int32): "int32",
    np.dtype(np.int64): "int64",
    np.dtype(np.float32): "float32",
    np.dtype(np.bool_): "bool",
}


class HarnessError(Exception):
    """Problem with the harness, TFLM or the arguments (exit code 2)."""


# --------------------------------------------------------------------------
# TFLM helpers (also used by tflm_arena.py and bench/golden_vs_tflm.py)

_libc = ctypes.CDLL(None)


@contextlib.contextmanager
def redirect_c_stdio(path=os.devnull, fds=(1, 2)):
    """Redirects the C-level stdout/stderr (MicroPrintf output) to `path`."""
    sys.stdout.flush()
    sys.stderr.flush()
    _libc.fflush(None)
    saved = [os.dup(fd) for fd in fds]
    target = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        for fd in fds:
            os.dup2(target, fd)
        yield
    finally:
        _libc.fflush(None)
        for fd, s in zip(fds, saved):
            os.dup2(s, fd)
            os.close(s)
        os.close(target)


def tflm_runtime():
    try:
        from tflite_micro.python.tflite_micro import runtime
    except ImportError as e:  # pragma: no cover
        raise HarnessError(f"cannot import tflite_micro ({e}); pip install tflite-micro")
    return runtime


def default_arena_size(model_bytes):
    # The Python wrapper's own default is 10x the model size; keep a floor so
    # tiny-weight / large-activation models still allocate.
    return max(10 * len(model_bytes), 4 << 20)


def new_interpreter(model_bytes, arena_size=None):
    """Creates a TFLM interpreter (AllocateTensors runs in the constructor)."""
    runtime = tflm_runtime()
    if arena_size is None:
        arena_size = default_arena_size(model_bytes)
    log = tempfile.NamedTemporaryFile(prefix="tflm_log_", delete=False)
    log.close()
    try:
        with redirect_c_stdio(log.name):
            try:
                return runtime.Interpreter.from_bytes(model_bytes, arena_size=arena_size)
            except Exception as e:
                err = e
        with open(log.name, errors="replace") as f:
            msg = " | ".join(l.strip() for l in f if l.strip())
        raise HarnessError(f"TFLM refused the model: {err}" + (f" ({msg})" if msg else ""))
    finally:
        os.unlink(log.name)


def tensor_details(interp):
    """[(inputs), (outputs)] as lists of dicts: shape, dtype (np.dtype), scale, zero_point."""

    def probe(getter):
        out = []
        with redirect_c_stdio():  # out-of-range probe prints via MicroPrintf
            while True:
                try:
                    d = getter(len(out))
                except (IndexError, RuntimeError, ValueError):
                    break
                q = d.get("quantization_parameters") or {}
                scales = [float(s) for s in np.asarray(q.get("scales", []))]
                zps = [int(z) for z in np.asarray(q.get("zero_points", []))]
                out.append({
                    "shape": [int(s) for s in d["shape"]],
                    "dtype": np.dtype(d["dtype"]),
                    "scales": scales,
                    "zero_points": zps,
                })
        return out

    return probe(interp.get_input_details), probe(interp.get_output_details)


def tflm_run(interp, inputs, in_details, n_outputs, reset=True):
    """Runs one inference; `inputs` are numpy arrays; returns the n_outputs output bytes."""
    if reset:
        interp.reset()
    for j, (x, d) in enumerate(zip(inputs, in_details)):
        interp.set_input(x.reshape(d["shape"]), j)
    interp.invoke()
    return [np.ascontiguousarray(interp.get_output(j)).tobytes() for j in range(n_outputs)]


_FB_TYPES = {0: np.float32, 2: np.int32, 3: np.uint8, 4: np.int64, 6: np.bool_,
             7: np.int16, 9: np.int8}


def flatbuffer_io(model_bytes):
    """(input, output) tensor sizes in bytes for subgraph 0, read from the flatbuffer
    (works for models TFLM refuses). Unknown dtypes count as 1 byte per element."""
    runtime = tflm_runtime()
    m = runtime.convert_bytearray_to_object(bytearray(model_bytes))
    sg = m.subgraphs[0]

    def nbytes(i):
        t = sg.tensors[i]
        n = int(np.prod(t.shape)) if t.shape is not None else 1
        return n * np.dtype(_FB_TYPES.get(t.type, np.int8)).itemsize

    return [nbytes(i) for i in sg.inputs], [nbytes(i) for i in sg.outputs]


def dtype_name(dt):
    return _NP_TO_NAME.get(np.dtype(dt), str(dt))


# --------------------------------------------------------------------------
# Inputs and comparison

def random_input(rng, d, float_range):
    shape, dt = d["shape"], d["dtype"]
    if dt == np.float32:
        lo, hi = float_range
        return rng.uniform(lo, hi, size=shape).astype(np.float32)
    if dt == np.bool_:
        return rng.integers(0, 2, size=shape).astype(np.bool_)
    if np.issubdtype(dt, np.integer):
        info = np.iinfo(dt)
        return rng.integers(info.min, info.max, size=shape, dtype=dt, endpoint=True)
    raise HarnessError(f"unsupported input dtype {dt}")


def compare(expected, actual, dt):
    """Returns None if equal, else a message naming the first differing element."""
    dt = np.dtype(dt)
    if len(actual) != len(expected):
        return (f"size differs: mote wrote {len(actual)} bytes, TFLM "
                f"{len(expected)} bytes ({dtype_name(dt)})")
    if dt != np.float32:
        if actual == expected:
            return None
        a = np.frombuffer(actual, dtype=dt)
        b = np.frombuffer(expected, dtype=dt)
        bad = np.flatnonzero(a != b)
        return (f"element {bad[0]}: mote {a[bad[0]]} vs TFLM {b[bad[0]]} "
                f"({bad.size}/{b.size} elements differ, max |diff| "
                f"{int(np.max(np.abs(a[bad].astype(np.int64) - b[bad].astype(np.int64))))})")
    a = np.frombuffer(actual, dtype=np.float32).astype(np.float64)
    b = np.frombuffer(expected, dtype=np.float32).astype(np.float64)
    with np.errstate(invalid="ignore"):
        ok = np.abs(a - b) <= FLOAT_ATOL + FLOAT_RTOL * np.abs(b)
        ok |= (a == b)  # equal infinities
        ok |= np.isnan(a) & np.isnan(b)
    if ok.all():
        return None
    bad = np.flatnonzero(~ok)
    i = bad[0]
    return (f"element {i}: mote {a[i]:.9g} vs TFLM {b[i]:.9g} (|diff| {abs(a[i] - b[i]):.3g}, "
            f"tol {FLOAT_ATOL + FLOAT_RTOL * abs(b[i]):.3g}; {bad.size}/{b.size} elements "
            f"out of tolerance)")


# --------------------------------------------------------------------------
# mote

def describe_exit(rc):
    if rc < 0:
        try:
            return f"killed by {signal.Signals(-rc).name}"
        except ValueError:
            return f"killed by signal {-rc}"
    return f"exit {rc}"


def first_line(text):
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return "(no message)"


def run_mote(mote, model, in_paths, out_paths, timeout):
    cmd = [mote, "run", model]
    for p in in_paths:
        cmd += ["--input", p]
    for p in out_paths:
        cmd += ["--output", p]
    for p in out_paths:
        if os.path.exists(p):
            os.unlink(p)
    try:
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=timeout, text=True, errors="replace")
    except subprocess.TimeoutExpired:
        return f"mote timed out after {timeout}s", cmd
    except OSError as e:  # e.g. the binary is being relinked
        return f"cannot start mote: {e}", cmd
    if r.returncode != 0:
        return f"mote {describe_exit(r.returncode)}: {first_line(r.stderr or r.stdout)}", cmd
    missing = [p for p in out_paths if not os.path.exists(p)]
    if missing:
        return f"mote exit 0 but did not write {missing[0]}", cmd
    return None, cmd


def check_inspect(mote, model, in_details, out_details):
    """Compares `mote inspect --json` tensor metadata with TFLM. Returns list of problems."""
    try:
        r = subprocess.run([mote, "inspect", model, "--json"], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        return ["mote inspect timed out"]
    if r.returncode != 0:
        return [f"mote inspect {describe_exit(r.returncode)}: {first_line(r.stderr)}"]
    try:
        info = json.loads(r.stdout)
    except json.JSONDecodeError as e:
        return [f"mote inspect --json is not JSON: {e}"]
    problems = []
    for kind, tflm in (("inputs", in_details), ("outputs", out_details)):
        mine = info.get(kind)
        if not isinstance(mine, list) or len(mine) != len(tflm):
            problems.append(f"{kind}: mote lists {mine if not isinstance(mine, list) else len(mine)}"
                            f", TFLM has {len(tflm)}")
            continue
        for j, (m, t) in enumerate(zip(mine, tflm)):
            where = f"{kind}[{j}]"
            if list(m.get("shape", [])) != t["shape"]:
                problems.append(f"{where}.shape: mote {m.get('shape')} vs TFLM {t['shape']}")
            if m.get("dtype") != dtype_name(t["dtype"]):
                problems.append(f"{where}.dtype: mote {m.get('dtype')} vs TFLM {dtype_name(t['dtype'])}")
            if len(t["scales"]) == 1 and t["scales"][0] != 0.0:
                s, zp = t["scales"][0], t["zero_points"][0]
                ms, mzp = m.get("scale"), m.get("zero_point")
                if not isinstance(ms, (int, float)) or not math.isclose(ms, s, rel_tol=1e-6):
                    problems.append(f"{where}.scale: mote {ms} vs TFLM {s}")
                if mzp != zp:
                    problems.append(f"{where}.zero_point: mote {mzp} vs TFLM {zp}")
    return problems


# --------------------------------------------------------------------------

def load_golden(golden_dir, in_details, out_details):
    """Returns [(name, [input arrays], [expected output bytes])] from input_K/output_K."""
    if len(in_details) != 1 or len(out_details) != 1:
        raise HarnessError("--golden supports single-input single-output models only")
    pairs = []
    k = 0
    while os.path.exists(os.path.join(golden_dir, f"input_{k}.bin")):
        d = in_details[0]
        x = np.fromfile(os.path.join(golden_dir, f"input_{k}.bin"), dtype=d["dtype"])
        if x.size != int(np.prod(d["shape"])):
            raise HarnessError(f"{golden_dir}/input_{k}.bin: {x.size} elements, model wants "
                               f"{int(np.prod(d['shape']))}")
        with open(os.path.join(golden_dir, f"output_{k}.bin"), "rb") as f:
            pairs.append((f"golden input_{k}", [x], [f.read()]))
        k += 1
    if not pairs:
        raise HarnessError(f"{golden_dir}: no input_K.bin files")
    return pairs


def resolve_golden(golden, model):
    """--golden is either a folder with input_K.bin or a parent of <model stem>/."""
    if golden is None or os.path.isfile(os.path.join(golden, "input_0.bin")):
        return golden
    sub = os.path.join(golden, os.path.splitext(os.path.basename(model))[0])
    if os.path.isfile(os.path.join(sub, "input_0.bin")):
        return sub
    raise HarnessError(f"--golden {golden}: no input_0.bin there nor in {sub}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("model", nargs="+", help="one or more .tflite files (checked in turn)")
    ap.add_argument("--mote", default="build/mote")
    ap.add_argument("--count", type=int, default=100)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--workdir", help="keep files here (a sub-folder per model if several)")
    ap.add_argument("--float-range", nargs=2, type=float, default=[-1.0, 1.0],
                    metavar=("LO", "HI"))
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                    help="parallel mote processes (default: CPU count)")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds per mote run")
    ap.add_argument("--fresh-check", type=int, default=3,
                    help="inputs also run on a fresh TFLM interpreter (default 3)")
    ap.add_argument("--arena-size", type=int,
                    help="TFLM arena bytes (default max(10x model, 4 MiB))")
    ap.add_argument("--golden", metavar="DIR",
                    help="golden folder of the model, or the parent holding <model-stem>/")
    ap.add_argument("--check-inspect", action="store_true")
    ap.add_argument("--tflm-only", action="store_true")
    ap.add_argument("--expect-refuse", action="store_true")
    args = ap.parse_args(argv)

    # Run a snapshot of the mote binary, so that a rebuild during the run does
    # not mix two binaries (or fail with "text file busy").
    args.mote_exec = args.mote
    snap = None
    if not args.tflm_only and os.path.isfile(args.mote) and os.access(args.mote, os.X_OK):
        snap = tempfile.mkdtemp(prefix="tflm_diff_bin_")
        args.mote_exec = os.path.join(snap, "mote")
        shutil.copy2(args.mote, args.mote_exec)
    try:
        return _main_models(args)
    finally:
        if snap:
            shutil.rmtree(snap, ignore_errors=True)


def _main_models(args):
    rc = 0
    for model in args.model:
        name = os.path.basename(model)
        workdir = args.workdir
        if workdir and len(args.model) > 1:
            workdir = os.path.join(workdir, os.path.splitext(name)[0])
        try:
            r = _main(args, model, name, workdir)
        except HarnessError as e:
            print(f"{name}: harness error: {e}")
            r = 2
        sys.stdout.flush()
        rc = max(rc, r)
    return rc


def _main(args, model, name, workdir):
    golden = resolve_golden(args.golden, model)
    if not os.path.isfile(model):
        raise HarnessError(f"no such model file {model}")
    with open(model, "rb") as f:
        model_bytes = f.read()
    if not args.tflm_only and not (os.path.isfile(args.mote) and os.access(args.mote, os.X_OK)):
        raise HarnessError(f"mote binary {args.mote} not found / not executable")

    if args.expect_refuse:
        return _expect_refuse(args, model, name, model_bytes)

    interp = new_interpreter(model_bytes, args.arena_size)
    in_details, out_details = tensor_details(interp)
    if not in_details or not out_details:
        raise HarnessError("TFLM reports no inputs or no outputs")

    # Inputs: random, then golden pairs (if any).
    cases = []  # (label, [arrays], expected bytes or None)
    for i in range(args.count):
        rng = np.random.default_rng(np.random.SeedSequence([args.seed, i]))
        cases.append((f"input {i}", [random_input(rng, d, args.float_range) for d in in_details], None))
    if golden:
        cases += load_golden(golden, in_details, out_details)

    # TFLM half.
    fresh_mode = False
    expected = []
    golden_bad = []
    golden_inexact = 0  # float outputs within tolerance but not bit-identical
    for n, (label, xs, golden) in enumerate(cases):
        if fresh_mode:
            outs = tflm_run(new_interpreter(model_bytes, args.arena_size), xs, in_details,
                            len(out_details), reset=False)
        else:
            outs = tflm_run(interp, xs, in_details, len(out_details))
            if n < args.fresh_check:
                fresh = tflm_run(new_interpreter(model_bytes, args.arena_size), xs, in_details,
                                 len(out_details), reset=False)
                if fresh != outs:
                    print(f"{name}: warning: TFLM reset+reuse differs from a fresh interpreter "
                          f"on {label}; using a fresh interpreter per input")
                    fresh_mode, outs = True, fresh
        if len(outs) != len(out_details):
            raise HarnessError(f"TFLM returned {len(outs)} outputs, details list {len(out_details)}")
        if golden is not None:
            for j, (g, o) in enumerate(zip(golden, outs)):
                m = compare(g, o, out_details[j]["dtype"])  # expected = golden file
                if m is not None:
                    golden_bad.append(f"{label} output {j}: {m.replace('mote', 'TFLM-py')}"
                                      .replace("vs TFLM ", "vs golden "))
                elif g != o:
                    golden_inexact += 1
        expected.append(outs)
    if golden_bad:
        raise HarnessError(f"TFLM does not reproduce {golden}: {golden_bad[0]} "
                           f"({len(golden_bad)} golden outputs differ)")

    if args.tflm_only:
        n_g = sum(1 for c in cases if c[2] is not None)
        extra = (f", {n_g}/{n_g} golden outputs reproduced"
                 f" ({n_g - golden_inexact} bit-exact)") if golden else ""
        print(f"{name}: TFLM ran {len(cases)} inputs "
              f"({'fresh interpreter each: reset+reuse differed' if fresh_mode else 'reset+reuse, fresh check ok'}){extra}"
              f" [tflm-only, mote not run]")
        return 0

    # mote half.
    keep = workdir is not None
    workdir = workdir or tempfile.mkdtemp(prefix="tflm_diff_")
    os.makedirs(workdir, exist_ok=True)
    model_path = os.path.abspath(model)
    jobs = []
    for n, (label, xs, _) in enumerate(cases):
        ins = [os.path.join(workdir, f"in_{n:05d}_{j}.bin") for j in range(len(xs))]
        outs = [os.path.join(workdir, f"out_{n:05d}_{j}.bin") for j in range(len(out_details))]
        for p, x in zip(ins, xs):
            np.ascontiguousarray(x).tofile(p)
        for j, e in enumerate(expected[n]):
            with open(os.path.join(workdir, f"tflm_{n:05d}_{j}.bin"), "wb") as f:
                f.write(e)
        jobs.append((ins, outs))

    problems = []
    if args.check_inspect:
        problems += [f"inspect: {p}" for p in check_inspect(args.mote_exec, model_path, in_details,
                                                             out_details)]

    with concurrent.futures.ThreadPoolExecutor(max(1, args.jobs)) as ex:
        results = list(ex.map(lambda j: run_mote(args.mote_exec, model_path, j[0], j[1], args.timeout),
                              jobs))

    equal = 0
    first = None
    errors = {}
    for n, ((label, _, _), (err, cmd), (_, outs)) in enumerate(zip(cases, results, jobs)):
        msg = err
        if msg is None:
            for j, p in enumerate(outs):
                with open(p, "rb") as f:
                    m = compare(expected[n][j], f.read(), out_details[j]["dtype"])
                if m is not None:
                    msg = f"output {j} {m}"
                    break
        if msg is None:
            equal += 1
        else:
            if err is not None:
                errors[err] = errors.get(err, 0) + 1
            if first is None:
                first = (label, msg, cmd)

    total = len(cases)
    ok = equal == total and not problems
    print(f"{name}: {equal}/{total} inputs equal")
    for p in problems:
        print(f"  {p}")
    if first is not None:
        label, msg, cmd = first
        print(f"  first mismatch: {label}: {msg}")
        if len(errors) > 0:
            common = max(errors.items(), key=lambda kv: kv[1])
            print(f"  mote failed on {sum(errors.values())} inputs; most common: "
                  f"{common[0]} (x{common[1]})")
        keep = True
        print(f"  reproduce: {' '.join([args.mote] + cmd[1:])}   (TFLM output: tflm_*.bin in {workdir})")
    if not keep:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0 if ok else 1


def _expect_refuse(args, model, name, model_bytes):
    try:
        new_interpreter(model_bytes, args.arena_size)
        tflm = "TFLM accepted the model"
    except HarnessError as e:
        tflm = None
        tflm_msg = str(e)
    if tflm is not None:
        print(f"{name}: --expect-refuse but {tflm}")
        return 1
    if args.tflm_only:
        print(f"{name}: TFLM refuses as expected: {tflm_msg}")
        return 0
    workdir = tempfile.mkdtemp(prefix="tflm_diff_")
    try:
        # Correctly sized zero inputs, so that a refusal is about the model.
        in_sizes, out_sizes = flatbuffer_io(model_bytes)
        ins = [os.path.join(workdir, f"in_{j}.bin") for j in range(len(in_sizes))]
        for p, n in zip(ins, in_sizes):
            with open(p, "wb") as f:
                f.write(b"\0" * n)
        outs = [os.path.join(workdir, f"out_{j}.bin") for j in range(len(out_sizes))]
        err, _ = run_mote(args.mote_exec, os.path.abspath(model), ins, outs, args.timeout)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if err is None:
        print(f"{name}: TFLM refuses the model but mote ran it (exit 0)")
        return 1
    if "killed by" in err or "timed out" in err:
        print(f"{name}: mote did not refuse cleanly: {err}")
        return 1
    print(f"{name}: refused by TFLM and mote ({err})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
