package sim

import (
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/mux"
	"github.com/tidwall/gjson"
)

// API version header values.
const (
	versionHeader = "x-extend-api-version"
	newVersion    = "2026-02-09"
	legacyVersion = "2025-04-21"
	maxDelay      = 5 * time.Minute
)

// handlerFunc is one endpoint: it gets the already-read body and returns the
// status and JSON to send, or an error for the funnel.
type handlerFunc func(req *http.Request, body []byte) (int, []byte, *apiError)

// newRoutes is the 2026-02-09 surface (N§2). batch is registered before
// /{id} so that it is not taken for a run id.
func (s *Sim) newRoutes() *mux.Router {
	m := mux.NewRouter()
	m.HandleFunc("/workflow_runs/batch", s.wrap(s.batch, false)).Methods(http.MethodPost)
	m.HandleFunc("/workflow_runs", s.wrap(s.create, false)).Methods(http.MethodPost)
	m.HandleFunc("/workflow_runs", s.wrap(s.list, false)).Methods(http.MethodGet)
	m.HandleFunc("/workflow_runs/{id}", s.wrap(s.get, false)).Methods(http.MethodGet)
	m.HandleFunc("/workflow_runs/{id}", s.wrap(s.update, false)).Methods(http.MethodPost)
	m.HandleFunc("/workflow_runs/{id}", s.wrap(s.delete, false)).Methods(http.MethodDelete)
	m.HandleFunc("/workflow_runs/{id}/cancel", s.wrap(s.cancel, false)).Methods(http.MethodPost)
	s.newSurfaceRoutes(m)
	setFallbacks(m, false)
	return m
}

func setFallbacks(m *mux.Router, legacy bool) {
	m.NotFoundHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, notFound("no route for %s %s", r.Method, r.URL.Path), legacy)
	})
	m.MethodNotAllowedHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, &apiError{status: http.StatusMethodNotAllowed, code: codeMethod,
			message: "method " + r.Method + " not allowed on " + r.URL.Path}, legacy)
	})
}

// wrap adapts a handlerFunc to mux, funnelling errors through writeError.
func (s *Sim) wrap(h handlerFunc, legacy bool) http.HandlerFunc {
	return func(w http.ResponseWriter, req *http.Request) {
		body, _ := req.Context().Value(bodyKey{}).([]byte)
		status, out, err := h(req, body)
		if err != nil {
			writeError(w, err, legacy)
			return
		}
		writeRaw(w, status, out)
	}
}

func marshal(v any) (int, []byte, *apiError) {
	b, err := json.Marshal(v)
	if err != nil {
		return 0, nil, &apiError{status: http.StatusInternalServerError, code: codeInternal, message: "sim encoding failed"}
	}
	return http.StatusOK, b, nil
}

var (
	err5xxRe = regexp.MustCompile(`_err5xx_(\d+)`)
	err429Re = regexp.MustCompile(`_err429_(\d+)`)
	delayRe  = regexp.MustCompile(`_delay_(\d+)`)
)

func scriptNumber(re *regexp.Regexp, id string) int {
	m := re.FindStringSubmatch(id)
	if m == nil {
		return -1
	}
	n, err := strconv.Atoi(m[1])
	if err != nil {
		return -1
	}
	return n
}

// delay honours _delay_MS before a create does anything, so a client that
// gives up early leaves no run behind.
func delay(ctx context.Context, workflowID string) *apiError {
	ms := scriptNumber(delayRe, workflowID)
	if ms <= 0 {
		return nil
	}
	d := min(time.Duration(ms)*time.Millisecond, maxDelay)
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return &apiError{status: 499, code: "CLIENT_CLOSED_REQUEST", message: "client closed the request"}
	}
}

// checkWorkflow applies the workflow-level rules shared by create and batch.
func checkWorkflow(id string) *apiError {
	if !strings.HasPrefix(id, "workflow_") {
		return notFound("Workflow %s not found.", id)
	}
	if strings.Contains(id, "_badcreate") {
		return badRequest("Workflow has no published version")
	}
	return nil
}

// injectedFailureLocked counts creates per workflow and applies _err5xx_N / _err429_N.
func (s *Sim) injectedFailureLocked(id string) *apiError {
	s.creates[id]++
	n := s.creates[id]
	if scriptNumber(err5xxRe, id) == n {
		return &apiError{status: http.StatusInternalServerError, code: codeInternal, retryable: true,
			message: "Internal server error (scripted by " + id + ")."}
	}
	if scriptNumber(err429Re, id) == n {
		return &apiError{status: http.StatusTooManyRequests, code: codeRateLimited, retryable: true,
			retryAfter: "1", message: "Too many requests (scripted by " + id + ")."}
	}
	return nil
}

