#!/usr/bin/env bash
# End-to-end benchmark of issue 11 (a benchmark, not a test: it is not part of scripts/test-all.sh).
#
# Builds the proxy, a bare httputil.ReverseProxy (cmd/benchpass) and a static upstream
# (cmd/benchupstream) serving the two 2026-02-09 runs of translate/testdata/perf, then runs wrk
# against, in turn within every round (so all four see the same machine noise):
#   direct       the static upstream itself
#   bare         cmd/benchpass in front of it
#   translate    this proxy, legacy GET /workflow_runs/{id} translated (access log on, to /dev/null)
#   passthrough  this proxy with rollout.killSwitch (legacy request forwarded unchanged)
# and prints the median requests/s and p99 per target plus the ratios the issue sets goals for.
# Loopback only; bounded: 2 bodies x ROUNDS x 4 targets x DURATION (default 2x3x4x3s, about 80s), then a
# memory phase of at most MEM_MAX_SECONDS (default 60) that checks the RSS stays flat up to MEM_REQUESTS.
#
#   scripts/bench.sh                      # defaults
#   ROUNDS=5 DURATION=5s CONNS=32 scripts/bench.sh
#   BASELINE=e317edd scripts/bench.sh     # adds "baseline": the proxy built at that commit, translating,
#                                         # interleaved like the others (before/after in one run)
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-3s}
CONNS=${CONNS:-32}
THREADS=${THREADS:-2}
BASE_PORT=${BASE_PORT:-18080}
UP=$BASE_PORT BARE=$((BASE_PORT + 1)) TR=$((BASE_PORT + 2)) PT=$((BASE_PORT + 3)) BL=$((BASE_PORT + 4))
BASELINE=${BASELINE:-}

if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get install -y -qq wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
  else
    echo "bench.sh: wrk is required (Debian: apt-get install wrk)" >&2
    exit 1
  fi
fi

tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  if [ -d "$tmp/baseline-src" ]; then git worktree remove --force "$tmp/baseline-src" >/dev/null 2>&1 || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

echo "building into $tmp ..."
go build -o "$tmp/proxy" .
go build -o "$tmp/benchpass" ./cmd/benchpass
go build -o "$tmp/benchupstream" ./cmd/benchupstream
if [ -n "$BASELINE" ]; then
  git worktree add --detach -q "$tmp/baseline-src" "$BASELINE"
  (cd "$tmp/baseline-src" && go build -o "$tmp/baseline" .)
fi
mkdir -p "$tmp/bodies"
cp translate/testdata/perf/run-20kb.new.json "$tmp/bodies/run_20kb.json"
cp translate/testdata/perf/run-217kb.new.json "$tmp/bodies/run_217kb.json"
printf 'rollout:\n  killSwitch: true\n' >"$tmp/passthrough.yaml"

"$tmp/benchupstream" -listen "127.0.0.1:$UP" -dir "$tmp/bodies" & pids+=($!)
"$tmp/benchpass" -listen "127.0.0.1:$BARE" -upstream "http://127.0.0.1:$UP" & pids+=($!)
"$tmp/proxy" --listen "127.0.0.1:$TR" --admin-listen "" --upstream "http://127.0.0.1:$UP" >/dev/null 2>&1 & pids+=($!)
tr_pid=$!
"$tmp/proxy" --listen "127.0.0.1:$PT" --admin-listen "" --upstream "http://127.0.0.1:$UP" \
  --config "$tmp/passthrough.yaml" >/dev/null 2>&1 & pids+=($!)

ports=("$UP" "$BARE" "$TR" "$PT")
if [ -n "$BASELINE" ]; then
  "$tmp/baseline" --listen "127.0.0.1:$BL" --admin-listen "" --upstream "http://127.0.0.1:$UP" >/dev/null 2>&1 & pids+=($!)
  ports+=("$BL")
fi

hdr=(-H "x-extend-api-version: 2025-04-21" -H "Authorization: Bearer bench")
for port in "${ports[@]}"; do
  for _ in $(seq 100); do
    curl -fs -o /dev/null "${hdr[@]}" "http://127.0.0.1:$port/workflow_runs/run_20kb" && continue 2
    sleep 0.1
  done
  echo "bench.sh: nothing answers on port $port" >&2
  exit 1
done
# A process that could not bind has exited: then something else answers on its port.
for p in "${pids[@]}"; do
  kill -0 "$p" 2>/dev/null || { echo "bench.sh: a server did not start (port in use? set BASE_PORT)" >&2; exit 1; }
done
curl -fs "${hdr[@]}" "http://127.0.0.1:$TR/workflow_runs/run_20kb" | grep -q '"workflowRun"' ||
  { echo "bench.sh: the translate target does not translate" >&2; exit 1; }

