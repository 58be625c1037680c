package translate

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/tidwall/gjson"
)

// TestAppendTimeMatchesAppendFormat holds the hand-written time formatter to
// time.AppendFormat with the legacy layout, over random instants in every
// time zone offset, the edges of each field and years AppendFormat spells
// differently (negative, five digits).
func TestAppendTimeMatchesAppendFormat(t *testing.T) {
	want := func(t time.Time) string {
		return `"` + t.UTC().Format(legacyTimeLayout) + `"`
	}
	times := []time.Time{
		time.Unix(0, 0), time.Unix(0, 999_999_999), time.Unix(-1, 0),
		time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(9999, 12, 31, 23, 59, 59, 999_999_999, time.UTC),
		time.Date(-1, 6, 15, 1, 2, 3, 4_000_000, time.UTC), time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 2, 9, 12, 30, 0, 1_500_000, time.FixedZone("x", -11*3600)),
		{},
	}
	r := rand.New(rand.NewPCG(11, 2))
	for range 20000 {
		zone := time.FixedZone("z", (r.IntN(27)-13)*3600+r.IntN(4)*900)
		times = append(times, time.Unix(r.Int64N(1<<37)-1<<36, r.Int64N(1e9)).In(zone))
	}
	for _, tm := range times {
		if got := string(appendTime([]byte("x"), tm)); got != "x"+want(tm) {
			t.Fatalf("appendTime(%v) = %s, want x%s", tm, got, want(tm))
		}
	}
}

// TestPlainASCII checks the word-at-a-time test against a byte-wise one for
// every length up to 40 with each special byte (and a multi-byte sequence)
// at every position.
func TestPlainASCII(t *testing.T) {
	byteWise := func(s string) bool {
		for _, c := range []byte(s) {
			if c < 0x20 || c == '"' || c == '\\' || c >= 0x80 {
				return false
			}
		}
		return true
	}
	for n := 0; n <= 40; n++ {
		base := []byte(strings.Repeat("aZ09_-./ ~{}", 4)[:n])
		if !plainASCII(string(base)) {
			t.Fatalf("plainASCII(%q) = false", base)
		}
		for pos := range n {
			for _, c := range []byte{0, 0x1f, '"', '\\', 0x7f, 0x80, 0xc3, 0xff, 0x21, 0x5b, 0x5d, 0x20} {
				s := slices.Clone(base)
				s[pos] = c
				if got, want := plainASCII(string(s)), byteWise(string(s)); got != want {
					t.Fatalf("plainASCII(%q) = %v, want %v", s, got, want)
				}
				if got, want := string(appendString(nil, string(s))), slowString(string(s)); got != want {
					t.Fatalf("appendString(%q) = %s, want %s", s, got, want)
				}
			}
		}
	}
}

// slowString is appendString's escaping written byte by byte through
// encoding/json's rules as the writers use them (invalid UTF-8 → U+FFFD).
func slowString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range strings.ToValidUTF8(s, "\ufffd") {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20:
			fmt.Fprintf(&b, `\u%04x`, r)
		case r == utf8.RuneError:
			b.WriteString(`\ufffd`)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// TestPickMatchesGet: pick reads several keys in one pass exactly as a
// gjson Get per key does, whatever the member order, with escaped keys that
// equal a wanted one, duplicates (the first wins), a wanted key that is a
// prefix of another, and a wanted key ending in a backslash, which the
// in-place comparison must not take for the key `a\"…`.
func TestPickMatchesGet(t *testing.T) {
	keys := []string{"id", "name", "idx", `a\`, "status", ""}
	for _, in := range []string{
		`{"id":1,"name":"n","idx":2,"a\\":3,"status":"s","":4}`,
		`{"status":"s","":4,"a\\":3,"idx":2,"name":"n","id":1}`,
		`{"i\u0064":1,"id":2,"nam\u0065":"e","name":"n"}`,
		`{"a\"":1,"a\\":2,"a\\\\":3}`,
		`{"idx":0,"a\"":1,"a\\":2}`,
		`{"idx":{"id":0},"id":[1,{"name":2}],"x":"id\"","name":"q"}`,
		`{ "id" : 1 , "name" :"n",` + "\n\t" + `"idx":3 }`,
		`{"id":1,"id":2,"name":null,"name":3}`,
		`{"":1,"idx":2}`, `{}`, `{"i":1,"ids":2,"id":3}`,
	} {
		d, root, ok := parseDoc([]byte(in))
		if !ok {
			t.Fatalf("invalid test input %s", in)
		}
		out := make([]gjson.Result, len(keys))
		d.pick(root, keys, out)
		for k, key := range keys {
			want := firstMember(gjson.Parse(in), key)
			if out[k].Raw != want.Raw || out[k].Type != want.Type || out[k].Str != want.Str {
				t.Errorf("%s: pick %q = %q, want %q", in, key, out[k].Raw, want.Raw)
			}
		}
		d.free()
	}
}

// firstMember is gjson's reading of member key of obj (the first of
// duplicates), by iteration, since a gjson path cannot name every key.
func firstMember(obj gjson.Result, key string) (r gjson.Result) {
	obj.ForEach(func(k, v gjson.Result) bool {
		if k.Str == key {
			r = v
			return false
		}
		return true
	})
	return r
}

// TestKeyEveryLength: obj.key writes what appendString and a colon write,
// for keys of every length up to 40 with each special byte at every
// position, whether or not the buffer has room for the one-pass copy.
func TestKeyEveryLength(t *testing.T) {
	for n := 0; n <= 40; n++ {
		base := []byte(strings.Repeat("aZ09_-./ ~{}", 4)[:n])
		variants := [][]byte{base}
		for pos := range n {
			for _, c := range []byte{0, 0x1f, '"', '\\', 0x7f, 0x80, 0xff, 0x21, 0x20} {
				s := slices.Clone(base)
				s[pos] = c
				variants = append(variants, s)
			}
		}
		for _, k := range variants {
			want := `{"x":1,` + string(appendString(nil, string(k))) + `:2}`
			for _, room := range []int{0, 64} {
				w := openObj(make([]byte, 0, room))
				w.raw("x", "1")
				w.raw(string(k), "2")
				if got := string(w.close()); got != want {
					t.Fatalf("key %q (room %d): %s, want %s", k, room, got, want)
				}
			}
		}
	}
}
