#!/usr/bin/env bash
# Installs what the browser test needs (Debian chromium, npm ci) when missing, then runs it.
# The exit code is the test result.
set -euo pipefail
cd "$(dirname "$0")"
../scripts/browser-deps.sh
npm test
