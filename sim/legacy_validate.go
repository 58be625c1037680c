package sim

import (
	"encoding/json"
	"fmt"

	"github.com/tidwall/gjson"
)

// legacyMaxFiles is the legacy per-request limit on files[] (rawTexts do not count).
const legacyMaxFiles = 50

// legacyOutput is one validated legacy provided output (L§4.11), by shape.
type legacyOutput struct {
	processorID string
	kind        int // stepClassify, stepSplit or stepExtract
	classifyID  string
	classifyTyp string
	confidence  float64
	splits      []split
	value       json.RawMessage
}

// parseLegacyVersion treats "" and "latest" as "no version" (mapping.md §3.1.2).
func parseLegacyVersion(root gjson.Result) (string, *apiError) {
	v := field(root, "version")
	if !v.Exists() || v.Type == gjson.Null {
		return defaultVersion, nil
	}
	if v.Type != gjson.String {
		return "", badRequest("version must be a string such as \"3\" or \"draft\"")
	}
	if v.Str == "" || v.Str == "latest" {
		return defaultVersion, nil
	}
	return v.Str, nil
}

func legacyWorkflowID(root gjson.Result) (string, *apiError) {
	id := field(root, "workflowId")
	if id.Type != gjson.String || id.Str == "" {
		return "", badRequest("workflowId is required and must be a non-empty string")
	}
	return id.Str, nil
}

// legacyFileInput validates a WorkflowRunFileInput / BatchWorkflowRunFileInput.
// A fileId wins over a fileUrl; fileName names the run (and a URL file).
func legacyFileInput(v gjson.Result, path string) (fileInput, string, *apiError) {
	if !v.IsObject() {
		return fileInput{}, "", badRequest("%s must be an object", path)
	}
	var strs [3]string
	for k, key := range []string{"fileUrl", "fileId", "fileName"} {
		s, _, err := optString(v, key, path)
		if err != nil {
			return fileInput{}, "", err
		}
		strs[k] = s
	}
	url, id, name := strs[0], strs[1], strs[2]
	switch {
	case id != "":
		return fileInput{id: id}, name, nil
	case url != "":
		return fileInput{url: url, name: name, hasName: name != ""}, name, nil
	}
	return fileInput{}, "", badRequest("%s needs fileUrl or fileId", path)
}

// parseLegacyCreate validates a WorkflowRunCreateRequest (L§3.1) into one
// model input per file, then per raw text.
func parseLegacyCreate(body []byte) ([]createInput, *apiError) {
	root, err := parseObject(body)
	if err != nil {
		return nil, err
	}
	base, err := legacyCreateBase(root)
	if err != nil {
		return nil, err
	}
	files, texts := field(root, "files"), field(root, "rawTexts")
	for _, a := range []struct {
		v    gjson.Result
		name string
	}{{files, "files"}, {texts, "rawTexts"}} {
		if a.v.Exists() && a.v.Type != gjson.Null && !a.v.IsArray() {
			return nil, badRequest("%s must be an array", a.name)
		}
	}
	if n := len(files.Array()); n > legacyMaxFiles {
		return nil, badRequest("at most %d files per request (got %d); use the batch endpoint for more", legacyMaxFiles, n)
	}
	var out []createInput
	for i, fv := range files.Array() {
		in, err := legacyCreateFile(base, fv, fmt.Sprintf("files[%d]", i))
		if err != nil {
			return nil, err
		}
		out = append(out, in)
	}
	for i, t := range texts.Array() {
		if t.Type != gjson.String {
			return nil, badRequest("rawTexts[%d] must be a string", i)
		}
		in := base
		in.file = &fileInput{text: t.Str, isText: true}
		out = append(out, in)
	}
	if len(out) == 0 {
		return nil, badRequest("files or rawTexts is required")
	}
	return out, nil
}

// legacyCreateBase reads what every run of a legacy create shares.
func legacyCreateBase(root gjson.Result) (createInput, *apiError) {
	var base createInput
	var err *apiError
	if base.workflowID, err = legacyWorkflowID(root); err != nil {
		return base, err
	}
	if base.version, err = parseLegacyVersion(root); err != nil {
		return base, err
	}
	if p := field(root, "priority"); p.Exists() && p.Type != gjson.Null {
		if p.Type != gjson.Number {
			return base, badRequest("priority must be a number")
		}
		base.priority = p.Num
	}
	base.metadata, err = parseMetadata(field(root, "metadata"), "metadata")
	return base, err
}

func legacyCreateFile(base createInput, fv gjson.Result, path string) (createInput, *apiError) {
	f, name, err := legacyFileInput(fv, path)
	if err != nil {
		return base, err
	}
	in := base
	in.file, in.runName = &f, name
	outs := field(fv, "outputs")
	if !outs.Exists() || outs.Type == gjson.Null {
		return in, nil
	}
	if !outs.IsArray() {
		return in, badRequest("%s.outputs must be an array", path)
	}
	for j, o := range outs.Array() {
		lo, err := parseLegacyOutput(o, fmt.Sprintf("%s.outputs[%d]", path, j))
		if err != nil {
			return in, err
		}
		in.legacyOutputs = append(in.legacyOutputs, lo)
	}
	return in, nil
}

