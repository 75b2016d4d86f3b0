// Cortex-M startup: vector table, reset handler (FPU on, .data copy, .bss
// zero, constructors, main), fault handler, painted stack. No CMSIS: the two
// system registers used are defined here.
#include <stdint.h>
#include <string.h>

#include "firmware/board.h"

extern "C" {
extern uint32_t __stack_bottom[], __stack_top[];
extern uint32_t __data_start[], __data_end[], __data_load[];
extern uint32_t __bss_start[], __bss_end[];
extern void (*__init_array_start[])(void);
extern void (*__init_array_end[])(void);
int main(void);
void Reset_Handler(void);
void Fault_Handler(void);
}

namespace {

volatile uint32_t& Reg(uintptr_t addr) { return *reinterpret_cast<volatile uint32_t*>(addr); }
constexpr uintptr_t kCpacr = 0xE000ED88;  // Coprocessor Access Control (SCB)
constexpr uint32_t kPaint = 0x6D6F7465;   // "mote"

}  // namespace

extern "C" void Fault_Handler(void) {
  MoteWrite("mote-fw: fault (exception ");
  uint32_t ipsr;
  __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
  MoteWriteU(ipsr & 0x1ff);
  MoteWrite(")\n");
  MoteExit(3);
}

extern "C" __attribute__((noreturn)) void Reset_Handler(void) {
#if defined(__ARM_FP) || defined(__ARM_FEATURE_MVE)
  Reg(kCpacr) |= 0xFu << 20;  // CP10 + CP11 full access: FPU (and MVE)
  __asm__ volatile("dsb\n isb" ::: "memory");
#endif
  for (uint32_t *s = __data_load, *d = __data_start; d < __data_end;) *d++ = *s++;
  for (uint32_t* d = __bss_start; d < __bss_end;) *d++ = 0;
  for (auto** f = __init_array_start; f < __init_array_end; ++f) (**f)();
  MoteExit(main());
}

extern "C" void MoteStackPaint(void) {
  uint32_t* sp;
  __asm__ volatile("mov %0, sp" : "=r"(sp));
  for (uint32_t* p = __stack_bottom; p < sp - 16; ++p) *p = kPaint;
}

extern "C" size_t MoteStackUsed(void) {
  const uint32_t* p = __stack_bottom;
  while (p < __stack_top && *p == kPaint) ++p;
  return static_cast<size_t>(reinterpret_cast<uintptr_t>(__stack_top) -
                             reinterpret_cast<uintptr_t>(p));
}

extern "C" size_t MoteStackSize(void) {
  return static_cast<size_t>(reinterpret_cast<uintptr_t>(__stack_top) -
                             reinterpret_cast<uintptr_t>(__stack_bottom));
}

// 16 system exceptions; the firmware enables no interrupts.
using Handler = void (*)(void);
extern "C" __attribute__((section(".vectors"), used)) const Handler kVectors[16] = {
    reinterpret_cast<Handler>(__stack_top),
    Reset_Handler,
    Fault_Handler,  // NMI
    Fault_Handler,  // HardFault
    Fault_Handler,  // MemManage
    Fault_Handler,  // BusFault
    Fault_Handler,  // UsageFault
    Fault_Handler,  // SecureFault (v8-M)
    nullptr, nullptr, nullptr,
    Fault_Handler,  // SVCall
    Fault_Handler,  // DebugMonitor
    nullptr,
    Fault_Handler,  // PendSV
    Fault_Handler,  // SysTick
};
