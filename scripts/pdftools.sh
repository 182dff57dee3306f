#!/usr/bin/env bash
# The PDF tests read the documents ipfast writes as a person's tools do: pdftotext (text
# extraction), pdffonts (embedded fonts) and pdftoppm (pages as PNG), from Debian's
# poppler-utils. Installs them (apt, as root: CI is root) when missing.
set -euo pipefail
if command -v pdftoppm >/dev/null && command -v pdftotext >/dev/null && command -v pdffonts >/dev/null; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "pdftools: Debian poppler-utils is needed (as root: apt-get install -y poppler-utils)" >&2
  exit 1
fi
echo "pdftools: installing poppler-utils (apt)…" >&2
apt-get install -y -qq poppler-utils >/dev/null || { apt-get update -qq && apt-get install -y -qq poppler-utils >/dev/null; }
