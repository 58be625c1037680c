package translate

import (
	"net/url"
	"strings"

	"github.com/tidwall/gjson"
)

var (
	batchKeys      = []string{"workflowId", "version", "inputs"}
	batchInputKeys = []string{"file", "rawText", "metadata", "secrets"}
	batchFileKeys  = []string{"fileName", "fileUrl", "fileId"}
	updateKeys     = []string{"name", "metadata"}
)

// Indexes into batchKeys and batchInputKeys.
const (
	bWorkflowID = iota
	bVersion
	bInputs
)

const (
	biFile = iota
	biRawText
	biMetadata
	biSecrets
)

// batchRequestBody turns a legacy batch body into a new batch body (mapping §3.2).
// The 1..1000 input count is left to upstream; priority stays out because the
// legacy batch always ran at 90, the new default. It also returns the
// number of inputs, the runs the batch starts.
func batchRequestBody(legacy []byte, o Options, rep *Report) ([]byte, int, error) {
	d, root, err := parseRequestDoc(legacy)
	if err != nil {
		return nil, 0, err
	}
	defer d.free()
	var f [3]rv
	if err := d.fieldsOf(rvOf(root), nil, batchKeys, f[:], &o, rep); err != nil {
		return nil, 0, err
	}
	if err := d.checkWorkflow(f[bWorkflowID], f[bVersion]); err != nil {
		return nil, 0, err
	}
	inputs := f[bInputs]
	if d.lead(inputs) != '[' {
		return nil, 0, reqErr("inputs", "is required and must be an array")
	}
	sb := getBuf()
	defer putBuf(sb)
	b := d.appendWorkflow(append(sb.b, '{'), f[bWorkflowID], f[bVersion])
	b = append(b, `,"inputs":[`...)
	n := 0
	at := reqPath{key: "inputs", idx: -1}
	for i, end, ok := d.members(inputs); ok; i, ok = d.next(i, end) {
		if n > 0 {
			b = append(b, ',')
		}
		in := d.valAt(i)
		ip := at.elem(n)
		if b, err = d.appendBatchInput(b, in, &ip, &o, rep); err != nil {
			sb.b = b
			return nil, 0, err
		}
		i = in.j
		n++
	}
	sb.b = append(b, "]}"...)
	return sb.result(), n, nil
}

// appendBatchInput converts one input; file wins over rawText ([silent]).
func (d *doc) appendBatchInput(b []byte, in rv, p *reqPath, o *Options, rep *Report) ([]byte, error) {
	if d.lead(in) != '{' {
		return b, errAt(p, "must be an object")
	}
	var f [4]rv
	if err := d.fieldsOf(in, p, batchInputKeys, f[:], o, rep); err != nil {
		return b, err
	}
	for i, k := range [...]kind{kObject, kString, kObject, kObject} {
		if err := d.kindOf(f[i], p, batchInputKeys[i], k); err != nil {
			return b, err
		}
	}
	// Written as literals: what openObj, key and optObj would write.
	file, text := f[biFile], f[biRawText]
	switch {
	case d.lead(file) == '{':
		fp := p.member("file")
		var err error
		if b, _, err = d.appendFileOf(append(b, `{"file":`...), file, &fp, batchFileKeys, o, rep); err != nil {
			return b, err
		}
		if text.j != 0 && rep != nil {
			tp := p.member("rawText")
			rep.unmapped(tp.String())
		}
	case d.lead(text) == '"':
		b = append(append(append(b, `{"file":{"text":`...), d.raw(text)...), '}')
	default:
		return b, errAt(p, "must have file or rawText")
	}
	if m := f[biMetadata]; d.lead(m) == '{' {
		b = append(append(b, `,"metadata":`...), d.raw(m)...)
	}
	if s := f[biSecrets]; d.lead(s) == '{' {
		b = append(append(b, `,"secrets":`...), d.raw(s)...)
	}
	return append(b, '}'), nil
}

// updateRequestBody validates a legacy update body and returns the new body and
// the name sent, if any (mapping §3.4). The body passes through as
// {name?, metadata?}; an empty body counts as {} (the SDK default).
func updateRequestBody(legacy []byte, o Options, rep *Report) (body []byte, name *string, err error) {
	if len(trimSpace(legacy)) == 0 {
		legacy = []byte("{}")
	}
	d, root, err := parseRequestDoc(legacy)
	if err != nil {
		return nil, nil, err
	}
	defer d.free()
	var f [2]gjson.Result
	if err := d.fields(root, nil, updateKeys, f[:], &o, rep); err != nil {
		return nil, nil, err
	}
	if err := kindAt(&f[0], nil, "name", kString); err != nil {
		return nil, nil, err
	}
	if err := kindAt(&f[1], nil, "metadata", kObject); err != nil {
		return nil, nil, err
	}
	w := openObj(nil)
	if n := f[0]; n.Type == gjson.String {
		w.raw("name", n.Raw)
		s := strings.Clone(n.Str) // n.Str may point into legacy
		name = &s
	}
	w.optObj("metadata", f[1])
	return w.close(), name, nil
}

// listQuery maps legacy list query parameters to new ones (mapping §3.3): the
// names are the same, empty values are dropped as the SDKs do, and unknown
// parameters are forwarded. The input is not modified.
func listQuery(q url.Values) url.Values {
	out := make(url.Values, len(q))
	for k, vs := range q {
		if k == "" {
			continue
		}
		for _, v := range vs {
			if v != "" {
				out[k] = append(out[k], v)
			}
		}
	}
	return out
}
