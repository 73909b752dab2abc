#!/usr/bin/env bash
# Installs every Debian package dlc needs to build, test and train, and any
# extra packages named as arguments (tools/fuzz.sh adds clang's runtime
# libraries). Idempotent: packages already present are skipped, so a second
# run costs a few seconds.
set -euo pipefail

PACKAGES=(
  cmake ninja-build ccache g++ pkg-config
  llvm-22-dev libmlir-22-dev mlir-22-tools clang-22 lld-22 liblld-22-dev llvm-22-tools
  libflatbuffers-dev flatbuffers-compiler
  libgtest-dev libgmock-dev
  zlib1g-dev libcli11-dev
  gnuplot-nox
  dataset-fashion-mnist
  "$@"
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -ne 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "setup: all packages present"
