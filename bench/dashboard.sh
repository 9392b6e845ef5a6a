#!/usr/bin/env bash
# Dashboard benchmark (see bench/README.md): seeds a SQLite registry with 1,000 runs and 1,000,000 usage
# events (bulk inserts in one transaction), starts the real server in process, requests every /ui page
# REQUESTS times one after another (default 200, after a warm-up) and prints median and p95 per page.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dotnet build "$root/bench/Anvil.Bench/Anvil.Bench.csproj" -c Release --nologo -v quiet -clp:ErrorsOnly >&2
lscpu | grep 'Model name' >&2
dotnet "$root/bench/Anvil.Bench/bin/Release/net10.0/linux-x64/Anvil.Bench.dll" dashboard "${REQUESTS:-200}" "${URL:-http://127.0.0.1:18090}" \
  | python3 -c '
import json, sys
result = json.loads(sys.stdin.read().strip().splitlines()[-1])
print("seeded in %s s; %s requests per page" % (result["seed_seconds"], result["requests_per_page"]))
print("%-70s %10s %8s" % ("page", "median ms", "p95 ms"))
for page in result["pages"]:
    print("%-70s %10.2f %8.2f" % (page["page"][:70], page["median_ms"], page["p95_ms"]))
print("slowest p95: %.2f ms (goal < 50)" % max(p["p95_ms"] for p in result["pages"]))
'
