#!/usr/bin/env bash
# DP-SGD's cost on a text GRU, in one run: the built-in text-gru on the 100-e-mail test sample (max_length 64, batch 16,
# Adam, 3 epochs, validation 20%) with DP-SGD in one pass per batch (batched per-example gradients), with DP-SGD looped
# over examples (ANVIL_DP_LOOP=1, the path before batched rules) and without DP, interleaved for ROUNDS rounds, each run
# its own process. THREADS=1 adds "threads": 1 to the recipe (libtorch's threads; default: all cores). Prints texts/s
# of each, the medians and the ratios.
set -euo pipefail
root="${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
rounds="${ROUNDS:-5}"
out="${OUT:-$root/bench/out/privacy-text}"; rm -rf "$out"; mkdir -p "$out"
export ANVIL_HOME="$out/home"
sample="$root/tests/Anvil.Cli.Tests/bin/Release/net10.0/linux-x64/TestData/spam-assassin"
[ -d "$sample" ] || { echo "Build the CLI tests first (dotnet build tests/Anvil.Cli.Tests -c Release): $sample is missing" >&2; exit 1; }
"$root/anvil" --help > /dev/null # builds the CLI when needed
cp -r "$root/src/Anvil.Cli/bin/Release/net10.0/linux-x64" "$out/bin" # a rebuild during the run cannot swap the binary
cat > "$out/recipe.json" <<JSON
{ "data": "$sample", "text": { "max_length": 64, "min_count": 1 }, "epochs": 3,
  "batch_size": 16, "optimizer": "adam", "learning_rate": 0.005, "validation_fraction": 0.2${THREADS:+, \"threads\": $THREADS} }
JSON

run() { # CONTENDER ENV ARGS...
  local contender="$1" loop="$2"; shift 2
  ANVIL_DP_LOOP="$loop" dotnet "$out/bin/anvil.dll" train --recipe "$out/recipe.json" --json "$@" 2> "$out/$contender.log" | tail -n 1 |
    python3 -c "import json, sys; r = json.load(sys.stdin); print(json.dumps({'contender': '$contender', 'texts_per_second': r['images_per_second'], 'test_accuracy': r['test_accuracy']}))" |
    tee -a "$out/results.jsonl"
}
for _ in $(seq "$rounds"); do
  run batched 0 --dp-epsilon 8 --dp-delta 1e-3
  run looped 1 --dp-epsilon 8 --dp-delta 1e-3
  run plain 0
done
python3 - "$out/results.jsonl" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
m = {c: statistics.median(r["texts_per_second"] for r in rows if r["contender"] == c) for c in ("batched", "looped", "plain")}
print(f"text GRU, medians: DP-SGD batched {m['batched']:.1f} texts/s, DP-SGD looped {m['looped']:.1f}, non-private {m['plain']:.1f}; "
      f"non-private/batched {m['plain'] / m['batched']:.2f}x, non-private/looped {m['plain'] / m['looped']:.2f}x, batched/looped {m['batched'] / m['looped']:.2f}x")
PY
