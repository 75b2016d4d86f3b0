# Cross-module tests registered with ctest. Labels: core (no Python), oracle
# (needs the pip reference interpreters: tflite-micro, tensorflow).
find_package(Python3 COMPONENTS Interpreter)

add_test(NAME cli_golden COMMAND mote golden --shared ${MOTE_SHARED_DIR} --runs 0)
add_test(NAME micro_symbols
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/tests/check_micro_symbols.sh $<TARGET_FILE:mote_micro>)
set_tests_properties(cli_golden micro_symbols PROPERTIES LABELS core)

# Differential tests against the real TFLM interpreter (pip tflite-micro).
set(MOTE_ORACLE_MODELS ad_autoencoder_f32 ad_autoencoder_int8 ic_resnet8_f32 ic_resnet8_int8
    kws_dscnn_int8 sww_int8 vww_mobilenet_f32 vww_mobilenet_int8)
foreach(m IN LISTS MOTE_ORACLE_MODELS)
  add_test(NAME oracle_tflm_${m}
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/tests/oracle/tflm_diff.py
                   ${MOTE_SHARED_DIR}/models/${m}.tflite --mote $<TARGET_FILE:mote>
                   --count 100 --seed 1 --jobs 2 --golden ${MOTE_SHARED_DIR}/golden --check-inspect)
  set_tests_properties(oracle_tflm_${m} PROPERTIES LABELS oracle TIMEOUT 900)
endforeach()
add_test(NAME oracle_tflm_kws_dscnn_hybrid_refused
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/tests/oracle/tflm_diff.py
                 ${MOTE_SHARED_DIR}/models/kws_dscnn_hybrid.tflite --mote $<TARGET_FILE:mote>
                 --expect-refuse)
set_tests_properties(oracle_tflm_kws_dscnn_hybrid_refused PROPERTIES LABELS oracle)

