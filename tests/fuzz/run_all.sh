#!/bin/sh
# Runs every libFuzzer target for SECONDS seconds each, one after the other:
# the model reader + interpreter, the model signature, the manifest parser,
# the telemetry decoder and the field log reader (+ log ring + slots). One
# clang build (build-fuzz/, ASan + UBSan, -DMOTE_FUZZ=ON) of all five, then
# the per-fuzzer scripts (they seed the corpora and add their own flags).
# Exits non-zero as soon as a fuzzer finds a crash, a leak or a timeout; the
# reproducer is in build-fuzz/artifacts/. `make test` runs it with 60 s.
#
#   tests/fuzz/run_all.sh 60          # CI: ~5 min plus the clang build
#   tests/fuzz/run_all.sh 600         # a longer local run
#
# Env: MOTE_SHARED_DIR (golden models for the model/signature corpora),
# MOTE (a built `mote`, to sign seed models), FUZZ_JOBS (build jobs, 2).
set -eu
SECONDS_TO_RUN=${1:?usage: run_all.sh SECONDS}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD="$ROOT/build-fuzz"
FUZZ="$ROOT/tests/fuzz"
LOGS="$BUILD/logs"

cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DMOTE_FUZZ=ON >/dev/null
ninja -C "$BUILD" -j "${FUZZ_JOBS:-2}" model_fuzzer signature_fuzzer manifest_fuzzer \
  telemetry_fuzzer field_log_fuzzer
mkdir -p "$LOGS"

failed=""
run() {  # name command...
  name=$1
  shift
  printf 'fuzz %-10s %ss ... ' "$name" "$SECONDS_TO_RUN"
  if "$@" >"$LOGS/$name.log" 2>&1; then
    # libFuzzer's final stats: "stat::number_of_executed_units: N"
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$LOGS/$name.log" | tail -n 1)
    echo "ok, ${execs:-?} execs"
  else
    echo "FAILED (log: $LOGS/$name.log)"
    tail -n 40 "$LOGS/$name.log"
    failed="$failed $name"
  fi
}
run model sh "$FUZZ/run_model_fuzzer.sh" "$SECONDS_TO_RUN"
run signature sh "$FUZZ/run_signature_fuzzer.sh" "$SECONDS_TO_RUN"
run manifest sh "$FUZZ/run_safety_fuzzers.sh" "$SECONDS_TO_RUN" manifest
run telemetry sh "$FUZZ/run_safety_fuzzers.sh" "$SECONDS_TO_RUN" telemetry
run field_log sh "$FUZZ/run_field_log_fuzzer.sh" "$SECONDS_TO_RUN"

if [ -n "$failed" ]; then
  echo "fuzzers failed:$failed" >&2
  exit 1
fi
echo "all fuzzers ran ${SECONDS_TO_RUN}s without findings"
