package sim

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"

	"github.com/tidwall/gjson"
)

// fileInput is a validated FileFromUrl | FileFromId | FileFromText.
type fileInput struct {
	url, id, text, name string
	isText, hasName     bool
}

// providedOutput is one validated create `outputs` entry.
type providedOutput struct {
	processorID string
	output      gjson.Result
}

// createInput is a validated create (or batch input) request.
type createInput struct {
	workflowID, version string
	file                *fileInput
	pkg                 []fileInput
	outputs             []providedOutput
	priority            float64
	metadata            map[string]json.RawMessage
	runName             string         // legacy: the run's name when it is not the file name
	legacyOutputs       []legacyOutput // legacy: provided outputs in legacy shapes
}

// batchInput is a validated batch request.
type batchInput struct {
	workflowID, version string
	priority            float64
	inputs              []createInput
}

// parseObject checks the body is one JSON object (gjson does not validate).
func parseObject(body []byte) (gjson.Result, *apiError) {
	if len(body) == 0 || !gjson.ValidBytes(body) {
		return gjson.Result{}, badRequest("request body is not valid JSON")
	}
	root := gjson.ParseBytes(body)
	if !root.IsObject() {
		return gjson.Result{}, badRequest("request body must be a JSON object")
	}
	return root, nil
}

// field looks up a literal key (no gjson path syntax, so keys with dots work).
func field(obj gjson.Result, key string) gjson.Result {
	var out gjson.Result
	obj.ForEach(func(k, v gjson.Result) bool {
		if k.String() == key {
			out = v
			return false
		}
		return true
	})
	return out
}

func parseWorkflow(root gjson.Result) (id, version string, err *apiError) {
	wf := field(root, "workflow")
	if !wf.Exists() || wf.Type == gjson.Null {
		return "", "", badRequest("workflow is required")
	}
	if !wf.IsObject() {
		return "", "", badRequest("workflow must be an object")
	}
	idv := field(wf, "id")
	if idv.Type != gjson.String || idv.Str == "" {
		return "", "", badRequest("workflow.id is required and must be a non-empty string")
	}
	version = defaultVersion
	if v := field(wf, "version"); v.Exists() && v.Type != gjson.Null {
		if v.Type != gjson.String || v.Str == "" {
			return "", "", badRequest("workflow.version must be a non-empty string such as \"3\" or \"draft\"")
		}
		version = v.Str
	}
	return idv.Str, version, nil
}

func optString(obj gjson.Result, key, path string) (string, bool, *apiError) {
	v := field(obj, key)
	if !v.Exists() || v.Type == gjson.Null {
		return "", false, nil
	}
	if v.Type != gjson.String {
		return "", false, badRequest("%s.%s must be a string", path, key)
	}
	return v.Str, true, nil
}

// parseFile validates the untagged file union: the key present decides.
func parseFile(v gjson.Result, path string, allowText bool) (fileInput, *apiError) {
	if !v.IsObject() {
		return fileInput{}, badRequest("%s must be an object with url, id or text", path)
	}
	var f fileInput
	n := 0
	for _, k := range []string{"url", "id", "text"} {
		if field(v, k).Exists() {
			n++
		}
	}
	if n != 1 {
		return f, badRequest("%s must have exactly one of url, id or text", path)
	}
	name, hasName, err := optString(v, "name", path)
	if err != nil {
		return f, err
	}
	f.name, f.hasName = name, hasName
	switch {
	case field(v, "url").Exists():
		f.url, err = parseURLFile(v, path)
		if err != nil {
			return f, err
		}
	case field(v, "id").Exists():
		id := field(v, "id")
		if id.Type != gjson.String || id.Str == "" {
			return f, badRequest("%s.id must be a non-empty string", path)
		}
		f.id = id.Str
	default:
		if !allowText {
			return f, badRequest("%s: raw text is not allowed here", path)
		}
		t := field(v, "text")
		if t.Type != gjson.String {
			return f, badRequest("%s.text must be a string", path)
		}
		f.text, f.isText = t.Str, true
	}
	return f, nil
}

