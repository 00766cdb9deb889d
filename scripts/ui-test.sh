#!/usr/bin/env bash
# Browser tests for /board and /audit in headless Debian Chromium (never a Playwright browser download).
# Extra arguments go to jest, e.g. `scripts/ui-test.sh --json --outputFile=.ui-test-results.json`.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  echo "ui-test: ${CHROMIUM_PATH:-/usr/bin/chromium} is missing; install it with: apt-get install -y chromium" >&2
  exit 1
fi
exec npx jest -c jest.ui.config.js "$@"
