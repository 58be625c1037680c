package translate

// The request transforms as they were before they moved onto the indexed
// doc (gjson Get/ForEach per field), kept verbatim as the reference that
// TestRequestTransformsMatchReference and FuzzRequestTransformsMatchReference
// compare the fast versions with, input by input.

import (
	"strconv"

	"github.com/tidwall/gjson"
)

// refParseRequest checks a legacy body once at the edge: gjson does not
// validate, so everything after this may assume well-formed JSON.
func refParseRequest(body []byte) (gjson.Result, error) {
	if !gjson.ValidBytes(body) {
		return gjson.Result{}, reqErr("", "request body is not valid JSON")
	}
	root := gjson.ParseBytes(body)
	if !root.IsObject() {
		return gjson.Result{}, reqErr("", "request body must be a JSON object")
	}
	return root, nil
}

// refCheckKind returns a 400 when an optional field is present with the wrong type.
func refCheckKind(r gjson.Result, path string, k kind) error {
	if absent(r) || k.matches(r) {
		return nil
	}
	return reqErr(path, "must be "+kindNames[k])
}

// refCheckKinds applies refCheckKind to several keys of one object.
func refCheckKinds(parent gjson.Result, prefix string, keys []string, kinds []kind) error {
	for i, key := range keys {
		if err := refCheckKind(parent.Get(key), join(prefix, key), kinds[i]); err != nil {
			return err
		}
	}
	return nil
}

// refCheckUnknown reports (or, with RejectUnknownFields, refuses) keys of an
// object that the legacy type does not declare. Key names may contain any
// character, so they are compared as strings and never used as gjson paths.
func refCheckUnknown(r gjson.Result, prefix string, known []string, o Options, rep *Report) error {
	var err error
	r.ForEach(func(k, _ gjson.Result) bool {
		name := k.String()
		for _, kn := range known {
			if name == kn {
				return true
			}
		}
		path := join(prefix, name)
		if o.RejectUnknownFields {
			err = reqErr(path, "is not a known field of this legacy request")
			return false
		}
		rep.unknown(path)
		return true
	})
	return err
}

// refWorkflowSegment validates workflowId and version and returns the new
// `"workflow":{…}` member shared by create and batch.
func refWorkflowSegment(root gjson.Result) ([]byte, error) {
	id := root.Get("workflowId")
	if absent(id) {
		return nil, reqErr("workflowId", "is required")
	}
	if id.Type != gjson.String {
		return nil, reqErr("workflowId", "must be a string")
	}
	if id.Str == "" {
		return nil, reqErr("workflowId", "must not be empty")
	}
	ver := root.Get("version")
	if err := refCheckKind(ver, "version", kString); err != nil {
		return nil, err
	}
	b := []byte(`"workflow":`)
	w := openObj(b)
	w.raw("id", id.Raw)
	// [silent] "latest" means what a missing version means (mapping §3.1.2).
	if ver.Type == gjson.String && ver.Str != "" && ver.Str != "latest" {
		w.raw("version", ver.Raw)
	}
	return w.close(), nil
}

// refFileSegment maps a legacy {fileUrl?, fileId?, fileName?} to a new file
// input: the id wins ([silent]), FileFromId has no name ([lossy]).
func refFileSegment(f gjson.Result, path string, known []string, o Options, rep *Report) ([]byte, error) {
	if !f.IsObject() {
		return nil, reqErr(path, "must be an object")
	}
	if err := refCheckUnknown(f, path, known, o, rep); err != nil {
		return nil, err
	}
	keys := []string{"fileId", "fileUrl", "fileName"}
	if err := refCheckKinds(f, path, keys, []kind{kString, kString, kString}); err != nil {
		return nil, err
	}
	id, url, name := f.Get("fileId"), f.Get("fileUrl"), f.Get("fileName")
	w := openObj(nil)
	switch {
	case id.Type == gjson.String && id.Str != "":
		w.raw("id", id.Raw)
		if url.Type == gjson.String {
			rep.unmapped(join(path, "fileUrl"))
		}
		if name.Type == gjson.String {
			rep.unmapped(join(path, "fileName"))
		}
	case url.Type == gjson.String && url.Str != "":
		w.raw("url", url.Raw)
		w.optStr("name", name)
	default:
		return nil, reqErr(path, "must have fileUrl or fileId")
	}
	return w.close(), nil
}

