#!/usr/bin/env bash
# Lints api/openapi.yaml with @redocly/cli (recommended rules; errors fail, warnings are shown).
# Installs the pinned CLI from npm into scripts/apilint/node_modules when missing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
tool="$here/apilint"
command -v node >/dev/null || { echo "apilint: Node.js ≥ 20 is needed (Debian: apt-get install nodejs npm)" >&2; exit 1; }
if [ ! -x "$tool/node_modules/.bin/redocly" ]; then
  echo "apilint: installing @redocly/cli from npm…" >&2
  (cd "$tool" && npm ci --no-audit --no-fund --silent)
fi
cd "$root"
REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true "$tool/node_modules/.bin/redocly" lint --format=summary api/openapi.yaml
