package translate

import (
	"sync"

	"github.com/tidwall/gjson"
)

// doc is a validated JSON text plus, for every object and array, where it
// ends. Reading a value through a doc never rescans it: iterating an object
// reads its keys and scalar values and jumps over nested objects and arrays
// by index, so each input byte is read a small constant number of times
// (once to validate and index, once more if a writer copies or descends into
// it) instead of once per enclosing level, as gjson's Get and ForEach do.
//
// Values are gjson.Results whose Index is their offset in src, so the
// writers keep gjson's vocabulary (Type, Raw, Str, IsObject…).
type doc struct {
	src   string
	spans []span  // every object and array, in document order of their opening bracket
	stack []int32 // scratch for indexing: indexes into spans of the open containers
	hint  int     // where end looks first
}

// span is where one object or array opens and ends (just past its closing bracket).
type span struct{ open, end int32 }

// docPool keeps index slices between calls, so a translation allocates
// nothing for them in the steady state.
var docPool = sync.Pool{New: func() any { return new(doc) }}

// maxPooledContainers keeps one freak body from pinning a huge index in the pool.
const maxPooledContainers = 1 << 16

// parseDoc validates src exactly as gjson.ValidBytes does and indexes it.
// The doc must be released with free once no Result from it is used.
func parseDoc(src []byte) (*doc, gjson.Result, bool) {
	d := docPool.Get().(*doc)
	d.src = bytesString(src)
	d.spans, d.stack, d.hint = d.spans[:0], d.stack[:0], 0
	start, ok := d.index()
	if !ok {
		d.free()
		return nil, gjson.Result{}, false
	}
	return d, d.value(start), true
}

// free returns d to the pool; d must not be used afterwards.
func (d *doc) free() {
	d.src = ""
	if cap(d.spans) > maxPooledContainers {
		return
	}
	docPool.Put(d)
}

// end returns the offset just past the object or array opening at i.
// Descending into a value reads its first nested container next, so the
// slot after the last one found is tried before a binary search.
func (d *doc) end(i int) int {
	k := d.hint
	if k >= len(d.spans) || int(d.spans[k].open) != i {
		lo, hi := 0, len(d.spans)
		for lo < hi {
			m := int(uint(lo+hi) >> 1)
			if int(d.spans[m].open) < i {
				lo = m + 1
			} else {
				hi = m
			}
		}
		k = lo
	}
	d.hint = k + 1
	return int(d.spans[k].end)
}

// value reads the value starting at offset i (no leading space).
func (d *doc) value(i int) gjson.Result {
	s := d.src
	switch c := s[i]; c {
	case '{', '[':
		return gjson.Result{Type: gjson.JSON, Raw: s[i:d.end(i)], Index: i}
	case '"':
		raw, str := readString(s, i)
		return gjson.Result{Type: gjson.String, Raw: raw, Str: str, Index: i}
	case 't':
		return gjson.Result{Type: gjson.True, Raw: s[i : i+4], Index: i}
	case 'f':
		return gjson.Result{Type: gjson.False, Raw: s[i : i+5], Index: i}
	case 'n':
		return gjson.Result{Type: gjson.Null, Raw: s[i : i+4], Index: i}
	default:
		j := i + 1
		for j < len(s) && isNumberByte(s[j]) {
			j++
		}
		// Num stays 0: the writers copy numbers by Raw and never read them.
		return gjson.Result{Type: gjson.Number, Raw: s[i:j], Index: i}
	}
}

func isNumberByte(c byte) bool {
	return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E'
}

// readString returns the raw string starting at the quote at i and its
// value; only a string with escapes costs an allocation.
func readString(s string, i int) (raw, str string) {
	// Fast path: no backslash before the closing quote. Most strings are
	// short, so a word-at-a-time scan beats a call to IndexByte.
	if j := nextSpecial(s, i+1); j < len(s) && s[j] == '"' {
		raw = s[i : j+1]
		return raw, raw[1 : len(raw)-1]
	}
	esc := false
	for j := i + 1; j < len(s); j++ {
		switch s[j] {
		case '\\':
			esc = true
			j++
		case '"':
			raw = s[i : j+1]
			if !esc {
				return raw, raw[1 : len(raw)-1]
			}
			return raw, gjson.Parse(raw).Str
		}
	}
	return s[i:], "" // unreachable on a validated doc
}

// skipSpace returns the first offset at or after i that is not JSON space.
func skipSpace(s string, i int) int {
	for i < len(s) && s[i] <= ' ' && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
		i++
	}
	return i
}

// each calls fn for every member of an object (key, value) or element of an
// array (empty key) in r, in order, until fn returns false. Like gjson's
// ForEach, a scalar r is visited once as itself and a missing r not at all.
func (d *doc) each(r gjson.Result, fn func(key string, v gjson.Result) bool) {
	if !r.Exists() {
		return
	}
	if r.Type != gjson.JSON {
		fn("", r)
		return
	}
	s, obj := d.src, r.Raw[0] == '{'
	i, end := r.Index+1, r.Index+len(r.Raw)-1
	for {
		i = skipSpace(s, i)
		if i >= end {
			return
		}
		if s[i] == ',' {
			i = skipSpace(s, i+1)
		}
		var key string
		if obj {
			var raw string
			raw, key = readString(s, i)
			i = skipSpace(s, i+len(raw))
			i = skipSpace(s, i+1) // the colon
		}
		v := d.value(i)
		if !fn(key, v) {
			return
		}
		i += len(v.Raw)
	}
}

// get returns the member key of object r, or element key (a decimal index)
// of array r; the first of duplicate keys wins, as with gjson.Get. Anything
// else gives the zero Result.
func (d *doc) get(r gjson.Result, key string) gjson.Result {
	var out gjson.Result
	if !r.IsObject() && !(r.IsArray() && isIndex(key)) {
		return out
	}
	n, want := 0, 0
	if r.IsArray() {
		for _, c := range []byte(key) {
			want = want*10 + int(c-'0')
		}
	}
	arr := r.IsArray()
	d.each(r, func(k string, v gjson.Result) bool {
		if (arr && n == want) || (!arr && k == key) {
			out = v
			return false
		}
		n++
		return true
	})
	return out
}

func isIndex(k string) bool {
	if k == "" || len(k) > 6 {
		return false
	}
	for _, c := range []byte(k) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// pick reads several members of object r in one pass into out (len(keys));
// the first occurrence of a key wins, missing keys stay the zero Result.
func (d *doc) pick(r gjson.Result, keys []string, out []gjson.Result) {
	for i := range out {
		out[i] = gjson.Result{}
	}
	found := 0
	d.each(r, func(name string, v gjson.Result) bool {
		for i, key := range keys {
			if key == name {
				if !out[i].Exists() {
					out[i] = v
					found++
				}
				break
			}
		}
		// Later duplicates would be ignored anyway: stop once every key is found.
		return found < len(keys)
	})
}
