package translate

import (
	"bytes"
	"strconv"

	"github.com/tidwall/gjson"
)

// reqErr builds the 400 error for field (a JSON path; "" for the whole body).
func reqErr(field, msg string) *RequestError {
	if field != "" {
		msg = field + " " + msg
	}
	return &RequestError{Field: field, Message: msg}
}

// parseRequest checks a legacy body once at the edge: gjson does not
// validate, so everything after this may assume well-formed JSON.
func parseRequest(body []byte) (gjson.Result, error) {
	if !gjson.ValidBytes(body) {
		return gjson.Result{}, reqErr("", "request body is not valid JSON")
	}
	root := gjson.ParseBytes(body)
	if !root.IsObject() {
		return gjson.Result{}, reqErr("", "request body must be a JSON object")
	}
	return root, nil
}

// join appends a key to a JSON path.
func join(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}

// index appends an array index to a JSON path.
func index(prefix string, i int) string {
	return prefix + "[" + strconv.Itoa(i) + "]"
}

// absent reports whether an optional field should be treated as not sent.
// [silent] null counts as absent: the legacy SDK drops undefined values, so a
// null can only come from hand-written clients, which mean "not set".
func absent(r gjson.Result) bool { return !r.Exists() || r.Type == gjson.Null }

// kind checks, by JSON type, that an optional field has the declared type.
type kind int

const (
	kString kind = iota
	kNumber
	kObject
	kArray
)

var kindNames = [...]string{"a string", "a number", "an object", "an array"}

func (k kind) matches(r gjson.Result) bool {
	switch k {
	case kString:
		return r.Type == gjson.String
	case kNumber:
		return r.Type == gjson.Number
	case kObject:
		return r.IsObject()
	default:
		return r.IsArray()
	}
}

// Indexes into createFileKeys and batchFileKeys.
const (
	fFileName = iota
	fFileURL
	fFileID
	fOutputs
)

// appendFile is appendFileOf for a Result read from d.
func (d *doc) appendFile(b []byte, f gjson.Result, p *reqPath, known []string, o *Options, rep *Report) ([]byte, gjson.Result, error) {
	b, outs, err := d.appendFileOf(b, rvOf(f), p, known, o, rep)
	return b, d.result(outs), err
}

// appendFileOf maps a legacy {fileUrl?, fileId?, fileName?} to a new file
// input: the id wins ([silent]), FileFromId has no name ([lossy]). known
// is createFileKeys or batchFileKeys; with the former it also returns the
// outputs member, read in the same pass.
func (d *doc) appendFileOf(b []byte, f rv, p *reqPath, known []string, o *Options, rep *Report) ([]byte, rv, error) {
	if d.lead(f) != '{' {
		return b, rv{}, errAt(p, "must be an object")
	}
	var m [4]rv
	if err := d.fieldsOf(f, p, known, m[:len(known)], o, rep); err != nil {
		return b, rv{}, err
	}
	id, url, name := m[fFileID], m[fFileURL], m[fFileName]
	if err := d.kindOf(id, p, "fileId", kString); err != nil {
		return b, rv{}, err
	}
	if err := d.kindOf(url, p, "fileUrl", kString); err != nil {
		return b, rv{}, err
	}
	if err := d.kindOf(name, p, "fileName", kString); err != nil {
		return b, rv{}, err
	}
	// Written as literals: what openObj, raw and optStr would write. A
	// string longer than "" is not empty: no escape unescapes to nothing.
	switch {
	case d.lead(id) == '"' && id.j-id.i > 2:
		b = append(append(append(b, `{"id":`...), d.raw(id)...), '}')
		if rep != nil && d.lead(url) == '"' {
			at := p.member("fileUrl")
			rep.unmapped(at.String())
		}
		if rep != nil && d.lead(name) == '"' {
			at := p.member("fileName")
			rep.unmapped(at.String())
		}
	case d.lead(url) == '"' && url.j-url.i > 2:
		b = append(append(b, `{"url":`...), d.raw(url)...)
		if d.lead(name) == '"' {
			b = append(append(b, `,"name":`...), d.raw(name)...)
		}
		b = append(b, '}')
	default:
		return b, rv{}, errAt(p, "must have fileUrl or fileId")
	}
	return b, m[fOutputs], nil
}

// trimSpace avoids treating a whitespace-only body as malformed JSON.
func trimSpace(b []byte) []byte { return bytes.TrimSpace(b) }
