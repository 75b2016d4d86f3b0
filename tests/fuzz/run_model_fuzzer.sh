#!/bin/sh
# Builds the libFuzzer target for the model reader + interpreter into
# build-fuzz/ (clang, ASan + UBSan) and runs it for SECONDS seconds on a
# corpus seeded with the golden models.
#
#   tests/fuzz/run_model_fuzzer.sh 300 [extra libFuzzer flags...]
#
# Corpus: build-fuzz/model_corpus (kept between runs). Crash reproducers are
# written to build-fuzz/artifacts/; replay one with
#   build-fuzz/model_fuzzer build-fuzz/artifacts/crash-<sha1>
set -eu
SECONDS_TO_RUN=${1:?usage: run_model_fuzzer.sh SECONDS [libFuzzer flags...]}
shift
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD="$ROOT/build-fuzz"
SHARED=${MOTE_SHARED_DIR:-$ROOT/../shared}

cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DMOTE_FUZZ=ON >/dev/null
ninja -C "$BUILD" model_fuzzer

mkdir -p "$BUILD/model_corpus" "$BUILD/artifacts"
cp "$SHARED"/models/*.tflite "$BUILD/model_corpus/"

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
exec "$BUILD/model_fuzzer" "$BUILD/model_corpus" \
  -max_total_time="$SECONDS_TO_RUN" -max_len=1200000 -rss_limit_mb=4096 -timeout=10 \
  -print_final_stats=1 -artifact_prefix="$BUILD/artifacts/" "$@"
