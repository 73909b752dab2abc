#!/usr/bin/env bash
# dlc vs PyTorch training-speed benchmark: see bench/README.md.
#
#   bash bench/run.sh [--threads T] [--epochs E] [--rounds R]
#                     [--models "mlp softmax_regression lenet_relu lenet"]
#                     [--data DIR] [--openblas-coretype NAME]
#
# For each model: compiles models/M.dl with dlc, trains 1 warm-up + E timed
# epochs with dlrun and with the same model in PyTorch (bench/torch_models.py),
# on T threads, R rounds of both (default 1), and prints one table (median
# epoch times over all rounds, GFLOP/s, % of the measured FMA peak). When
# OpenBLAS falls back to pre-AVX kernels, PyTorch is also timed with its
# AVX-512/AVX2 kernels forced (extra columns). Not part of ctest.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${DLC_BUILD_DIR:-$root/build}"
py=/usr/bin/python3 # Debian's python3-torch lives in the system python

threads=2
epochs=3
rounds=1
models="mlp softmax_regression lenet_relu lenet"
data=/usr/share/datasets/fashion-mnist
coretype=""

usage() { sed -n '2,/^$/p' "${BASH_SOURCE[0]}" | grep '^#' | sed 's/^# \{0,1\}//'; }
die() { echo "bench/run.sh: error: $*" >&2; exit 1; }
need_value() { [ $# -ge 2 ] && [ -n "$2" ] || die "$1 needs a value"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --threads) need_value "$@"; threads="$2"; shift 2 ;;
    --epochs) need_value "$@"; epochs="$2"; shift 2 ;;
    --rounds) need_value "$@"; rounds="$2"; shift 2 ;;
    --models) need_value "$@"; models="$2"; shift 2 ;;
    --data) need_value "$@"; data="$2"; shift 2 ;;
    --openblas-coretype) need_value "$@"; coretype="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument '$1'" ;;
  esac
done
[[ "$threads" =~ ^[1-9][0-9]*$ ]] || die "--threads must be a positive integer, got '$threads'"
[[ "$epochs" =~ ^[1-9][0-9]*$ ]] || die "--epochs must be a positive integer, got '$epochs'"
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || die "--rounds must be a positive integer, got '$rounds'"
read -r -a model_list <<<"$models"
[ ${#model_list[@]} -gt 0 ] || die "--models is empty"
for m in "${model_list[@]}"; do
  case "$m" in
    mlp|softmax_regression|lenet_relu|lenet) ;;
    *) die "unknown model '$m' (known: mlp softmax_regression lenet_relu lenet)" ;;
  esac
  [ -f "$root/models/$m.dl" ] || die "missing $root/models/$m.dl"
done

# --- data -------------------------------------------------------------------
# idx_count FILE-STEM: the number of items in DIR/STEM or DIR/STEM.gz.
idx_count() {
  local f="$data/$1" bytes
  if [ -f "$f" ]; then bytes=$(head -c 8 "$f" | od -An -tu1)
  elif [ -f "$f.gz" ]; then bytes=$({ gzip -dc "$f.gz" 2>/dev/null || true; } | head -c 8 | od -An -tu1)
  else return 1; fi
  read -r _ _ _ _ b4 b5 b6 b7 <<<"$bytes"
  echo $(( (b4 << 24) | (b5 << 16) | (b6 << 8) | b7 ))
}
for stem in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
  [ -f "$data/$stem" ] || [ -f "$data/$stem.gz" ] ||
    die "Fashion-MNIST not found: ${data}/${stem}[.gz] is missing.
Install it with 'apt-get install dataset-fashion-mnist' (or run tools/setup.sh), or pass --data DIR."
done
n_train=$(idx_count train-images-idx3-ubyte)
n_test=$(idx_count t10k-images-idx3-ubyte)

# --- packages ---------------------------------------------------------------
packages=(python3-torch libopenblas0-openmp)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -ne 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "bench: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
"$py" -c 'import torch, numpy' 2>/dev/null ||
  die "$py cannot import torch/numpy (is python3-torch installed for the system python?)"
command -v cc >/dev/null || die "no C compiler 'cc' (needed for bench/fma_peak.c)"

# --- dlc / dlrun ------------------------------------------------------------
dlc="$build/bin/dlc"
dlrun="$build/bin/dlrun"
if [ ! -x "$dlc" ] || [ ! -x "$dlrun" ]; then
  echo "bench: building dlc and dlrun (bash tools/build.sh)" >&2
  DLC_BUILD_DIR="$build" bash "$root/tools/build.sh" >&2
