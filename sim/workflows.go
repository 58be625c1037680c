package sim

import (
	"encoding/json"
	"net/http"
	"slices"
	"time"

	"github.com/tidwall/gjson"
)

// workflowDef is a workflow made by POST /workflows; its id starts with
// "workflow_", so runs can be created on it at once.
type workflowDef struct {
	id, name, draftID string
	steps             json.RawMessage
	created           time.Time
}

var stepDefTypes = []string{"TRIGGER", "PARSE", "EXTRACT", "CLASSIFY", "SPLIT", "MERGE_EXTRACT", "CONDITIONAL",
	"CONDITIONAL_EXTRACT", "EXTERNAL_DATA_VALIDATION", "WEBHOOK_RESPONSE", "RULE_VALIDATION", "HUMAN_REVIEW", "COLLECT",
	"FILE_CONVERSION"}

// parseWorkflowCreate validates {name} (legacy) or {name, steps?} (2026).
func parseWorkflowCreate(body []byte, legacy bool) (string, json.RawMessage, *apiError) {
	root, err := parseObject(body)
	if err != nil {
		return "", nil, err
	}
	keys := []string{"name", "steps"}
	if legacy {
		keys = keys[:1]
	}
	if err := checkKeys("body", root, keys...); err != nil {
		return "", nil, err
	}
	name, err := reqString(root, "name", "body")
	if err != nil {
		return "", nil, err
	}
	steps := field(root, "steps")
	if !steps.Exists() {
		return name, json.RawMessage(`[]`), nil
	}
	if !steps.IsArray() {
		return "", nil, badRequest("steps must be an array")
	}
	for i, st := range steps.Array() {
		w := "steps[" + itoa(i) + "]"
		if err := checkKeys(w, st, "name", "type", "config", "next"); err != nil {
			return "", nil, err
		}
		if field(st, "name").Type != gjson.String || !slices.Contains(stepDefTypes, field(st, "type").String()) {
			return "", nil, badRequest("%s needs a string name and a known step type", w)
		}
	}
	return name, json.RawMessage(steps.Raw), nil
}

func (s *Sim) storeWorkflow(name string, steps json.RawMessage) *workflowDef {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := &workflowDef{id: newID("workflow_", 20), name: name, draftID: newID("workflow_version_", 20), steps: steps, created: s.opt.Now()}
	s.st.workflows.add(w.id, w, s.opt.MaxRuns)
	return w
}

func (s *Sim) workflowCreate(_ *http.Request, body []byte) (int, []byte, *apiError) {
	name, steps, err := parseWorkflowCreate(body, false)
	if err != nil {
		return 0, nil, err
	}
	w := s.storeWorkflow(name, steps)
	at := fmtTime(w.created)
	return marshal(struct {
		workflowJSON
		DraftVersion any `json:"draftVersion"`
	}{workflowJSON{Object: "workflow", ID: w.id, Name: w.name, CreatedAt: at, UpdatedAt: at, CreatedBy: apiKeyCreator},
		struct {
			workflowVersionJSON
			Steps json.RawMessage `json:"steps"`
		}{workflowVersionJSON{Object: "workflow_version", ID: w.draftID, Version: "draft", CreatedAt: at, CreatedBy: apiKeyCreator}, w.steps}})
}

func (s *Sim) legacyWorkflowCreate(_ *http.Request, body []byte) (int, []byte, *apiError) {
	name, steps, err := parseWorkflowCreate(body, true)
	if err != nil {
		return 0, nil, err
	}
	w := s.storeWorkflow(name, steps)
	return marshal(struct {
		Success  bool               `json:"success"`
		Workflow legacyWorkflowJSON `json:"workflow"`
	}{true, legacyWorkflowJSON{Object: "workflow", ID: w.id, Version: "draft", Name: w.name}})
}
