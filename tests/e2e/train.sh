#!/usr/bin/env bash
# End-to-end: compile a model with dlc, train it with dlrun on real digits,
# and require the final test accuracy to reach a floor.
#   train.sh DLC DLRUN MODEL DATA EPOCHS MIN_ACCURACY [dlrun args...]
set -euo pipefail
dlc=$1 dlrun=$2 model=$3 data=$4 epochs=$5 floor=$6
shift 6
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$dlc" "$model" -o "$work/model.plan"
"$dlrun" "$work/model.plan" --data "$data" --epochs "$epochs" "$@" | tee "$work/log"
lines=$(grep -cE '^Epoch [0-9]+\. Loss: [0-9.]+, Train acc [0-9.]+, Test loss [0-9.]+, Test acc [0-9.]+, Time [0-9.]+ s$' "$work/log" || true)
[ "$lines" -eq "$epochs" ] || { echo "FAIL: expected $epochs epoch lines, got $lines"; exit 1; }
acc=$(tail -n 1 "$work/log" | sed -E 's/.*Test acc ([0-9.]+).*/\1/')
python3 - "$acc" "$floor" <<'PY'
import sys
acc, floor = float(sys.argv[1]), float(sys.argv[2])
print(f"final test accuracy {acc:.4f} (floor {floor})")
sys.exit(0 if acc >= floor else 1)
PY
