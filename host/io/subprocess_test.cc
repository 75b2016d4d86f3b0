// host/io/subprocess: output capture, exit codes, a program that is missing.
#include "host/io/subprocess.h"

#include <gtest/gtest.h>

#include <string>

namespace mote::host {
namespace {

TEST(Subprocess, CapturesStdoutStderrAndExitCode) {
  ProcessResult r;
  std::string err;
  ASSERT_TRUE(RunProcess({"sh", "-c", "echo out; echo err >&2; exit 3"}, &r, &err)) << err;
  EXPECT_EQ(r.out, "out\n");
  EXPECT_EQ(r.err, "err\n");
  EXPECT_EQ(r.exit_code, 3);
}

TEST(Subprocess, ArgumentsAreNotShellWords) {
  ProcessResult r;
  std::string err;
  // One argument with spaces and shell characters arrives intact.
  ASSERT_TRUE(RunProcess({"printf", "%s|", "a b; $HOME `x`"}, &r, &err)) << err;
  EXPECT_EQ(r.out, "a b; $HOME `x`|");
  EXPECT_EQ(r.exit_code, 0);
}

TEST(Subprocess, LargeOutputDoesNotDeadlock) {
  ProcessResult r;
  std::string err;
  ASSERT_TRUE(RunProcess({"sh", "-c", "head -c 1000000 /dev/zero; head -c 300000 /dev/zero >&2"}, &r, &err));
  EXPECT_EQ(r.out.size(), 1000000u);
  EXPECT_EQ(r.err.size(), 300000u);
}

TEST(Subprocess, MissingProgramIsReported) {
  ProcessResult r;
  std::string err;
  EXPECT_FALSE(RunProcess({"mote-no-such-program-xyz"}, &r, &err));
  EXPECT_NE(err.find("mote-no-such-program-xyz: cannot run"), std::string::npos) << err;
  EXPECT_TRUE(FindProgram("mote-no-such-program-xyz").empty());
  EXPECT_FALSE(FindProgram("sh").empty());
}

}  // namespace
}  // namespace mote::host