// refCreateRequests turns a legacy create body into one new create body per input
// (files first, then rawTexts, in order). It validates everything first, so a
// bad input never causes a partial fan-out (mapping §3.1.1).
func refCreateRequests(legacy []byte, o Options, rep *Report) ([][]byte, error) {
	root, err := refParseRequest(legacy)
	if err != nil {
		return nil, err
	}
	if err := refCheckUnknown(root, "", createKeys, o, rep); err != nil {
		return nil, err
	}
	head, err := refWorkflowSegment(root)
	if err != nil {
		return nil, err
	}
	tail, err := refCreateTail(root)
	if err != nil {
		return nil, err
	}
	files, texts, err := refCreateInputs(root, o)
	if err != nil {
		return nil, err
	}
	out := make([][]byte, 0, len(files)+len(texts))
	for i, f := range files {
		mid, err := refCreateFileMiddle(f, index("files", i), o, rep)
		if err != nil {
			return nil, err
		}
		out = append(out, refAssembleCreate(head, mid, tail))
	}
	for _, t := range texts {
		mid := append([]byte(`"file":{"text":`), t.Raw...)
		out = append(out, refAssembleCreate(head, append(mid, '}'), tail))
	}
	return out, nil
}

// refAssembleCreate concatenates the shared and per-input members of one body.
func refAssembleCreate(head, mid, tail []byte) []byte {
	b := make([]byte, 0, len(head)+len(mid)+len(tail)+3)
	b = append(b, '{')
	b = append(b, head...)
	b = append(b, ',')
	b = append(b, mid...)
	b = append(b, tail...)
	return append(b, '}')
}

// refCreateTail validates and renders the members every fan-out request shares
// after the file: priority and metadata, copied verbatim.
func refCreateTail(root gjson.Result) ([]byte, error) {
	keys := []string{"priority", "metadata"}
	if err := refCheckKinds(root, "", keys, []kind{kNumber, kObject}); err != nil {
		return nil, err
	}
	var b []byte
	if p := root.Get("priority"); p.Type == gjson.Number {
		b = append(append(b, `,"priority":`...), p.Raw...)
	}
	if m := root.Get("metadata"); m.IsObject() {
		b = append(append(b, `,"metadata":`...), m.Raw...)
	}
	return b, nil
}

// refCreateInputs checks files/rawTexts presence, types and the file limit.
func refCreateInputs(root gjson.Result, o Options) (files, texts []gjson.Result, err error) {
	keys := []string{"files", "rawTexts"}
	if err := refCheckKinds(root, "", keys, []kind{kArray, kArray}); err != nil {
		return nil, nil, err
	}
	files = root.Get("files").Array()
	texts = root.Get("rawTexts").Array()
	if len(files) == 0 && len(texts) == 0 {
		return nil, nil, reqErr("files", "or rawTexts must contain at least one entry")
	}
	for j, t := range texts {
		if t.Type != gjson.String {
			return nil, nil, reqErr(index("rawTexts", j), "must be a string")
		}
	}
	limit := o.MaxFiles
	if limit <= 0 {
		limit = defaultMaxFiles
	}
	n := len(files)
	if o.CountRawTexts {
		n += len(texts)
	}
	if n > limit {
		msg := "must not contain more than " + strconv.Itoa(limit) +
			" entries per request; use POST /workflow_runs/batch for more"
		return nil, nil, reqErr("files", msg)
	}
	return files, texts, nil
}