# ---- libFuzzer: model reader + interpreter (tests/fuzz/) --------------------
# Needs clang: cmake -S . -B build-fuzz -G Ninja -DCMAKE_C_COMPILER=clang
#   -DCMAKE_CXX_COMPILER=clang++ -DMOTE_FUZZ=ON && ninja -C build-fuzz model_fuzzer
# or simply tests/fuzz/run_model_fuzzer.sh SECONDS (builds, seeds, runs).
if(MOTE_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "MOTE_FUZZ needs clang (libFuzzer): -DCMAKE_CXX_COMPILER=clang++")
  endif()
  # The micro sources carry the coverage instrumentation and the sanitizers
  # whatever MOTE_SANITIZE says. tests/fuzz/run_all.sh SECONDS runs them all.
  set(MOTE_FUZZ_FLAGS -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
      -fno-omit-frame-pointer)
  # Compiled once for all fuzzers (fuzzer-no-link: instrumented, no main).
  add_library(mote_micro_fuzz OBJECT ${MOTE_MICRO_SOURCES})
  target_include_directories(mote_micro_fuzz PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
  target_compile_options(mote_micro_fuzz PRIVATE -fsanitize=fuzzer-no-link,address,undefined
                         -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g)
  add_executable(model_fuzzer tests/fuzz/model_fuzzer.cc $<TARGET_OBJECTS:mote_micro_fuzz>)
  target_include_directories(model_fuzzer PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
  target_compile_options(model_fuzzer PRIVATE ${MOTE_FUZZ_FLAGS} -g)
  target_link_options(model_fuzzer PRIVATE ${MOTE_FUZZ_FLAGS})
  set_target_properties(model_fuzzer PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR})
  # Field safety records: manifest parser, telemetry decoder
  # (tests/fuzz/run_safety_fuzzers.sh SECONDS manifest|telemetry).
  foreach(f manifest_fuzzer telemetry_fuzzer)
    add_executable(${f} tests/fuzz/${f}.cc $<TARGET_OBJECTS:mote_micro_fuzz>)
    target_include_directories(${f} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
    target_compile_options(${f} PRIVATE ${MOTE_FUZZ_FLAGS} -g)
    target_link_options(${f} PRIVATE ${MOTE_FUZZ_FLAGS})
    set_target_properties(${f} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR})
  endforeach()
  # Field log reader, log ring and model slots (tests/fuzz/run_field_log_fuzzer.sh).
  add_executable(field_log_fuzzer tests/fuzz/field_log_fuzzer.cc $<TARGET_OBJECTS:mote_micro_fuzz>)
  target_include_directories(field_log_fuzzer PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
  target_compile_options(field_log_fuzzer PRIVATE ${MOTE_FUZZ_FLAGS} -g)
  target_link_options(field_log_fuzzer PRIVATE ${MOTE_FUZZ_FLAGS})
  set_target_properties(field_log_fuzzer PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR})
endif()
# ---- end libFuzzer ------------------------------------------------------------

# ---- AOT code generation (host/io/codegen, `mote codegen`): label core -------
# Generates C++ for every golden model at build time (build/codegen/<model>/),
# compiles it with the host compiler and checks it against the interpreter.
set(MOTE_CODEGEN_DIR ${CMAKE_BINARY_DIR}/codegen)
set(MOTE_CODEGEN_OUTPUTS "")
foreach(m IN LISTS MOTE_ORACLE_MODELS)
  list(APPEND MOTE_CODEGEN_OUTPUTS ${MOTE_CODEGEN_DIR}/${m}/${m}.cc)
  add_custom_command(
    OUTPUT ${MOTE_CODEGEN_DIR}/${m}/${m}.cc ${MOTE_CODEGEN_DIR}/${m}/${m}.h
    COMMAND mote codegen ${MOTE_SHARED_DIR}/models/${m}.tflite -o ${MOTE_CODEGEN_DIR}/${m} --name ${m}
    DEPENDS mote ${MOTE_SHARED_DIR}/models/${m}.tflite
    COMMENT "mote codegen ${m}")
  add_executable(codegen_check_${m} tests/target/codegen_check.cc ${MOTE_CODEGEN_DIR}/${m}/${m}.cc)
  target_link_libraries(codegen_check_${m} PRIVATE mote_host)
  target_include_directories(codegen_check_${m} PRIVATE ${MOTE_CODEGEN_DIR}/${m})
  target_compile_definitions(codegen_check_${m} PRIVATE MOTE_GEN_NS=${m}
                             MOTE_GEN_HEADER="${m}.h")
  add_test(NAME codegen_${m}
           COMMAND codegen_check_${m} ${MOTE_SHARED_DIR}/models/${m}.tflite
                   ${MOTE_SHARED_DIR}/golden/${m})
  set_tests_properties(codegen_${m} PROPERTIES LABELS core)
endforeach()
add_custom_target(mote_codegen_all DEPENDS ${MOTE_CODEGEN_OUTPUTS})
# ---- end AOT code generation -----------------------------------------------------

# ---- Cortex-M target (firmware/, tests/target/): ctest -L target -------------
# Cross-builds firmware/ for each QEMU board (ExternalProject, build/target/<board>)
# and runs every golden model on it under QEMU, through the interpreter
# (golden_<model>.elf) and as generated code (codegen_<model>.elf): bytes equal
# to the golden outputs or the test fails; and the kernel unit tests
# (kernel_tests.elf, firmware/minitest). Skipped (with a note) without arm-none-eabi-gcc /
# qemu-system-arm; tools/setup.sh installs both. Also builds the QEMU
# instruction-count plugin (firmware/qemu/) used by bench/target_bench.py.
option(MOTE_TARGET_TESTS "Cross-build firmware and run it under QEMU" ON)
find_program(MOTE_ARM_GCC arm-none-eabi-gcc)
find_program(MOTE_QEMU_ARM qemu-system-arm)
# ---- anomaly device loop (examples/anomaly/firmware/): model -----------------
# The demo's int8 model, trained at build time (deterministic, ~4 s), for the
# firmware's anomaly_loop.elf (MOTE_ANOMALY_MODEL; its tests follow the
# Cortex-M section).
set(MOTE_ANOMALY_MODEL "")
if(MOTE_TARGET_TESTS AND MOTE_ARM_GCC AND MOTE_QEMU_ARM)
  set(MOTE_ANOMALY_MODEL ${CMAKE_BINARY_DIR}/demo/anomaly_int8.tflite)
  add_custom_command(
    OUTPUT ${MOTE_ANOMALY_MODEL} ${CMAKE_BINARY_DIR}/demo/anomaly_signed.tflite
           ${CMAKE_BINARY_DIR}/demo/anomaly_signed_key.bin
    COMMAND mote demo anomaly --out ${CMAKE_BINARY_DIR}/demo
    DEPENDS mote
    COMMENT "mote demo anomaly (model for the anomaly device loop)")
  add_custom_target(mote_anomaly_model ALL DEPENDS ${MOTE_ANOMALY_MODEL})
endif()
# ---- end anomaly device loop: model ---------------------------------------------
# ---- wakeword device loop (examples/wakeword/): model, stream, parameters ----
# The example's int8 model (committed; trained by `mote demo wakeword`, see
# examples/wakeword/README.md) and a 15 s recording with 4 keywords by test speakers, made at build
# time by `mote data synth-stream` (espeak-ng + sox, a few seconds), for the
# firmware's wakeword_loop.elf. The decision parameters are the operating
# point `mote demo wakeword` chose for this model on its VAL stream, not on
# the test stream: examples/wakeword/operating_point.json, which the firmware
# build compiles in (with the verifier models it names, embedded) and the
# _vs_host test (section at the end) passes to `mote wakeword --point`.
set(MOTE_WAKEWORD_MODEL "")
set(MOTE_WAKEWORD_STREAM "")
set(MOTE_WAKEWORD_POINT ${CMAKE_CURRENT_SOURCE_DIR}/examples/wakeword/operating_point.json)
if(MOTE_TARGET_TESTS AND MOTE_ARM_GCC AND MOTE_QEMU_ARM)
  set(MOTE_WAKEWORD_MODEL ${CMAKE_CURRENT_SOURCE_DIR}/examples/wakeword/wakeword_int8.tflite)
  set(MOTE_WAKEWORD_STREAM ${CMAKE_BINARY_DIR}/demo/wakeword_stream.wav)
  add_custom_command(
    OUTPUT ${MOTE_WAKEWORD_STREAM}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/demo
    COMMAND mote data synth-stream -o ${MOTE_WAKEWORD_STREAM} --minutes 0.25 --keywords 4 --seed 7
    DEPENDS mote
    COMMENT "mote data synth-stream (15 s stream for the wake-word device loop)")
  add_custom_target(mote_wakeword_stream ALL DEPENDS ${MOTE_WAKEWORD_STREAM})
endif()
# ---- end wakeword device loop: model, stream, parameters ----------------------
if(MOTE_TARGET_TESTS AND MOTE_ARM_GCC AND MOTE_QEMU_ARM)
  include(ExternalProject)
  add_library(mote_insn_count MODULE firmware/qemu/insn_count.c)
  set_target_properties(mote_insn_count PROPERTIES C_VISIBILITY_PRESET hidden
                        LIBRARY_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR})
  target_compile_options(mote_insn_count PRIVATE -Wall -Wextra)
  set(MOTE_TARGET_BOARDS mps2-an386 mps2-an500 mps2-an505 mps3-an547)
  set(MOTE_TARGET_MODELS ${MOTE_ORACLE_MODELS})
  # name board opt: one cross build tree under build/target/<name>.
  function(mote_target_build name board opt)
    ExternalProject_Add(firmware_${name}
      SOURCE_DIR ${CMAKE_CURRENT_SOURCE_DIR}/firmware
      BINARY_DIR ${CMAKE_BINARY_DIR}/target/${name}
      CMAKE_ARGS -DCMAKE_TOOLCHAIN_FILE=${CMAKE_CURRENT_SOURCE_DIR}/cmake/toolchains/arm-none-eabi.cmake
                 -DMOTE_BOARD=${board} -DMOTE_OPT=${opt} -DMOTE_SHARED_DIR=${MOTE_SHARED_DIR}
                 -DMOTE_CODEGEN_DIR=${MOTE_CODEGEN_DIR} -DMOTE_ANOMALY_MODEL=${MOTE_ANOMALY_MODEL}
                 -DMOTE_WAKEWORD_MODEL=${MOTE_WAKEWORD_MODEL} -DMOTE_WAKEWORD_STREAM=${MOTE_WAKEWORD_STREAM}
                 -DMOTE_WAKEWORD_POINT=${MOTE_WAKEWORD_POINT}
      DEPENDS mote_codegen_all mote_anomaly_model mote_wakeword_stream
      BUILD_ALWAYS ON
      INSTALL_COMMAND ""
      USES_TERMINAL_BUILD OFF)
  endfunction()
  foreach(board IN LISTS MOTE_TARGET_BOARDS)
    mote_target_build(${board} ${board} O2)
    foreach(m IN LISTS MOTE_TARGET_MODELS)
      add_test(NAME target_${board}_${m}
               COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/tests/target/qemu_run.sh ${board}
                       ${CMAKE_BINARY_DIR}/target/${board}/golden_${m}.elf)
      set_tests_properties(target_${board}_${m} PROPERTIES LABELS target TIMEOUT 300)
      add_test(NAME target_${board}_codegen_${m}
               COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/tests/target/qemu_run.sh ${board}
                       ${CMAKE_BINARY_DIR}/target/${board}/codegen_${m}.elf)
      set_tests_properties(target_${board}_codegen_${m} PROPERTIES LABELS target TIMEOUT 300)
    endforeach()
    # A wrong golden output must be caught: input 0 checked against output 1
    # (the firmware exits 1; the test passes only on that report).
    add_test(NAME target_${board}_mismatch_fails
             COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/tests/target/qemu_run.sh ${board}
                     ${CMAKE_BINARY_DIR}/target/${board}/golden_mismatch_kws_dscnn_int8.elf)
    set_tests_properties(target_${board}_mismatch_fails PROPERTIES LABELS target TIMEOUT 300
                         PASS_REGULAR_EXPRESSION "input 0: MISMATCH at element [0-9]+\nresult: 0 passed, 1 failed")
    # Kernel unit tests (micro/**/*_test.cc, the host's GoogleTest files)
    # built against firmware/minitest: kernel_tests.elf exits non-zero on any
    # failed check. The negative control's deliberately wrong checks must be
    # reported and give exit status 1 (and an ASSERT must leave its test).
    add_test(NAME target_${board}_kernel_tests
             COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/tests/target/qemu_run.sh ${board}
                     ${CMAKE_BINARY_DIR}/target/${board}/kernel_tests.elf)
    set_tests_properties(target_${board}_kernel_tests PROPERTIES LABELS target TIMEOUT 300)
    add_test(NAME target_${board}_kernel_tests_mustfail
             COMMAND sh -c "\"$0\" \"$1\" \"$2\"; echo \"exit=$?\""
                     ${CMAKE_CURRENT_SOURCE_DIR}/tests/target/qemu_run.sh ${board}
                     ${CMAKE_BINARY_DIR}/target/${board}/kernel_tests_mustfail.elf)
    set_tests_properties(target_${board}_kernel_tests_mustfail PROPERTIES LABELS target TIMEOUT 300
                         PASS_REGULAR_EXPRESSION "\\[  FAILED  \\] MustFail.WrongExpectEq\n.*\\[  FAILED  \\] MustFail.WrongAssertNearReturns\n.*\\[  FAILED  \\] MustFail.WrongExpectTrue\n.*result: 1 passed, 3 failed\nexit=1\n"
                         FAIL_REGULAR_EXPRESSION "unreachable")
  endforeach()
  # The budget's per-operator instruction model (host/plan/op_costs.def) vs
  # the instructions measured on each board: within 25 % per golden model.
  foreach(board IN LISTS MOTE_TARGET_BOARDS)
    string(REPLACE ";" "," models_csv "${MOTE_TARGET_MODELS}")
    add_test(NAME target_${board}_estimate
             COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/tests/target/estimate_check.py
                     --mote $<TARGET_FILE:mote> --build ${CMAKE_BINARY_DIR} --board ${board}
                     --shared ${MOTE_SHARED_DIR} --models ${models_csv})
    set_tests_properties(target_${board}_estimate PROPERTIES LABELS target TIMEOUT 600)
  endforeach()
  # -Os build of the M4 images: the runtime flash budget (tests/budgets/).
  mote_target_build(mps2-an386-Os mps2-an386 Os)
  add_test(NAME target_flash_budget
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/tests/target/flash_budget.py
                   ${CMAKE_BINARY_DIR}/target ${CMAKE_CURRENT_SOURCE_DIR}/tests/budgets/target_flash.json)
  set_tests_properties(target_flash_budget PROPERTIES LABELS target)
