package sim

import (
	"net/http"
	"time"

	"github.com/gorilla/mux"
	"github.com/tidwall/gjson"
)

// legacyDeleteMessage is the seed guide's delete confirmation (L§3.5).
const legacyDeleteMessage = "Workflow run data has been successfully deleted."

// legacyRoutes serves the 2025-04-21 surface (L§2) over the same runs.
func (s *Sim) legacyRoutes() http.Handler {
	m := mux.NewRouter()
	m.HandleFunc("/workflow_runs/batch", s.wrap(s.legacyBatch, true)).Methods(http.MethodPost)
	m.HandleFunc("/workflow_runs", s.wrap(s.legacyCreate, true)).Methods(http.MethodPost)
	m.HandleFunc("/workflow_runs", s.wrap(s.legacyList, true)).Methods(http.MethodGet)
	m.HandleFunc("/workflow_runs/{id}", s.wrap(s.legacyGet, true)).Methods(http.MethodGet)
	m.HandleFunc("/workflow_runs/{id}", s.wrap(s.legacyUpdate, true)).Methods(http.MethodPost)
	m.HandleFunc("/workflow_runs/{id}", s.wrap(s.legacyDelete, true)).Methods(http.MethodDelete)
	m.HandleFunc("/workflow_runs/{id}/cancel", s.wrap(s.legacyCancel, true)).Methods(http.MethodPost)
	m.HandleFunc("/workflow_runs/{id}/outputs/{outputId}", s.wrap(s.legacyCorrect, true)).Methods(http.MethodPost)
	s.legacySurfaceRoutes(m)
	setFallbacks(m, true)
	return m
}

type legacyRunEnvelope struct {
	Success     bool          `json:"success"`
	WorkflowRun legacyRunJSON `json:"workflowRun"`
}

// legacyRunLocked renders the {success, workflowRun} envelope.
func (s *Sim) legacyRunLocked(r *run, now time.Time) (int, []byte, *apiError) {
	return marshal(legacyRunEnvelope{Success: true, WorkflowRun: s.renderLegacyRun(r, now)})
}

// legacyCreate makes one run per file, then per raw text, atomically: every
// input is validated before any run exists.
func (s *Sim) legacyCreate(req *http.Request, body []byte) (int, []byte, *apiError) {
	if err := delay(req.Context(), gjson.GetBytes(body, "workflowId").String()); err != nil {
		return 0, nil, err
	}
	inputs, err := parseLegacyCreate(body)
	if err != nil {
		return 0, nil, err
	}
	wf := inputs[0].workflowID
	if err := checkWorkflow(wf); err != nil {
		return 0, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.injectedFailureLocked(wf); err != nil {
		return 0, nil, err
	}
	now := s.opt.Now()
	out := struct {
		Success      bool            `json:"success"`
		WorkflowRuns []legacyRunJSON `json:"workflowRuns"`
	}{Success: true}
	for _, in := range inputs {
		r := s.newRunLocked(in, now, "")
		s.addRunLocked(r)
		out.WorkflowRuns = append(out.WorkflowRuns, s.renderLegacyRun(r, now))
	}
	return marshal(out)
}

func (s *Sim) legacyBatch(_ *http.Request, body []byte) (int, []byte, *apiError) {
	inputs, err := parseLegacyBatch(body)
	if err != nil {
		return 0, nil, err
	}
	if err := checkWorkflow(inputs[0].workflowID); err != nil {
		return 0, nil, err
	}
	return marshal(struct {
		Success bool   `json:"success"`
		BatchID string `json:"batchId"`
	}{true, s.storeBatch(inputs)})
}

func (s *Sim) legacyList(req *http.Request, _ []byte) (int, []byte, *apiError) {
	q, err := parseList(req.URL.Query())
	if err != nil {
		return 0, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.opt.Now()
	page, next := s.selectLocked(q, now)
	out := struct {
		Success       bool                `json:"success"`
		WorkflowRuns  []legacySummaryJSON `json:"workflowRuns"`
		NextPageToken string              `json:"nextPageToken,omitempty"`
	}{Success: true, WorkflowRuns: make([]legacySummaryJSON, 0, len(page))}
	for _, l := range page {
		out.WorkflowRuns = append(out.WorkflowRuns, s.renderLegacySummary(l.r, now))
	}
	if next >= 0 {
		out.NextPageToken = encodeToken(next, q.fingerprint())
	}
	return marshal(out)
}

func (s *Sim) legacyGet(req *http.Request, _ []byte) (int, []byte, *apiError) {
	return s.withRun(req, nil, s.legacyRunLocked)
}

func (s *Sim) legacyUpdate(req *http.Request, body []byte) (int, []byte, *apiError) {
	change, err := s.updater(body)
	if err != nil {
		return 0, nil, err
	}
	return s.withRun(req, change, s.legacyRunLocked)
}

func (s *Sim) legacyDelete(req *http.Request, _ []byte) (int, []byte, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := mux.Vars(req)["id"]
	if !s.deleteRunLocked(id) {
		return 0, nil, notFound("Workflow run %s not found.", id)
	}
	return marshal(struct {
		Success       bool   `json:"success"`
		WorkflowRunID string `json:"workflowRunId"`
		Message       string `json:"message"`
	}{true, id, legacyDeleteMessage})
}

func (s *Sim) legacyCancel(req *http.Request, _ []byte) (int, []byte, *apiError) {
	return s.withRun(req, s.cancelLocked, s.legacyRunLocked)
}
