// Board support for mote firmware on Cortex-M under QEMU (mps2/mps3 boards):
// semihosting output and exit codes, a painted stack for high-water marks,
// and the marker functions the instruction-count plugin looks for.
//
// Contract: no heap, no libc stdio. Output goes through semihosting
// (SYS_WRITE0), so QEMU must run with -semihosting-config enable=on.
//
//   MoteWrite("arena_used="); MoteWriteU(n); MoteWrite("\n");
//   MoteStackPaint();  MoteMarkBegin(); interp.Invoke(); MoteMarkEnd();
//   size_t peak = MoteStackUsed();
//   MoteExit(failures == 0 ? 0 : 1);
#ifndef MOTE_FIRMWARE_BOARD_H_
#define MOTE_FIRMWARE_BOARD_H_

#include <stddef.h>
#include <stdint.h>

extern "C" {

void MoteWrite(const char* s);
void MoteWriteU(uint32_t v);
void MoteWriteI(int32_t v);
// Ends the emulation with `code` as QEMU's exit status (SYS_EXIT_EXTENDED).
[[noreturn]] void MoteExit(int code);

// Test reports shared by the firmware images. One line per golden input:
// "input K: ok stack_used=S" or "input K<failure><detail>" (failure such as
// ": MISMATCH at element "); adds 1 to *failed on failure.
void MoteReportInput(uint32_t k, bool ok, uint32_t stack, const char* failure,
                     int32_t detail, uint32_t* failed);
// Prints "result: P passed, F failed"; returns the exit status (0 iff F == 0).
int MoteReportResult(uint32_t passed, uint32_t failed);

// Fills the unused part of the stack (below the caller's frame) with a
// pattern; MoteStackUsed() then returns the deepest extent ever reached,
// in bytes from the top of the stack.
void MoteStackPaint(void);
size_t MoteStackUsed(void);
size_t MoteStackSize(void);

// Empty, never inlined: the QEMU plugin (firmware/qemu/insn_count.c) counts
// the instructions executed between a call of MoteMarkBegin and one of
// MoteMarkEnd (instructions, not cycles).
void MoteMarkBegin(void);
void MoteMarkEnd(void);
// Per-operator counts: called before the first operator and after each one;
// the plugin prints the instructions between consecutive calls.
void MoteMarkNode(void);

}  // extern "C"

#endif  // MOTE_FIRMWARE_BOARD_H_
