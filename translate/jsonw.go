package translate

import (
	"encoding/binary"
	"unicode/utf8"

	"github.com/tidwall/gjson"
)

// obj appends one JSON object to a byte slice. Outputs are built in a single
// pass this way (raw segments copied from the input) instead of through
// repeated sjson edits, each of which would copy the whole document.
type obj struct {
	b     []byte
	first bool
}

// openObj starts an object at the end of b.
func openObj(b []byte) obj { return obj{b: append(b, '{'), first: true} }

// close ends the object and returns the grown buffer.
func (o *obj) close() []byte { return append(o.b, '}') }

// key writes the separator and the quoted key.
func (o *obj) key(k string) {
	b := o.b
	if !o.first {
		b = append(b, ',')
	}
	o.first = false
	if nb, ok := appendPlainKey(b, k); ok {
		o.b = nb
		return
	}
	o.b = append(appendString(b, k), ':')
}

// appendPlainKey writes "k": when k is 1 to 24 bytes of plain ASCII and b
// has room, in one pass: the words loaded to test k are the words stored
// (overlapping where k is not a multiple of eight long), so a key costs no
// call to appendString or memmove. Writing keys was a tenth of a run's
// translation. Otherwise it reports false and leaves b unchanged.
func appendPlainKey(b []byte, k string) ([]byte, bool) {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	n, m := len(k), len(b)
	if n == 0 || n > 24 || cap(b)-m < n+3 {
		return b, false
	}
	plain := func(v uint64) bool { return specialMask(v)|v&highs == 0 }
	switch {
	case n >= 8: // three words at 0, p and n-8 cover k (no gap exceeds 8)
		p := (n - 8) / 2
		w0, w1, w2 := word(k[:8]), word(k[p:p+8]), word(k[n-8:])
		if !plain(w0) || !plain(w1) || !plain(w2) {
			return b, false
		}
		b = b[:m+n+3]
		binary.LittleEndian.PutUint64(b[m+1:], w0)
		binary.LittleEndian.PutUint64(b[m+1+p:], w1)
		binary.LittleEndian.PutUint64(b[m+1+n-8:], w2)
	case n >= 4: // two overlapping halves
		lo, hi := word4(k[:4]), word4(k[n-4:])
		if !plain(uint64(lo) | uint64(hi)<<32) {
			return b, false
		}
		b = b[:m+n+3]
		binary.LittleEndian.PutUint32(b[m+1:], lo)
		binary.LittleEndian.PutUint32(b[m+1+n-4:], hi)
	default: // the first, middle and last bytes are all of k
		c0, c1, c2 := k[0], k[n/2], k[n-1]
		if !plain(uint64(c0)*ones&^0xffff00 | uint64(c1)<<8 | uint64(c2)<<16) {
			return b, false
		}
		b = b[:m+n+3]
		b[m+1], b[m+1+n/2], b[m+n] = c0, c1, c2
	}
	b[m], b[m+n+1], b[m+n+2] = '"', '"', ':'
	return b, true
}

// raw writes a key with an already-encoded JSON value.
func (o *obj) raw(k, v string) {
	o.key(k)
	o.b = append(o.b, v...)
}

// rawb writes a key with an already-encoded JSON value held in bytes.
func (o *obj) rawb(k string, v []byte) {
	o.key(k)
	o.b = append(o.b, v...)
}

// str writes a key with a string value.
func (o *obj) str(k, v string) {
	o.key(k)
	o.b = appendString(o.b, v)
}

// boolean writes a key with a boolean value.
func (o *obj) boolean(k string, v bool) {
	if v {
		o.raw(k, "true")
	} else {
		o.raw(k, "false")
	}
}

// optStr copies r when it is a JSON string; null, missing or another type
// leaves the key out (mapping §0 rule 1: never emit null).
func (o *obj) optStr(k string, r gjson.Result) {
	if r.Type == gjson.String {
		o.raw(k, r.Raw)
	}
}

// reqStr copies r when it is a string and writes "" otherwise, for legacy
// fields that are required strings.
func (o *obj) reqStr(k string, r gjson.Result) {
	if r.Type == gjson.String {
		o.raw(k, r.Raw)
		return
	}
	o.str(k, "")
}

