package translate

import (
	"math/bits"
	"slices"
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
	// end looks first at hint (the first container inside the last one
	// found: a writer descending into it) and at after (the container after
	// the last one found and everything inside it: a writer stepping over it
	// to its next sibling); a binary search over spans is the fallback.
	hint, after int
}

// span is where one object or array opens and ends (just past its closing
// bracket), and next, the index in spans of the first container after it
// and everything it contains.
type span struct{ open, end, next int32 }

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
	d.spans, d.stack, d.hint, d.after = d.spans[:0], d.stack[:0], 0, 0
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
// Writers either descend into the container they just found or step over
// it to the next sibling: both candidates are tried before a binary search.
func (d *doc) end(i int) int {
	k := d.hint
	if k >= len(d.spans) || int(d.spans[k].open) != i {
		k = d.after
	}
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
	d.hint, d.after = k+1, int(d.spans[k].next)
	return int(d.spans[k].end)
}

// value reads the value starting at offset i (no leading space).
func (d *doc) value(i int) gjson.Result {
	var r gjson.Result
	d.load(i, &r)
	return r
}

// load reads the value starting at offset i into *r, field by field. Writing
// through the pointer matters: a Result (80 bytes) returned from a call and
// then copied is spilled in 8-byte words and reloaded in 16-byte ones, a
// store-forwarding stall that was a third of pick's time.
func (d *doc) load(i int, r *gjson.Result) {
	s := d.src
	r.Index, r.Num, r.Indexes, r.Str = i, 0, nil, ""
	switch c := s[i]; c {
	case '{', '[':
		r.Type, r.Raw = gjson.JSON, s[i:d.end(i)]
	case '"':
		r.Type = gjson.String
		r.Raw, r.Str = readString(s, i)
	case 't':
		r.Type, r.Raw = gjson.True, s[i:i+4]
	case 'f':
		r.Type, r.Raw = gjson.False, s[i:i+5]
	case 'n':
		r.Type, r.Raw = gjson.Null, s[i:i+4]
	default:
		j := i + 1
		for j < len(s) && isNumberByte(s[j]) {
			j++
		}
		// Num stays 0: the writers copy numbers by Raw and never read them.
		r.Type, r.Raw = gjson.Number, s[i:j]
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
	for j := i + 1; j+8 <= len(s); j += 8 { // nextSpecial, written out
		if m := specialMask(word(s[j : j+8])); m != 0 {
			if j += bits.TrailingZeros64(m) >> 3; s[j] == '"' {
				raw = s[i : j+1]
				return raw, raw[1 : len(raw)-1]
			}
			break
		}
	}
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
	if r.IsArray() && isIndex(key) {
		want := 0
		for _, c := range []byte(key) {
			want = want*10 + int(c-'0')
		}
		n := 0
		for i, end, ok := d.first(r); ok; i, ok = d.next(d.skip(i), end) {
			if n == want {
				return d.value(i)
			}
			n++
		}
		return gjson.Result{}
	}
	var out [1]gjson.Result
	d.pick(r, []string{key}, out[:])
	return out[0]
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
// Members that are not wanted are skipped without being read (a nested
// object or array by its index entry), and the pass stops once every key is
// found.
func (d *doc) pick(r gjson.Result, keys []string, out []gjson.Result) {
	clear(out)
	if !r.IsObject() {
		return
	}
	s, found, at := d.src, 0, 0
	i, end, ok := d.first(r)
	for ok { // i is at a member's key
		k, j := d.matchKey(keys, at, i)
		if s[j] == ':' { // compact JSON: no space to skip
			j++
		} else {
			j = skipSpace(s, j) + 1
		}
		j = skipSpace(s, j) // the value
		if k >= 0 && out[k].Raw == "" {
			d.load(j, &out[k])
			if found++; found == len(keys) {
				return
			}
			at = k + 1
			j += len(out[k].Raw)
		} else {
			j = d.skip(j)
		}
		if j < end && s[j] == ',' && s[j+1] == '"' { // compact JSON again
			i = j + 1
			continue
		}
		if j == end { // the last member
			return
		}
		i, ok = d.next(j, end)
	}
}

// matchKey reads the key at i and returns its position in keys (or -1) and
// the offset just past it. The key expected next, keys[at], is compared in
// place first: an unescaped key equal to it ends exactly where it does, so
// the usual match costs neither a scan for the key's end nor a lookup.
func (d *doc) matchKey(keys []string, at, i int) (k, next int) {
	s := d.src
	if at < len(keys) {
		if e := keyHere(s, i, keys[at]); e > 0 {
			return at, e
		}
	}
	raw, key := readString(s, i)
	return keyIndex(keys, key, at), i + len(raw)
}

// keyHere reports whether the key whose opening quote is at i is want as
// written, by comparing the bytes in place: the offset just past the key's
// closing quote if so, else 0. The quote after want closes the key unless
// want ends in a backslash, so such a want is never compared this way.
func keyHere(s string, i int, want string) int {
	if n := len(want); n > 0 && want[n-1] == '\\' {
		return 0
	}
	if e := i + 1 + len(want); e < len(s) && s[e] == '"' && s[i+1:e] == want {
		return e + 1
	}
	return 0
}

// keyIndex returns the position of key in keys, or -1. It starts looking at
// from, where the member after the previous match usually is: the key lists
// follow the order in which the API writes its members.
func keyIndex(keys []string, key string, from int) int {
	if key == "" {
		return slices.Index(keys, key)
	}
	c, n := key[0], len(key)
	for k := from; k < len(keys); k++ {
		if want := keys[k]; len(want) == n && want[0] == c && want == key {
			return k
		}
	}
	for k := range min(from, len(keys)) {
		if want := keys[k]; len(want) == n && want[0] == c && want == key {
			return k
		}
	}
	return -1
}

// first returns the offset of the first member (its key) or element of the
// object or array r, the offset of r's closing bracket, and false when r
// is empty. Loops carry the closing offset rather than r: a Result passed
// by value on every step is copied in 16-byte loads over the 8-byte stores
// that spilled it, a store-forwarding stall (half of pick's time on lists
// of small objects).
func (d *doc) first(r gjson.Result) (i, end int, ok bool) {
	i, end = skipSpace(d.src, r.Index+1), r.Index+len(r.Raw)-1
	return i, end, i < end
}

// next returns the offset of the member or element after the one that
// ended at i, and false after the last one (end is the closing bracket).
func (d *doc) next(i, end int) (int, bool) {
	s := d.src
	i = skipSpace(s, i)
	if i >= end {
		return i, false
	}
	return skipSpace(s, i+1), true // past the comma
}

// stringEnd returns the offset just past the string whose opening quote is
// at s[i] (in valid JSON): the first quote not escaped by a backslash.
func stringEnd(s string, i int) int { return stringEndFrom(s, i+1) }

// stringEndFrom is stringEnd from offset j inside the string, where no
// backslash before j is left unpaired (skip resumes here after its inline
// steps, without reading their bytes again).
func stringEndFrom(s string, j int) int {
	for ; ; j += 2 { // past a backslash and the byte it escapes
		if j = nextSpecial(s, j); j >= len(s) || s[j] == '"' {
			return j + 1
		}
	}
}

// skip returns the offset just past the value at i, reading no more of it
// than it must: a nested object or array ends where its index entry says.
func (d *doc) skip(i int) int {
	s := d.src
	switch s[i] {
	case '{', '[':
		return d.end(i)
	case '"':
		// Most strings have no escape and end at their first special byte:
		// nextSpecial written out, so they cost no call.
		j := i + 1
		for ; j+8 <= len(s); j += 8 {
			if m := specialMask(word(s[j : j+8])); m != 0 {
				if j += bits.TrailingZeros64(m) >> 3; s[j] == '"' {
					return j + 1
				}
				break // a backslash: the long way from it
			}
		}
		return stringEndFrom(s, j)
	case 't', 'n':
		return i + 4
	case 'f':
		return i + 5
	default:
		j := i + 1
		for j < len(s) && isNumberByte(s[j]) {
			j++
		}
		return j
	}
}
