#!/usr/bin/env bash
# Installs the browser test's dependencies when missing: Debian's chromium (/usr/bin/chromium) and the
# pinned npm packages of browser/ (npm ci from the committed package-lock.json).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if [ ! -x /usr/bin/chromium ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium
fi
if [ ! -d "$root/browser/node_modules" ]; then
  (cd "$root/browser" && npm ci --no-audit --no-fund)
fi
