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
  # The micro sources are compiled into the target itself, so they carry the
  # coverage instrumentation and the sanitizers whatever MOTE_SANITIZE says.
  set(MOTE_FUZZ_FLAGS -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
      -fno-omit-frame-pointer)
  add_executable(model_fuzzer tests/fuzz/model_fuzzer.cc ${MOTE_MICRO_SOURCES})
  target_include_directories(model_fuzzer PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
  target_compile_options(model_fuzzer PRIVATE ${MOTE_FUZZ_FLAGS} -g)
  target_link_options(model_fuzzer PRIVATE ${MOTE_FUZZ_FLAGS})
  set_target_properties(model_fuzzer PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR})
endif()
# ---- end libFuzzer ------------------------------------------------------------

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
target_compile_definitions(mote_tests PRIVATE MOTE_SOURCE_DIR="${CMAKE_CURRENT_SOURCE_DIR}")
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
