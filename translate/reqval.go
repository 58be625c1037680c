package translate

import (
	"github.com/tidwall/gjson"
)

// The create and batch request transforms read members as rv values, not
// gjson.Results. A Result is 80 bytes holding three pointers into the body;
// the readers store one per member into arrays the compiler cannot prove to
// be on the stack, and while the collector marks (often, under the
// allocation rate of a fan-out) every such store goes through the write
// barrier and findObject: 12% of the 50-file create's CPU in a profile.
// An rv is two offsets and no pointer, and its type is its first byte.

// rv is the value at src[i:j] of a doc; j == 0 when it is absent (no value
// ends at 0).
type rv struct{ i, j int }

// valAt is the value starting at offset i (no leading space).
func (d *doc) valAt(i int) rv { return rv{i, d.skip(i)} }

// rvOf is the rv of a Result read from d (its Index is its offset in src).
func rvOf(r gjson.Result) rv {
	if !r.Exists() {
		return rv{}
	}
	return rv{r.Index, r.Index + len(r.Raw)}
}

// result turns v back into a Result (the zero Result when absent).
func (d *doc) result(v rv) gjson.Result {
	if v.j == 0 {
		return gjson.Result{}
	}
	return d.value(v.i)
}

// raw is v's JSON text.
func (d *doc) raw(v rv) string { return d.src[v.i:v.j] }

// lead is v's first byte, which tells its type; 0 when v is absent.
func (d *doc) lead(v rv) byte {
	if v.j == 0 {
		return 0
	}
	return d.src[v.i]
}

// str is the value of the string v, unescaped.
func (d *doc) str(v rv) string {
	_, s := readString(d.src, v.i)
	return s
}

// fits reports whether a value whose first byte is c has kind k (what
// matches says of the Result).
func (k kind) fits(c byte) bool {
	switch k {
	case kString:
		return c == '"'
	case kNumber:
		return c == '-' || (c >= '0' && c <= '9')
	case kObject:
		return c == '{'
	default:
		return c == '['
	}
}

// kindOf returns a 400 when an optional member key of the object at p is
// present, not null and of another kind (kindAt for an rv).
func (d *doc) kindOf(v rv, p *reqPath, key string, k kind) error {
	if c := d.lead(v); c == 0 || c == 'n' || k.fits(c) {
		return nil
	}
	return kindErr(p, key, k)
}

// members returns the offset of the first member (its key) or element of
// the object or array v, the offset of its closing bracket, and false when
// v is empty; v must be an object or an array.
func (d *doc) members(v rv) (i, end int, ok bool) {
	i, end = skipSpace(d.src, v.i+1), v.j-1
	return i, end, i < end
}

// knownKey returns the position in keys of the key whose opening quote is
// at i, trying from first, and the offset of the member's value; -1 when
// no key matches it as written (keyHere; an escaped key then goes through
// memberValue). Matching the bytes in place saves finding the key's end
// and comparing it again.
func knownKey(s string, i int, keys []string, from int) (k, at int) {
	for k = from; k < len(keys); k++ {
		if e := keyHere(s, i, keys[k]); e > 0 {
			return k, skipSpace(s, skipSpace(s, e)+1)
		}
	}
	for k = range min(from, len(keys)) {
		if e := keyHere(s, i, keys[k]); e > 0 {
			return k, skipSpace(s, skipSpace(s, e)+1)
		}
	}
	return -1, 0
}

// memberValue reads the key at i and returns it unescaped, with the offset
// of the member's value.
func memberValue(s string, i int) (name string, at int) {
	raw, name := readString(s, i)
	i = skipSpace(s, i+len(raw))
	return name, skipSpace(s, i+1) // the colon
}

// fieldsOf is fields for rv values: the first occurrence of each of known
// into out (len(known)), every other member reported as unknown or, with
// RejectUnknownFields, refused. v must be an object.
func (d *doc) fieldsOf(v rv, p *reqPath, known []string, out []rv, o *Options, rep *Report) error {
	clear(out)
	s, at := d.src, 0
	for i, end, ok := d.members(v); ok; i, ok = d.next(i, end) {
		k, j := knownKey(s, i, known, at)
		var name string
		if k < 0 {
			name, j = memberValue(s, i)
			k = keyIndex(known, name, at)
		}
		if k >= 0 {
			if out[k].j == 0 {
				out[k] = d.valAt(j)
				at = k + 1
				i = out[k].j
			} else {
				i = d.skip(j)
			}
			continue
		}
		path := p.member(name)
		if o.RejectUnknownFields {
			return errAt(&path, "is not a known field of this legacy request")
		}
		if rep != nil {
			rep.unknown(path.String())
		}
		i = d.skip(j)
	}
	return nil
}

// tallyOf is tally for rv values: the first occurrence of each of keys
// into out, how many members bear each key into cnt, and the member count.
// v must be an object.
func (d *doc) tallyOf(v rv, keys []string, out []rv, cnt []int) int {
	clear(out)
	clear(cnt)
	s, n, at := d.src, 0, 0
	for i, end, ok := d.members(v); ok; i, ok = d.next(i, end) {
		n++
		k, j := knownKey(s, i, keys, at)
		if k < 0 {
			var name string
			name, j = memberValue(s, i)
			k = keyIndex(keys, name, at)
		}
		if k >= 0 {
			cnt[k]++
		}
		if k >= 0 && cnt[k] == 1 {
			out[k] = d.valAt(j)
			at = k + 1
			i = out[k].j
		} else {
			i = d.skip(j)
		}
	}
	return n
}
