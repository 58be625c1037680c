package translate

import (
	"slices"
	"strconv"

	"github.com/tidwall/gjson"
)

// The request transforms read a legacy body through an indexed doc (index.go)
// as the response writers do: validated and indexed once, each object
// iterated once, with field reads and the unknown-field check sharing that
// iteration. JSON paths for errors and Report entries are only rendered
// when something is reported, from a chain of reqPath values on the stack.

// reqPath is a JSON path into a request body: a member key (idx < 0) or an
// array index below up; nil is the body itself.
type reqPath struct {
	up  *reqPath
	key string
	idx int
}

// member is the path of key in the object at p.
func (p *reqPath) member(key string) reqPath { return reqPath{up: p, key: key, idx: -1} }

// elem is the path of element i of the array at p.
func (p *reqPath) elem(i int) reqPath { return reqPath{up: p, idx: i} }

// String renders p as join and index would have built it. The result
// never shares memory with the body, which the caller may reuse.
func (p *reqPath) String() string {
	if p == nil {
		return ""
	}
	return string(p.appendTo(make([]byte, 0, 32)))
}

func (p *reqPath) appendTo(b []byte) []byte {
	if p == nil {
		return b
	}
	start := len(b)
	b = p.up.appendTo(b)
	if p.idx >= 0 {
		b = append(b, '[')
		b = strconv.AppendInt(b, int64(p.idx), 10)
		return append(b, ']')
	}
	if len(b) > start {
		b = append(b, '.')
	}
	return append(b, p.key...)
}

// errAt is the 400 for the field at p.
func errAt(p *reqPath, msg string) error { return reqErr(p.String(), msg) }

// parseRequestDoc checks a legacy body once at the edge, as parseRequest
// does, and indexes it; the caller frees the doc.
func parseRequestDoc(body []byte) (*doc, gjson.Result, error) {
	d, root, ok := parseDoc(body)
	if !ok {
		return nil, gjson.Result{}, reqErr("", "request body is not valid JSON")
	}
	if !root.IsObject() {
		d.free()
		return nil, gjson.Result{}, reqErr("", "request body must be a JSON object")
	}
	return d, root, nil
}

// fields is fieldsOf for the requests that read their members as Results
// (update, evaluation sets and items): the same walk and the same unknown
// field reports, the kept members loaded into out (len(known)).
func (d *doc) fields(r gjson.Result, p *reqPath, known []string, out []gjson.Result, o *Options, rep *Report) error {
	clear(out)
	if !r.IsObject() {
		return nil // callers check: an object is required
	}
	var buf [8]rv
	var vs []rv
	if len(known) <= len(buf) {
		vs = buf[:len(known)]
	} else {
		vs = make([]rv, len(known))
	}
	if err := d.fieldsOf(rvOf(r), p, known, vs, o, rep); err != nil {
		return err
	}
	for k, v := range vs {
		if v.j != 0 {
			d.load(v.i, &out[k])
		}
	}
	return nil
}

// dropExcept records every member of object r outside keep as unmapped
// (lossy drops). Callers skip it when tallyOf found nothing to drop.
func (d *doc) dropExcept(r rv, p *reqPath, rep *Report, keep []string) {
	if rep == nil {
		return
	}
	for i, end, ok := d.members(r); ok; i, ok = d.next(i, end) {
		name, j := memberValue(d.src, i)
		i = d.skip(j)
		if !slices.Contains(keep, name) {
			at := p.member(name)
			rep.unmapped(at.String())
		}
	}
}

// kindAt returns a 400 when an optional member key of the object at p is
// present with the wrong type (checkKind without building the path). The
// check itself is small enough to be inlined.
func kindAt(r *gjson.Result, p *reqPath, key string, k kind) error {
	if absent(*r) || k.matches(*r) {
		return nil
	}
	return kindErr(p, key, k)
}

func kindErr(p *reqPath, key string, k kind) error {
	at := p.member(key)
	return errAt(&at, "must be "+kindNames[k])
}
