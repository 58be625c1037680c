#!/usr/bin/env bash
# Conformance suite entry point: builds the proxy once into a temp dir, installs
# the pinned Node packages when node_modules is missing, and runs the suite.
# Exit code = the suite's result.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/extend-conformance-run.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

echo "conformance: building the proxy into $tmp"
(cd "$repo" && go build -o "$tmp/extend-compat-proxy" .)

cd "$here"
if [ ! -d node_modules ]; then
  echo "conformance: npm ci"
  npm ci --no-audit --no-fund
fi

export PROXY_BIN="$tmp/extend-compat-proxy"
export CONFORMANCE_SCHEMA_CACHE="${CONFORMANCE_SCHEMA_CACHE:-$tmp/schemas}"
npm test
