#!/usr/bin/env bash
# Teacher vgg-small, then seed-cnn students with and without distillation at the same epochs and seeds.
# Prints one line per run: seed, kind, test accuracy (single view). Usage: bash samples/distill/measure.sh [SEEDS...]
set -euo pipefail
cd "$(dirname "$0")/../.."
export ANVIL_HOME="${ANVIL_HOME:-$(mktemp -d)}"
seeds=("${@:-1 2 3}")
accuracy() { tail -n 1 | python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["run_id"], r["test_accuracy"])'; }
read -r teacher teacher_acc < <(./anvil train --model vgg-small --limit 10000 --epochs 3 --seed 1 --json | accuracy)
echo "teacher $teacher vgg-small $teacher_acc"
for seed in ${seeds[@]}; do
  read -r _ alone < <(./anvil train --recipe samples/distill/student.json --limit 10000 --seed "$seed" --json | accuracy)
  read -r _ distilled < <(./anvil train --recipe samples/distill/student.json --limit 10000 --seed "$seed" --teacher "$teacher" --json | accuracy)
  echo "seed $seed alone $alone distilled $distilled"
done
