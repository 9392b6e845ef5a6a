#!/usr/bin/env bash
# The data audit against known label errors (issue 11 §3; see bench/README.md): the first SAMPLES (all 60,000) Fashion-MNIST training
# images with 5% of their labels flipped at random to another class, one run per seed in SEEDS, audited with RECIPE
# (default: the default recipe at EPOCHS epochs; "seed-cnn" for the article's network) in 5 folds. Prints each run's
# precision and recall of the flagged examples against the flipped ones (for the default filter, for
# prune-by-noise-rate alone and for its confidently-elsewhere part), the test accuracy of the recipe trained with and without the flagged examples, and medians.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
samples="${SAMPLES:-60000}"; recipe="${RECIPE:-default}"; epochs="${EPOCHS:-4}"; seeds="${SEEDS:-1 2 3}"
# RETRAIN=0 skips the test accuracy with and without the flagged examples; each run's out-of-fold probabilities are
# kept in bench/out/audit/probabilities-SEED.json (true and given labels beside them) for studying filters offline.
out="$root/bench/out/audit"; mkdir -p "$out"; : > "$out/results.jsonl"
[ -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ] || [ -n "${ANVIL_FASHION_MNIST:-}" ] || {
  echo "Fashion-MNIST is missing: sudo apt-get install dataset-fashion-mnist" >&2; exit 1; }
dotnet build "$root/bench/Anvil.Bench/Anvil.Bench.csproj" -c Release --nologo -v quiet -clp:ErrorsOnly >&2
for seed in $seeds; do
  AUDIT_OUT="$out" dotnet "$root/bench/Anvil.Bench/bin/Release/net10.0/linux-x64/Anvil.Bench.dll" audit "$samples" "$seed" "$recipe" "$epochs" | tee -a "$out/results.jsonl"
done
python3 - "$out/results.jsonl" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
def median(key): return statistics.median(r[key] for r in rows)
print(f"{len(rows)} seeds, {rows[0]['samples']:,} images, {rows[0]['flipped']:,} labels flipped, {rows[0]['recipe']} at {rows[0]['epochs']} epochs")
print(f"median precision {median('precision'):.3f}, recall {median('recall'):.3f} (prune by noise rate alone: "
      f"{median('prune_by_noise_rate_precision'):.3f}, {median('prune_by_noise_rate_recall'):.3f}; its confidently-elsewhere part: "
      f"{median('both_precision'):.3f}, {median('both_recall'):.3f}); goal >= 0.8 each")
if rows[0]["test_accuracy_noisy"] is not None:  # RETRAIN=0 skips the two trainings
    print(f"median test accuracy {median('test_accuracy_noisy'):.4f} trained on the noisy labels, "
          f"{median('test_accuracy_without_flagged'):.4f} without the flagged examples")
PY
