#!/usr/bin/env bash
# Serving benchmark, all in one run on this machine (see bench/README.md): the Fashion-MNIST model
# behind a bare ASP.NET Core endpoint on the same OnnxPredictor (what a user would write instead: no
# auth, no ledger, no log) and behind `./anvil serve` (the full metered path), each driven by wrk from a
# second process on loopback, single requests and under concurrency, with adaptive batching off
# (--max-batch-size 1) and on; then in-process ONNX Runtime on the same model and batch sizes.
# The three servers run in turn, ROUNDS times (default 3), so that a slow minute of this shared VM falls on all of
# them; every figure is the median over the rounds (each round's rows are in results.jsonl).
# Prints p50/p99 latency, throughput and the ratios; the last line is the metered/bare throughput ratio at concurrency 32
# (the issue's goal); other concurrencies above 1 get their own ratio line before it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/bench/out/serve"; mkdir -p "$out"
export ANVIL_HOME="$out/home"
duration="${DURATION:-10}"
concurrency="${CONCURRENCY:-1 32 64}"
rounds="${ROUNDS:-3}"
port="${PORT:-18080}"
url="http://127.0.0.1:$port"

command -v wrk >/dev/null || { echo "wrk is missing: sudo apt-get install wrk" >&2; exit 1; }
[ -f /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz ] || [ -n "${ANVIL_FASHION_MNIST:-}" ] || {
  echo "Fashion-MNIST is missing: sudo apt-get install dataset-fashion-mnist" >&2; exit 1; }
anvil() { "$root/anvil" "$@"; }

# The model: one epoch of the default recipe (vgg-small) is enough to measure speed; trained and registered once,
# and the home then copied aside. Every run starts from that copy: a run's ledger and prediction log grow the
# database by about 0.7–0.9 GB, and a run on the home of the runs before it measured a bigger database each time.
# (The registry keeps the version's absolute path, so the copy goes back to the same place.)
pristine="$out/pristine-home"
if [ ! -d "$pristine" ]; then
  rm -rf "$ANVIL_HOME"
  anvil orgs create bench >/dev/null
  run_id="$(anvil train --epochs 1 --json | tail -n 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["run_id"])')"
  anvil register "$run_id" --name fashion --org bench >&2
  cp -a "$ANVIL_HOME" "$pristine.tmp" && mv "$pristine.tmp" "$pristine"
fi
# Every metered server starts on a fresh copy, so that neither batching setting nor a later round measures a bigger ledger.
fresh_home() {
  rm -rf "$ANVIL_HOME"
  cp -a "$pristine" "$ANVIL_HOME"
  anvil plans set bench --rpm 100000000 --monthly-quota 100000000000 --price-per-1000 0.10 >/dev/null
  KEY="$(anvil keys create --org bench --plan bench 2>/dev/null)"
  export KEY
}
fresh_home
version_dir="$(anvil models show fashion --org bench --json | python3 -c '
import json, sys
d = json.load(sys.stdin); champion = d["model"]["aliases"]["champion"]
print(next(v["directory"] for v in d["versions"] if v["version"] == champion))')"

# One real test image as the request body.
python3 - "$out/body.json" <<'PY'
import gzip, json, sys, os
path = os.environ.get("ANVIL_FASHION_MNIST", "/usr/share/datasets/fashion-mnist") + "/t10k-images-idx3-ubyte.gz"
with gzip.open(path) as f:
    data = f.read(16 + 784)[16:]
image = [[list(data[r * 28:(r + 1) * 28]) for r in range(28)]]
json.dump({"inputs": [image]}, open(sys.argv[1], "w"))
json.dump({"inputs": [image] * 32}, open(sys.argv[1].replace(".json", "-32.json"), "w"))
PY
export METRICS_TOKEN="${METRICS_TOKEN:-bench-$RANDOM$RANDOM}"
for n in 1 32; do
  body="$out/body.json"; [ "$n" = 1 ] || body="$out/body-$n.json"
  cat > "$out/post-$n.lua" <<LUA
wrk.method = "POST"
wrk.body = io.open("$body"):read("*a")
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("KEY")
LUA
done

