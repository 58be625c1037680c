package translate

import (
	"net/url"

	"github.com/tidwall/gjson"
)

var (
	batchKeys      = []string{"workflowId", "version", "inputs"}
	batchInputKeys = []string{"file", "rawText", "metadata", "secrets"}
	batchFileKeys  = []string{"fileName", "fileUrl", "fileId"}
	updateKeys     = []string{"name", "metadata"}
)

// batchRequestBody turns a legacy batch body into a new batch body (mapping §3.2).
// The 1..1000 input count is left to upstream; priority stays out because the
// legacy batch always ran at 90, the new default. It also returns the
// number of inputs, the runs the batch starts.
func batchRequestBody(legacy []byte, o Options, rep *Report) ([]byte, int, error) {
	root, err := parseRequest(legacy)
	if err != nil {
		return nil, 0, err
	}
	if err := checkUnknown(root, "", batchKeys, o, rep); err != nil {
		return nil, 0, err
	}
	wf, err := workflowSegment(root)
	if err != nil {
		return nil, 0, err
	}
	inputs := root.Get("inputs")
	if !inputs.IsArray() {
		return nil, 0, reqErr("inputs", "is required and must be an array")
	}
	b := make([]byte, 0, len(legacy)+32)
	b = append(append(append(b, '{'), wf...), `,"inputs":[`...)
	n := 0
	for i, in := range inputs.Array() {
		if i > 0 {
			b = append(b, ',')
		}
		if b, err = appendBatchInput(b, in, index("inputs", i), o, rep); err != nil {
			return nil, 0, err
		}
		n++
	}
	return append(b, "]}"...), n, nil
}

// appendBatchInput converts one input; file wins over rawText ([silent]).
func appendBatchInput(b []byte, in gjson.Result, path string, o Options, rep *Report) ([]byte, error) {
	if !in.IsObject() {
		return nil, reqErr(path, "must be an object")
	}
	if err := checkUnknown(in, path, batchInputKeys, o, rep); err != nil {
		return nil, err
	}
	keys := []string{"file", "rawText", "metadata", "secrets"}
	if err := checkKinds(in, path, keys, []kind{kObject, kString, kObject, kObject}); err != nil {
		return nil, err
	}
	w := openObj(b)
	file, text := in.Get("file"), in.Get("rawText")
	switch {
	case file.IsObject():
		seg, err := fileSegment(file, join(path, "file"), batchFileKeys, o, rep)
		if err != nil {
			return nil, err
		}
		w.rawb("file", seg)
		if text.Exists() {
			rep.unmapped(join(path, "rawText"))
		}
	case text.Type == gjson.String:
		w.key("file")
		w.b = append(append(append(w.b, `{"text":`...), text.Raw...), '}')
	default:
		return nil, reqErr(path, "must have file or rawText")
	}
	w.optObj("metadata", in.Get("metadata"))
	w.optObj("secrets", in.Get("secrets"))
	return w.close(), nil
}

// updateRequestBody validates a legacy update body and returns the new body and
// the name sent, if any (mapping §3.4). The body passes through as
// {name?, metadata?}; an empty body counts as {} (the SDK default).
func updateRequestBody(legacy []byte, o Options, rep *Report) (body []byte, name *string, err error) {
	if len(trimSpace(legacy)) == 0 {
		legacy = []byte("{}")
	}
	root, err := parseRequest(legacy)
	if err != nil {
		return nil, nil, err
	}
	if err := checkUnknown(root, "", updateKeys, o, rep); err != nil {
		return nil, nil, err
	}
	keys := []string{"name", "metadata"}
	if err := checkKinds(root, "", keys, []kind{kString, kObject}); err != nil {
		return nil, nil, err
	}
	w := openObj(nil)
	if n := root.Get("name"); n.Type == gjson.String {
		w.raw("name", n.Raw)
		s := n.Str
		name = &s
	}
	w.optObj("metadata", root.Get("metadata"))
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
