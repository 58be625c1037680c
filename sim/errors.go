package sim

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// Error codes the sim uses in ApiError bodies. The spec does not list the real
// strings (N§8.2), so these are the sim's choice, except INVALID_REQUEST which
// the contract fixes for the _badcreate script.
const (
	codeInvalid      = "INVALID_REQUEST"
	codeUnauthorized = "UNAUTHORIZED"
	codeNotFound     = "NOT_FOUND"
	codeMethod       = "METHOD_NOT_ALLOWED"
	codeRateLimited  = "RATE_LIMITED"
	codeInternal     = "INTERNAL_ERROR"
)

// apiError is an error answer; one funnel (writeError) renders it for either
// API version.
type apiError struct {
	status     int
	code       string
	message    string
	retryable  bool
	retryAfter string // Retry-After header value, "" for none
}

func (e *apiError) Error() string { return fmt.Sprintf("%d %s: %s", e.status, e.code, e.message) }

func badRequest(format string, args ...any) *apiError {
	return &apiError{status: http.StatusBadRequest, code: codeInvalid, message: fmt.Sprintf(format, args...)}
}

func notFound(format string, args ...any) *apiError {
	return &apiError{status: http.StatusNotFound, code: codeNotFound, message: fmt.Sprintf(format, args...)}
}

// apiErrorJSON is the N§8.2 ApiError body.
type apiErrorJSON struct {
	Code      string `json:"code"`
	Message   string `json:"message"`
	Retryable bool   `json:"retryable"`
	RequestID string `json:"requestId"`
}

// legacyErrorJSON is the legacy error body {success:false, error}.
type legacyErrorJSON struct {
	Success bool   `json:"success"`
	Error   string `json:"error"`
}

// writeError renders e as an ApiError, or as a legacy error when legacy is set.
func writeError(w http.ResponseWriter, e *apiError, legacy bool) {
	if e.retryAfter != "" {
		w.Header().Set("Retry-After", e.retryAfter)
	}
	if legacy {
		writeJSON(w, e.status, legacyErrorJSON{Success: false, Error: e.message})
		return
	}
	writeJSON(w, e.status, apiErrorJSON{
		Code: e.code, Message: e.message, Retryable: e.retryable, RequestID: newID("req_", 12),
	})
}

// writeJSON marshals v; the sim's own types always marshal, so a failure is a
// bug reported as a plain 500 rather than a panic.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, `{"code":"INTERNAL_ERROR","message":"sim encoding failed","retryable":false}`, http.StatusInternalServerError)
		return
	}
	writeRaw(w, status, b)
}

func writeRaw(w http.ResponseWriter, status int, b []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
