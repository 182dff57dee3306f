#!/usr/bin/env bash
# Browser tests of the kiosk and examiner pages (web/e2e): Debian chromium driven by
# playwright-core, with axe-core, against a real `ipfast serve` on 127.0.0.1. Installs chromium
# (apt, as root: CI is root) and the npm packages when missing; writes screenshots to
# $IPFAST_SCREENSHOTS (make screenshots: docs/screenshots/), else to a temporary directory.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
e2e="$root/web/e2e"

if ! command -v chromium >/dev/null; then
  if [ "$(id -u)" != 0 ]; then
    echo "browser: Debian chromium is needed (as root: apt-get install -y chromium)" >&2
    exit 1
  fi
  echo "browser: installing chromium (apt)…" >&2
  apt-get install -y -qq chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }
fi
# Chinese screens (and their screenshots) need a CJK font; a kiosk has one, a CI machine may not.
if command -v fc-list >/dev/null && [ -z "$(fc-list :lang=zh 2>/dev/null)" ] && [ "$(id -u)" = 0 ]; then
  echo "browser: installing a CJK font (apt fonts-wqy-microhei)…" >&2
  apt-get install -y -qq fonts-wqy-microhei >/dev/null || { apt-get update -qq && apt-get install -y -qq fonts-wqy-microhei >/dev/null; }
fi
command -v node >/dev/null || { echo "browser: Node.js ≥ 20 is needed (Debian: apt-get install nodejs npm)" >&2; exit 1; }
if [ ! -d "$e2e/node_modules/playwright-core" ] || [ ! -d "$e2e/node_modules/axe-core" ]; then
  echo "browser: installing playwright-core and axe-core from npm…" >&2
  (cd "$e2e" && npm ci --no-audit --no-fund --silent)
fi

bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
(cd "$root" && go build -tags validator_novalidatefn -o "$bin/ipfast" ./cmd/ipfast)
cd "$e2e"
IPFAST_BIN="$bin/ipfast" CHROMIUM="$(command -v chromium)" node --test --test-concurrency=1 ./*.test.mjs
