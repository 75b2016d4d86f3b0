// Sleep between windows for the anomaly device loop: SysTick as the wake
// source, WFI to sleep.
//
// firmware/startup.cc routes SysTick to its fault handler (the golden images
// take no interrupts), so SleepInit() copies that vector table to RAM, points
// the SysTick entry at a tick counter and moves VTOR there. SleepTicks(n)
// starts SysTick (core clock / kSleepTickCycles), executes WFI until n ticks
// have fired, and stops it again: the CPU sleeps for n ticks, and the counts
// printed do not depend on how fast the host runs QEMU (the tick period does).
// Under QEMU, WFI really halts the emulated core until SysTick pends.
//
//   SleepInit();
//   for (;;) { ...work...; SleepTicks(10); }
//   SleepWfiCount();   // WFI instructions executed so far
#ifndef MOTE_EXAMPLES_ANOMALY_FIRMWARE_SLEEP_H_
#define MOTE_EXAMPLES_ANOMALY_FIRMWARE_SLEEP_H_

#include <stdint.h>

extern "C" {
// firmware/startup.cc: the boot vector table (16 system exceptions).
extern void (*const kVectors[16])(void);
}

namespace anomaly {

// 25 MHz core clock on the MPS2 boards (32 MHz on AN547): ~1 ms per tick.
constexpr uint32_t kSleepTickCycles = 25000;

namespace sleep_detail {

inline volatile uint32_t& Reg(uintptr_t addr) { return *reinterpret_cast<volatile uint32_t*>(addr); }
constexpr uintptr_t kSysTickCsr = 0xE000E010;  // CTRL: ENABLE(0) TICKINT(1) CLKSOURCE(2)
constexpr uintptr_t kSysTickRvr = 0xE000E014;  // reload value
constexpr uintptr_t kSysTickCvr = 0xE000E018;  // current value (write clears)
constexpr uintptr_t kScbVtor = 0xE000ED08;
constexpr int kSysTickVector = 15;

inline volatile uint32_t g_ticks = 0;
inline uint32_t g_wfi = 0;
// VTOR needs the table aligned to its size rounded up to a power of two (>= 128 B).
alignas(128) inline void (*g_vectors[16])(void) = {};

extern "C" inline void AnomalySysTickHandler(void) { g_ticks = g_ticks + 1; }

}  // namespace sleep_detail

inline void SleepInit() {
  using namespace sleep_detail;
  for (int i = 0; i < 16; ++i) g_vectors[i] = kVectors[i];
  g_vectors[kSysTickVector] = AnomalySysTickHandler;
  __asm__ volatile("dsb" ::: "memory");
  Reg(kScbVtor) = static_cast<uint32_t>(reinterpret_cast<uintptr_t>(g_vectors));
  __asm__ volatile("dsb\n isb" ::: "memory");
}

// Sleeps n SysTick periods: one WFI per wake-up.
inline void SleepTicks(uint32_t n) {
  using namespace sleep_detail;
  const uint32_t start = g_ticks;
  Reg(kSysTickRvr) = kSleepTickCycles - 1;
  Reg(kSysTickCvr) = 0;
  Reg(kSysTickCsr) = 0x7;  // core clock, interrupt, enable
  while (g_ticks - start < n) {
    __asm__ volatile("wfi" ::: "memory");
    ++g_wfi;
  }
  Reg(kSysTickCsr) = 0;
}

inline uint32_t SleepTickCount() { return sleep_detail::g_ticks; }
inline uint32_t SleepWfiCount() { return sleep_detail::g_wfi; }

}  // namespace anomaly

#endif  // MOTE_EXAMPLES_ANOMALY_FIRMWARE_SLEEP_H_
