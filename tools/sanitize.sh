#!/usr/bin/env bash
# Runs the test suite under sanitizers. Slow, so not part of tools/test.sh.
#   bash tools/sanitize.sh [CTEST ARGS...]
#     ASan and UBSan: tools/fuzz.sh --replay (which installs clang's
#     runtimes, configures build-fuzz/ and replays the fuzz inputs), then
#     every target built there and ctest (about 11 minutes of tests on two
#     cores); ctest arguments pass through, e.g. -R CudaExecutor.
#   bash tools/sanitize.sh --thread [GTEST ARGS...]
#     ThreadSanitizer over RuntimeTest, the tests of the runtime's threads
#     (thread pool, CPU and CUDA executors, trainer, dlrun), in
#     build-tsan/. The compiler's tests stay out: they run LLVM's threads in
#     libLLVM.so, which is not instrumented.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

if [ "${1:-}" = "--thread" ]; then
  shift
  build="${DLC_TSAN_BUILD_DIR:-$root/build-tsan}"
  bash "$root/tools/setup.sh" libclang-rt-22-dev
  if [ ! -f "$build/build.ninja" ]; then
    CC=clang-22 CXX=clang++-22 cmake -G Ninja -S "$root" -B "$build" \
      -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DCMAKE_C_FLAGS=-fsanitize=thread -DCMAKE_CXX_FLAGS=-fsanitize=thread \
      -DCMAKE_EXE_LINKER_FLAGS=-fsanitize=thread \
      -DCMAKE_SHARED_LINKER_FLAGS=-fsanitize=thread
  fi
  cmake --build "$build" --target RuntimeTest
  # A report fails the run (exit code 66), as in ctest.
  cd "$build" && exec bin/RuntimeTest "$@"
fi

build="${DLC_FUZZ_BUILD_DIR:-$root/build-fuzz}"
bash "$root/tools/fuzz.sh" --replay
cmake --build "$build"
# LLVM's allocator headers poison memory in instrumented code that the
# uninstrumented libMLIR.so then writes: false reports, and dlc poisons
# nothing itself.
ASAN_OPTIONS="allow_user_poisoning=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}" \
  ctest --test-dir "$build" --output-on-failure -j "$(nproc)" "$@"
