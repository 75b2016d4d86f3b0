// Subcommands of the `mote` CLI: each file adds one to the app.
#ifndef MOTE_CLI_COMMANDS_H_
#define MOTE_CLI_COMMANDS_H_

#include <stdexcept>
#include <string>

#include <CLI/CLI.hpp>

namespace mote::cli {

// Thrown by commands; main() prints "mote: <what>" and exits with `code`.
struct CommandError : std::runtime_error {
  explicit CommandError(const std::string& what, int code = 1)
      : std::runtime_error(what), exit_code(code) {}
  int exit_code;
};

void AddInspect(CLI::App& app);
void AddRun(CLI::App& app);
void AddGolden(CLI::App& app);
// Training, quantization, export (issue 4).
void AddTrain(CLI::App& app);
void AddQuantize(CLI::App& app);
void AddExport(CLI::App& app);
void AddDemo(CLI::App& app);
// Keyword spotting: classify WAV files with a model's stored front end (issue 7).
void AddClassify(CLI::App& app);
void AddData(CLI::App& app);
void AddPlan(CLI::App& app);
void AddProfile(CLI::App& app);
void AddBudget(CLI::App& app);
void AddCodegen(CLI::App& app);
// Field safety: manifest, telemetry (issue 9).
void AddManifest(CLI::App& app);
void AddTelemetry(CLI::App& app);
// Model signatures (issue 9): keygen, sign, verify.
void AddSign(CLI::App& app);
// Audio front end (issue 7).
void AddFeatures(CLI::App& app);
// Pruning (issue 8): mote prune, and mote accuracy (int8 accuracy on a data set).
void AddPrune(CLI::App& app);
void AddAccuracy(CLI::App& app);
// Streaming wake-word detection (issue 7).
void AddWakeword(CLI::App& app);

}  // namespace mote::cli

#endif  // MOTE_CLI_COMMANDS_H_