fi
[ -x "$dlc" ] && [ -x "$dlrun" ] || die "no $dlc or $dlrun after tools/build.sh"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/dlc-bench.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

# CPU use by other processes while a command runs: snapshot before and after,
# then other_load BEFORE AFTER prints "X%" of all CPUs used by processes that
# are not this script or its children, plus the hypervisor's steal time.
clk_tck=$(getconf CLK_TCK)
snapshot() {
  echo "$(awk '/^cpu /{print $2+$3+$4+$7+$8, $9}' /proc/stat)" \
       "$(awk '{print $14+$15+$16+$17}' "/proc/$$/stat")" "$(date +%s.%N)"
}
other_load() {
  awk -v a="$1" -v b="$2" -v hz="$clk_tck" -v n="$(nproc)" 'BEGIN {
    split(a, x, " "); split(b, y, " ")
    total = (y[4] - x[4]) * hz * n; if (total <= 0) { print "n/a"; exit }
    other = (y[1] - x[1]) - (y[3] - x[3]); if (other < 0) other = 0
    printf "%.0f%%", 100 * other / total
    steal = 100 * (y[2] - x[2]) / total; if (steal >= 0.5) printf " +%.0f%% steal", steal }'
}

# median of the numbers on stdin (one per line)
median() { sort -g | awk '{v[NR]=$1} END {if (NR==0) exit 1; print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
now() { date +%s.%N; }
# torch_epochs FILE: the timed epochs (ms, one per line) of a torch_models.py run.
torch_epochs() {
  local ms
  ms=$(sed -n 's/^RESULT .*epochs_ms=\([0-9.,]*\).*/\1/p' "$1")
  [ -n "$ms" ] || return 1
  tr ',' '\n' <<<"$ms"
}
# worse_load A B: whichever other_load reading shows more foreign CPU use.
worse_load() {
  if [ -z "$1" ]; then echo "$2"; return; fi
  awk -v a="$1" -v b="$2" 'BEGIN { print (b + 0 > a + 0) ? b : a }'
}
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", b-a}'; }

# --- machine, FMA peak --------------------------------------------------------
cpu="$(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1)"
ncpu="$(nproc)"
cc -O2 -march=native -fopenmp "$root/bench/fma_peak.c" -o "$tmp/fma_peak"
echo "bench: measuring the FMA peak" >&2
read -r _ _ _ _ isa _ peak1 < <("$tmp/fma_peak" 1)
read -r _ _ _ _ _ _ peakT < <("$tmp/fma_peak" "$threads")

# --- PyTorch environment ---------------------------------------------------------
# The torch command runs without OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE (unless
# --openblas-coretype sets the former), with OMP_NUM_THREADS=T.
torch_env=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "OMP_NUM_THREADS=$threads")
[ -z "$coretype" ] || torch_env+=("OPENBLAS_CORETYPE=$coretype")
"${torch_env[@]}" "$py" "$root/bench/torch_models.py" --info --threads "$threads" >"$tmp/torch.info"
info() { sed -n "s/^$1: //p" "$tmp/torch.info" | head -1; }
torch_version="$(info torch | cut -d' ' -f1)"
blas="$(info blas)"
blas_libs="$(info blas_libraries)"
ob_core="$(info openblas_core)"
ob_config="$(info openblas_config)"
torch_cpu="$(info torch_config)"
# Debian's OpenBLAS falls back to pre-AVX kernels on CPUs it does not know.
# Then PyTorch also runs with the AVX-512 (or AVX2) kernels forced, in its
# own columns: the stronger peer.
strong_core=""
if [ -z "$coretype" ] && [ "$blas" = OpenBLAS ]; then
  case "$ob_core" in
    Prescott|Core2|Penryn|Dunnington|Nehalem|Katmai|Coppermine|Northwood|Banias|Atom|generic|"")
      if grep -qw avx512f /proc/cpuinfo; then strong_core=SkylakeX
      elif grep -qw avx2 /proc/cpuinfo; then strong_core=Haswell; fi ;;
  esac
fi

