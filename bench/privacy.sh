#!/usr/bin/env bash
# DP-SGD's cost, in one run on this machine (see bench/README.md): one epoch of the sample CNN of samples/privacy
# (batch 2,048, SGD) on the first LIMIT training images, with DP-SGD (per-example clipping and noise, Poisson
# sampling, ε = 3) and without it, interleaved for ROUNDS rounds, each in its own process. Prints images/s of each,
# the medians and the ratio private / non-private.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
limit="${LIMIT:-20000}"
rounds="${ROUNDS:-3}"
out="$root/bench/out/privacy"; rm -rf "$out"; mkdir -p "$out"
export ANVIL_HOME="$out/home"

[ -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ] || [ -n "${ANVIL_FASHION_MNIST:-}" ] || {
  echo "Fashion-MNIST is missing: sudo apt-get install dataset-fashion-mnist" >&2; exit 1; }
"$root/anvil" --help > /dev/null
cp -r "$root/src/Anvil.Cli/bin/Release/net10.0/linux-x64" "$out/bin" # a rebuild during the run cannot swap the binary

run() { # CONTENDER ARGS...
  local contender="$1"; shift
  dotnet "$out/bin/anvil.dll" train --model "$root/samples/privacy/spec.json" --batch-size 2048 --optimizer sgd --lr 4 \
    --schedule constant --validation-fraction 0 --epochs 1 --limit "$limit" --json "$@" 2> "$out/$contender.log" | tail -n 1 |
    python3 -c "import json, sys; r = json.load(sys.stdin); print(json.dumps({'contender': '$contender', 'images_per_second': r['images_per_second']}))" |
    tee -a "$out/results.jsonl"
}
for _ in $(seq "$rounds"); do
  run private --dp-epsilon 3 --dp-delta 1e-6 --dp-clip 0.1
  run plain
done
python3 - "$out/results.jsonl" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
median = {c: statistics.median(r["images_per_second"] for r in rows if r["contender"] == c) for c in ("private", "plain")}
print(f"DP-SGD {median['private']:,.0f} img/s, non-private {median['plain']:,.0f} img/s (medians): "
      f"private/non-private {median['private'] / median['plain']:.2f}")
PY
