package translate

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tidwall/gjson"
)

// sameTree reports the first difference between walking r with the doc and
// walking g (the same value) with gjson's own ForEach and Get.
func sameTree(t *testing.T, d *doc, r, g gjson.Result, path string) {
	t.Helper()
	if r.Type != g.Type || r.Raw != g.Raw || r.Str != g.Str {
		t.Fatalf("%s: doc gives (%v %q %q), gjson (%v %q %q)", path, r.Type, r.Raw, r.Str, g.Type, g.Raw, g.Str)
	}
	if !r.IsObject() && !r.IsArray() {
		return
	}
	var keys []string
	var vals []gjson.Result
	d.each(r, func(k string, v gjson.Result) bool {
		keys, vals = append(keys, k), append(vals, v)
		return true
	})
	n := 0
	g.ForEach(func(k, v gjson.Result) bool {
		if n >= len(vals) {
			t.Fatalf("%s: doc visits %d members, gjson more", path, len(vals))
		}
		if r.IsObject() {
			if keys[n] != k.Str {
				t.Fatalf("%s: key %d is %q, gjson %q", path, n, keys[n], k.Str)
			}
			if got, want := d.get(r, k.Str), g.Get(gjson.Escape(k.Str)); got.Raw != want.Raw && isPlainKey(k.Str) {
				t.Fatalf("%s: get(%q) = %q, gjson %q", path, k.Str, got.Raw, want.Raw)
			}
		}
		sameTree(t, d, vals[n], v, path+"/"+keys[n])
		n++
		return true
	})
	if n != len(vals) {
		t.Fatalf("%s: doc visits %d members, gjson %d", path, len(vals), n)
	}
	if r.IsObject() {
		checkPick(t, d, r, g, keys, path)
	}
	if r.IsArray() && n > 0 && d.get(r, "0").Raw != g.Get("0").Raw {
		t.Fatalf("%s: get(0) differs", path)
	}
}

// isPlainKey: gjson paths treat some characters specially even escaped; the
// writers only ever get plain identifiers.
func isPlainKey(k string) bool {
	for _, c := range []byte(k) {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_') {
			return false
		}
	}
	return k != ""
}

func checkDoc(t *testing.T, in []byte) {
	t.Helper()
	d, root, ok := parseDoc(in)
	if want := gjson.ValidBytes(in); ok != want {
		t.Fatalf("parseDoc valid=%v, gjson.ValidBytes=%v for %q", ok, want, in)
	}
	if !ok {
		return
	}
	defer d.free()
	// gjson keeps the spaces around the top-level value in Raw; nothing reads it.
	sameTree(t, d, root, gjson.ParseBytes(bytes.TrimSpace(in)), "$")
}

// TestDocMatchesGjson: the indexed reader accepts exactly what
// gjson.ValidBytes accepts and reads every value as gjson does.
func TestDocMatchesGjson(t *testing.T) {
	for _, s := range []string{``, ` `, `{}`, `[]`, ` {"a" : [1, -2.5e+3, "x\"y", true,false,null, {}, []] } `,
		`{"a":1,"a":2}`, `{"k\u0065y":"v\n"}`, `[1,]`, `{"a":1,}`, `{"a"}`, `{"a":}`, `01`, `-`, `1.`, `1e`, `1e+`,
		`"\x"`, "\"\x01\"", `[`, `]`, `{"a":[}`, `[{]`, `tru`, `nul`, `{"a":1}x`, `[1 2]`, `{"a":1 "b":2}`,
		`"\u12G4"`, `[[[[[]]]]]`, `{"":{"":{"":""}}}`, `-0.0e-0`, `[-01]`, "\xff", `{"a":"\xff"}`} {
		checkDoc(t, []byte(s))
	}
	for _, name := range []string{"get_full.new.json", "list.new.json", "perf/run-20kb.new.json", "perf/run-217kb.new.json"} {
		checkDoc(t, readFileT(t, name))
	}
}

func FuzzDocMatchesGjson(f *testing.F) {
	seedGolden(f, "*.new.json")
	f.Fuzz(func(t *testing.T, in []byte) { checkDoc(t, in) })
}

func readFileT(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	must(t, err)
	return b
}

// TestStringScanEveryOffset puts each kind of byte a string scan must notice
// (or must not) at every offset of the eight-byte words the scan reads at once.
func TestStringScanEveryOffset(t *testing.T) {
	for pos := range 20 {
		for _, mid := range []string{`"`, `\n`, `\u00e9`, `\"`, `\\`, "\x01", "\x1f", " ", "\x7f", "\x80", "\xff", `\x`, "!", "#", "]", "\\"} {
			pad := bytes.Repeat([]byte("a"), pos)
			in := append(append(append([]byte(`{"k":"`), pad...), mid...), `bbbbbbbbbbb","z":1}`...)
			checkDoc(t, in)
		}
	}
}

// TestAppendStringEveryOffset: the word-at-a-time shortcut of appendString
// gives what encoding/json gives (HTML escaping aside) for every kind of byte
// at every offset, and invalid UTF-8 becomes U+FFFD.
func TestAppendStringEveryOffset(t *testing.T) {
	for pos := range 20 {
		for _, mid := range []string{"", "\"", "\\", "\x00", "\x1f", "\n", " ", "~", "\x7f", "é", "\u2028", "\xff", "/"} {
			s := strings.Repeat("a", pos) + mid + "bcdefghij"
			got := appendString(nil, s)
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			must(t, enc.Encode(strings.ToValidUTF8(s, "\ufffd")))
			want := strings.TrimSuffix(buf.String(), "\n")
			// encoding/json escapes U+2028 and U+2029; both forms are the same JSON string.
			var g, w string
			must(t, json.Unmarshal(got, &g))
			must(t, json.Unmarshal([]byte(want), &w))
			if g != w || !json.Valid(got) {
				t.Fatalf("appendString(%q) = %s, want %s", s, got, want)
			}
		}
	}
}

// checkPick reads the members of object r with pick, several keys in one
// pass, as the writers do: in the document's order, in reverse (every
// match after the first is out of order), and shuffled among the writers'
// own key lists, plus a key that is missing; each must be what gjson finds
// first under that key.
func checkPick(t *testing.T, d *doc, r, g gjson.Result, keys []string, path string) {
	t.Helper()
	// The writers' lists name each key once.
	var uniq []string
	for _, k := range keys {
		if !slices.Contains(uniq, k) {
			uniq = append(uniq, k)
		}
	}
	rev := slices.Clone(uniq)
	slices.Reverse(rev)
	mixed := slices.Clone(runKeys)
	for _, k := range append(append(slices.Clone(stepRunKeys), uniq...), "no such key") {
		if !slices.Contains(mixed, k) {
			mixed = append(mixed, k)
		}
	}
	for _, list := range [][]string{uniq, rev, mixed} {
		if len(list) > 64 {
			list = list[:64]
		}
		out := make([]gjson.Result, len(list))
		d.pick(r, list, out)
		for k, key := range list {
			if want := firstMember(g, key); out[k].Raw != want.Raw || out[k].Type != want.Type || out[k].Str != want.Str {
				t.Fatalf("%s: pick %q of %q = %q, gjson %q", path, key, list, out[k].Raw, want.Raw)
			}
		}
	}
}
