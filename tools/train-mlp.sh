#!/usr/bin/env bash
# The main job: install, build, compile models/mlp.dl into a training plan
# and train it on Fashion-MNIST with dlrun. Extra arguments go to dlrun.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${DLC_BUILD_DIR:-$root/build}"
bash "$root/tools/build.sh"
"$build/bin/dlc" "$root/models/mlp.dl" -o "$build/mlp.plan"
"$build/bin/dlrun" "$build/mlp.plan" "$@"
