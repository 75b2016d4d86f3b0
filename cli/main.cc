// mote: the TinyML toolchain's command line. One file per subcommand.
#include <iostream>

#include "cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{
      "mote " MOTE_VERSION " - train, quantize, plan, run and check TinyML models (.tflite)\n"
      "with the same heap-free runtime that runs on the microcontroller.\n\n"
      "Examples:\n"
      "  mote inspect model.tflite            ops, tensors, MACs, weight and arena bytes\n"
      "  mote run model.tflite --input in.bin --output out.bin\n"
      "  mote run model.tflite --input in.bin --bench 100\n"
      "  mote golden                          check every golden model, print the table\n"
      "  mote demo anomaly --out DIR          data -> train -> int8 -> .tflite + C array\n"
      "  mote codegen model.tflite -o gen     the model as C++ (no interpreter on the device)\n"
      "  mote plan model.tflite -o p.tflite   arena plan (stored for TFLM too), --html timeline\n"
      "  mote profile model.tflite            per-op host time, MACs and bytes\n"
      "  mote manifest set m.tflite -o o.tflite name=kws version=1.0.0 labels=yes,no threshold=0.7\n"
      "  mote telemetry decode dev42.bin      counters, latency and drift sent by a device\n",
      "mote"};
  app.set_version_flag("--version", MOTE_VERSION);
  app.require_subcommand(1);
  mote::cli::AddInspect(app);
  mote::cli::AddRun(app);
  mote::cli::AddGolden(app);
  mote::cli::AddTrain(app);
  mote::cli::AddQuantize(app);
  mote::cli::AddExport(app);
  mote::cli::AddDemo(app);
  mote::cli::AddClassify(app);
  mote::cli::AddData(app);
  mote::cli::AddPlan(app);
  mote::cli::AddProfile(app);
  mote::cli::AddBudget(app);
  mote::cli::AddCodegen(app);
  mote::cli::AddManifest(app);
  mote::cli::AddTelemetry(app);
  mote::cli::AddSign(app);
  mote::cli::AddFeatures(app);
  mote::cli::AddPrune(app);
  mote::cli::AddAccuracy(app);
  mote::cli::AddWakeword(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const mote::cli::CommandError& e) {
    std::cerr << "mote: " << e.what() << "\n";
    return e.exit_code;
  } catch (const std::exception& e) {
    std::cerr << "mote: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
