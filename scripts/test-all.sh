#!/usr/bin/env bash
# Runs every test of the project, installing what it needs: Go modules, the npm packages of the Node
# conformance suite, and Debian's chromium for the browser tests. This is the README's test command and
# what .ci/run runs. Each stage is bounded in time.
set -euo pipefail
cd "$(dirname "$0")/.."
export GOFLAGS="${GOFLAGS:-} -mod=readonly"

step() { printf '\n==> %s\n' "$*"; }

step "Go modules"
go mod download

step "gofmt, go vet and staticcheck"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './conformance/*'))
if [ -n "$unformatted" ]; then echo "gofmt would change: $unformatted"; exit 1; fi
go vet ./...
go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

step "PostgreSQL for the webhook relay's replica tests"
# Exports EXTEND_COMPAT_TEST_POSTGRES; without it those tests skip with a message.
source scripts/postgres.sh

step "go test -race ./..."
go test -race -count=1 -timeout 15m ./...

step "fuzz targets, briefly"
# A failing input is saved under <pkg>/testdata/fuzz/<target>/ and fails the run. A failure that saved
# nothing is the fuzzing engine itself stumbling on a loaded machine (a worker killed or slow to start):
# that target is run once more, and only a second failure counts. New inputs are not minimized
# (-fuzzminimizetime 0): minimizing one that turned up near the end of a 4 s run is what overran the
# deadline ("context deadline exceeded", nothing saved) and stalled the workers for seconds at a time;
# a failing input is still saved, unminimized.
inputs() { if [ -d "$1" ]; then find "$1" -type f | wc -l; else echo 0; fi; }
fuzz() {
  local pkg=$1 target=$2 dir="$1/testdata/fuzz/$2" before after
  before=$(inputs "$dir")
  if go test "$pkg" -run '^$' -fuzz "^${target}\$" -fuzztime "${FUZZTIME:-4s}" -fuzzminimizetime 0; then return 0; fi
  after=$(inputs "$dir")
  if [ "$after" -ne "$before" ]; then echo "fuzz: $target found a failing input in $dir"; return 1; fi
  echo "fuzz: $target failed without a failing input; running it once more"
  go test "$pkg" -run '^$' -fuzz "^${target}\$" -fuzztime "${FUZZTIME:-4s}" -fuzzminimizetime 0
}
for pkg in ./translate ./shadow ./sim ./webhook; do
  for target in $(go test "$pkg" -list '^Fuzz' | grep '^Fuzz' || true); do
    fuzz "$pkg" "$target"
  done
done

step "README walk-through, pasted into a shell against the proxy over the simulator"
scripts/readme-walkthrough.sh

if [ -f conformance/run.sh ]; then
  step "Node conformance suite (real extend-ai SDKs)"
  conformance/run.sh
fi

if [ -f browser/run.sh ]; then
  step "browser test of the admin shadow page (Debian chromium, headless)"
  browser/run.sh
fi

step "all tests passed"
