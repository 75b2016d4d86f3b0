#!/usr/bin/env python3
"""Fails if a firmware image's runtime flash grew past its budget.

  tests/target/flash_budget.py BUILD_TARGET_DIR BUDGETS.json

Runtime flash = .vectors + .text + .ARM.exidx + .ARM.extab + .rodata + .data
(arm-none-eabi-size -A), i.e. everything in flash except .mote_data (the embedded
model and golden data). Each budget entry names a build (BUILD_TARGET_DIR/<build>)
and an image; the test fails if runtime_flash > budget * (1 + max_growth), and
notes when the image shrank enough for the budget to be lowered.
"""
import json
import os
import subprocess
import sys

FLASH = {".vectors", ".text", ".ARM.exidx", ".ARM.extab", ".rodata", ".data"}


def runtime_flash(elf):
    out = subprocess.run(["arm-none-eabi-size", "-A", elf], check=True, text=True,
                         capture_output=True).stdout
    total = 0
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[0] in FLASH and parts[1].isdigit():
            total += int(parts[1])
    return total


def main():
    target_dir, budgets_path = sys.argv[1], sys.argv[2]
    with open(budgets_path) as f:
        spec = json.load(f)
    growth = spec["max_growth"]
    failed = 0
    for b in spec["budgets"]:
        elf = os.path.join(target_dir, b["build"], b["image"])
        got = runtime_flash(elf)
        limit = int(b["runtime_flash"] * (1 + growth))
        status = "ok" if got <= limit else "OVER BUDGET"
        print(f"{b['build']}/{b['image']}: runtime flash {got} B, budget {b['runtime_flash']} B "
              f"(+{growth:.0%} = {limit} B): {status}")
        if got > limit:
            failed += 1
        elif got < b["runtime_flash"] * (1 - growth):
            print(f"  shrank by more than {growth:.0%}: lower the budget in {budgets_path}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
