#!/usr/bin/env bash
# The device runtime must not reference the heap, exceptions or RTTI.
# Usage: check_micro_symbols.sh path/to/libmote_micro.a
set -euo pipefail
lib="$1"
bad=$(nm -C --undefined-only "$lib" | grep -E ' U (malloc|calloc|realloc|free|operator new|operator delete|__cxa_throw|__cxa_allocate_exception|__cxa_begin_catch|__gxx_personality|typeinfo|vtable for __cxxabiv1)' || true)
defined=$(nm -C "$lib" | grep -E ' [TtDdRrVvWw] (typeinfo|operator new|operator delete)' || true)
if [[ -n "$bad$defined" ]]; then
  echo "forbidden symbols in $lib:"; echo "$bad$defined"; exit 1
fi
echo "$lib: $(nm --defined-only "$lib" | grep -c ' T ') functions, no heap/exception/RTTI symbols"
