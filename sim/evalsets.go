package sim

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/tidwall/gjson"
)

// Evaluation sets belong to a processor (2026: an entity). Items keep their
// expected output as it was sent; each version renders it in its own shape
// (surface spec S§5.0.4, S§8).

type evalSet struct {
	seq              uint64
	id, name, desc   string
	entity           *processor
	created, updated time.Time
}

type evalItem struct {
	seq      uint64
	id       string
	set      *evalSet
	file     *storedFile
	expected json.RawMessage
	legacy   bool // expected is in the legacy ProvidedProcessorOutput shape
	created  time.Time
}

const evalItemDeleteMessage = "Evaluation set item has been successfully deleted."

var entityObject = map[string]string{"EXTRACT": "extractor", "CLASSIFY": "classifier", "SPLITTER": "splitter"}

// createdByJSON for API-made objects: the sim's callers use an API key.
var apiKeyCreator = &createdByJSON{Type: "api_key", Name: "sim"}

type evalSetJSON struct {
	Object      string         `json:"object"`
	ID          string         `json:"id"`
	Name        string         `json:"name"`
	Description string         `json:"description"`
	Entity      *processorJSON `json:"entity,omitempty"`
	ProcessorID string         `json:"processorId,omitempty"`
	CreatedAt   string         `json:"createdAt"`
	UpdatedAt   string         `json:"updatedAt"`
	CreatedBy   *createdByJSON `json:"createdBy,omitempty"`
}

// render gives the 2026 EvaluationSet (entity, createdBy) or the legacy one (processorId).
func (e *evalSet) render(legacy bool) any {
	out := evalSetJSON{Object: "evaluation_set", ID: e.id, Name: e.name, Description: e.desc,
		CreatedAt: fmtTime(e.created), UpdatedAt: fmtTime(e.updated)}
	if legacy {
		out.ProcessorID = e.entity.id
		return out
	}
	out.Entity = &processorJSON{Object: entityObject[e.entity.typ], ID: e.entity.id, Name: e.entity.name,
		CreatedAt: fmtTime(e.entity.created), UpdatedAt: fmtTime(e.entity.updated)}
	return struct {
		evalSetJSON
		CreatedBy *createdByJSON `json:"createdBy"`
	}{out, apiKeyCreator}
}

func (s *Sim) evalSetLocked(id string) (*evalSet, *apiError) {
	e, ok := s.st.evalSets.get(id)
	if !ok {
		return nil, notFound("Evaluation set %s not found.", id)
	}
	return e, nil
}

// evalSetCreateBody validates {name, description, entityId|processorId};
// the legacy description is required, the 2026 one optional.
func (s *Sim) evalSetCreateBody(body []byte, legacy bool) (any, *apiError) {
	root, err := parseObject(body)
	if err != nil {
		return nil, err
	}
	idKey := "entityId"
	if legacy {
		idKey = "processorId"
	}
	if err := checkKeys("body", root, "name", "description", idKey); err != nil {
		return nil, err
	}
	name, err := reqString(root, "name", "body")
	if err != nil {
		return nil, err
	}
	desc, has, err := optString(root, "description", "body")
	if err != nil {
		return nil, err
	}
	if legacy && !has {
		return nil, badRequest("body.description is required")
	}
	pid, err := reqString(root, idKey, "body")
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p, err := s.processorLocked(pid)
	if err != nil {
		return nil, err
	}
	now := s.opt.Now()
	e := &evalSet{seq: s.st.nextSeq(), id: newID("evs_", 20), name: name, desc: desc, entity: p, created: now, updated: now}
	s.st.evalSets.add(e.id, e, s.opt.MaxRuns)
	return e.render(legacy), nil
}

func (s *Sim) evalSetCreate(_ *http.Request, body []byte) (int, []byte, *apiError) {
	v, err := s.evalSetCreateBody(body, false)
	if err != nil {
		return 0, nil, err
	}
	return marshal(v)
}

func (s *Sim) legacyEvalSetCreate(_ *http.Request, body []byte) (int, []byte, *apiError) {
	v, err := s.evalSetCreateBody(body, true)
	if err != nil {
		return 0, nil, err
	}
	return marshal(map[string]any{"success": true, "evaluationSet": v})
}

func (s *Sim) evalSetGet(req *http.Request, _ []byte) (int, []byte, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, err := s.evalSetLocked(pathID(req, "id"))
	if err != nil {
		return 0, nil, err
	}
	return marshal(e.render(false))
}

func (s *Sim) legacyEvalSetGet(req *http.Request, _ []byte) (int, []byte, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, err := s.evalSetLocked(pathID(req, "id"))
	if err != nil {
		return 0, nil, err
	}
	return marshal(map[string]any{"success": true, "evaluationSet": e.render(true)})
}

// evalSetPage filters by entity (entityId or legacy processorId) and pages.
func (s *Sim) evalSetPage(req *http.Request, legacy bool) ([]any, string, *apiError) {
	v := req.URL.Query()
	key := "entityId"
	if legacy {
		key = "processorId"
	}
	pid := v.Get(key)
	q, err := parsePage(v, []string{"createdAt", "updatedAt"}, pid)
	if err != nil {
		return nil, "", err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if alias, ok := LegacyProcessorAliases()[pid]; ok {
		pid = alias
	}
	var match []*evalSet
	for _, e := range s.st.evalSets.all() {
		if pid == "" || e.entity.id == pid {
			match = append(match, e)
		}
	}
	page, next := pageOf(q, match, func(e *evalSet) (string, uint64) {
		if q.sortBy == "updatedAt" {
			return fmtTime(e.updated), e.seq
		}
		return fmtTime(e.created), e.seq
	})
	out := make([]any, 0, len(page))
	for _, e := range page {
		out = append(out, e.render(legacy))
	}
	return out, next, nil
}

func (s *Sim) evalSetList(req *http.Request, _ []byte) (int, []byte, *apiError) {
	items, next, err := s.evalSetPage(req, false)
	if err != nil {
		return 0, nil, err
	}
	return marshal(listJSON{Object: "list", Data: items, NextPageToken: next})
}

func (s *Sim) legacyEvalSetList(req *http.Request, _ []byte) (int, []byte, *apiError) {
	items, next, err := s.evalSetPage(req, true)
	if err != nil {
		return 0, nil, err
	}
	return marshal(struct {
		Success       bool   `json:"success"`
		Sets          []any  `json:"evaluationSets"`
		NextPageToken string `json:"nextPageToken,omitempty"`
	}{true, items, next})
}

// listJSON is the 2026 list envelope.
type listJSON struct {
	Object        string `json:"object"`
	Data          []any  `json:"data"`
	NextPageToken string `json:"nextPageToken,omitempty"`
}

// itemsField validates a non-empty items array of {fileId, expectedOutput}.
func itemsField(root gjson.Result) ([]gjson.Result, *apiError) {
	items := field(root, "items")
	if !items.IsArray() || len(items.Array()) == 0 || len(items.Array()) > 100 {
		return nil, badRequest("items is required and must be an array of 1 to 100 items")
	}
	return items.Array(), nil
}