// parseLegacyOutput validates {processorId, output}; the output shape decides
// its kind, and a known processor must get the matching kind.
func parseLegacyOutput(o gjson.Result, path string) (legacyOutput, *apiError) {
	pid, out := field(o, "processorId"), field(o, "output")
	if !o.IsObject() || pid.Type != gjson.String || pid.Str == "" {
		return legacyOutput{}, badRequest("%s.processorId is required and must be a string", path)
	}
	if !out.IsObject() {
		return legacyOutput{}, badRequest("%s.output is required and must be an object", path)
	}
	lo, err := parseProvided(out, path+".output")
	if err != nil {
		return lo, err
	}
	lo.processorID = pid.Str
	if want, known := processorKind(pid.Str); known && want != lo.kind {
		return lo, badRequest("%s.output does not match the kind of processor %s", path, pid.Str)
	}
	return lo, nil
}

// processorKind maps the sim's processors (legacy or new id) to their step.
func processorKind(id string) (int, bool) {
	switch id {
	case ClassifierID, LegacyClassifierID:
		return stepClassify, true
	case SplitterID, LegacySplitterID:
		return stepSplit, true
	case ExtractorID, LegacyExtractorID, CondExtractorID, LegacyCondExtractorID:
		return stepExtract, true
	}
	return 0, false
}

// parseProvided detects the ProvidedProcessorOutput variant as mapping.md
// §3.1.3 orders it: splits, then classifier, then {value}, then fields array.
func parseProvided(out gjson.Result, path string) (legacyOutput, *apiError) {
	if sp := field(out, "splits"); sp.Exists() {
		return parseLegacySplits(sp, path+".splits")
	}
	id, typ := field(out, "id"), field(out, "type")
	if id.Type == gjson.String && typ.Type == gjson.String {
		lo := legacyOutput{kind: stepClassify, classifyID: id.Str, classifyTyp: typ.Str, confidence: 1}
		if c := field(out, "confidence"); c.Exists() {
			if c.Type != gjson.Number {
				return lo, badRequest("%s.confidence must be a number", path)
			}
			lo.confidence = c.Num
		}
		return lo, nil
	}
	if v := field(out, "value"); len(out.Map()) == 1 && v.Exists() {
		if !v.IsObject() {
			return legacyOutput{}, badRequest("%s.value must be an object", path)
		}
		return legacyOutput{kind: stepExtract, value: json.RawMessage(v.Raw)}, nil
	}
	value := map[string]json.RawMessage{}
	var err *apiError
	out.ForEach(func(k, e gjson.Result) bool {
		if !e.IsObject() || field(e, "id").Type != gjson.String {
			err = badRequest("%s.%s must be a field result with a string id", path, k.String())
			return false
		}
		v := field(e, "value")
		value[k.String()] = json.RawMessage("null")
		if v.Exists() {
			value[k.String()] = json.RawMessage(v.Raw)
		}
		return true
	})
	if err != nil {
		return legacyOutput{}, err
	}
	return legacyOutput{kind: stepExtract, value: mustJSON(value)}, nil
}

func parseLegacySplits(v gjson.Result, path string) (legacyOutput, *apiError) {
	if !v.IsArray() {
		return legacyOutput{}, badRequest("%s must be an array", path)
	}
	lo := legacyOutput{kind: stepSplit, splits: []split{}}
	for i, s := range v.Array() {
		p := fmt.Sprintf("%s[%d]", path, i)
		for _, k := range []string{"id", "classificationId", "type"} {
			if field(s, k).Type != gjson.String {
				return lo, badRequest("%s.%s is required and must be a string", p, k)
			}
		}
		start, end := field(s, "startPage"), field(s, "endPage")
		if !isInt(start) || !isInt(end) || start.Num < 1 || end.Num < start.Num {
			return lo, badRequest("%s needs integer 1 <= startPage <= endPage", p)
		}
		lo.splits = append(lo.splits, split{id: field(s, "id").Str, classificationID: field(s, "classificationId").Str,
			typ: field(s, "type").Str, observation: field(s, "observation").String(),
			identifier: field(s, "identifier").String(), start: int(start.Num), end: int(end.Num)})
	}
	return lo, nil
}

// parseLegacyBatch validates a BatchWorkflowRunCreateRequest (L§3.7): every
// run gets priority 90; an input's file wins over its rawText.
func parseLegacyBatch(body []byte) ([]createInput, *apiError) {
	root, err := parseObject(body)
	if err != nil {
		return nil, err
	}
	wf, err := legacyWorkflowID(root)
	if err != nil {
		return nil, err
	}
	version, err := parseLegacyVersion(root)
	if err != nil {
		return nil, err
	}
	inputs := field(root, "inputs")
	if !inputs.IsArray() {
		return nil, badRequest("inputs is required and must be an array")
	}
	arr := inputs.Array()
	if len(arr) < 1 || len(arr) > 1000 {
		return nil, badRequest("inputs must have 1 to 1000 items (got %d)", len(arr))
	}
	out := make([]createInput, 0, len(arr))
	for i, e := range arr {
		path := fmt.Sprintf("inputs[%d]", i)
		if !e.IsObject() {
			return nil, badRequest("%s must be an object", path)
		}
		in := createInput{workflowID: wf, version: version, priority: 90}
		fv, tv := field(e, "file"), field(e, "rawText")
		switch {
		case fv.Exists() && fv.Type != gjson.Null:
			f, name, err := legacyFileInput(fv, path+".file")
			if err != nil {
				return nil, err
			}
			in.file, in.runName = &f, name
		case tv.Type == gjson.String:
			in.file = &fileInput{text: tv.Str, isText: true}
		default:
			return nil, badRequest("%s needs file or rawText", path)
		}
		if in.metadata, err = parseMetadata(field(e, "metadata"), path+".metadata"); err != nil {
			return nil, err
		}
		if err := optObject(field(e, "secrets"), path+".secrets"); err != nil {
			return nil, err
		}
		out = append(out, in)
	}
	return out, nil
}
