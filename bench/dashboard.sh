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
print(f"seeded in {result[\"seed_seconds\"]} s; {result[\"requests_per_page\"]} requests per page")
print(f"{\"page\":<70} {\"median ms\":>10} {\"p95 ms\":>8}")
for page in result["pages"]:
    print(f"{page[\"page\"][:70]:<70} {page[\"median_ms\"]:>10} {page[\"p95_ms\"]:>8}")
print("slowest p95:", max(p["p95_ms"] for p in result["pages"]), "ms (goal < 50)")
'
