package sim

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/gorilla/mux"
)

// Recorded is one API request the sim received (control endpoints excluded).
type Recorded struct {
	Method, Path, Query string
	// RawPath is the path as sent, still escaped: an id holding "/" is one segment here, not in Path.
	RawPath string
	Header  http.Header     // credential headers replaced by "REDACTED"
	Body    json.RawMessage // nil when no body; values under "secrets" replaced by "REDACTED"
	Status  int             // status the sim answered
}

// bodyKey carries the request body, read once by the recorder, to handlers.
type bodyKey struct{}

// statusWriter remembers the status a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// ServeHTTP implements http.Handler.
func (s *Sim) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.handler.ServeHTTP(w, r)
}

// Requests returns the API requests received so far (the newest
// Options.MaxRecorded of them), oldest first.
func (s *Sim) Requests() []Recorded {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests.list()
}

// ResetRequests forgets the recorded requests.
func (s *Sim) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests.reset()
}

// routes wires the control endpoints and the versioned API behind the recorder.
func (s *Sim) routes() http.Handler {
	ctl := mux.NewRouter()
	ctl.HandleFunc("/_sim/requests", func(w http.ResponseWriter, _ *http.Request) {
		reqs := s.Requests()
		writeJSON(w, http.StatusOK, reqs)
	}).Methods(http.MethodGet)
	ctl.HandleFunc("/_sim/requests", func(w http.ResponseWriter, _ *http.Request) {
		s.ResetRequests()
		w.WriteHeader(http.StatusNoContent)
	}).Methods(http.MethodDelete)
	ctl.HandleFunc("/_sim/runs/count", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, struct {
			Count int `json:"count"`
		}{s.RunCount()})
	}).Methods(http.MethodGet)
	setFallbacks(ctl, false)
	newAPI, legacyAPI := s.newRoutes(), s.legacyRoutes()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/_sim/") {
			ctl.ServeHTTP(w, r)
			return
		}
		s.record(w, r, func(w http.ResponseWriter, r *http.Request) {
			s.dispatch(w, r, newAPI, legacyAPI)
		})
	})
}

// dispatch checks auth and the version header, then routes by version.
func (s *Sim) dispatch(w http.ResponseWriter, r *http.Request, newAPI, legacyAPI http.Handler) {
	version := r.Header.Get(versionHeader)
	legacy := version == legacyVersion
	auth := r.Header.Get("Authorization")
	if token, ok := strings.CutPrefix(auth, "Bearer "); !ok || strings.TrimSpace(token) == "" {
		writeError(w, &apiError{status: http.StatusUnauthorized, code: codeUnauthorized,
			message: "Missing or invalid Authorization header; expected Bearer <token>."}, legacy)
		return
	}
	switch version {
	case newVersion:
		newAPI.ServeHTTP(w, r)
	case legacyVersion:
		legacyAPI.ServeHTTP(w, r)
	default:
		writeError(w, badRequest("x-extend-api-version must be %s or %s (got %q)", newVersion, legacyVersion, version), false)
	}
}

// record reads the body once, runs next and appends the Recorded entry.
func (s *Sim) record(w http.ResponseWriter, r *http.Request, next http.HandlerFunc) {
	sw := &statusWriter{ResponseWriter: w}
	var body []byte
	var note json.RawMessage // what a streamed upload handler reports of its body
	if r.Body != nil && !streamed(r) {
		b, err := io.ReadAll(http.MaxBytesReader(sw, r.Body, maxBodyBytes))
		body = b
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeError(sw, &apiError{status: http.StatusRequestEntityTooLarge, code: codeInvalid,
				message: "request body too large"}, r.Header.Get(versionHeader) == legacyVersion)
		} else if err != nil {
			writeError(sw, badRequest("could not read request body"), r.Header.Get(versionHeader) == legacyVersion)
		}
	}
	if sw.status == 0 {
		ctx := context.WithValue(context.WithValue(r.Context(), bodyKey{}, body), streamKey{}, &note)
		next(sw, r.WithContext(ctx))
	}
	rec := Recorded{Method: r.Method, Path: r.URL.Path, RawPath: r.URL.EscapedPath(), Query: r.URL.RawQuery, Header: redactHeader(r.Header),
		Body: logBody(body), Status: sw.status}
	if note != nil {
		rec.Body = note
	}
	if rec.Status == 0 {
		rec.Status = http.StatusOK
	}
	s.mu.Lock()
	s.requests.add(rec)
	s.mu.Unlock()
}

// recordedBody keeps JSON bodies as they are and stores anything else as a
// JSON string, so /_sim/requests always marshals.
func recordedBody(b []byte) json.RawMessage {
	if len(b) == 0 {
		return nil
	}
	if json.Valid(b) {
		return append(json.RawMessage(nil), b...)
	}
	q, _ := json.Marshal(string(b))
	return q
}
