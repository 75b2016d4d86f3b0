# The wake-word operating point, one file: operating_point.json as written by
# `mote demo wakeword` (examples/wakeword/operating_point.json for the
# committed model). The firmware build reads it here (the device loop's
# compile-time constants); the host side reads the same file with `mote
# wakeword --point` (the wakeword_vs_host ctest passes it to both), so the
# two cannot drift apart.
#
#   mote_wakeword_point(${MOTE_ROOT}/examples/wakeword/operating_point.json)
#   -> MOTE_WAKEWORD_HOP_MS, _WINDOW, _REFRACTORY_MS, _THRESHOLD_UNITS,
#      _LOOK_BACK, _GATE_UNITS in the caller's scope, and from the optional
#      'verifiers' (model files relative to the point file) and
#      'verify_units': MOTE_WAKEWORD_VERIFIERS (absolute paths; empty
#      without) and MOTE_WAKEWORD_VERIFY_UNITS (0 without); editing the file
#      re-runs the configure step.
function(mote_wakeword_point path)
  if(NOT EXISTS "${path}")
    message(FATAL_ERROR "wake-word operating point ${path}: no such file")
  endif()
  file(READ "${path}" text)
  foreach(field hop_ms window refractory_ms threshold_units look_back gate_units)
    string(JSON value ERROR_VARIABLE err GET "${text}" ${field})
    if(err OR NOT value MATCHES "^[0-9]+$")
      message(FATAL_ERROR "${path}: needs '${field}', a whole number >= 0")
    endif()
    string(TOUPPER "${field}" var)
    set(MOTE_WAKEWORD_${var} ${value} PARENT_SCOPE)
  endforeach()
  set(verifiers "")
  set(verify_units 0)
  string(JSON count ERROR_VARIABLE err LENGTH "${text}" verifiers)
  if(NOT err)
    if(count EQUAL 0)
      message(FATAL_ERROR "${path}: 'verifiers' is empty (leave it out for one model)")
    endif()
    get_filename_component(dir "${path}" DIRECTORY)
    math(EXPR last "${count} - 1")
    foreach(i RANGE ${last})
      string(JSON name GET "${text}" verifiers ${i})
      get_filename_component(file "${name}" ABSOLUTE BASE_DIR "${dir}")
      if(NOT EXISTS "${file}")
        message(FATAL_ERROR "${path}: verifier ${name}: no such file (${file})")
      endif()
      list(APPEND verifiers "${file}")
      set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${file}")
    endforeach()
    string(JSON verify_units ERROR_VARIABLE err GET "${text}" verify_units)
    if(err OR NOT verify_units MATCHES "^[0-9]+$" OR verify_units EQUAL 0 OR verify_units GREATER 255)
      message(FATAL_ERROR "${path}: with 'verifiers' it needs 'verify_units', 1..255")
    endif()
  endif()
  set(MOTE_WAKEWORD_VERIFIERS "${verifiers}" PARENT_SCOPE)
  set(MOTE_WAKEWORD_VERIFY_UNITS ${verify_units} PARENT_SCOPE)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${path}")
endfunction()
