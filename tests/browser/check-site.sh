#!/usr/bin/env bash
# Validate the generated briefing site: the Nu HTML checker (errors only; HTML pages
# and the stylesheet) over the whole folder in one JVM call, then axe-core (light and
# dark colour scheme) over every *.html page in one Chromium session.
#
# Usage: tests/browser/check-site.sh [OUTPUT_DIR]   (default: ../../output relative to this script)
# Needs: node + npm, java >= 11, chromium (Debian package) on PATH or CHROMIUM_PATH set.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-$here/../../output}"
if [[ ! -d "$out" ]]; then
  echo "check-site: output folder not found: $out (run 'cargo run -- build' first)" >&2
  exit 2
fi
out="$(cd "$out" && pwd)"

if [[ ! -d "$here/node_modules" ]]; then
  # --ignore-scripts: vnu-jar's postinstall only downloads a Java runtime, which we don't need.
  if [[ -f "$here/package-lock.json" ]]; then
    (cd "$here" && npm ci --ignore-scripts --no-audit --no-fund)
  else
    (cd "$here" && npm install --ignore-scripts --no-audit --no-fund)
  fi
fi

CHROMIUM_PATH="${CHROMIUM_PATH:-$(command -v chromium || true)}"
if [[ -z "$CHROMIUM_PATH" ]]; then
  echo "check-site: chromium not found; install it (apt-get install -y chromium) or set CHROMIUM_PATH" >&2
  exit 2
fi
export CHROMIUM_PATH

mapfile -d '' pages < <(find "$out" -type f -name '*.html' -print0 | sort -z)
if [[ ${#pages[@]} -eq 0 ]]; then
  echo "check-site: no HTML files in $out" >&2
  exit 2
fi

status=0
echo "== Nu HTML checker: $out (${#pages[@]} HTML files + CSS)"
if java -jar "$here/node_modules/vnu-jar/build/dist/vnu.jar" --errors-only --skip-non-html --also-check-css "$out"; then
  echo "vnu: no errors"
else
  echo "vnu: errors found" >&2
  status=1
fi

echo "== axe-core: ${#pages[@]} pages"
if ! node "$here/a11y.mjs" "${pages[@]}"; then
  status=1
fi

# The search box, when the checked folder is the repository's sample site.
if [[ -f "$out/search-index.js" ]] && grep -q "Jabaliya" "$out/search-index.js"; then
  echo "== search: the home page's search box, opened from disk"
  if ! node "$here/search.mjs" "$out" "jabaliya bulldozers" "Strike on Jabaliya municipal garage destroys nine bulldozers"; then
    status=1
  fi
fi

# `briefing serve` in the browser, on a copy of the project that produced the folder.
if [[ -n "${BRIEFING_BIN:-}" && -n "${BRIEFING_PROJECT:-}" ]]; then
  echo "== serve: live preview end to end (screenshots in ${SCREENSHOT_DIR:-screenshots})"
  copy="$(mktemp -d)"
  cp -r "$BRIEFING_PROJECT/content" "$copy/"
  [[ -f "$BRIEFING_PROJECT/briefing.yaml" ]] && cp "$BRIEFING_PROJECT/briefing.yaml" "$copy/"
  if ! node "$here/serve.mjs" "$BRIEFING_BIN" "$copy" "${SCREENSHOT_DIR:-screenshots}"; then
    status=1
  fi
  rm -rf "$copy"
fi

exit "$status"
