package sim

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/tidwall/gjson"
)

// parseOutputs validates create `outputs` (N§3.1): the processorId prefix
// decides which ProvidedProcessorOutput shape is required.
func parseOutputs(v gjson.Result) ([]providedOutput, *apiError) {
	if !v.Exists() || v.Type == gjson.Null {
		return nil, nil
	}
	if !v.IsArray() {
		return nil, badRequest("outputs must be an array")
	}
	var out []providedOutput
	for i, e := range v.Array() {
		path := fmt.Sprintf("outputs[%d]", i)
		pid, o := field(e, "processorId"), field(e, "output")
		if !e.IsObject() || pid.Type != gjson.String || pid.Str == "" {
			return nil, badRequest("%s.processorId is required and must be a string", path)
		}
		if !o.IsObject() {
			return nil, badRequest("%s.output is required and must be an object", path)
		}
		var err *apiError
		switch {
		case strings.HasPrefix(pid.Str, "ex_"):
			if val := field(o, "value"); val.Exists() && !val.IsObject() {
				err = badRequest("%s.output.value must be an object", path)
			}
		case strings.HasPrefix(pid.Str, "cl_"):
			if field(o, "id").Type != gjson.String || field(o, "type").Type != gjson.String {
				err = badRequest("%s.output must be a classify output with string id and type", path)
			}
		case strings.HasPrefix(pid.Str, "spl_"):
			err = validateSplits(field(o, "splits"), path+".output.splits")
		default:
			err = badRequest("%s.processorId must be an extractor (ex_), classifier (cl_) or splitter (spl_) id", path)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, providedOutput{processorID: pid.Str, output: o})
	}
	return out, nil
}

func validateSplits(v gjson.Result, path string) *apiError {
	if !v.IsArray() {
		return badRequest("%s is required and must be an array", path)
	}
	for i, s := range v.Array() {
		p := fmt.Sprintf("%s[%d]", path, i)
		if !s.IsObject() || field(s, "classificationId").Type != gjson.String || field(s, "type").Type != gjson.String {
			return badRequest("%s needs string classificationId and type", p)
		}
		if !isInt(field(s, "startPage")) || !isInt(field(s, "endPage")) {
			return badRequest("%s needs integer startPage and endPage", p)
		}
		if field(s, "startPage").Num < 1 || field(s, "endPage").Num < field(s, "startPage").Num {
			return badRequest("%s needs 1 <= startPage <= endPage", p)
		}
	}
	return nil
}

// parseBatch validates a WorkflowRunsCreateBatchRequest (N§3.7).
func parseBatch(body []byte) (batchInput, *apiError) {
	var b batchInput
	root, err := parseObject(body)
	if err != nil {
		return b, err
	}
	if b.workflowID, b.version, err = parseWorkflow(root); err != nil {
		return b, err
	}
	b.priority = 90
	if p := field(root, "priority"); p.Exists() && p.Type != gjson.Null {
		if !isInt(p) || p.Num < 1 || p.Num > 100 {
			return b, badRequest("priority must be an integer from 1 to 100")
		}
		b.priority = p.Num
	}
	inputs := field(root, "inputs")
	if !inputs.IsArray() {
		return b, badRequest("inputs is required and must be an array")
	}
	arr := inputs.Array()
	if len(arr) < 1 || len(arr) > 1000 {
		return b, badRequest("inputs must have 1 to 1000 items (got %d)", len(arr))
	}
	for i, e := range arr {
		in, err := parseBatchInput(e, fmt.Sprintf("inputs[%d]", i))
		if err != nil {
			return b, err
		}
		in.workflowID, in.version, in.priority = b.workflowID, b.version, b.priority
		b.inputs = append(b.inputs, in)
	}
	return b, nil
}

func parseBatchInput(e gjson.Result, path string) (createInput, *apiError) {
	var in createInput
	if !e.IsObject() {
		return in, badRequest("%s must be an object", path)
	}
	for _, k := range []string{"outputs", "package"} {
		if field(e, k).Exists() {
			return in, badRequest("%s.%s is not supported in a batch", path, k)
		}
	}
	fv := field(e, "file")
	if !fv.Exists() || fv.Type == gjson.Null {
		return in, badRequest("%s.file is required", path)
	}
	f, err := parseFile(fv, path+".file", true)
	if err != nil {
		return in, err
	}
	in.file = &f
	if in.metadata, err = parseMetadata(field(e, "metadata"), path+".metadata"); err != nil {
		return in, err
	}
	return in, optObject(field(e, "secrets"), path+".secrets")
}

// parseUpdate validates an update body {name?, metadata?} (N§3.4).
func parseUpdate(body []byte) (name *string, md map[string]json.RawMessage, err *apiError) {
	root, err := parseObject(body)
	if err != nil {
		return nil, nil, err
	}
	n, has, err := optString(root, "name", "body")
	if err != nil {
		return nil, nil, badRequest("name must be a string")
	}
	if has {
		name = &n
	}
	md, err = parseMetadata(field(root, "metadata"), "metadata")
	return name, md, err
}