# wrk_once URL → "<requests/s> <p99 in ms> <requests>"
wrk_once() {
  wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "${hdr[@]}" "$1" | awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec/ { rps = $2 }
    / requests in / { n = $1 }
    $1 == "99%" { p99 = ms($2) }
    /Non-2xx/ { bad = $NF }
    END { if (bad > 0) { print "non-2xx answers: " bad > "/dev/stderr"; exit 1 } printf "%s %s %s\n", rps, p99, n }'
}

median() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# rss PID → resident set size in MB
rss() { awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
served=0 rss_first=""

targets=(direct bare translate passthrough)
declare -A port=([direct]=$UP [bare]=$BARE [translate]=$TR [passthrough]=$PT)
if [ -n "$BASELINE" ]; then
  targets+=(baseline)
  port[baseline]=$BL
fi
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(go version | cut -d' ' -f3)"
echo "wrk -t$THREADS -c$CONNS -d$DURATION, $ROUNDS rounds, targets interleaved within each round"
for body in run_20kb run_217kb; do
  for r in $(seq "$ROUNDS"); do
    for t in "${targets[@]}"; do
      read -r rps p99 n < <(wrk_once "http://127.0.0.1:${port[$t]}/workflow_runs/$body")
      if [ "$t" = translate ]; then
        served=$((served + n))
        [ -n "$rss_first" ] || rss_first=$(rss "$tr_pid")
      fi
      echo "$rps" >>"$tmp/$body.$t.rps"
      echo "$p99" >>"$tmp/$body.$t.p99"
      printf '  %-9s round %d %-11s %10.0f req/s  p99 %8.2f ms\n' "$body" "$r" "$t" "$rps" "$p99"
    done
  done
done

echo
printf '| body | direct rps | bare rps | translate rps | passthrough rps | translate/bare | passthrough/bare | p99 translate vs bare (ms) | p99 ratio |\n'
printf '|---|---|---|---|---|---|---|---|---|\n'
for body in run_20kb run_217kb; do
  declare -A m=() p=()
  for t in "${targets[@]}"; do
    m[$t]=$(median <"$tmp/$body.$t.rps")
    p[$t]=$(median <"$tmp/$body.$t.p99")
  done
  awk -v b="$body" -v d="${m[direct]}" -v ba="${m[bare]}" -v tr="${m[translate]}" -v pt="${m[passthrough]}" \
    -v ptr="${p[translate]}" -v pba="${p[bare]}" 'BEGIN {
      printf "| %s | %.0f | %.0f | %.0f | %.0f | %.2f | %.2f | %.1f vs %.1f | %.2f |\n", b, d, ba, tr, pt, tr / ba, pt / ba, ptr, pba, ptr / pba }'
done
if [ -n "$BASELINE" ]; then
  echo
  printf '| body | baseline (%s) rps | translate rps | translate/baseline | baseline/bare | p99 baseline (ms) |\n' "$BASELINE"
  printf '|---|---|---|---|---|---|\n'
  for body in run_20kb run_217kb; do
    awk -v b="$body" -v bl="$(median <"$tmp/$body.baseline.rps")" -v tr="$(median <"$tmp/$body.translate.rps")" \
      -v ba="$(median <"$tmp/$body.bare.rps")" -v pbl="$(median <"$tmp/$body.baseline.p99")" 'BEGIN {
        printf "| %s | %.0f | %.0f | %.2f | %.2f | %.1f |\n", b, bl, tr, tr / bl, bl / ba, pbl }'
  done
fi
echo
echo "translate proxy RSS: ${rss_first} MB after its first round, $(rss "$tr_pid") MB after $served translated requests"

# Memory phase: keep translating the 20 KB run until MEM_REQUESTS requests in all (bounded by
# MEM_MAX_SECONDS), printing the RSS after every chunk: it should stay flat.
MEM_REQUESTS=${MEM_REQUESTS:-100000}
MEM_MAX_SECONDS=${MEM_MAX_SECONDS:-60}
mem_start=$SECONDS rss_line=""
while [ "$served" -lt "$MEM_REQUESTS" ] && [ $((SECONDS - mem_start)) -lt "$MEM_MAX_SECONDS" ]; do
  read -r _ _ n < <(wrk_once "http://127.0.0.1:$TR/workflow_runs/run_20kb")
  served=$((served + n))
  rss_line="$rss_line $(rss "$tr_pid")"
done
echo "translate proxy RSS (MB) after each further chunk, up to $served requests in all:$rss_line"
echo "goals (issue 11): translate/bare >= 0.6 (20 KB) and >= 0.5 (217 KB); p99 ratio <= 2; passthrough/bare >= 0.9"
