// Running helper programs (espeak-ng, sox) on the host: an argument vector,
// no shell, stdout and stderr captured, stdin from /dev/null. Safe to call from
// several threads at once (pipes are close-on-exec; posix_spawn).
//
//   ProcessResult r;
//   std::string err;
//   if (!RunProcess({"sox", "--version"}, &r, &err)) { ... }   // could not start
//   if (r.exit_code != 0) { ... r.err ... }
//   if (FindProgram("espeak-ng").empty()) { ... not installed ... }
#ifndef MOTE_HOST_IO_SUBPROCESS_H_
#define MOTE_HOST_IO_SUBPROCESS_H_

#include <string>
#include <vector>

namespace mote::host {

struct ProcessResult {
  int exit_code = -1;  // 128 + signal when killed by a signal
  std::string out;     // stdout
  std::string err;     // stderr
};

// REQUIRES: !argv.empty(). argv[0] is looked up in PATH. Returns false (and
// *err) when the program cannot be started; a non-zero exit is not a failure
// of RunProcess, check result->exit_code.
bool RunProcess(const std::vector<std::string>& argv, ProcessResult* result, std::string* err);

// The full path of `name` found in PATH (or name itself if it holds a '/' and
// is executable); empty when not found.
std::string FindProgram(const std::string& name);

}  // namespace mote::host

#endif  // MOTE_HOST_IO_SUBPROCESS_H_
