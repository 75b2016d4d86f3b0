#!/usr/bin/env bash
# Installs what mote needs to build and test on Debian 12, only what is
# missing. Idempotent; prints what it does. Run as root (or with sudo).
#   tools/setup.sh            build + test dependencies, Python oracles in .venv
#   tools/setup.sh --no-oracle   skip the Python reference interpreters
set -euo pipefail
cd "$(dirname "$0")/.."

oracle=1
[[ "${1:-}" == "--no-oracle" ]] && oracle=0

apt_pkgs=(cmake ninja-build g++ make libgtest-dev libgmock-dev nlohmann-json3-dev libcli11-dev
          clang libclang-rt-14-dev python3 python3-venv python3-pip)
missing=()
for p in "${apt_pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""; [[ $(id -u) -ne 0 ]] && sudo="sudo"
  echo "setup: apt-get install ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "setup: Debian packages present"
fi

if ((oracle)); then
  # Reference interpreters, used only by tests labelled 'oracle' and bench/.
  if [[ ! -x .venv/bin/python ]]; then
    echo "setup: creating .venv (Python for oracle tests and benchmarks)"
    python3 -m venv --system-site-packages .venv
  fi
  want=(tflite-micro "tensorflow-cpu==2.21.0" numpy)
  if ! .venv/bin/python -c "import tflite_micro, tensorflow, numpy" 2>/dev/null; then
    echo "setup: pip install ${want[*]} (into .venv)"
    .venv/bin/python -m pip install -q "${want[@]}"
  else
    echo "setup: Python oracles present"
  fi
fi
