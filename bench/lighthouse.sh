#!/usr/bin/env bash
# Lighthouse mobile on the demo site under production-like gunicorn (bench/lighthouse.py --help).
# Lighthouse comes from bench/lighthouse/package-lock.json, never from the root package.json:
# CI does not install it. Chromium is Debian's (/usr/bin/chromium unless CHROME_PATH says otherwise).
set -euo pipefail
cd "$(dirname "$0")/.."
make -s .venv/.installed-dev node_modules/.package-lock.json locale/nl/LC_MESSAGES/django.mo locale/en/LC_MESSAGES/django.mo
if [[ ! -x bench/lighthouse/node_modules/.bin/lighthouse \
      || bench/lighthouse/package-lock.json -nt bench/lighthouse/node_modules/.package-lock.json ]]; then
    npm ci --prefix bench/lighthouse --no-audit --no-fund --loglevel=error
fi
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
[[ -x "$CHROME_PATH" ]] || { echo "bench: no Chromium at $CHROME_PATH (apt-get install chromium)" >&2; exit 1; }
exec .venv/bin/python bench/lighthouse.py "$@"
