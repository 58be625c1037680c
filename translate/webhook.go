package translate

import (
	"fmt"
	"strings"

	"github.com/tidwall/gjson"
)

// This file holds the payload transforms of webhook events (S§9.3):
// each takes one 2026-02-09 payload object and returns the legacy payload
// object a 0.0.12 receiver expects, reusing the response writers of the
// workflow-run endpoints. The event envelope and the event-type renames live
// in package webhook.

// WebhookWorkflowRun writes the legacy WorkflowRun for a workflow_run.* event
// payload (WR→LWR, S§5.0.1). Step runs whose result objects are missing give
// no outputs entry; the caller completes the run first when it needs them.
func WebhookWorkflowRun(newRun []byte, o Options, rep *Report) ([]byte, error) {
	d, run, err := parseResponse(newRun)
	if err != nil {
		return nil, err
	}
	defer d.free()
	return appendLegacyRun(make([]byte, 0, len(newRun)/2+256), d, run, RunContext{Report: rep}, o)
}

// WebhookProcessorRun writes the legacy ProcessorRun for an extract_run,
// classify_run or split_run event payload (XR→LPR, S§5.0.2). runType is the
// 2026 type: EXTRACT, CLASSIFY or SPLIT.
func WebhookProcessorRun(newRun []byte, runType string, o Options, rep *Report) ([]byte, error) {
	pk := processorKinds[runType]
	if pk == nil {
		return nil, fmt.Errorf("%w: unknown run type %q", ErrInvalidResponse, runType)
	}
	d, run, err := parseResponse(newRun)
	if err != nil {
		return nil, err
	}
	defer d.free()
	if err := requireStrings(run, "id", "status"); err != nil {
		return nil, err
	}
	st := newState(d, o, rep)
	return st.appendProcessorRun(make([]byte, 0, len(newRun)+256), &stepRun{}, run, runType, pk), nil
}

// WebhookStepRun writes the legacy StepRun for a workflow_run.step_run.processed
// payload (SR→LSR, S§5.0.3). It also returns the step type it read; for types
// other than RULE_VALIDATION and EXTERNAL_DATA_VALIDATION the legacy payload
// is nil, since legacy StepRun has no other step types.
func WebhookStepRun(newStepRun []byte, o Options, rep *Report) (legacy []byte, stepType string, err error) {
	// appendLegacySteps works on the stepRuns array: the payload is read as a
	// one-element array, and the brackets are cut off the answer again.
	wrapped := append(append([]byte{'['}, trimSpace(newStepRun)...), ']')
	d, arr, ok := parseDoc(wrapped)
	if !ok {
		return nil, "", fmt.Errorf("%w: body is not valid JSON", ErrInvalidResponse)
	}
	defer d.free()
	var sr gjson.Result
	d.each(arr, func(_ string, v gjson.Result) bool { sr = v; return false })
	if !sr.IsObject() {
		return nil, "", fmt.Errorf("%w: body is not a JSON object", ErrInvalidResponse)
	}
	if err := requireStrings(sr, "id", "status"); err != nil {
		return nil, "", err
	}
	var s stepRun
	d.readStepRun(sr, &s)
	stepType = d.stepKind(&s)
	if !isValidationKind(stepType) {
		return nil, stepType, nil
	}
	out := newState(d, o, rep).appendLegacySteps(make([]byte, 0, len(newStepRun)+64), arr)
	return out[1 : len(out)-1], stepType, nil
}

// WebhookParserRunStatus writes the legacy ParserRunStatus for a parse_run.*
// event payload: failureMessage and metadata have no legacy field, and
// object is left out too, since the 0.0.12 type declares only id, status and
// failureReason (strict projection, D2; 0.0.18 added object).
func WebhookParserRunStatus(newStatus []byte) ([]byte, error) {
	d, r, err := parseResponse(newStatus)
	if err != nil {
		return nil, err
	}
	defer d.free()
	if err := requireStrings(r, "id", "status"); err != nil {
		return nil, err
	}
	w := openObj(make([]byte, 0, 128))
	w.raw("id", r.Get("id").Raw)
	w.raw("status", r.Get("status").Raw)
	w.optStr("failureReason", r.Get("failureReason"))
	return w.close(), nil
}

// WebhookWorkflow writes the legacy Workflow {object, id, version, name} for
// a workflow.* event payload; version is draftVersion.version, "draft" when
// absent (as S§6 does for workflow.create).
func WebhookWorkflow(newWorkflow []byte) ([]byte, error) {
	d, r, err := parseResponse(newWorkflow)
	if err != nil {
		return nil, err
	}
	defer d.free()
	if err := requireStrings(r, "id"); err != nil {
		return nil, err
	}
	w := openObj(make([]byte, 0, 128))
	w.str("object", "workflow")
	w.raw("id", r.Get("id").Raw)
	if v := r.Get("draftVersion.version"); v.Type == gjson.String {
		w.raw("version", v.Raw)
	} else {
		w.str("version", "draft")
	}
	w.reqStr("name", r.Get("name"))
	return w.close(), nil
}

// legacyProcessorTypes maps the 2026 resource kinds to the legacy ProcessorType.
var legacyProcessorTypes = map[string]string{"extractor": "EXTRACT", "classifier": "CLASSIFY", "splitter": "SPLITTER"}

