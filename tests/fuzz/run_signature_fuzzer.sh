#!/bin/sh
# Builds the libFuzzer target for the signature checks into build-fuzz/
# (clang, ASan + UBSan) and runs it for SECONDS seconds. The corpus is seeded
# with the golden models signed by the fuzzing key (seed = 32 bytes 0x42),
# unsigned, plus a few differential Ed25519 inputs; signing uses build/mote
# and build/safety_bench (the normal build) when they exist. Small inputs run
# about 10x faster: add -max_len=16384 to fuzz mostly the 3 KB signed model.
#
#   tests/fuzz/run_signature_fuzzer.sh 600 [extra libFuzzer flags...]
#
# Crash reproducers: build-fuzz/artifacts/; replay with
#   build-fuzz/signature_fuzzer build-fuzz/artifacts/crash-<sha1>
set -eu
SECONDS_TO_RUN=${1:?usage: run_signature_fuzzer.sh SECONDS [libFuzzer flags...]}
shift
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD="$ROOT/build-fuzz"
SHARED=${MOTE_SHARED_DIR:-$ROOT/../shared}
MOTE=${MOTE:-$ROOT/build/mote}

cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DMOTE_FUZZ=ON >/dev/null
ninja -C "$BUILD" signature_fuzzer

CORPUS="$BUILD/signature_corpus"
mkdir -p "$CORPUS" "$BUILD/artifacts"
KEY="$BUILD/fuzz_key"
{ echo "mote-ed25519-secret-key 1"; printf '42%.0s' $(seq 32); echo; } > "$KEY"
chmod 600 "$KEY"
for m in "$SHARED"/models/kws_dscnn_int8.tflite "$SHARED"/models/sww_int8.tflite; do
  cp "$m" "$CORPUS/"
  if [ -x "$MOTE" ]; then
    "$MOTE" sign "$m" --key "$KEY" -o "$CORPUS/signed_$(basename "$m")" >/dev/null
  fi
done
# The 3 KB model of bench/safety_bench.cc, signed with the same 0x42 key.
if [ -x "$ROOT/build/safety_bench" ]; then
  "$ROOT/build/safety_bench" --iterations 1 --write-model "$CORPUS/signed_small.tflite" >/dev/null
fi
head -c 200 /dev/urandom | { printf 'E'; cat; } > "$CORPUS/ed25519_random"

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
exec "$BUILD/signature_fuzzer" "$CORPUS" \
  -max_total_time="$SECONDS_TO_RUN" -max_len=200000 -rss_limit_mb=4096 -timeout=10 \
  -print_final_stats=1 -artifact_prefix="$BUILD/artifacts/" "$@"