else()
  message(STATUS "Cortex-M target tests skipped: need arm-none-eabi-gcc and qemu-system-arm "
                 "(tools/setup.sh installs them)")
endif()
# ---- end Cortex-M target ------------------------------------------------------

# ---- anomaly device loop (examples/anomaly/firmware/): ctest -L target -------
# anomaly_loop.elf reads a synthetic ADC stream with spikes in known windows,
# quantizes with the model's input scale/zero point, invokes, thresholds,
# prints its decisions and sleeps (SysTick + WFI); exit 0 only if every spike
# window and no other was flagged. The _vs_host test also runs every window's
# bytes through `mote run` and requires the same output byte and decision.
if(MOTE_ANOMALY_MODEL)
  foreach(board IN LISTS MOTE_TARGET_BOARDS)
    add_test(NAME target_${board}_anomaly_loop
             COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/tests/target/qemu_run.sh ${board}
                     ${CMAKE_BINARY_DIR}/target/${board}/anomaly_loop.elf)
    set_tests_properties(target_${board}_anomaly_loop PROPERTIES LABELS target TIMEOUT 120)
    add_test(NAME target_${board}_anomaly_vs_host
             COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/tests/target/anomaly_vs_host.py
                     --mote $<TARGET_FILE:mote> --model ${MOTE_ANOMALY_MODEL} --board ${board}
                     --elf ${CMAKE_BINARY_DIR}/target/${board}/anomaly_loop.elf)
    set_tests_properties(target_${board}_anomaly_vs_host PROPERTIES LABELS target TIMEOUT 300)
  endforeach()
