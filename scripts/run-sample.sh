#!/usr/bin/env bash
# Installs what is missing, builds, imports the bundled sample collection into
# var/index and starts the server on http://127.0.0.1:8080/ (PORT to change).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
build_dir=${BUILD_DIR:-build}
port=${PORT:-8080}

mkdir -p var
status=0
"$build_dir/mediateka-index" import --config config/mediateka.toml \
  --manifest samples/manifest.csv --report var/sample-import.json || status=$?
if [ "$status" -ge 2 ]; then
  echo "run-sample: import failed (status $status)" >&2
  exit "$status"
fi
echo "run-sample: import report in var/sample-import.json"
echo "run-sample: open http://127.0.0.1:$port/ (Ctrl-C stops the server)"
exec "$build_dir/mediateka-server" --config config/mediateka.toml --port "$port"
