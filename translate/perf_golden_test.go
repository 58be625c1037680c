package translate

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestPerfFixturesByteExact pins the exact bytes (not just the canonical
// JSON) RunResponse writes for the two issue-11 fixtures, so a performance
// rewrite of the writers cannot reorder keys or change spacing unnoticed.
// -update rewrites the pinned outputs; review the diff like code.
func TestPerfFixturesByteExact(t *testing.T) {
	for _, name := range []string{"run-20kb", "run-217kb"} {
		t.Run(name, func(t *testing.T) {
			in, err := os.ReadFile(filepath.Join("testdata", "perf", name+".new.json"))
			must(t, err)
			got, err := runResponse(in, RunContext{Now: time.Unix(1700000000, 0)}, Options{})
			must(t, err)
			if !json.Valid(got) {
				t.Fatalf("output is not valid JSON")
			}
			want := filepath.Join("testdata", "perf", name+".legacy.json")
			if *update {
				must(t, os.WriteFile(want, got, 0o644))
				return
			}
			exp, err := os.ReadFile(want)
			must(t, err)
			if !bytes.Equal(got, exp) {
				i := 0
				for i < len(got) && i < len(exp) && got[i] == exp[i] {
					i++
				}
				t.Fatalf("output differs from %s at byte %d: got %.80q, want %.80q", want, i, got[i:], exp[i:])
			}
		})
	}
}