// parseURLFile validates the FileFromUrl keys: url and settings.password.
func parseURLFile(v gjson.Result, path string) (string, *apiError) {
	u := field(v, "url")
	if u.Type != gjson.String || strings.TrimSpace(u.Str) == "" {
		return "", badRequest("%s.url must be a non-empty string", path)
	}
	if st := field(v, "settings"); st.Exists() && st.Type != gjson.Null {
		if !st.IsObject() {
			return "", badRequest("%s.settings must be an object", path)
		}
		if _, _, err := optString(st, "password", path+".settings"); err != nil {
			return "", err
		}
	}
	return u.Str, nil
}

// parseMetadata validates an optional RunMetadata object (≤ 10 KB).
func parseMetadata(v gjson.Result, path string) (map[string]json.RawMessage, *apiError) {
	if !v.Exists() || v.Type == gjson.Null {
		return nil, nil
	}
	if !v.IsObject() {
		return nil, badRequest("%s must be an object", path)
	}
	if len(v.Raw) > maxMetadataBytes {
		return nil, badRequest("%s must be at most 10 KB (got %d bytes)", path, len(v.Raw))
	}
	if tags := field(v, "extend:usage_tags"); tags.Exists() {
		if !tags.IsArray() {
			return nil, badRequest("%s.extend:usage_tags must be an array of strings", path)
		}
		for _, t := range tags.Array() {
			if t.Type != gjson.String {
				return nil, badRequest("%s.extend:usage_tags must be an array of strings", path)
			}
		}
	}
	m := map[string]json.RawMessage{}
	if err := json.Unmarshal([]byte(v.Raw), &m); err != nil {
		return nil, badRequest("%s is not a valid object", path)
	}
	return m, nil
}

func optObject(v gjson.Result, path string) *apiError {
	if v.Exists() && v.Type != gjson.Null && !v.IsObject() {
		return badRequest("%s must be an object", path)
	}
	return nil
}

func isInt(v gjson.Result) bool {
	return v.Type == gjson.Number && v.Num == math.Trunc(v.Num) && !math.IsInf(v.Num, 0)
}

// parseCreate validates a WorkflowRunsCreateRequest (N§3.1).
func parseCreate(body []byte) (createInput, *apiError) {
	var in createInput
	root, err := parseObject(body)
	if err != nil {
		return in, err
	}
	if in.workflowID, in.version, err = parseWorkflow(root); err != nil {
		return in, err
	}
	fv, pv := field(root, "file"), field(root, "package")
	hasFile := fv.Exists() && fv.Type != gjson.Null
	hasPkg := pv.Exists() && pv.Type != gjson.Null
	switch {
	case hasFile && hasPkg:
		return in, badRequest("send exactly one of file or package, not both")
	case !hasFile && !hasPkg:
		return in, badRequest("one of file or package is required")
	case hasFile:
		f, err := parseFile(fv, "file", true)
		if err != nil {
			return in, err
		}
		in.file = &f
	default:
		if in.pkg, err = parsePackage(pv); err != nil {
			return in, err
		}
	}
	if in.outputs, err = parseOutputs(field(root, "outputs")); err != nil {
		return in, err
	}
	if hasPkg && len(in.outputs) > 0 {
		return in, badRequest("outputs are not supported on package runs")
	}
	if p := field(root, "priority"); p.Exists() && p.Type != gjson.Null {
		if p.Type != gjson.Number {
			return in, badRequest("priority must be a number")
		}
		in.priority = p.Num
	}
	if in.metadata, err = parseMetadata(field(root, "metadata"), "metadata"); err != nil {
		return in, err
	}
	return in, optObject(field(root, "secrets"), "secrets")
}

// parsePackage validates `package`: 2–50 url/id files without duplicates.
func parsePackage(v gjson.Result) ([]fileInput, *apiError) {
	files := field(v, "files")
	if !v.IsObject() || !files.IsArray() {
		return nil, badRequest("package must be an object with a files array")
	}
	arr := files.Array()
	if len(arr) < 2 || len(arr) > 50 {
		return nil, badRequest("package.files must have 2 to 50 entries (got %d)", len(arr))
	}
	seen := map[string]bool{}
	out := make([]fileInput, 0, len(arr))
	for i, fv := range arr {
		f, err := parseFile(fv, fmt.Sprintf("package.files[%d]", i), false)
		if err != nil {
			return nil, err
		}
		key := "url:" + f.url
		if f.id != "" {
			key = "id:" + f.id
		}
		if seen[key] {
			return nil, badRequest("package.files[%d] duplicates an earlier file", i)
		}
		seen[key] = true
		out = append(out, f)
	}
	return out, nil
}
