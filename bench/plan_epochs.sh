#!/usr/bin/env bash
# Training time per epoch of several plans (CPU or CUDA), run in turn so
# that drift in the machine's speed weighs on all alike:
#
#   bash bench/plan_epochs.sh [--data DIR] [--rounds R] [--epochs E] PLAN...
#
# A PLAN written VAR=VALUE@FILE runs FILE with that variable set (e.g.
# DLC_CUDA_PREFETCH=1@mlp.cuda.plan against mlp.cuda.plan).
#
# Each round runs every plan for E epochs (default 3) and keeps epochs 2..E
# (the first pays for uploads, code loading and caches). Prints per plan the
# kept epochs' training milliseconds (the epoch's trained examples over
# dlrun's training throughput: no test pass) and their median. On a GPU
# this is the measure to tune by: a profiler's per-kernel times, taken one
# kernel at a time with caches flushed, can rank schedules differently.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dlrun="${DLRUN:-$root/build/bin/dlrun}"
data="/usr/share/datasets/fashion-mnist"
rounds=3
epochs=3
plans=()
while [ $# -gt 0 ]; do
  case "$1" in
  --data) data="$2"; shift 2 ;;
  --rounds) rounds="$2"; shift 2 ;;
  --epochs) epochs="$2"; shift 2 ;;
  -h | --help) sed -n 2,15p "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  -*) echo "plan_epochs.sh: unknown option $1" >&2; exit 2 ;;
  *) plans+=("$1"); shift ;;
  esac
done
if [ "${#plans[@]}" -eq 0 ] || [ "$epochs" -lt 2 ] || [ "$rounds" -lt 1 ]; then
  echo "usage: plan_epochs.sh [--data DIR] [--rounds R>=1] [--epochs E>=2] PLAN..." >&2
  exit 2
fi
# The plan file of an argument, and the environment it runs with.
fileOf() { case "$1" in *=*@*) echo "${1#*@}" ;; *) echo "$1" ;; esac; }
envOf() { case "$1" in *=*@*) echo "${1%%@*}" ;; esac; }
for p in "${plans[@]}"; do
  [ -f "$(fileOf "$p")" ] || { echo "plan_epochs.sh: $(fileOf "$p"): no such plan" >&2; exit 2; }
done

# Training images in the data (the IDX label file's count, big-endian).
labels="$(ls "$data"/train-labels-idx1-ubyte* 2>/dev/null | head -1)"
[ -n "$labels" ] || { echo "plan_epochs.sh: no train-labels-idx1-ubyte[.gz] in $data" >&2; exit 2; }
case "$labels" in
*.gz) header() { zcat "$labels" | head -c 8; } ;;
*) header() { head -c 8 "$labels"; } ;;
esac
# Without pipefail: zcat dies of SIGPIPE once head has its 8 bytes.
images=$(set +o pipefail
  header | od -An -tu1 | awk '{ print (($5 * 256 + $6) * 256 + $7) * 256 + $8 }')

metrics="$(mktemp -d)/epochs.csv"
trap 'rm -rf "$(dirname "$metrics")"' EXIT
for ((round = 1; round <= rounds; round++)); do
  for p in "${plans[@]}"; do
    file="$(fileOf "$p")"
    # awk reads to the end: exiting early would kill dlrun with SIGPIPE.
    batch=$("$dlrun" "$file" --inspect |
      awk '$1 == "batch" && !seen { print $2 + 0; seen = 1 }')
    rm -f "$metrics"
    # shellcheck disable=SC2046 # the variable is one word
    if ! env $(envOf "$p") "$dlrun" "$file" --data "$data" --epochs "$epochs" \
      --metrics "$metrics" >/dev/null; then
      echo "plan_epochs.sh: dlrun failed on $p" >&2
      exit 1
    fi
    # Full batches only: the trainer drops the partial one.
    awk -F, -v p="$p" -v n=$((images / batch * batch)) \
      'NR > 1 && $1 >= 2 { printf "%s %.3f\n", p, n / $7 * 1000 }' "$metrics"
  done
done | awk '
  { times[$1] = times[$1] " " $2; if (!($1 in order)) order[$1] = ++n }
  END {
    for (p in order) names[order[p]] = p
    printf "%-40s %10s   %s\n", "plan", "median ms", "epochs (ms of training)"
    for (i = 1; i <= n; i++) {
      p = names[i]; k = split(times[p], t, " ")
      for (a = 1; a <= k; a++) for (b = a + 1; b <= k; b++)
        if (t[b] + 0 < t[a] + 0) { x = t[a]; t[a] = t[b]; t[b] = x }
      median = k % 2 ? t[(k + 1) / 2] : (t[k / 2] + t[k / 2 + 1]) / 2
      printf "%-40s %10.2f  %s\n", p, median, times[p]
    }
  }'
