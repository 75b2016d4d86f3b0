#!/bin/sh
# Builds the libFuzzer target for a field safety record (manifest parser or
# telemetry decoder) into build-fuzz/ (clang, ASan + UBSan) and runs it for
# SECONDS seconds on a corpus seeded by tests/fuzz/make_safety_seeds.py.
#
#   tests/fuzz/run_safety_fuzzers.sh 600 manifest [extra libFuzzer flags...]
#   tests/fuzz/run_safety_fuzzers.sh 600 telemetry
#
# Corpus: build-fuzz/<name>_corpus; crash reproducers in build-fuzz/artifacts/.
set -eu
SECONDS_TO_RUN=${1:?usage: run_safety_fuzzers.sh SECONDS manifest|telemetry [flags...]}
NAME=${2:?usage: run_safety_fuzzers.sh SECONDS manifest|telemetry [flags...]}
shift 2
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD="$ROOT/build-fuzz"

cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DMOTE_FUZZ=ON >/dev/null
ninja -C "$BUILD" "${NAME}_fuzzer"

mkdir -p "$BUILD/${NAME}_corpus" "$BUILD/artifacts" "$BUILD/safety_seeds"
python3 "$ROOT/tests/fuzz/make_safety_seeds.py" "$BUILD/safety_seeds"
cp "$BUILD/safety_seeds/$NAME"/* "$BUILD/${NAME}_corpus/"

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
exec "$BUILD/${NAME}_fuzzer" "$BUILD/${NAME}_corpus" \
  -max_total_time="$SECONDS_TO_RUN" -max_len=65536 -timeout=10 \
  -print_final_stats=1 -artifact_prefix="$BUILD/artifacts/${NAME}-" "$@"
