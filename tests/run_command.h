// For CLI tests: runs a shell command, returns its exit status (-1 if it did
// not exit normally) and its stdout + stderr (stdout only with
// merge_stderr = false; stderr is then discarded).
//
//   std::string out;
//   EXPECT_EQ(mote::testing::RunCommand(std::string(MOTE_CLI) + " plan m.tflite", &out), 0) << out;
//   auto r = mote::testing::RunCli("plan m.tflite");   // r.code, r.out
#ifndef MOTE_TESTS_RUN_COMMAND_H_
#define MOTE_TESTS_RUN_COMMAND_H_

#include <sys/wait.h>

#include <cstdio>
#include <string>

namespace mote::testing {

inline int RunCommand(const std::string& cmd, std::string* out, bool merge_stderr = true) {
  out->clear();
  FILE* p = popen((cmd + (merge_stderr ? " 2>&1" : " 2>/dev/null")).c_str(), "r");
  if (p == nullptr) return -1;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out->append(buf, n);
  const int status = pclose(p);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

#ifdef MOTE_CLI
// The mote CLI (MOTE_CLI: its path, set for the test binary) with `args`.
struct CliResult {
  int code = -1;
  std::string out;
};
inline CliResult RunCli(const std::string& args, bool merge_stderr = true) {
  CliResult r;
  r.code = RunCommand(std::string(MOTE_CLI) + " " + args, &r.out, merge_stderr);
  return r;
}
#endif

}  // namespace mote::testing

#endif  // MOTE_TESTS_RUN_COMMAND_H_