endif()
# ---- end anomaly device loop ------------------------------------------------------

# ---- anomaly field safety (signed A/B boot, guards, telemetry): target --------
# The device loop's scenarios (examples/anomaly/README.md): the telemetry the
# device prints is decoded by `mote telemetry decode` and checked against the
# device's own counts (anomaly_safety.py); the tampered update's refusal is
# also matched directly on the device output.
if(MOTE_ANOMALY_MODEL)
  foreach(board mps2-an386 mps3-an547)
    foreach(scenario normal tampered saturated)
      set(elf ${CMAKE_BINARY_DIR}/target/${board}/anomaly_${scenario}.elf)
      if(scenario STREQUAL "normal")
        set(elf ${CMAKE_BINARY_DIR}/target/${board}/anomaly_loop.elf)
      endif()
      add_test(NAME target_${board}_anomaly_safety_${scenario}
               COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/tests/target/anomaly_safety.py
                       --mote $<TARGET_FILE:mote> --board ${board} --elf ${elf} --scenario ${scenario})
      set_tests_properties(target_${board}_anomaly_safety_${scenario} PROPERTIES LABELS target TIMEOUT 300)
    endforeach()
    add_test(NAME target_${board}_anomaly_tampered_refused
             COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/tests/target/qemu_run.sh ${board}
                     ${CMAKE_BINARY_DIR}/target/${board}/anomaly_tampered.elf)
    set_tests_properties(target_${board}_anomaly_tampered_refused PROPERTIES LABELS target TIMEOUT 120
      PASS_REGULAR_EXPRESSION "update v2 -> slot B: REFUSED: signature does not verify.*slot B: rejected by the verifier .signature does not verify.*booting slot A .fell back")
  endforeach()