// createRun is the create path shared by both API versions: delay, validate
// the workflow, scripted failures, then store.
func (s *Sim) createRun(in createInput) (*run, time.Time, *apiError) {
	if err := checkWorkflow(in.workflowID); err != nil {
		return nil, time.Time{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.injectedFailureLocked(in.workflowID); err != nil {
		return nil, time.Time{}, err
	}
	now := s.opt.Now()
	r := s.newRunLocked(in, now, "")
	s.addRunLocked(r)
	return r, now, nil
}

func (s *Sim) create(req *http.Request, body []byte) (int, []byte, *apiError) {
	if err := delay(req.Context(), gjson.GetBytes(body, "workflow.id").String()); err != nil {
		return 0, nil, err
	}
	in, err := parseCreate(body)
	if err != nil {
		return 0, nil, err
	}
	r, now, err := s.createRun(in)
	if err != nil {
		return 0, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return marshal(s.renderRun(r, now))
}

func (s *Sim) batch(req *http.Request, body []byte) (int, []byte, *apiError) {
	b, err := parseBatch(body)
	if err != nil {
		return 0, nil, err
	}
	if err := checkWorkflow(b.workflowID); err != nil {
		return 0, nil, err
	}
	batchID := s.storeBatch(b.inputs)
	return marshal(struct {
		BatchID string `json:"batchId"`
	}{batchID})
}

// storeBatch creates one run per input, all sharing a new batch id.
func (s *Sim) storeBatch(inputs []createInput) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.opt.Now()
	batchID := newID("batch_", 20)
	for _, in := range inputs {
		s.addRunLocked(s.newRunLocked(in, now, batchID))
	}
	return batchID
}

// lookupLocked finds a live run by the {id} path variable.
func (s *Sim) lookupLocked(req *http.Request) (*run, *apiError) {
	id := mux.Vars(req)["id"]
	r, ok := s.runs[id]
	if !ok {
		return nil, notFound("Workflow run %s not found.", id)
	}
	return r, nil
}

// runRenderer renders one run in a version's shape; the caller holds mu.
type runRenderer func(r *run, now time.Time) (int, []byte, *apiError)

// currentRunLocked renders r as a 2026-02-09 WorkflowRun.
func (s *Sim) currentRunLocked(r *run, now time.Time) (int, []byte, *apiError) {
	return marshal(s.renderRun(r, now))
}

// withRun serves get, update and cancel of either version: under mu it finds
// the path's run, applies change (nil for none) and renders the result.
func (s *Sim) withRun(req *http.Request, change func(*run, time.Time) *apiError, render runRenderer) (int, []byte, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, err := s.lookupLocked(req)
	if err != nil {
		return 0, nil, err
	}
	now := s.opt.Now()
	if change != nil {
		if err := change(r, now); err != nil {
			return 0, nil, err
		}
	}
	return render(r, now)
}

// updater applies a parsed update body.
func (s *Sim) updater(body []byte) (func(*run, time.Time) *apiError, *apiError) {
	name, md, err := parseUpdate(body)
	if err != nil {
		return nil, err
	}
	return func(r *run, now time.Time) *apiError { return s.applyUpdateLocked(r, name, md, now) }, nil
}

func (s *Sim) get(req *http.Request, _ []byte) (int, []byte, *apiError) {
	return s.withRun(req, nil, s.currentRunLocked)
}

// applyUpdateLocked stores a name and merges metadata (incoming keys win).
func (s *Sim) applyUpdateLocked(r *run, name *string, md map[string]json.RawMessage, now time.Time) *apiError {
	merged := maps.Clone(r.metadata)
	if merged == nil {
		merged = map[string]json.RawMessage{}
	}
	maps.Copy(merged, md)
	if b, _ := json.Marshal(merged); len(b) > maxMetadataBytes {
		return badRequest("merged metadata must be at most 10 KB (got %d bytes)", len(b))
	}
	r.metadata = merged
	if name != nil {
		r.name = *name
	}
	r.touched = now
	return nil
}

func (s *Sim) update(req *http.Request, body []byte) (int, []byte, *apiError) {
	change, err := s.updater(body)
	if err != nil {
		return 0, nil, err
	}
	return s.withRun(req, change, s.currentRunLocked)
}

func (s *Sim) delete(req *http.Request, _ []byte) (int, []byte, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := mux.Vars(req)["id"]
	if !s.deleteRunLocked(id) {
		return 0, nil, notFound("Workflow run %s not found.", id)
	}
	return marshal(struct {
		ID string `json:"id"`
	}{id})
}

// cancelLocked cancels r if it is PENDING or PROCESSING.
func (s *Sim) cancelLocked(r *run, now time.Time) *apiError {
	if st := s.timelineAt(r, now).status; st != stPending && st != stProcessing {
		return badRequest("Workflow run %s cannot be cancelled in status %s; only PENDING or PROCESSING runs can.", r.id, st)
	}
	r.cancelled = now
	return nil
}

func (s *Sim) cancel(req *http.Request, _ []byte) (int, []byte, *apiError) {
	return s.withRun(req, s.cancelLocked, s.currentRunLocked)
}
