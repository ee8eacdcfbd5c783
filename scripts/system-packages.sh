#!/usr/bin/env bash
# Installs the Debian packages Lokalkompas needs when they are missing. Needs root or sudo only when
# something must be installed.
#   scripts/system-packages.sh            everything the test suite needs (make test, .ci/run)
#   scripts/system-packages.sh --runtime  only what the app itself needs (make run): the PDF libraries
set -euo pipefail

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

missing=()
# Brief PDFs (WeasyPrint): Pango lays out the text, HarfBuzz subsets the embedded fonts, and Liberation
# Sans (metric-compatible with Arial, the font the charts name; with æ, ø and å) is the font.
for package in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation; do
  installed "$package" || missing+=("$package")
done
if [ "${1:-}" != "--runtime" ]; then
  command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing+=(chromium)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
  # The brief PDF tests read the PDF's text (pdftotext) and fonts (pdffonts).
  command -v pdftotext >/dev/null 2>&1 && command -v pdffonts >/dev/null 2>&1 || missing+=(poppler-utils)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing Debian packages: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
elif command -v sudo >/dev/null 2>&1; then
  sudo apt-get update -q
  sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "Missing Debian packages: ${missing[*]}. Install them as root: apt-get install ${missing[*]}" >&2
  exit 1
fi