// refCreateFileMiddle renders `"file":{…}[,"outputs":[…]]` for files[i].
func refCreateFileMiddle(f gjson.Result, path string, o Options, rep *Report) ([]byte, error) {
	file, err := refFileSegment(f, path, createFileKeys, o, rep)
	if err != nil {
		return nil, err
	}
	b := append([]byte(`"file":`), file...)
	outs := f.Get("outputs")
	if err := refCheckKind(outs, join(path, "outputs"), kArray); err != nil {
		return nil, err
	}
	if !outs.IsArray() || len(outs.Array()) == 0 {
		return b, nil
	}
	b = append(b, `,"outputs":[`...)
	for j, item := range outs.Array() {
		if j > 0 {
			b = append(b, ',')
		}
		b, err = refAppendOutputItem(b, item, index(join(path, "outputs"), j), o, rep)
		if err != nil {
			return nil, err
		}
	}
	return append(b, ']'), nil
}

// refAppendOutputItem converts one {processorId, output} override (§3.1.3).
func refAppendOutputItem(b []byte, item gjson.Result, path string, o Options, rep *Report) ([]byte, error) {
	if !item.IsObject() {
		return nil, reqErr(path, "must be an object")
	}
	if err := refCheckUnknown(item, path, outputItemKeys, o, rep); err != nil {
		return nil, err
	}
	pid := item.Get("processorId")
	if pid.Type != gjson.String || pid.Str == "" {
		return nil, reqErr(join(path, "processorId"), "is required and must be a string")
	}
	conv, err := refProvidedOutput(item.Get("output"), join(path, "output"), rep)
	if err != nil {
		return nil, err
	}
	w := openObj(b)
	if alias, ok := o.ProcessorAliases[pid.Str]; ok {
		w.str("processorId", alias)
	} else {
		w.raw("processorId", pid.Raw)
	}
	w.rawb("output", conv)
	return w.close(), nil
}

// refBatchRequestBody turns a legacy batch body into a new batch body (mapping §3.2).
// The 1..1000 input count is left to upstream; priority stays out because the
// legacy batch always ran at 90, the new default. It also returns the
// number of inputs, the runs the batch starts.
func refBatchRequestBody(legacy []byte, o Options, rep *Report) ([]byte, int, error) {
	root, err := refParseRequest(legacy)
	if err != nil {
		return nil, 0, err
	}
	if err := refCheckUnknown(root, "", batchKeys, o, rep); err != nil {
		return nil, 0, err
	}
	wf, err := refWorkflowSegment(root)
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
		if b, err = refAppendBatchInput(b, in, index("inputs", i), o, rep); err != nil {
			return nil, 0, err
		}
		n++
	}
	return append(b, "]}"...), n, nil
}

// refAppendBatchInput converts one input; file wins over rawText ([silent]).
func refAppendBatchInput(b []byte, in gjson.Result, path string, o Options, rep *Report) ([]byte, error) {
	if !in.IsObject() {
		return nil, reqErr(path, "must be an object")
	}
	if err := refCheckUnknown(in, path, batchInputKeys, o, rep); err != nil {
		return nil, err
	}
	keys := []string{"file", "rawText", "metadata", "secrets"}
	if err := refCheckKinds(in, path, keys, []kind{kObject, kString, kObject, kObject}); err != nil {
		return nil, err
	}
	w := openObj(b)
	file, text := in.Get("file"), in.Get("rawText")
	switch {
	case file.IsObject():
		seg, err := refFileSegment(file, join(path, "file"), batchFileKeys, o, rep)
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

// refUpdateRequestBody validates a legacy update body and returns the new body and
// the name sent, if any (mapping §3.4). The body passes through as
// {name?, metadata?}; an empty body counts as {} (the SDK default).
func refUpdateRequestBody(legacy []byte, o Options, rep *Report) (body []byte, name *string, err error) {
	if len(trimSpace(legacy)) == 0 {
		legacy = []byte("{}")
	}
	root, err := refParseRequest(legacy)
	if err != nil {
		return nil, nil, err
	}
	if err := refCheckUnknown(root, "", updateKeys, o, rep); err != nil {
		return nil, nil, err
	}
	keys := []string{"name", "metadata"}
	if err := refCheckKinds(root, "", keys, []kind{kString, kObject}); err != nil {
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