# --- compile times (mlp and lenet, whether or not they are benchmarked) ----------
declare -A compile_s
compile() { # compile M: dlc models/M.dl -o $tmp/M.plan, recording the time
  local t0 t1
  t0=$(now)
  "$dlc" "$root/models/$1.dl" -o "$tmp/$1.plan"
  t1=$(now)
  compile_s[$1]=$(elapsed "$t0" "$t1")
}
for m in mlp lenet "${model_list[@]}"; do
  [ -n "${compile_s[$m]:-}" ] || compile "$m"
done

# --- per model ----------------------------------------------------------------------
declare -A dlc_ms torch_ms gflops kernels dlc_raw torch_raw dlc_last torch_last dlc_other torch_other
declare -A strong_ms strong_raw strong_other
for m in "${model_list[@]}"; do
  batch=$(sed -n 's/^input [^:]*: *f32\[ *\([0-9]*\).*/\1/p' "$root/models/$m.dl" | head -1)
  [ -n "$batch" ] || die "cannot read the batch size of models/$m.dl"
  steps=$(( n_train / batch ))
  eval_steps=$(( (n_test + batch - 1) / batch ))

  "$dlc" "$root/models/$m.dl" --emit=kernels >"$tmp/$m.kernels"
  # train_step / eval_step: kernel count and exact FLOPs (sum of the kernels' flops)
  read -r k_train f_train f_eval < <(awk '
    /^train_step:/ {s="t"; kt=$2; next}
    /^eval_step:/  {s="e"; next}
    /^[^ ]/        {s=""}
    /^  k[0-9]/ { for (i = 1; i < NF; ++i) if ($i == "flops") { if (s=="t") ft+=$(i+1); else if (s=="e") fe+=$(i+1) } }
    END { printf "%d %.0f %.0f\n", kt, ft, fe }' "$tmp/$m.kernels")
  kernels[$m]=$k_train
  epoch_flops=$(awk -v a="$f_train" -v s="$steps" -v b="$f_eval" -v e="$eval_steps" 'BEGIN{printf "%.0f", a*s + b*e}')

  # Each round runs dlc, PyTorch (and the stronger PyTorch) once, one
  # after the other, each with its own warm-up epoch; medians are over the
  # timed epochs of all rounds, so that a machine drifting during the run
  # weighs on both sides alike.
  : >"$tmp/$m.dlrun.times"
  : >"$tmp/$m.torch.times"
  : >"$tmp/$m.strong.times"
  dlc_other[$m]="" torch_other[$m]="" strong_other[$m]=""
  for round in $(seq "$rounds"); do
    of_rounds=""
    [ "$rounds" -eq 1 ] || of_rounds=" (round $round of $rounds)"
    echo "bench: $m: dlrun, $((epochs + 1)) epochs on $threads threads$of_rounds" >&2
    s0=$(snapshot)
    "$dlrun" "$tmp/$m.plan" --epochs $((epochs + 1)) --threads "$threads" --data "$data" | tee "$tmp/$m.dlrun" | sed 's/^/  dlrun  | /' >&2
    dlc_other[$m]=$(worse_load "${dlc_other[$m]}" "$(other_load "$s0" "$(snapshot)")")
    grep -o 'Time [0-9.]* s' "$tmp/$m.dlrun" | awk '{print $2}' | tail -n +2 >"$tmp/$m.dlrun.round"
    [ "$(wc -l <"$tmp/$m.dlrun.round")" -eq "$epochs" ] || die "could not read $epochs timed epochs from dlrun's output for $m"
    cat "$tmp/$m.dlrun.round" >>"$tmp/$m.dlrun.times"
    dlc_last[$m]=$(tail -1 "$tmp/$m.dlrun" | sed -n 's/.*\(Test acc [0-9.]*\).*/\1/p')

    echo "bench: $m: PyTorch, $((epochs + 1)) epochs on $threads threads$of_rounds" >&2
    s0=$(snapshot)
    "${torch_env[@]}" "$py" "$root/bench/torch_models.py" "$m" --threads "$threads" --epochs "$epochs" --data "$data" \
      | tee "$tmp/$m.torch" | sed 's/^/  torch  | /' >&2
    torch_other[$m]=$(worse_load "${torch_other[$m]}" "$(other_load "$s0" "$(snapshot)")")
    torch_epochs "$tmp/$m.torch" >>"$tmp/$m.torch.times" || die "no RESULT line from bench/torch_models.py for $m"
    torch_last[$m]=$(grep '^Epoch' "$tmp/$m.torch" | tail -1 | sed -n 's/.*\(Test acc [0-9.]*\).*/\1/p')

    if [ -n "$strong_core" ]; then
      echo "bench: $m: PyTorch with OPENBLAS_CORETYPE=$strong_core, $((epochs + 1)) epochs$of_rounds" >&2
      s0=$(snapshot)
      "${torch_env[@]}" "OPENBLAS_CORETYPE=$strong_core" "$py" "$root/bench/torch_models.py" "$m" \
        --threads "$threads" --epochs "$epochs" --data "$data" | tee "$tmp/$m.strong" | sed 's/^/  torch+ | /' >&2
      strong_other[$m]=$(worse_load "${strong_other[$m]}" "$(other_load "$s0" "$(snapshot)")")
      torch_epochs "$tmp/$m.strong" >>"$tmp/$m.strong.times" ||
        die "no RESULT line from bench/torch_models.py for $m (OPENBLAS_CORETYPE=$strong_core)"
    fi
  done
  med=$(median <"$tmp/$m.dlrun.times")
  dlc_ms[$m]=$(awk -v t="$med" 'BEGIN{printf "%.0f", t*1000}')
  dlc_raw[$m]=$(awk '{printf "%s%.0f", (NR>1?",":""), $1*1000}' "$tmp/$m.dlrun.times")
  gflops[$m]=$(awk -v f="$epoch_flops" -v t="$med" 'BEGIN{printf "%.1f", f/t/1e9}')
  torch_ms[$m]=$(median <"$tmp/$m.torch.times" | awk '{printf "%.0f", $1}')
  torch_raw[$m]=$(awk '{printf "%s%.0f", (NR>1?",":""), $1}' "$tmp/$m.torch.times")
  if [ -n "$strong_core" ]; then
    strong_ms[$m]=$(median <"$tmp/$m.strong.times" | awk '{printf "%.0f", $1}')
    strong_raw[$m]=$(awk '{printf "%s%.0f", (NR>1?",":""), $1}' "$tmp/$m.strong.times")
  fi
done

strip -o "$tmp/dlrun.stripped" "$dlrun"
dlrun_bytes=$(stat -c %s "$tmp/dlrun.stripped")

# --- table ----------------------------------------------------------------------------
echo
echo "## dlc vs PyTorch: training epoch time, $threads thread(s), median of $((epochs * rounds)) epoch(s): $rounds round(s) of 1 warm-up + $epochs"
echo
case "$blas" in
  OpenBLAS) ;;
  *REFERENCE*)
    echo "!!! WARNING: PyTorch loaded the REFERENCE (netlib) BLAS ($blas_libs), about 30x slower than OpenBLAS:"
    echo "!!! the PyTorch column is NOT a fair peer. Install libopenblas0-openmp (or fix update-alternatives libblas.so.3)."
    echo ;;
  *) echo "!!! WARNING: PyTorch's BLAS is $blas ($blas_libs)"; echo ;;
