// Test report lines shared by the firmware images (see board.h).
#include "firmware/board.h"

extern "C" {

void MoteReportInput(uint32_t k, bool ok, uint32_t stack, const char* failure,
                     int32_t detail, uint32_t* failed) {
  MoteWrite("input ");
  MoteWriteU(k);
  if (ok) {
    MoteWrite(": ok stack_used=");
    MoteWriteU(stack);
    MoteWrite("\n");
    return;
  }
  ++*failed;
  MoteWrite(failure);
  MoteWriteI(detail);
  MoteWrite("\n");
}

int MoteReportResult(uint32_t passed, uint32_t failed) {
  MoteWrite("result: ");
  MoteWriteU(passed);
  MoteWrite(" passed, ");
  MoteWriteU(failed);
  MoteWrite(" failed\n");
  return failed == 0 ? 0 : 1;
}

}  // extern "C"
