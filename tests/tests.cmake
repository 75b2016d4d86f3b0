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