endif()
# ---- end anomaly field safety -------------------------------------------------

# ---- offline memory plan (mote plan -o) in TFLM: oracle --------------------
foreach(m IN LISTS MOTE_ORACLE_MODELS)
  add_test(NAME oracle_planned_${m}
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/tests/oracle/planned_check.py
                   ${MOTE_SHARED_DIR}/models/${m}.tflite --mote $<TARGET_FILE:mote>
                   --golden ${MOTE_SHARED_DIR}/golden)
  set_tests_properties(oracle_planned_${m} PROPERTIES LABELS oracle TIMEOUT 900)
endforeach()

# ---- training, quantization, export (issue 4) -----------------------------
# Core: host/train/*_test.cc run in mote_tests (gradients, determinism, CLI).
# Oracle: the exported int8 .tflite in pip TFLM and tf.lite (reference kernels)
# equals mote's bytes on the demo's 400 test windows (3 seeds); forward and
# gradients of Dense/Conv1D/Conv2D/DepthwiseConv2D/BatchNorm equal Keras's.
foreach(seed 1 2 3)
  add_test(NAME oracle_train_export_seed${seed}
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/tests/oracle/train_tflite_oracle.py
                   --mote $<TARGET_FILE:mote> --seed ${seed})
  set_tests_properties(oracle_train_export_seed${seed} PROPERTIES LABELS oracle TIMEOUT 600)
