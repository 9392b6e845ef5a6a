#!/usr/bin/env bash
# Tuning benchmark, all in one run on this machine (see bench/README.md): the study of samples/tune/fmnist.json
# at a reduced size, for SEEDS sampler seeds, three ways — TPE with N trials, random search with 2N trials, and
# TPE with N trials and the median pruner. Prints each study's best validation accuracy and training seconds, then
# the medians over seeds: does TPE with N reach random's best with 2N, and what does pruning save and cost?
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
trials="${TRIALS:-16}"          # N
startup="${STARTUP:-5}"         # TPE's random trials before it models the results
seeds="${SEEDS:-1 2 3}"
limit="${LIMIT:-8000}"          # samples per split; 10% of them validate
epochs="${EPOCHS:-3}"
workers="${WORKERS:-2}"         # one thread each
out="$root/bench/out/tune"; rm -rf "$out"; mkdir -p "$out"
export ANVIL_HOME="$out/home"

[ -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ] || [ -n "${ANVIL_FASHION_MNIST:-}" ] || {
  echo "Fashion-MNIST is missing: sudo apt-get install dataset-fashion-mnist" >&2; exit 1; }

# A copy of the CLI, so a rebuild during the (long) run cannot swap the binary under its workers.
"$root/anvil" --help > /dev/null
cp -r "$root/src/Anvil.Cli/bin/Release/net10.0/linux-x64" "$out/bin"

# One study file per (way, seed): the sample's space and base recipe, with this run's sampler, pruner and seed.
study() { # NAME SAMPLER PRUNE SEED
  /usr/bin/python3 - "$root/samples/tune/fmnist.json" "$out/$1.json" "$1" "$2" "$3" "$4" "$epochs" "$startup" <<'PY'
import json, sys
src, dst, name, sampler, prune, seed, epochs, startup = sys.argv[1:]
s = json.load(open(src))
s.update(name=name, sampler=sampler, seed=int(seed))
if sampler == "tpe":
    s["startup_trials"] = int(startup)
else:
    s.pop("startup_trials", None)
s["recipe"].update(epochs=int(epochs), threads=1)
if prune == "yes":
    s["pruner"] = {"type": "median", "startup_trials": 4, "warmup_epochs": 1}
else:
    s.pop("pruner", None)
json.dump(s, open(dst, "w"), indent=1)
PY
}

for seed in $seeds; do
  for way in "tpe $trials no" "random $((2 * trials)) no" "tpe-pruned $trials yes"; do
    set -- $way
    name="$1-seed$seed"; sampler="${1%-pruned}"
    study "$name" "$sampler" "$3" "$seed"
    echo "study $name: $2 trials" >&2
    dotnet "$out/bin/anvil.dll" tune --study "$out/$name.json" --trials "$2" --workers "$workers" --limit "$limit" --json \
      2> "$out/$name.log" | tail -n 1 | /usr/bin/python3 -c "import json,sys; d=json.load(sys.stdin); d['study']='$name'; print(json.dumps(d))" \
      | tee -a "$out/results.jsonl"
  done
done

/usr/bin/python3 - "$out/results.jsonl" "$trials" "$limit" "$epochs" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
n, limit, epochs = sys.argv[2:]
def way(r): return r["study"].rsplit("-seed", 1)[0]
print(f"\nFashion-MNIST seed-cnn study, {limit} samples per split, {epochs} epochs per trial; best val_accuracy per study")
print(f"{'study':24s} {'best':>8s} {'complete':>9s} {'pruned':>7s} {'epochs':>7s} {'train s':>8s}")
for r in rows:
    print(f"{r['study']:24s} {100 * r['best_value']:7.2f}% {r['trials_complete']:9d} {r['trials_pruned']:7d} "
          f"{r.get('epochs_trained_total', 0):7d} {r['train_seconds_total']:8.0f}")
med = {w: statistics.median(r["best_value"] for r in rows if way(r) == w) for w in {way(r) for r in rows}}
sec = {w: statistics.median(r["train_seconds_total"] for r in rows if way(r) == w) for w in {way(r) for r in rows}}
epochs_by = {w: statistics.median(r.get("epochs_trained_total", 0) for r in rows if way(r) == w) for w in {way(r) for r in rows}}
print(f"\nmedian best: TPE {n} trials {100 * med['tpe']:.2f}%, random {2 * int(n)} trials {100 * med['random']:.2f}%, "
      f"TPE {n} pruned {100 * med['tpe-pruned']:.2f}%")
print(f"TPE with N vs random with 2N: {100 * (med['tpe'] - med['random']):+.2f} points (goal >= 0)")
saved = f"{100 * (1 - epochs_by['tpe-pruned'] / epochs_by['tpe']):.0f}% fewer epochs, " if epochs_by["tpe"] else ""
print(f"pruning: {saved}{100 * (1 - sec['tpe-pruned'] / sec['tpe']):.0f}% less training time (goal >= 40% of the compute), "
      f"{100 * (med['tpe-pruned'] - med['tpe']):+.2f} points of best value (goal >= -0.20)")
PY