dotnet build "$root/bench/Anvil.Bench/Anvil.Bench.csproj" -c Release --nologo -v quiet -clp:ErrorsOnly >&2
bench="$root/bench/Anvil.Bench/bin/Release/net10.0/linux-x64/Anvil.Bench.dll"
results="$out/results.jsonl"; : > "$results"

# wrk against one contender; one JSON line per row. $1 contender, $2 max batch, $3 concurrency, $4 inputs per request, $5 path
measure() {
  local contender="$1" batch="$2" c="$3" n="$4" path="$5" before after
  before="$(batches)"
  wrk -t1 -c"$c" -d"${duration}s" --latency -s "$out/post-$n.lua" "$url$path" > "$out/wrk-$contender-$batch-$c-$n.txt"
  after="$(batches)"
  python3 - "$out/wrk-$contender-$batch-$c-$n.txt" "$batch" "$c" "$before" "$after" "$n" "$contender" "$round" >> "$results" <<'PY'
import json, re, sys
text = open(sys.argv[1]).read()
def ms(label):
    m = re.search(r"^\s*" + label + r"\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
    v = float(m.group(1)); return v / 1000 if m.group(2) == "us" else v * 1000 if m.group(2) == "s" else v
b0, s0 = map(float, sys.argv[4].split()); b1, s1 = map(float, sys.argv[5].split())
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
print(json.dumps({"contender": sys.argv[7], "round": int(sys.argv[8]), "max_batch_size": int(sys.argv[2]), "concurrency": int(sys.argv[3]),
    "inputs_per_request": int(sys.argv[6]), "requests_per_second": rps, "predictions_per_second": rps * int(sys.argv[6]),
    "p50_ms": ms("50%"), "p99_ms": ms("99%"), "non_2xx": int(errors.group(1)) if errors else 0,
    "mean_batch": (s1 - s0) / (b1 - b0) if b1 > b0 else float(sys.argv[6])}))
PY
  tail -n 1 "$results" >&2
}
wait_up() {
  for _ in $(seq 100); do curl -fs "$url/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
  kill -0 "$1" 2>/dev/null || { echo "the server did not start; see $2" >&2; exit 1; }
}

export ANVIL_METRICS_TOKEN="$METRICS_TOKEN"
# The bare endpoint: no batching (each request is one ORT run), so batches = requests.
bare_batches() { echo "0 0"; }
metered_batches() { curl -fs -H "Authorization: Bearer $METRICS_TOKEN" "$url/metrics" | awk '/^anvil_batches_total/ {b+=$2} /^anvil_batch_samples_total/ {s+=$2} END {print b+0, s+0}'; }
for round in $(seq "$rounds"); do
  batches() { bare_batches; }
  dotnet "$bench" bare-serve "$version_dir" "$url" > "$out/bare.log" 2>&1 &
  server=$!
  wait_up "$server" "$out/bare.log"
  wrk -t1 -c32 -d"${WARMUP:-15}s" -s "$out/post-1.lua" "$url/predict" >/dev/null
  for c in $concurrency; do measure bare 1 "$c" 1 /predict; done
  kill "$server"; wait "$server" 2>/dev/null || true

  # The full metered path: API key, plan limits, reservation, ledger commit (fsync), prediction log.
  batches() { metered_batches; }
  for batch in 1 32; do
    fresh_home
    "$root/anvil" serve --urls "$url" --max-batch-size "$batch" --max-queue-delay-ms 2 > "$out/server-$batch.log" 2>&1 &
    server=$!   # ./anvil execs dotnet, so this is the server itself
    wait_up "$server" "$out/server-$batch.log"
    wrk -t1 -c32 -d"${WARMUP:-15}s" -s "$out/post-1.lua" "$url/v1/models/fashion/predict" >/dev/null   # JIT tiering settles
    for c in $concurrency; do measure metered "$batch" "$c" 1 /v1/models/fashion/predict; done
    [ "$batch" = 1 ] || measure metered "$batch" 2 32 /v1/models/fashion/predict
    kill "$server"; wait "$server" 2>/dev/null || true
  done
done

# In-process ONNX Runtime at the batch sizes the server ran.
for b in $(python3 -c "
import json
sizes = {1, 32} | {max(1, round(json.loads(l)['mean_batch'])) for l in open('$results') if json.loads(l)['contender'] == 'metered'}
print(' '.join(map(str, sorted(sizes))))"); do
  dotnet "$bench" ort "$version_dir" "$b" 5 | tee -a "$results" >&2
done

python3 - "$results" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
runs = {}
for r in rows:
    if r["contender"] in ("bare", "metered"):
        runs.setdefault((r["contender"], r["max_batch_size"], r["concurrency"], r["inputs_per_request"]), []).append(r)
# each row: the median of each figure over the rounds
http = [dict(group[0], **{k: statistics.median(g[k] for g in group) for k in
        ("requests_per_second", "predictions_per_second", "p50_ms", "p99_ms", "mean_batch", "non_2xx")}, rounds=len(group))
        for group in runs.values()]
ort = {r["batch"]: r for r in rows if r["contender"] == "onnxruntime-in-process"}
print(f"Medians of {max(r['rounds'] for r in http)} rounds:")
print(f"{'contender':>9} {'max batch':>9} {'conc':>5} {'inputs':>6} {'req/s':>8} {'pred/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'mean batch':>10} {'ORT img/s':>10} {'http/ORT':>9} {'non-2xx':>8}")
for r in http:
    o = ort.get(max(1, round(r["mean_batch"])))
    ratio = r["predictions_per_second"] / o["images_per_second"] if o else float("nan")
    print(f"{r['contender']:>9} {r['max_batch_size']:>9} {r['concurrency']:>5} {r['inputs_per_request']:>6} {r['requests_per_second']:>8.0f} {r['predictions_per_second']:>8.0f} {r['p50_ms']:>8.2f} {r['p99_ms']:>8.2f} {r['mean_batch']:>10.1f} {o['images_per_second'] if o else 0:>10.0f} {ratio:>9.2f} {r['non_2xx']:>8}")
single = {(r["contender"], r["max_batch_size"], r["concurrency"]): r for r in http if r["inputs_per_request"] == 1}
levels = sorted({c for _, _, c in single})
top = 32 if 32 in levels else max(levels)  # the goal's concurrency
bare_top, bare_one = single[("bare", 1, top)], single[("bare", 1, 1)]
on_top, off_top, on_one = single[("metered", 32, top)], single[("metered", 1, top)], single[("metered", 32, 1)]
ort_gain = ort[32]["images_per_second"] / ort[1]["images_per_second"]
gain = on_top["requests_per_second"] / off_top["requests_per_second"]
print(f"\nmetered p50 at concurrency 1: {on_one['p50_ms']:.2f} ms vs bare {bare_one['p50_ms']:.2f} ms = {on_one['p50_ms'] / bare_one['p50_ms']:.2f}x (goal <= 2)")
print(f"batching at concurrency {top}: {gain:.2f}x the throughput (mean batch {on_top['mean_batch']:.1f}) at {on_top['p50_ms'] / off_top['p50_ms']:.2f}x the p50; "
      f"in-process ORT gains {ort_gain:.2f}x from batch 1 to 32 -> {gain / ort_gain:.2f} of ORT's gain (goal >= 0.8)")
def per_round(contender, batch, c):
    return {r["round"]: r for r in rows if (r["contender"], r.get("max_batch_size"), r.get("concurrency"), r.get("inputs_per_request")) == (contender, batch, c, 1)}
bare_rounds, metered_rounds = per_round("bare", 1, top), per_round("metered", 32, top)
spread = [metered_rounds[k]["requests_per_second"] / bare_rounds[k]["requests_per_second"] for k in sorted(bare_rounds) if k in metered_rounds]
print(f"metered/bare throughput at concurrency {top}, round by round: {', '.join(f'{x:.2f}' for x in spread)}")
for c in (c for c in levels if c not in (1, top)):  # more (or fewer) requests in flight than the goal's
    print(f"metered/bare throughput {single[('metered', 32, c)]['requests_per_second'] / single[('bare', 1, c)]['requests_per_second']:.2f} at concurrency {c} (not a goal)")
print(f"metered/bare throughput {on_top['requests_per_second'] / bare_top['requests_per_second']:.2f} at concurrency {top}")
PY
