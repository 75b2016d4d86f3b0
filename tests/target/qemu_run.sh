#!/usr/bin/env bash
# Runs one firmware image under QEMU and exits with the firmware's exit code.
#   tests/target/qemu_run.sh BOARD IMAGE.elf [PLUGIN.so]
# BOARD: mps2-an386 (M4F), mps2-an500 (M7), mps2-an505 (M33), mps3-an547 (M55).
# With PLUGIN (firmware/qemu/insn_count.c), also prints `mote-insns N` per
# MoteMarkBegin..MoteMarkEnd interval (instructions, not cycles), and
# `mote-node-insns N` per operator where the image calls MoteMarkNode.
# Always bounded: MOTE_QEMU_TIMEOUT seconds (default 300), stdin from /dev/null.
set -euo pipefail
board=$1 elf=$2 plugin=${3:-}
case "$board" in
  mps2-an386) cpu=cortex-m4 ;;
  mps2-an500) cpu=cortex-m7 ;;
  mps2-an505) cpu=cortex-m33 ;;
  mps3-an547) cpu=cortex-m55 ;;
  *) echo "qemu_run.sh: unknown board '$board'" >&2; exit 2 ;;
esac
args=(-M "$board" -cpu "$cpu" -display none -monitor none -serial null
      -semihosting-config enable=on,target=native -kernel "$elf")
if [[ -n "$plugin" ]]; then
  sym() { arm-none-eabi-nm "$elf" | awk -v s="$1" '$3==s {print "0x"$1}'; }
  node=$(sym MoteMarkNode)
  args+=(-plugin "$plugin,begin=$(sym MoteMarkBegin),end=$(sym MoteMarkEnd)${node:+,node=$node}")
fi
exec timeout --kill-after=10 "${MOTE_QEMU_TIMEOUT:-300}" qemu-system-arm "${args[@]}" </dev/null
