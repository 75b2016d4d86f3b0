# Quick start (fresh Debian 12):  make demo   |   make test
BUILD   ?= build
ASAN    ?= build-asan
PYTHON  := $(CURDIR)/.venv/bin/python
SHARED  ?= $(abspath ../shared)
JOBS    ?= 2
FUZZ_SECONDS ?= 60

.PHONY: setup build demo golden test test-core asan fuzz clean

setup:
	@tools/setup.sh

build: setup
	@cmake -S . -B $(BUILD) -G Ninja -DMOTE_SHARED_DIR=$(SHARED) -DPython3_EXECUTABLE=$(PYTHON) >/dev/null
	@ninja -C $(BUILD)

# The anomaly pipeline end to end: data -> train -> int8 -> .tflite + C array
# -> int8 run by mote's runtime (files in $(BUILD)/demo).
demo: build
	@$(BUILD)/mote demo anomaly --out $(BUILD)/demo

# Every golden model, checked and timed.
golden: build
	@$(BUILD)/mote golden --shared $(SHARED)

# Robustness tests under AddressSanitizer + UBSan, then every ctest test.
asan: setup
	@cmake -S . -B $(ASAN) -G Ninja -DMOTE_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMOTE_SHARED_DIR=$(SHARED) >/dev/null
	@ninja -C $(ASAN) mote_tests
	@$(ASAN)/mote_tests --gtest_filter='Robust*' --gtest_brief=1

# Every libFuzzer target (model, signature, manifest, telemetry, field log) for
# FUZZ_SECONDS each, in a clang build (build-fuzz/). FUZZ_SECONDS=0 skips.
fuzz:
	@if [ "$(FUZZ_SECONDS)" != 0 ]; then MOTE_SHARED_DIR=$(SHARED) MOTE=$(CURDIR)/$(BUILD)/mote \
	  FUZZ_JOBS=$(JOBS) tests/fuzz/run_all.sh $(FUZZ_SECONDS); fi

test: build asan
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	@$(MAKE) --no-print-directory fuzz

test-core: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS) -L core

clean:
	rm -rf $(BUILD) $(ASAN)