endforeach()
add_test(NAME oracle_train_keras_layers
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/tests/oracle/train_keras_layers.py
                 --mote $<TARGET_FILE:mote>)
set_tests_properties(oracle_train_keras_layers PROPERTIES LABELS oracle TIMEOUT 600)
# ---- end training, quantization, export -----------------------------------

# ---- every supported op vs TFLM on converter-made models: oracle -------------
add_test(NAME oracle_ops
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/tests/oracle/ops_diff.py
                 --mote $<TARGET_FILE:mote> --workdir ${CMAKE_BINARY_DIR}/oracle_ops --count 40 --jobs 2)
set_tests_properties(oracle_ops PROPERTIES LABELS oracle TIMEOUT 1800)

# ---- field safety: manifest (micro/safety/manifest.h, mote manifest) --------
# A model that carries "mote.manifest" metadata still loads in TFLM and gives
# the same bytes as mote (label oracle: needs pip tflite-micro).
set(MOTE_MANIFEST_MODEL ${CMAKE_BINARY_DIR}/ad_autoencoder_int8_manifest.tflite)
add_test(NAME oracle_manifest_model_setup
         COMMAND mote manifest set ${MOTE_SHARED_DIR}/models/ad_autoencoder_int8.tflite
                 -o ${MOTE_MANIFEST_MODEL} name=ad_autoencoder version=1.0.0
                 labels=normal,anomaly anomaly_threshold=11.5 hysteresis=0.5 --arena)
set_tests_properties(oracle_manifest_model_setup PROPERTIES
                     FIXTURES_SETUP manifest_model LABELS oracle)
add_test(NAME oracle_tflm_manifest_model
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/tests/oracle/tflm_diff.py
                 ${MOTE_MANIFEST_MODEL} --mote $<TARGET_FILE:mote> --count 20 --seed 1
                 --jobs 2 --check-inspect)
set_tests_properties(oracle_tflm_manifest_model PROPERTIES
                     FIXTURES_REQUIRED manifest_model LABELS oracle TIMEOUT 600)
