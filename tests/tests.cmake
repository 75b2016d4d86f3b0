# Cross-module tests registered with ctest. Labels: core (no Python), oracle
# (needs the pip reference interpreters).
find_package(Python3 COMPONENTS Interpreter)
add_test(NAME cli_golden COMMAND mote golden --shared ${MOTE_SHARED_DIR} --runs 0)
set_tests_properties(cli_golden PROPERTIES LABELS core)
