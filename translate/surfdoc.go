package translate

import (
	"github.com/tidwall/gjson"
)

// Helpers the surface response writers share on the indexed doc (index.go):
// each body is validated and indexed once, every object read once per use,
// and the answer built in a pooled buffer, as for workflow runs.

// bodyDoc is the single body of m, checked once at the edge and indexed;
// the caller frees the doc.
func bodyDoc(m Message) (*doc, gjson.Result, error) {
	body, err := single(m)
	if err != nil {
		return nil, gjson.Result{}, err
	}
	return parseResponse(body)
}

// surfaceAnswer writes the answer to m's single body through write, in a
// pooled buffer that becomes the answer (see answer in buf.go).
func surfaceAnswer(c *Context, m Message, write func(b []byte, d *doc, root gjson.Result) ([]byte, error)) (Message, error) {
	d, root, err := bodyDoc(m)
	if err != nil {
		return Message{}, err
	}
	defer d.free()
	sb := getBuf()
	b, err := write(growFor(sb.b, len(d.src)), d, root)
	if err == nil {
		sb.b = b
	}
	out, err := answer(c, sb, err)
	if err != nil {
		return Message{}, err
	}
	return One(out), nil
}

// growFor readies an empty output buffer for the answer to a body of n
// bytes, which is about as long: one allocation up front instead of a
// doubling series while writing a large answer.
func growFor(b []byte, n int) []byte {
	if want := n + n/16 + 256; cap(b) < want {
		return make([]byte, 0, want)
	}
	return b
}

// appendNoNulls copies a JSON value, leaving out every object member whose
// value is null, at any depth: the normalisation N0 of S§4.0, since
// 2026-02-09 made many optional legacy fields required-nullable. Array
// elements are kept as they are. The copy streams over the value's text
// (nonulls.go): a doc's value is valid JSON, so no index is needed.
func (d *doc) appendNoNulls(b []byte, v gjson.Result) []byte {
	if v.IsObject() || v.IsArray() {
		return appendNoNullsText(b, v.Raw)
	}
	return append(b, v.Raw...)
}

// appendNoNullsOr is appendNoNulls for an object or array, def otherwise.
func (d *doc) appendNoNullsOr(b []byte, v gjson.Result, def string) []byte {
	if v.IsObject() || v.IsArray() {
		return d.appendNoNulls(b, v)
	}
	return append(b, def...)
}

// resultString is r.String() as gjson's Get would give it: the doc leaves
// Num unset on numbers, which String reads for non-integers.
func resultString(r gjson.Result) string {
	if r.Type == gjson.Number {
		return gjson.Parse(r.Raw).String()
	}
	return r.String()
}

// resultInt is r.Int() as gjson's Get would give it (see resultString).
func resultInt(r gjson.Result) int64 {
	if r.Type == gjson.Number {
		return gjson.Parse(r.Raw).Int()
	}
	return r.Int()
}

// path is gjson's Get of a dotted path of object keys (no index, no
// wildcard): like gjson it tries every member named keys[0], duplicates
// included, and returns the first one under which the rest of the path
// exists, where get stops at the first member.
func (d *doc) path(r gjson.Result, keys []string) gjson.Result {
	var out gjson.Result
	if !r.IsObject() {
		return out
	}
	d.each(r, func(k string, v gjson.Result) bool {
		if k != keys[0] {
			return true
		}
		if len(keys) == 1 {
			out = v
		} else {
			out = d.path(v, keys[1:])
		}
		return !out.Exists()
	})
	return out
}

// pathVia is path(r, keys) for a caller that already holds first, the first
// member keys[0] of r: most often the rest of the path is under it, and r
// is not read again.
func (d *doc) pathVia(r, first gjson.Result, keys []string) gjson.Result {
	if v := d.path(first, keys[1:]); v.Exists() || !first.Exists() {
		return v
	}
	return d.path(r, keys)
}

// Dotted paths the surface writers read as gjson did.
var (
	pathDraftVersion = []string{"draftVersion", "version"}
	pathPageRangeEnd = []string{"metadata", "pageRange", "end"}
	pathFileID       = []string{"file", "id"}
	pathEntityID     = []string{"entity", "id"}
)