# ---- end field safety: manifest ----------------------------------------------
# ---- signatures (micro/safety/sha256, ed25519, model_signature) -------------
# Unit tests are core (mote_tests, libsodium is a core dependency). The
# libFuzzer target: tests/fuzz/run_signature_fuzzer.sh SECONDS (builds, seeds, runs).
if(MOTE_FUZZ)
  add_executable(signature_fuzzer tests/fuzz/signature_fuzzer.cc $<TARGET_OBJECTS:mote_micro_fuzz>)
  target_include_directories(signature_fuzzer PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
  target_compile_options(signature_fuzzer PRIVATE ${MOTE_FUZZ_FLAGS} -g)
  target_link_options(signature_fuzzer PRIVATE ${MOTE_FUZZ_FLAGS})
  target_link_libraries(signature_fuzzer PRIVATE PkgConfig::SODIUM)
  set_target_properties(signature_fuzzer PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR})
endif()
# A signed model still loads in TFLite and TFLM, with outputs identical to the unsigned one.
add_test(NAME oracle_signed_model_loads
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/tests/oracle/signed_model_loads.py
                 ${MOTE_SHARED_DIR}/models/kws_dscnn_int8.tflite --mote $<TARGET_FILE:mote>)
set_tests_properties(oracle_signed_model_loads PROPERTIES LABELS oracle)
# Bench (not a test): build/safety_bench prints host figures as JSON.
add_executable(safety_bench bench/safety_bench.cc)
target_link_libraries(safety_bench PRIVATE mote_host)
set_target_properties(safety_bench PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR})
# ---- end signatures ----
# ---- field safety: model slots + field log (issue 9, parts 3 and 5) ------------
# Core: micro/safety/{slots,field_log,field_log_ring}_test.cc, host/data/ingest_test.cc,
# tests/ingest_cli_test.cc run in mote_tests. Oracle: logs written by Python's
# struct + zlib from docs/field_log.md ingest to exactly the intact records.
add_test(NAME oracle_field_log_zlib
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/tests/oracle/field_log_zlib.py
                 --mote $<TARGET_FILE:mote>)
set_tests_properties(oracle_field_log_zlib PROPERTIES LABELS oracle TIMEOUT 300)
# ---- end field safety ------------------------------------------------------------
# ---- 16x8 mode (int16 activations, int8 weights) vs TFLM: oracle ------------
# Converter-made 16x8 models (int16 and float32 I/O) covering CONV_2D,
# DEPTHWISE_CONV_2D, FULLY_CONNECTED, ADD, MUL, SOFTMAX, LOGISTIC, TANH, pools,
# QUANTIZE, DEQUANTIZE, CONCATENATION, RESHAPE: int16 outputs byte for byte.
add_test(NAME oracle_int16
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/tests/oracle/int16_diff.py
                 --mote $<TARGET_FILE:mote> --workdir ${CMAKE_BINARY_DIR}/oracle_int16 --count 50 --jobs 2)
set_tests_properties(oracle_int16 PROPERTIES LABELS oracle TIMEOUT 1800)
# `mote quantize --activations int16`: the 16x8 model mote writes runs in pip
# TFLM with mote's bytes (anomaly demo, real test windows + random inputs).
add_test(NAME oracle_quantize_int16
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/tests/oracle/quantize16_oracle.py
                 --mote $<TARGET_FILE:mote> --seed 1 --windows 100)
set_tests_properties(oracle_quantize_int16 PROPERTIES LABELS oracle TIMEOUT 900)
# ---- end 16x8 mode ------------------------------------------------------------
# ---- audio front end (issue 7): oracle -----------------------------------------
# Core: micro/dsp/*_test.cc and host/dsp/features_test.cc run in mote_tests.
# Oracle: log-mel / MFCC of the host chain and the device float path vs librosa
# and tf.signal, and fixed vs float SNR, on espeak-ng speech + numpy signals.
add_test(NAME oracle_audio_frontend
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/tests/oracle/frontend_oracle.py
                 --mote $<TARGET_FILE:mote> --workdir ${CMAKE_BINARY_DIR}/oracle_frontend)
