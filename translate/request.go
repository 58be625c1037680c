package translate

import (
	"strconv"

	"github.com/tidwall/gjson"
)

// defaultMaxFiles is the legacy per-request limit on files[] (L§3.1).
const defaultMaxFiles = 50

var (
	createKeys     = []string{"workflowId", "files", "rawTexts", "version", "priority", "metadata"}
	createFileKeys = []string{"fileName", "fileUrl", "fileId", "outputs"}
	outputItemKeys = []string{"processorId", "output"}
)

// createRequests turns a legacy create body into one new create body per input
// (files first, then rawTexts, in order). It validates everything first, so a
// bad input never causes a partial fan-out (mapping §3.1.1).
func createRequests(legacy []byte, o Options, rep *Report) ([][]byte, error) {
	root, err := parseRequest(legacy)
	if err != nil {
		return nil, err
	}
	if err := checkUnknown(root, "", createKeys, o, rep); err != nil {
		return nil, err
	}
	head, err := workflowSegment(root)
	if err != nil {
		return nil, err
	}
	tail, err := createTail(root)
	if err != nil {
		return nil, err
	}
	files, texts, err := createInputs(root, o)
	if err != nil {
		return nil, err
	}
	out := make([][]byte, 0, len(files)+len(texts))
	for i, f := range files {
		mid, err := createFileMiddle(f, index("files", i), o, rep)
		if err != nil {
			return nil, err
		}
		out = append(out, assembleCreate(head, mid, tail))
	}
	for _, t := range texts {
		mid := append([]byte(`"file":{"text":`), t.Raw...)
		out = append(out, assembleCreate(head, append(mid, '}'), tail))
	}
	return out, nil
}

// assembleCreate concatenates the shared and per-input members of one body.
func assembleCreate(head, mid, tail []byte) []byte {
	b := make([]byte, 0, len(head)+len(mid)+len(tail)+3)
	b = append(b, '{')
	b = append(b, head...)
	b = append(b, ',')
	b = append(b, mid...)
	b = append(b, tail...)
	return append(b, '}')
}

// createTail validates and renders the members every fan-out request shares
// after the file: priority and metadata, copied verbatim.
func createTail(root gjson.Result) ([]byte, error) {
	keys := []string{"priority", "metadata"}
	if err := checkKinds(root, "", keys, []kind{kNumber, kObject}); err != nil {
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

// createInputs checks files/rawTexts presence, types and the file limit.
func createInputs(root gjson.Result, o Options) (files, texts []gjson.Result, err error) {
	keys := []string{"files", "rawTexts"}
	if err := checkKinds(root, "", keys, []kind{kArray, kArray}); err != nil {
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

// createFileMiddle renders `"file":{…}[,"outputs":[…]]` for files[i].
func createFileMiddle(f gjson.Result, path string, o Options, rep *Report) ([]byte, error) {
	file, err := fileSegment(f, path, createFileKeys, o, rep)
	if err != nil {
		return nil, err
	}
	b := append([]byte(`"file":`), file...)
	outs := f.Get("outputs")
	if err := checkKind(outs, join(path, "outputs"), kArray); err != nil {
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
		b, err = appendOutputItem(b, item, index(join(path, "outputs"), j), o, rep)
		if err != nil {
			return nil, err
		}
	}
	return append(b, ']'), nil
}

// appendOutputItem converts one {processorId, output} override (§3.1.3).
func appendOutputItem(b []byte, item gjson.Result, path string, o Options, rep *Report) ([]byte, error) {
	if !item.IsObject() {
		return nil, reqErr(path, "must be an object")
	}
	if err := checkUnknown(item, path, outputItemKeys, o, rep); err != nil {
		return nil, err
	}
	pid := item.Get("processorId")
	if pid.Type != gjson.String || pid.Str == "" {
		return nil, reqErr(join(path, "processorId"), "is required and must be a string")
	}
	conv, err := providedOutput(item.Get("output"), join(path, "output"), rep)
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
