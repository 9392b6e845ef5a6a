#!/usr/bin/env bash
# Fetches Seattle's hourly temperatures (2010, 8,759 rows, °F) from Debian's python3-vega-datasets into
# samples/seattle/data/, where recipe.json expects them. `apt-get download` + `dpkg -x` takes the file
# without installing the package (and its pandas dependency). Does nothing when the file is already there.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
target="$here/data/seattle-temps.csv"
if [[ -s "$target" ]]; then
    echo "$target is already there."
    exit 0
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
sandbox=()
if [[ $EUID -eq 0 ]]; then
    sandbox=(-o APT::Sandbox::User=root) # as root, apt would hand the download to _apt, who cannot enter this private folder
fi
(cd "$work" && apt-get download "${sandbox[@]}" python3-vega-datasets >/dev/null)
dpkg -x "$work"/python3-vega-datasets_*.deb "$work/root"
mkdir -p "$here/data"
cp "$work/root/usr/lib/python3/dist-packages/vega_datasets/_data/seattle-temps.csv" "$target.partial"
mv "$target.partial" "$target" # a half-copied file never looks fetched
echo "Wrote $target ($(wc -l < "$target") lines)."
