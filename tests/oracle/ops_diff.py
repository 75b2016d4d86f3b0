#!/usr/bin/env python3
"""Per-operator differential test: mote vs TFLM on small converter-made models.

  tests/oracle/ops_diff.py --mote build/mote --workdir DIR [--count 100]
      [--only SUBSTR] [--models DIR] [--jobs N]

1. Builds the models with tests/oracle/make_op_models.py into DIR/models
   (skipped with --models DIR: use models already built there).
2. For each model checks with `mote inspect MODEL --json` that it contains the
   operators the case is about (the converter may fuse or rewrite ops).
3. Runs tests/oracle/tflm_diff.py on it (--count random inputs, --check-inspect):
   int8 outputs must be equal byte for byte, float32 within tolerance.

Prints one line per model and a summary table; exit 0 if every model passed,
1 on any mismatch / missing op / mote failure, 2 on a harness error (e.g.
tensorflow missing). Inputs and both outputs of every model are kept under DIR/diff/MODEL/.
"""

import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def inspect_ops(mote, model):
  r = subprocess.run([mote, "inspect", model, "--json"], stdout=subprocess.PIPE,
                     stderr=subprocess.PIPE, text=True, timeout=60)
  if r.returncode != 0:
    lines = [l for l in (r.stderr or r.stdout).splitlines() if l.strip()]
    return None, lines[0] if lines else f"exit {r.returncode}"
  try:
    return [o["op"] for o in json.loads(r.stdout)["ops"]], None
  except (ValueError, KeyError) as e:
    return None, f"bad inspect JSON: {e}"


def main(argv=None):
  ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
  ap.add_argument("--mote", default="build/mote")
  ap.add_argument("--workdir", required=True)
  ap.add_argument("--count", type=int, default=100)
  ap.add_argument("--seed", type=int, default=0)
  ap.add_argument("--only", help="only models whose name contains this")
  ap.add_argument("--models", help="use the models already in this folder")
  ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
  args = ap.parse_args(argv)

  mote = os.path.abspath(args.mote)
  if not (os.path.isfile(mote) and os.access(mote, os.X_OK)):
    print(f"ops_diff: mote binary {args.mote} not found / not executable")
    return 2
  os.makedirs(args.workdir, exist_ok=True)
  models_dir = args.models or os.path.join(args.workdir, "models")
  if not args.models:
    cmd = [sys.executable, os.path.join(HERE, "make_op_models.py"), models_dir]
    if args.only:
      cmd += ["--only", args.only]
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       errors="replace")
    if r.returncode != 0:
      print("ops_diff: make_op_models.py failed:\n" + "\n".join(r.stdout.splitlines()[-20:]))
      return 2
  with open(os.path.join(models_dir, "expected_ops.json")) as f:
    expected = json.load(f)

  rows = []
  worst = 0
  for fname in sorted(expected):
    if args.only and args.only not in fname:
      continue
    model = os.path.join(models_dir, fname)
    ops, err = inspect_ops(mote, model)
    want = expected[fname]["ops"]
    missing = [] if ops is None else [o for o in want if o not in ops]
    diff_dir = os.path.join(args.workdir, "diff", os.path.splitext(fname)[0])
    cmd = [sys.executable, os.path.join(HERE, "tflm_diff.py"), model, "--mote", mote,
           "--count", str(args.count), "--seed", str(args.seed), "--jobs", str(args.jobs),
           "--check-inspect", "--workdir", diff_dir, "--float-range",
           *[str(v) for v in expected[fname]["float_range"]]]
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       errors="replace")
    out = r.stdout.strip().splitlines()
    summary = next((l for l in out if l.startswith(fname + ":")), out[-1] if out else "")
    rc = r.returncode
    if err is not None or missing:
      rc = max(rc, 1)
    status = "ok" if rc == 0 else "FAIL"
    worst = max(worst, rc)
    print(f"{status:4} {summary}  ops={' '.join(ops) if ops else '?'}")
    if err is not None:
      print(f"     inspect: {err}")
    if missing:
      print(f"     expected op(s) {' '.join(missing)} not in the model")
    if r.returncode != 0:
      for l in out:
        if l != summary:
          print(f"     {l}")
    rows.append((fname, status, summary))
    sys.stdout.flush()
  n_ok = sum(1 for r in rows if r[1] == "ok")
  print(f"ops_diff: {n_ok}/{len(rows)} models equal to TFLM ({args.count} random inputs each)")
  return 1 if any(r[1] == "FAIL" for r in rows) and worst != 2 else worst


if __name__ == "__main__":
  sys.exit(main())
