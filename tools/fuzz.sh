#!/usr/bin/env bash
# Fuzzes the readers of user input with libFuzzer, ASan and UBSan:
#   bash tools/fuzz.sh [--replay] [TARGET...]   TARGET: plan idx param model mlir pass
# Builds tests/fuzz in ./build-fuzz (clang, -DDLC_FUZZERS=ON; or
# $DLC_FUZZ_BUILD_DIR), then runs each target (all by default) for
# $FUZZ_SECONDS (60) from its seeds and regressions. New coverage goes to
# build-fuzz/corpus/TARGET; a failing input is written to
# build-fuzz/artifacts/ and the script exits non-zero. Reproduce with
# build-fuzz/bin/TARGET-fuzzer FILE; once fixed, keep the input in
# tests/fuzz/regressions/TARGET/. --replay runs the seeds and regressions
# once each under the sanitizers instead (tools/test.sh does).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${DLC_FUZZ_BUILD_DIR:-$root/build-fuzz}"
seconds="${FUZZ_SECONDS:-60}"
replay=0
if [ "${1:-}" = "--replay" ]; then
  replay=1
  shift
fi
targets=("$@")
[ ${#targets[@]} -ne 0 ] || targets=(plan idx param model mlir pass)

bash "$root/tools/setup.sh" libclang-rt-22-dev
if [ -f "$build/CMakeCache.txt" ] &&
    ! grep -q '^DLC_FUZZERS:BOOL=ON' "$build/CMakeCache.txt"; then
  echo "fuzz: $build is not a -DDLC_FUZZERS=ON build" >&2
  exit 1
fi
if [ ! -f "$build/build.ninja" ]; then
  CC=clang-22 CXX=clang++-22 cmake -G Ninja -S "$root" -B "$build" \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDLC_FUZZERS=ON
fi
cmake --build "$build" --target "${targets[@]/%/-fuzzer}"

mkdir -p "$build/artifacts"
status=0
for t in "${targets[@]}"; do
  inputs=("$root/tests/fuzz/seeds/$t")
  [ -d "$root/tests/fuzz/regressions/$t" ] &&
    inputs+=("$root/tests/fuzz/regressions/$t")
  if [ $replay = 1 ]; then
    mode=(-runs=0)
  else
    mkdir -p "$build/corpus/$t"
    inputs=("$build/corpus/$t" "${inputs[@]}")
    mode=(-max_total_time="$seconds" -print_final_stats=1)
    # Plans with a PTX module are tens of kilobytes; libFuzzer's default
    # length (from the largest seed) suits the rest.
    [ "$t" = plan ] && mode+=(-max_len=65536)
    # The pass target reads MLIR text as the mlir target does.
    dict="$root/tests/fuzz/${t/#pass/mlir}.dict"
    [ -f "$dict" ] && mode+=(-dict="$dict")
    echo "fuzz: $t for ${seconds} s"
  fi
  if ! "$build/bin/$t-fuzzer" "${mode[@]}" -timeout=30 -rss_limit_mb=6000 \
      -artifact_prefix="$build/artifacts/$t-" "${inputs[@]}" \
      >"$build/$t.log" 2>&1; then
    status=1
    echo "fuzz: $t failed; see $build/$t.log and $build/artifacts/"
    grep -a -m1 -A12 'ERROR\|runtime error\|compiler fuzzer:\|bad error' \
      "$build/$t.log" || true
  elif [ $replay = 1 ]; then
    echo "fuzz: $t: $(find "${inputs[@]}" -type f | wc -l) inputs replayed"
  fi
  grep -a -E '^stat::number_of_executed_units|^stat::new_units_added' \
    "$build/$t.log" | sed "s/^/fuzz: $t /" || true
done
exit $status
