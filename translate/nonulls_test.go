package translate

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/tidwall/gjson"
)

// checkNoNullsAsIs: the shortcut of appendNoNullsText (a value it judges
// clean is copied unwalked) gives what walking it gives, for v and every
// value nested in it; it reports how many values took the shortcut.
func checkNoNullsAsIs(t *testing.T, v gjson.Result) int {
	t.Helper()
	taken := 0
	if noNullsAsIs(v.Raw) {
		taken++
	}
	if got, want := appendNoNullsText(nil, v.Raw), copyNoNulls(nil, v.Raw); !bytes.Equal(got, want) {
		t.Fatalf("N0 of %.200q: shortcut gives %.200q, the walk %.200q", v.Raw, got, want)
	}
	if !v.IsObject() && !v.IsArray() {
		return taken
	}
	v.ForEach(func(_, m gjson.Result) bool {
		taken += checkNoNullsAsIs(t, m)
		return true
	})
	return taken
}

// TestNoNullsShortcutMatchesTheWalk runs every value of every 2026-02-09
// golden body, and variants with what the walk must change (a null member,
// spaces, an escaped or a non-ASCII key), through both ways.
func TestNoNullsShortcutMatchesTheWalk(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("testdata", "*.new.json"))
	must(t, err)
	taken := 0
	for _, p := range paths {
		taken += checkNoNullsAsIs(t, gjson.ParseBytes(bytes.TrimSpace(readFileT(t, filepath.Base(p)))))
	}
	for _, s := range []string{`{"a":1,"b":null}`, `{"a": 1}`, `{"a\u0062":1}`, `{"é":1}`, `{"a":"x y"}`,
		`[null,1]`, `{"a":[{"b":null}]}`, `{"nul":"l"}`, `{"a":"\u00e9"}`, "{\"a\":\"\xff\"}", `{"x":10,"y":20}`} {
		taken += checkNoNullsAsIs(t, gjson.Parse(s))
	}
	if taken == 0 {
		t.Fatal("no value took the shortcut: the test compares nothing")
	}
}

func FuzzNoNullsShortcutMatchesTheWalk(f *testing.F) {
	seedGolden(f, "*.new.json")
	f.Fuzz(func(t *testing.T, in []byte) {
		if !gjson.ValidBytes(in) {
			return
		}
		checkNoNullsAsIs(t, gjson.ParseBytes(bytes.TrimSpace(in)))
	})
}
