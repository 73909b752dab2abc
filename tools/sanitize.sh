#!/usr/bin/env bash
# Runs the whole test suite under ASan and UBSan: tools/fuzz.sh --replay
# (which installs clang's runtimes, configures build-fuzz/ and replays the
# fuzz inputs), then every target built there and ctest. Slow (about half
# an hour on two cores), so not part of tools/test.sh. ctest arguments
# pass through, e.g. -R CudaExecutor.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${DLC_FUZZ_BUILD_DIR:-$root/build-fuzz}"
bash "$root/tools/fuzz.sh" --replay
cmake --build "$build"
# LLVM's allocator headers poison memory in instrumented code that the
# uninstrumented libMLIR.so then writes: false reports, and dlc poisons
# nothing itself.
ASAN_OPTIONS="allow_user_poisoning=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}" \
  ctest --test-dir "$build" --output-on-failure -j "$(nproc)" "$@"