// optNum copies r when it is a number.
func (o *obj) optNum(k string, r gjson.Result) {
	if r.Type == gjson.Number {
		o.raw(k, r.Raw)
	}
}

// optBool copies r when it is a boolean.
func (o *obj) optBool(k string, r gjson.Result) {
	if r.IsBool() {
		o.raw(k, r.Raw)
	}
}

// optObj copies r when it is an object.
func (o *obj) optObj(k string, r gjson.Result) {
	if r.IsObject() {
		o.raw(k, r.Raw)
	}
}

// optArr copies r when it is an array.
func (o *obj) optArr(k string, r gjson.Result) {
	if r.IsArray() {
		o.raw(k, r.Raw)
	}
}

// optAny copies r when it is present and not null.
func (o *obj) optAny(k string, r gjson.Result) {
	if r.Exists() && r.Type != gjson.Null {
		o.raw(k, r.Raw)
	}
}

// optEnum copies r when it is a string in the closed legacy enum; other
// values are dropped because the legacy field is optional (mapping §1.2).
func (o *obj) optEnum(k string, r gjson.Result, allowed ...string) {
	if r.Type != gjson.String {
		return
	}
	s := r.String()
	for _, a := range allowed {
		if s == a {
			o.raw(k, r.Raw)
			return
		}
	}
}

// reqBool writes r as a boolean, false when it is not one.
func (o *obj) reqBool(k string, r gjson.Result) {
	o.boolean(k, r.Type == gjson.True)
}

// appendArray writes the elements of arr through fn, skipping elements for
// which fn reports false (fn must then leave b unchanged). A value that is not
// an array gives [] (gjson's ForEach would visit a scalar or an object's values).
func (d *doc) appendArray(b []byte, arr gjson.Result, fn func(b []byte, v gjson.Result) ([]byte, bool)) []byte {
	b = append(b, '[')
	if !arr.IsArray() {
		return append(b, ']')
	}
	// A loop of its own rather than each: one closure call per element
	// instead of two.
	n := 0
	var v gjson.Result
	for i, end, ok := d.first(arr); ok; i, ok = d.next(i+len(v.Raw), end) {
		d.load(i, &v)
		mark := len(b)
		if n > 0 {
			b = append(b, ',')
		}
		var kept bool
		if b, kept = fn(b, v); !kept {
			b = b[:mark]
			continue
		}
		n++
	}
	return append(b, ']')
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string. Invalid UTF-8 becomes U+FFFD so
// the output is always valid JSON, whatever bytes the input carried.
func appendString(b []byte, s string) []byte {
	if plainASCII(s) { // keys and most values: copied as they are
		b = append(b, '"')
		b = append(b, s...)
		return append(b, '"')
	}
	b = append(b, '"')
	// Skip the plain ASCII before the first byte to escape or decode eight
	// bytes at a time; from there on, byte by byte.
	i := 0
	for ; i+8 <= len(s); i += 8 {
		if v := word(s[i : i+8]); specialMask(v)|v&0x8080808080808080 != 0 {
			break
		}
	}
	start := 0
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// plainASCII reports whether s has nothing to escape: no quote, backslash,
// control character or byte above 0x7f. It reads s a word at a time, the
// last (or only) word overlapping the one before: constant keys are most
// of what the writers write, and a byte-wise loop over their tails was a
// third of appendString's time.
func plainASCII(s string) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	var v uint64
	switch n := len(s); {
	case n >= 8:
		for i := 0; i+8 < n; i += 8 {
			if w := word(s[i : i+8]); specialMask(w)|w&highs != 0 {
				return false
			}
		}
		v = word(s[n-8:])
	case n >= 4: // two overlapping halves cover every byte
		v = uint64(word4(s[:4])) | uint64(word4(s[n-4:]))<<32
	case n > 0: // the first, middle and last bytes are all of s; s[0] fills the rest
		v = uint64(s[0])*ones&^0xffff00 | uint64(s[n/2])<<8 | uint64(s[n-1])<<16
	default:
		return true
	}
	return specialMask(v)|v&highs == 0
}

// word4 reads four bytes as a little-endian word (see word).
func word4(w string) uint32 {
	_ = w[3]
	return uint32(w[0]) | uint32(w[1])<<8 | uint32(w[2])<<16 | uint32(w[3])<<24
}
