// For tests that write files: a temporary directory path of this process's
// own. ctest runs each test in a process of its own, two at a time, so a
// fixed path lets one process read a file another is rewriting.
//
//   const std::filesystem::path dir = mote::testing::ProcessTempDir("mote_prune");
//   // -> /tmp/mote_prune_<pid> (not created)
#ifndef MOTE_TESTS_TEMP_DIR_H_
#define MOTE_TESTS_TEMP_DIR_H_

#include <unistd.h>

#include <filesystem>
#include <string>

namespace mote::testing {

inline std::filesystem::path ProcessTempDir(const std::string& prefix) {
  return std::filesystem::temp_directory_path() / (prefix + "_" + std::to_string(::getpid()));
}

}  // namespace mote::testing

#endif  // MOTE_TESTS_TEMP_DIR_H_
