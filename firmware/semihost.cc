// Semihosting I/O and exit (ARM semihosting: BKPT 0xAB, op in r0, arg in r1).
#include "firmware/board.h"

namespace {

constexpr int kSysWrite0 = 0x04;
constexpr int kSysExitExtended = 0x20;
constexpr uint32_t kApplicationExit = 0x20026;  // ADP_Stopped_ApplicationExit

int Semihost(int op, const void* arg) {
  register int r0 __asm__("r0") = op;
  register const void* r1 __asm__("r1") = arg;
  __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}

}  // namespace

extern "C" {

void MoteWrite(const char* s) { Semihost(kSysWrite0, s); }

void MoteWriteU(uint32_t v) {
  char buf[12];
  char* p = buf + sizeof(buf);
  *--p = '\0';
  do {
    *--p = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  MoteWrite(p);
}

void MoteWriteI(int32_t v) {
  if (v < 0) {
    MoteWrite("-");
    MoteWriteU(0u - static_cast<uint32_t>(v));
  } else {
    MoteWriteU(static_cast<uint32_t>(v));
  }
}

void MoteExit(int code) {
  const uint32_t block[2] = {kApplicationExit, static_cast<uint32_t>(code)};
  Semihost(kSysExitExtended, block);
  for (;;) __asm__ volatile("wfi");
}

__attribute__((noinline, noipa)) void MoteMarkBegin(void) { __asm__ volatile("nop" ::: "memory"); }
__attribute__((noinline, noipa)) void MoteMarkEnd(void) { __asm__ volatile("nop\n nop" ::: "memory"); }
__attribute__((noinline, noipa)) void MoteMarkNode(void) { __asm__ volatile("nop\n nop\n nop" ::: "memory"); }

}  // extern "C"
