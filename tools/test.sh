#!/usr/bin/env bash
# Installs dependencies, builds, and runs every test (GoogleTest units, lit,
# end-to-end), then the fuzz targets' seeds and regressions under ASan and
# UBSan (tools/fuzz.sh --replay, its own clang build in build-fuzz/).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${DLC_BUILD_DIR:-$root/build}"
bash "$root/tools/build.sh"
ctest --test-dir "$build" --output-on-failure -j "$(nproc)"
bash "$root/tools/fuzz.sh" --replay