esac
case "$ob_core" in
  Prescott|Core2|Penryn|Dunnington|Nehalem|Katmai|Coppermine|Northwood|Banias|Atom|generic|"")
    if [ "$blas" = OpenBLAS ]; then
      echo "!!! NOTE: OpenBLAS runs its '$ob_core' (pre-AVX) kernels: it does not recognise this CPU, so PyTorch's"
      echo "!!! dense layers are several times slower than OpenBLAS can be here."
      if [ -n "$strong_core" ]; then
        echo "!!! The last two columns time PyTorch again with OPENBLAS_CORETYPE=$strong_core: the stronger peer."
      fi
      echo
    fi ;;
esac
noisy=$(for m in "${model_list[@]}"; do echo "${dlc_other[$m]%%%*}"; echo "${torch_other[$m]%%%*}"; echo "${strong_other[$m]:-0}" | sed 's/%.*//'; done |
  awk '$1 + 0 > 10 {n = 1} END {print n + 0}')
if [ "$noisy" = 1 ]; then
  echo "!!! WARNING: other processes used more than 10% of the CPUs during some runs (see 'other' below):"
  echo "!!! these times are noisy (OpenMP runtimes such as PyTorch's suffer most). Rerun on an idle machine."
  echo
fi
strong_head="" strong_rule=""
if [ -n "$strong_core" ]; then
  strong_head=$(printf ' %16s | %11s |' "PyTorch+$strong_core" "ratio")
  strong_rule="$(printf -- '-%.0s' {1..18})|$(printf -- '-%.0s' {1..13})|"
