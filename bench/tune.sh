#!/usr/bin/env bash
# Tuning benchmark, all in one run on this machine (see bench/README.md): the study of samples/tune/fmnist.json
# at a reduced size, for SEEDS sampler seeds, three ways — TPE with N trials, random search with 2N trials, and
# TPE with N trials and the median pruner — or the WAYS asked for, among them random-pruned: random search with 2N
# trials and the pruner, the very trials of random (the random sampler draws each trial's parameters from the seed
# and the trial's number alone), so what the pruner saves and costs is measured apart from the sampler. Prints each
# study's best validation accuracy and training seconds, then the medians over seeds: does TPE with N reach random's
# best with 2N, and what does pruning save and cost?
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
trials="${TRIALS:-16}"          # N
startup="${STARTUP:-5}"         # TPE's random trials before it models the results
seeds="${SEEDS:-1 2 3}"
limit="${LIMIT:-8000}"          # samples per split; 10% of them validate
epochs="${EPOCHS:-3}"
workers="${WORKERS:-2}"         # one thread each
pruner="${PRUNER:-median}"      # or successive_halving (ASHA: rungs at MIN_EPOCHS × 3^k epochs, one in 3 goes on)
min_epochs="${MIN_EPOCHS:-1}"   # ASHA's first rung
ways="${WAYS:-tpe random tpe-pruned}"
out="$root/bench/out/tune"; rm -rf "$out"; mkdir -p "$out"
export ANVIL_HOME="$out/home"

[ -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ] || [ -n "${ANVIL_FASHION_MNIST:-}" ] || {
  echo "Fashion-MNIST is missing: sudo apt-get install dataset-fashion-mnist" >&2; exit 1; }

# A copy of the CLI, so a rebuild during the (long) run cannot swap the binary under its workers.
"$root/anvil" --help > /dev/null
cp -r "$root/src/Anvil.Cli/bin/Release/net10.0/linux-x64" "$out/bin"

# One study file per (way, seed): the sample's space and base recipe, with this run's sampler, pruner and seed.
study() { # NAME SAMPLER PRUNE SEED
  /usr/bin/python3 - "$root/samples/tune/fmnist.json" "$out/$1.json" "$1" "$2" "$3" "$4" "$epochs" "$startup" "$pruner" "$min_epochs" <<'PY'
import json, sys
src, dst, name, sampler, prune, seed, epochs, startup, pruner, min_epochs = sys.argv[1:]
s = json.load(open(src))
s.update(name=name, sampler=sampler, seed=int(seed))
if sampler == "tpe":
    s["startup_trials"] = int(startup)
else:
    s.pop("startup_trials", None)
s["recipe"].update(epochs=int(epochs), threads=1)
if prune == "yes" and pruner == "median":
    s["pruner"] = {"type": "median", "startup_trials": 4, "warmup_epochs": 1}
elif prune == "yes":
    s["pruner"] = {"type": pruner, "min_epochs": int(min_epochs), "reduction_factor": 3}
else:
    s.pop("pruner", None)
json.dump(s, open(dst, "w"), indent=1)
PY
}

for seed in $seeds; do
  for way in $ways; do
    case "$way" in
      tpe) set -- tpe "$trials" no ;;
      random) set -- random "$((2 * trials))" no ;;
      tpe-pruned) set -- tpe-pruned "$trials" yes ;;
      random-pruned) set -- random-pruned "$((2 * trials))" yes ;;
      *) echo "WAYS: unknown way '$way'; use tpe, random, tpe-pruned and random-pruned" >&2; exit 1 ;;
    esac
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
ways = {way(r) for r in rows}
def median(field, w): return statistics.median(r.get(field, 0) for r in rows if way(r) == w)
def per_seed(w): return {r["study"].rsplit("-seed", 1)[1]: r for r in rows if way(r) == w}
print()
for w, trials in (("tpe", n), ("random", 2 * int(n)), ("tpe-pruned", n), ("random-pruned", 2 * int(n))):
    if w in ways:
        print(f"median best: {w} with {trials} trials {100 * median('best_value', w):.2f}%")
if {"tpe", "random"} <= ways:
    print(f"TPE with N vs random with 2N: {100 * (median('best_value', 'tpe') - median('best_value', 'random')):+.2f} points (goal >= 0)")
for sampler in ("tpe", "random"):
    if {sampler, sampler + "-pruned"} <= ways:
        full, pruned = per_seed(sampler), per_seed(sampler + "-pruned")
        seeds = sorted(full.keys() & pruned.keys())
        saved = [1 - pruned[s]["epochs_trained_total"] / full[s]["epochs_trained_total"] for s in seeds]
        lost = [pruned[s]["best_value"] - full[s]["best_value"] for s in seeds]
        print(f"{sampler} pruning per seed: " + ", ".join(f"seed {s} {100 * a:.0f}% fewer epochs, {100 * b:+.2f} points" for s, a, b in zip(seeds, saved, lost)))
        print(f"{sampler} pruning, median over seeds: {100 * statistics.median(saved):.0f}% fewer epochs (goal >= 40% of the compute), "
              f"{100 * statistics.median(lost):+.2f} points of best value (goal >= -0.20); "
              f"training seconds {median('train_seconds_total', sampler + '-pruned'):.0f} vs {median('train_seconds_total', sampler):.0f}")
PY
