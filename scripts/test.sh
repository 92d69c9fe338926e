#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --with-browser
# playwright-core and axe-core for the browser tests, pinned by package-lock.json.
npm ci --prefix tests/e2e --no-audit --no-fund --loglevel=error
scripts/build.sh
cd "${BUILD_DIR:-build}"
ctest --output-on-failure -j"$(nproc)" "$@"
