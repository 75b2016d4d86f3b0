# The wake-word operating point, one file: operating_point.json as written by
# `mote demo wakeword` (examples/wakeword/operating_point.json for the
# committed model). The firmware build reads it here (the device loop's
# compile-time constants); the host side reads the same file with `mote
# wakeword --point` (the wakeword_vs_host ctest passes it to both), so the
# two cannot drift apart.
#
#   mote_wakeword_point(${MOTE_ROOT}/examples/wakeword/operating_point.json)
#   -> MOTE_WAKEWORD_HOP_MS, _WINDOW, _REFRACTORY_MS, _THRESHOLD_UNITS,
#      _LOOK_BACK, _GATE_UNITS in the caller's scope; editing the file
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
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${path}")
endfunction()
