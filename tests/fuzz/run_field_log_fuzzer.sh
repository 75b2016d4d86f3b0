#!/bin/sh
# Builds the libFuzzer target for the field log reader (and the log ring and
# model slots opened over the same bytes as a flash image) into build-fuzz/
# (clang, ASan + UBSan) and runs it for SECONDS seconds. The corpus is seeded
# with streams of valid records written here by Python's zlib from the format
# in docs/field_log.md (a fuzzer rarely finds a CRC-32 by itself).
#
#   tests/fuzz/run_field_log_fuzzer.sh 600 [extra libFuzzer flags...]
#
# Corpus: build-fuzz/field_log_corpus (kept between runs). Crash reproducers:
# build-fuzz/artifacts/; replay with build-fuzz/field_log_fuzzer <file>.
set -eu
SECONDS_TO_RUN=${1:?usage: run_field_log_fuzzer.sh SECONDS [libFuzzer flags...]}
shift
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD="$ROOT/build-fuzz"

cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DMOTE_FUZZ=ON >/dev/null
ninja -C "$BUILD" field_log_fuzzer

mkdir -p "$BUILD/field_log_corpus" "$BUILD/artifacts"
python3 - "$BUILD/field_log_corpus" <<'PY'
import random, struct, sys, zlib
rnd = random.Random(1)
def record(i):
    t = i % 3
    n = rnd.randrange(0, 40)
    ctx = [(rnd.randrange(256), rnd.randrange(-300, 300)) for _ in range(i % 4)]
    body = struct.pack('<BBBBHBBQIIHH', 0xA5, 0x4C, 1, t, 0, len(ctx), i % 2,
                       1700000000000 + i, 7 + i % 2, 3, rnd.randrange(65536), n)
    body += b''.join(struct.pack('<Bh', k, v) for k, v in ctx)
    body += bytes(rnd.randrange(256) for _ in range(n * (1, 2, 4)[t]))
    body = body[:4] + struct.pack('<H', len(body) + 4) + body[6:]
    return body + struct.pack('<I', zlib.crc32(body))
for s in range(8):
    stream = b''.join(record(s * 10 + i) for i in range(s + 1))
    if s % 2: stream += bytes([0xFF]) * 64
    open(f'{sys.argv[1]}/seed_{s}', 'wb').write(stream)
PY

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
exec "$BUILD/field_log_fuzzer" "$BUILD/field_log_corpus" \
  -max_total_time="$SECONDS_TO_RUN" -max_len=70000 -rss_limit_mb=2048 -timeout=10 \
  -print_final_stats=1 -artifact_prefix="$BUILD/artifacts/" "$@"
