#!/usr/bin/env bash
# Installs what mote needs to build and test on Debian 12, only what is
# missing. Idempotent; prints what it does. Run as root (or with sudo).
#   tools/setup.sh               everything, Python oracles into .venv
#   tools/setup.sh --no-oracle   skip the Python reference interpreters
set -euo pipefail
cd "$(dirname "$0")/.."

oracle=1
[[ "${1:-}" == "--no-oracle" ]] && oracle=0
sudo=""; [[ $(id -u) -ne 0 ]] && sudo="sudo"
updated=0

# apt_install WHAT [apt-get options --] PACKAGE...: installs the missing ones.
apt_install() {
  local what="$1"; shift
  local opts=()
  if [[ "${1:-}" == --* ]]; then
    while [[ "$1" != "--" ]]; do opts+=("$1"); shift; done
    shift
  fi
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ((${#missing[@]} == 0)); then
    echo "setup: $what present"
    return
  fi
  echo "setup: apt-get install ${opts[*]} ${missing[*]}"
  if ((!updated)); then $sudo apt-get update -qq; updated=1; fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${opts[@]}" "${missing[@]}" >/dev/null
}

apt_install "build tools" cmake ninja-build g++ make libgtest-dev libgmock-dev \
  nlohmann-json3-dev libcli11-dev clang libclang-rt-14-dev python3 python3-venv python3-pip
# The .tflite writer (training, quantization, export).
apt_install "FlatBuffers" libflatbuffers-dev flatbuffers-compiler
# Model signing (host/io/signing.cc, mote keygen/sign/verify).
apt_install "libsodium" libsodium-dev pkg-config
# Audio: WAV/FLAC I/O (host/io/wav.cc) and the keyword data synthesis (mote data synth-kws).
apt_install "audio tools" libsndfile1-dev espeak-ng sox
# Cortex-M cross build and QEMU (ctest -L target). No recommends: the C++
# headers come from libstdc++-arm-none-eabi-dev; the firmware links no libstdc++.
apt_install "Cortex-M toolchain and QEMU" --no-install-recommends -- \
  gcc-arm-none-eabi libnewlib-arm-none-eabi libstdc++-arm-none-eabi-dev qemu-system-arm

if ((oracle)); then
  # Reference interpreters, used only by tests labelled 'oracle' and bench/.
  if [[ ! -x .venv/bin/python ]]; then
    echo "setup: creating .venv (Python for oracle tests and benchmarks)"
    python3 -m venv --system-site-packages .venv
  fi
  # TFLM and TFLite/Keras; librosa (audio front end oracle); scikit-learn (the
  # digits data of the compression benches); TFMOT (pruning schedule oracle).
  # TFMOT and tf_keras go in without their dependencies: tf_keras would pull
  # the full `tensorflow` wheel beside tensorflow-cpu, which already provides it.
  want=(tflite-micro "tensorflow-cpu==2.21.0" numpy librosa scikit-learn absl-py dm-tree six)
  nodeps=(tensorflow-model-optimization "tf_keras==2.21.0")
  if ! .venv/bin/python -c "import tflite_micro, tensorflow, numpy, librosa, sklearn, tf_keras, tensorflow_model_optimization" 2>/dev/null; then
    echo "setup: pip install ${want[*]} ${nodeps[*]} (into .venv)"
    .venv/bin/python -m pip install -q "${want[@]}"
    .venv/bin/python -m pip install -q --no-deps "${nodeps[@]}"
  else
    echo "setup: Python oracles present"
  fi
fi