fi
printf '| %-18s | %12s | %16s | %11s | %14s | %11s | %13s |%s\n' \
  model "dlc ms/epoch" "PyTorch ms/epoch" "PyTorch/dlc" "dlc GFLOP/s" "% FMA peak" "kernels/step" "$strong_head"
printf '|%s|%s|%s|%s|%s|%s|%s|%s\n' "$(printf -- '-%.0s' {1..20})" "$(printf -- '-%.0s' {1..14})" \
  "$(printf -- '-%.0s' {1..18})" "$(printf -- '-%.0s' {1..13})" "$(printf -- '-%.0s' {1..16})" \
  "$(printf -- '-%.0s' {1..13})" "$(printf -- '-%.0s' {1..15})" "$strong_rule"
for m in "${model_list[@]}"; do
  ratio=$(awk -v p="${torch_ms[$m]}" -v d="${dlc_ms[$m]}" 'BEGIN{ if (d > 0) printf "%.2fx", p/d; else print "n/a" }')
  pct=$(awk -v g="${gflops[$m]}" -v p="$peakT" 'BEGIN{printf "%.1f%%", 100*g/p}')
  strong_cells=""
  if [ -n "$strong_core" ]; then
    strong_ratio=$(awk -v p="${strong_ms[$m]}" -v d="${dlc_ms[$m]}" 'BEGIN{ if (d > 0) printf "%.2fx", p/d; else print "n/a" }')
    strong_cells=$(printf ' %16s | %11s |' "${strong_ms[$m]}" "$strong_ratio")
  fi
  printf '| %-18s | %12s | %16s | %11s | %14s | %11s | %13s |%s\n' \
    "$m" "${dlc_ms[$m]}" "${torch_ms[$m]}" "$ratio" "${gflops[$m]}" "$pct" "${kernels[$m]}" "$strong_cells"
done
echo
echo "- epoch = $((n_train / 256)) shuffled full training batches of 256 + one evaluation of all $n_test test images, for both"
echo "  (dlrun's 'Time' of an epoch; PyTorch times the same loop with the test pass under torch.no_grad())."
echo "  PyTorch/dlc > 1 means dlc is faster. dlrun reports epoch times to 1 ms."
echo "- dlc GFLOP/s = (train_step FLOPs x train steps + eval_step FLOPs x ceil($n_test/batch)) / dlc epoch time,"
echo "  FLOPs from 'dlc --emit=kernels'; % FMA peak is of the measured $threads-thread peak below."
echo "- timed epochs in ms, last test accuracy, and CPU used by OTHER processes during each run (noise):"
for m in "${model_list[@]}"; do
  echo "    $m: dlc ${dlc_raw[$m]} (${dlc_last[$m]}; other ${dlc_other[$m]}) / PyTorch ${torch_raw[$m]} (${torch_last[$m]}; other ${torch_other[$m]})${strong_core:+ / PyTorch+$strong_core ${strong_raw[$m]} (other ${strong_other[$m]})}"
done
echo "- dlc compile time: mlp.dl ${compile_s[mlp]} s, lenet.dl ${compile_s[lenet]} s"
rev="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
[ -z "$(git -C "$root" status --porcelain --untracked-files=no 2>/dev/null)" ] || rev="$rev + uncommitted changes"
echo "- dlc binaries: $build/bin (dlc built $(date -r "$dlc" '+%F %T'), dlrun $(date -r "$dlrun" '+%F %T')), source $rev"
echo "- dlrun stripped size: $dlrun_bytes bytes ($(awk -v b="$dlrun_bytes" 'BEGIN{printf "%.0f", b/1024}') KiB)"
echo "- PyTorch $torch_version ($py), BLAS: $blas [$blas_libs]"
[ -z "$ob_config" ] || echo "  OpenBLAS: $ob_config; core type in use: $ob_core${coretype:+ (forced: OPENBLAS_CORETYPE=$coretype)}"
[ -z "$torch_cpu" ] || echo "  torch: $torch_cpu"
echo "- FMA peak (bench/fma_peak.c, $isa, fp32): 1 thread $peak1 GFLOP/s, $threads threads $peakT GFLOP/s"
echo "- threads: $threads (dlrun --threads $threads; torch.set_num_threads($threads), OMP_NUM_THREADS=$threads)"
echo "- machine: $cpu, $ncpu CPUs"
