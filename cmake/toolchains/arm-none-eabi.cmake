# Cross toolchain for Cortex-M with Debian's gcc-arm-none-eabi + newlib.
#
#   cmake -S firmware -B build/target/an386 -G Ninja \
#         --toolchain cmake/toolchains/arm-none-eabi.cmake -DMOTE_BOARD=mps2-an386
#
# MOTE_BOARD picks the core and its FPU flags:
#   mps2-an386  Cortex-M4F   mps2-an500  Cortex-M7 (double-precision FPU)
#   mps2-an505  Cortex-M33   mps3-an547  Cortex-M55 (MVE)
# C++ is compiled with arm-none-eabi-g++ (headers from libstdc++-arm-none-eabi-dev)
# but linked with arm-none-eabi-gcc: the firmware uses no libstdc++ code, so the
# large libstdc++-arm-none-eabi-newlib package is not needed.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_CXX_COMPILER arm-none-eabi-g++)
set(CMAKE_ASM_COMPILER arm-none-eabi-gcc)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)

set(MOTE_BOARD "mps2-an386" CACHE STRING "QEMU board: mps2-an386, mps2-an500, mps2-an505, mps3-an547")
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES MOTE_BOARD)
if(MOTE_BOARD STREQUAL "mps2-an386")
  set(MOTE_CPU_FLAGS "-mcpu=cortex-m4 -mfloat-abi=hard -mfpu=fpv4-sp-d16")
  set(MOTE_QEMU_CPU cortex-m4)
elseif(MOTE_BOARD STREQUAL "mps2-an500")
  set(MOTE_CPU_FLAGS "-mcpu=cortex-m7 -mfloat-abi=hard -mfpu=fpv5-d16")
  set(MOTE_QEMU_CPU cortex-m7)
elseif(MOTE_BOARD STREQUAL "mps2-an505")
  set(MOTE_CPU_FLAGS "-mcpu=cortex-m33 -mfloat-abi=hard -mfpu=fpv5-sp-d16")
  set(MOTE_QEMU_CPU cortex-m33)
elseif(MOTE_BOARD STREQUAL "mps3-an547")
  set(MOTE_CPU_FLAGS "-mcpu=cortex-m55 -mfloat-abi=hard")
  set(MOTE_QEMU_CPU cortex-m55)
else()
  message(FATAL_ERROR "unknown MOTE_BOARD '${MOTE_BOARD}'")
endif()

set(CMAKE_C_FLAGS_INIT "-mthumb ${MOTE_CPU_FLAGS}")
set(CMAKE_CXX_FLAGS_INIT "-mthumb ${MOTE_CPU_FLAGS}")
set(CMAKE_ASM_FLAGS_INIT "-mthumb ${MOTE_CPU_FLAGS}")
set(CMAKE_EXE_LINKER_FLAGS_INIT "--specs=nosys.specs -nostartfiles -Wl,--gc-sections")
# Link C++ objects with the C driver: no -lstdc++.
set(CMAKE_CXX_LINK_EXECUTABLE
    "<CMAKE_C_COMPILER> <FLAGS> <CMAKE_CXX_LINK_FLAGS> <LINK_FLAGS> <OBJECTS> -o <TARGET> <LINK_LIBRARIES>")
