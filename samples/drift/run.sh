#!/usr/bin/env bash
# The drift scenario on real Fashion-MNIST with ./anvil: serve a champion, send it inverted images with correct
# (model "fashion") or random (model "noisy") feedback labels, retrain both with --promote while a client keeps
# predicting. Usage: bash samples/drift/run.sh [PORT]   (ANVIL_HOME defaults to a fresh temp directory)
set -euo pipefail
cd "$(dirname "$0")/../.."
export ANVIL_HOME="${ANVIL_HOME:-$(mktemp -d)}"
port="${1:-18100}"
url="http://127.0.0.1:$port"
limit="${LIMIT:-5000}"       # training and test images of the champion (and of the challenger's base data)
feedback="${FEEDBACK:-1000}" # inverted test images beyond the first $limit get feedback; a quarter is held out
client="python3 samples/drift/client.py"

run_id=$(./anvil train --model seed-cnn --limit "$limit" --epochs 2 --seed 1 --json | tail -n 1 | jq -r .run_id)
./anvil orgs create acme >/dev/null
./anvil register "$run_id" --name fashion --org acme >/dev/null
./anvil register "$run_id" --name noisy --org acme >/dev/null
key=$(./anvil keys create --org acme --plan enterprise)
./anvil serve --urls "$url" >"$ANVIL_HOME/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
until curl -fs "$url/healthz" >/dev/null; do sleep 0.5; done

$client feedback "$url" "$key" fashion "$limit" "$feedback" correct
$client feedback "$url" "$key" noisy "$limit" "$feedback" random

echo "== random labels (expect: refused, exit 4)"
./anvil retrain --model noisy --org acme --promote --json | tee "$ANVIL_HOME/noisy.txt" || echo "exit code $?"

echo "== correct labels, promoted while a client keeps predicting"
stop="$ANVIL_HOME/stop"
$client load "$url" "$key" fashion "$stop" >"$ANVIL_HOME/load.json" &
loader=$!
./anvil retrain --model fashion --org acme --promote --shadow 500 --json | tee "$ANVIL_HOME/fashion.txt" || echo "exit code $?"
sleep 3 # the server polls aliases every second: let the client see the new champion
touch "$stop"
wait "$loader"
echo "load client: $(cat "$ANVIL_HOME/load.json")"
./anvil models show fashion --org acme
echo "CPU: $(lscpu | grep 'Model name' | sed 's/.*: *//'), $(nproc) cores"