set_tests_properties(oracle_audio_frontend PROPERTIES LABELS oracle TIMEOUT 900)
# Target: the front end on Cortex-M4F under QEMU (-O2 and -Os) gives the same
# int16 features as the host build (bench/frontend_bench.py --check).
if(MOTE_TARGET_TESTS AND MOTE_ARM_GCC AND MOTE_QEMU_ARM)
  add_test(NAME target_audio_frontend_vs_host
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/bench/frontend_bench.py
                   --build ${CMAKE_BINARY_DIR} --check)
  set_tests_properties(target_audio_frontend_vs_host PROPERTIES LABELS target TIMEOUT 600)
endif()
# ---- end audio front end ---------------------------------------------------------
# ---- pruning (issue 8): oracle ----------------------------------------------------
# Core: host/compress/prune_test.cc and prune_cli_test.cc run in mote_tests.
# Oracle: mote's pruning schedule (decision + sparsity per step) equals
# tfmot.sparsity.keras.PolynomialDecay (needs tensorflow-model-optimization +
# tf_keras; the script sets TF_USE_LEGACY_KERAS=1).
add_test(NAME oracle_prune_schedule
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/tests/oracle/prune_schedule_tfmot.py
                 --mote $<TARGET_FILE:mote>)
set_tests_properties(oracle_prune_schedule PROPERTIES LABELS oracle TIMEOUT 600)
# ---- end pruning -------------------------------------------------------------------
# ---- quantization-aware training ------------------------------------------------
# int8 models exported after QAT (mote quantize --qat, mote train --qat with a
# folded BatchNorm) give the same bytes in mote's runtime and the pip TFLM.
add_test(NAME oracle_qat_tflm
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/tests/oracle/qat_tflm_oracle.py
                 --mote $<TARGET_FILE:mote>)
set_tests_properties(oracle_qat_tflm PROPERTIES LABELS oracle TIMEOUT 600)
# ---- end quantization-aware training ---------------------------------------------

# ---- wakeword device loop (examples/wakeword/firmware/): ctest -L target ----
# wakeword_loop.elf feeds the embedded 15 s stream through the fixed-point
# front end in 20 ms blocks, runs the model every hop (and the verifiers on
# the windows it flags), applies the decision logic and sleeps (WFI);
# _vs_host requires the same detections (time, label, score), model runs and
# verified windows as `mote wakeword --point` with the same operating point
# file, and at least one detection.
if(MOTE_WAKEWORD_MODEL)
  foreach(board IN LISTS MOTE_TARGET_BOARDS)
    add_test(NAME target_${board}_wakeword_vs_host
             COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/tests/target/wakeword_vs_host.py
                     --mote $<TARGET_FILE:mote> --board ${board}
                     --elf ${CMAKE_BINARY_DIR}/target/${board}/wakeword_loop.elf
                     --model ${MOTE_WAKEWORD_MODEL} --stream ${MOTE_WAKEWORD_STREAM}
                     --point ${MOTE_WAKEWORD_POINT})
    set_tests_properties(target_${board}_wakeword_vs_host PROPERTIES LABELS target TIMEOUT 300)
  endforeach()
endif()
# ---- end wakeword device loop ----------------------------------------------------

# ---- training parity with Keras (whole fits) --------------------------------------
# `mote train --init` from Keras's initial weights ends a fit (no shuffling) with
# Keras's weights and per-epoch losses: loss reduction, fused softmax/sigmoid
# gradients, pooling, BatchNorm moving statistics, Adam.
add_test(NAME oracle_train_fit_keras
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/tests/oracle/train_fit_keras.py
                 --mote $<TARGET_FILE:mote>)
set_tests_properties(oracle_train_fit_keras PROPERTIES LABELS oracle TIMEOUT 600)
# ---- end training parity with Keras ------------------------------------------------
