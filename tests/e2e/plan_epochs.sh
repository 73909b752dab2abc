#!/usr/bin/env bash
# bench/plan_epochs.sh on two plans and gzipped IDX data: a median training
# time per plan, from every round. The training labels decompress to more
# than one write of zcat (40000 labels), which the script must survive
# reading only the header.
#   plan_epochs.sh DLC DLRUN SCRIPT MODEL
set -euo pipefail
dlc=$1 dlrun=$2 script=$3 model=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/data"
python3 - "$work/data" <<'PY'
import gzip, random, struct, sys
random.seed(1)
for kind, n in (("train", 40000), ("t10k", 1000)):
    with gzip.open(f"{sys.argv[1]}/{kind}-images-idx3-ubyte.gz", "wb") as f:
        f.write(struct.pack(">IIII", 0x803, n, 28, 28) + bytes(n * 784))
    with gzip.open(f"{sys.argv[1]}/{kind}-labels-idx1-ubyte.gz", "wb") as f:
        f.write(struct.pack(">II", 0x801, n) +
                bytes(random.randrange(10) for _ in range(n)))
PY
"$dlc" "$model" -o "$work/a.plan"
cp "$work/a.plan" "$work/b.plan"
DLRUN="$dlrun" bash "$script" --data "$work/data" --rounds 2 --epochs 2 \
  "$work/a.plan" "$work/b.plan" | tee "$work/out"
for p in a b; do
  grep -qE "^$work/$p\.plan +[0-9]+\.[0-9]+ +[0-9]+\.[0-9]+ [0-9]+\.[0-9]+$" \
    "$work/out" || { echo "FAIL: no median and two epochs for $p.plan"; exit 1; }
done