// WebhookProcessor writes the legacy Processor for an extractor.*,
// classifier.* or splitter.* event payload (PX→LP). kind is "extractor",
// "classifier" or "splitter".
func WebhookProcessor(newProcessor []byte, kind string) ([]byte, error) {
	lt, ok := legacyProcessorTypes[kind]
	if !ok {
		return nil, fmt.Errorf("%w: unknown processor kind %q", ErrInvalidResponse, kind)
	}
	d, r, err := parseResponse(newProcessor)
	if err != nil {
		return nil, err
	}
	defer d.free()
	if err := requireStrings(r, "id"); err != nil {
		return nil, err
	}
	w := openObj(make([]byte, 0, len(newProcessor)+128))
	w.str("object", "document_processor")
	w.raw("id", r.Get("id").Raw)
	w.reqStr("name", r.Get("name"))
	w.str("type", lt)
	w.reqStr("createdAt", r.Get("createdAt"))
	w.reqStr("updatedAt", r.Get("updatedAt"))
	w.key("draftVersion")
	w.b = appendLegacyProcessorVersion(w.b, d, d.get(r, "draftVersion"), kind, lt, r.Get("id"), r.Get("name"))
	return w.close(), nil
}

// WebhookProcessorVersion writes the legacy ProcessorVersion for a
// *.version.published event payload (PXV→LPV). processorName has no source
// in the version payload and is left out; updatedAt is createdAt.
func WebhookProcessorVersion(newVersion []byte, kind string) ([]byte, error) {
	lt, ok := legacyProcessorTypes[kind]
	if !ok {
		return nil, fmt.Errorf("%w: unknown processor kind %q", ErrInvalidResponse, kind)
	}
	d, r, err := parseResponse(newVersion)
	if err != nil {
		return nil, err
	}
	defer d.free()
	if err := requireStrings(r, "id"); err != nil {
		return nil, err
	}
	return appendLegacyProcessorVersion(make([]byte, 0, len(newVersion)+128), d, r, kind, lt, gjson.Result{}, gjson.Result{}), nil
}

// appendLegacyProcessorVersion writes one legacy ProcessorVersion. parentID and
// parentName come from the enclosing processor when there is one.
func appendLegacyProcessorVersion(b []byte, d *doc, v gjson.Result, kind, lt string, parentID, parentName gjson.Result) []byte {
	w := openObj(b)
	w.str("object", "document_processor_version")
	w.reqStr("id", v.Get("id"))
	if pid := v.Get(kind + "Id"); pid.Type == gjson.String {
		w.raw("processorId", pid.Raw)
	} else {
		w.reqStr("processorId", parentID)
	}
	w.optStr("processorName", parentName)
	w.str("processorType", lt)
	w.optStr("description", v.Get("description"))
	w.reqStr("version", v.Get("version"))
	w.key("config")
	w.b = d.appendConfig(w.b, d.get(v, "config"), lt)
	w.reqStr("createdAt", v.Get("createdAt"))
	if u := v.Get("updatedAt"); u.Type == gjson.String {
		w.raw("updatedAt", u.Raw)
	} else {
		w.reqStr("updatedAt", v.Get("createdAt"))
	}
	return w.close()
}

// requireStrings rejects a payload that lacks one of the given string fields:
// such a payload names nothing a receiver could act on.
func requireStrings(r gjson.Result, keys ...string) error {
	for _, k := range keys {
		if r.Get(k).Type != gjson.String {
			return fmt.Errorf("%w: %s is missing or not a string", ErrInvalidResponse, k)
		}
	}
	return nil
}

// webhookLossy lists, per legacy payload kind, the payload paths the
// mapping documents as lossy (same syntax as lossyRun).
var webhookLossy = map[string][]string{
	"workflow_run": runLossy(),
	"step_run":     {"step.id", "output.rules.#.validArray"},
	"processor_run": {"id", "processorId", "processorVersionId", "processorName", "config", "edits",
		"initialOutput", "output.metadata", "files", "mergedProcessors", "url"},
	"parser_run_status": nil,
	"workflow":          {"version"},
	"processor":         {"draftVersion.updatedAt", "draftVersion.processorName", "draftVersion.config"},
	"processor_version": {"updatedAt", "processorName", "config"},
}

// webhookLossyPaths returns, for a legacy webhook payload kind (workflow_run,
// step_run, processor_run, parser_run_status, workflow, processor,
// processor_version), the paths of the legacy event (prefixed "payload.")
// that the mapping documents as lossy; shadow comparisons set them aside.
func webhookLossyPaths(kind string) []string {
	out := make([]string, len(webhookLossy[kind]))
	for i, p := range webhookLossy[kind] {
		out[i] = "payload." + p
	}
	return out
}

// runLossy lists the paths, relative to one legacy WorkflowRun, that the
// registry's changes declare lossy: the same list the endpoints' shadow uses.
func runLossy() []string {
	var out []string
	for _, c := range legacyChanges {
		for _, l := range c.Lossy {
			if rel, ok := strings.CutPrefix(l, objRun+":"); ok {
				out = append(out, rel)
			}
		}
	}
	return out
}
