#!/usr/bin/env bash
# Regenerate the documentation's screenshots of the HTML reports with headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
.venv/bin/willkommen validate --format html examples/ docs/data/broken.json > "$tmp/validation.html" || true
.venv/bin/willkommen report offices --format html examples/ > "$tmp/offices.html"
shoot() {  # page, size, png
  chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
    --disable-sync --no-first-run --hide-scrollbars --user-data-dir="$tmp/profile-$3" --window-size="$2" \
    --screenshot="docs/images/$3" "file://$tmp/$1" 2>/dev/null
}
shoot validation.html 960,1300 validation-report.png
shoot validation.html 390,844 validation-report-phone.png
shoot offices.html 960,520 offices-report.png
