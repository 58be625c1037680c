#!/usr/bin/env bash
# Runs the README's walk-through end to end, the way a new user pastes it: builds the binary with the
# README's own `go build -o` line, starts it over the embedded simulator on a free loopback port, runs the
# ```sh blocks between the <!-- walkthrough … --> and <!-- /walkthrough --> markers in order (in one shell,
# so the variables they set carry over), and checks the HTTP status of every curl call against the
# `# NNN` comment that follows it in the README.
set -euo pipefail
cd "$(dirname "$0")/.."

tmp=$(mktemp -d)
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

fail() { echo "readme-walkthrough: $*" >&2; exit 1; }

build=$(grep -m1 -E '^go build -o [^ ]+ \.$' README.md) || fail "the README does not show how to build the binary (go build -o NAME .)"
binary=$(echo "$build" | awk '{print $4}')
go build -o "$tmp/$binary" .

"$tmp/$binary" --upstream sim --listen 127.0.0.1:0 --admin-listen "" >"$tmp/proxy.log" 2>&1 &
pid=$!
addr=""
for _ in $(seq 1 200); do
  addr=$(grep -o '"msg":"ready".*"listen":"[^"]*"' "$tmp/proxy.log" | grep -o '"listen":"[^"]*"' | cut -d'"' -f4 || true)
  [ -n "$addr" ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$tmp/proxy.log" >&2; fail "the proxy stopped before it was ready"; }
  sleep 0.05
done
[ -n "$addr" ] || { cat "$tmp/proxy.log" >&2; fail "the proxy never logged ready"; }

# The walk-through: every ```sh block between the markers, in order.
awk '
  /^<!-- walkthrough/ { on = 1; next }
  /^<!-- \/walkthrough -->/ { on = 0 }
  on && /^```sh$/ { inblock = 1; next }
  inblock && /^```$/ { inblock = 0; next }
  inblock { print }
' README.md >"$tmp/walk.sh"
[ -s "$tmp/walk.sh" ] || fail "no walk-through blocks found between the markers in README.md"
grep -oE '^# [0-9]{3}' "$tmp/walk.sh" | cut -c3- >"$tmp/want" || true
[ -s "$tmp/want" ] || fail "the walk-through states no statuses (# NNN comments)"

# curl is wrapped: it answers with the body as usual and records the status of each call.
cat >"$tmp/run.sh" <<PREAMBLE
set -euo pipefail
export PROXY="http://$addr"
curl() {
  local body status
  body=\$(mktemp)
  status=\$(command curl -sS --max-time 20 -o "\$body" -w '%{http_code}' "\$@") || { rm -f "\$body"; echo "curl failed: \$*" >&2; return 1; }
  echo "\$status" >>"$tmp/got"
  cat "\$body"
  rm -f "\$body"
}
PREAMBLE
cat "$tmp/walk.sh" >>"$tmp/run.sh"
: >"$tmp/got"
if ! bash "$tmp/run.sh" >"$tmp/out" 2>&1; then
  tail -c 3000 "$tmp/out" >&2; echo >&2
  fail "a walk-through command failed"
fi

if ! diff -u "$tmp/want" "$tmp/got" >"$tmp/diff"; then
  echo "statuses (README vs. proxy):" >&2
  cat "$tmp/diff" >&2
  echo "--- output (last 3000 bytes):" >&2
  tail -c 3000 "$tmp/out" >&2; echo >&2
  fail "the walk-through answered other statuses than the README says"
fi
[ -z "${WALKTHROUGH_VERBOSE:-}" ] || cat "$tmp/out"
echo "readme-walkthrough: $(wc -l <"$tmp/got" | tr -d ' ') calls answered the statuses the README states"
