// Package translate holds the pure legacy (2025-04-21) ⇄ new (2026-02-09)
// transforms for the Extend workflow-run endpoints. Everything here works on
// []byte with gjson/sjson: no net/http, no logging, no I/O.
package translate

import (
	"errors"
	"net/url"
	"time"
)

// API version header values.
const (
	LegacyVersion = "2025-04-21"
	NewVersion    = "2026-02-09"
)

// ErrInvalidRequest is matched (errors.Is) by every *RequestError.
var ErrInvalidRequest = errors.New("invalid legacy request")

// ErrInvalidResponse is returned when an upstream body cannot be translated.
var ErrInvalidResponse = errors.New("untranslatable upstream response")

// RequestError describes a legacy request the proxy refuses with 400 before any upstream call.
type RequestError struct {
	Field   string // JSON path of the offending field, e.g. "files[3].fileUrl"; "" for the whole body
	Message string // safe to show to the client
}

func (e *RequestError) Error() string { return e.Message }

// Unwrap lets errors.Is(err, ErrInvalidRequest) match.
func (e *RequestError) Unwrap() error { return ErrInvalidRequest }

// Options are the rare variants; the zero value is the documented default.
type Options struct {
	// MaxFiles is the legacy per-request limit on files[]; 0 means 50.
	MaxFiles int
	// CountRawTexts makes rawTexts count toward MaxFiles ([silent]; default false).
	CountRawTexts bool
	// ValidArrayAsBooleans keeps rule validArray elements as booleans instead of
	// the legacy-declared "true"/"false" strings ([silent]; default false).
	ValidArrayAsBooleans bool
	// RejectUnknownFields makes unknown request fields a 400 instead of a Report entry.
	RejectUnknownFields bool
	// ProcessorAliases maps legacy processor ids (dp_…) to new ones (ex_/cl_/spl_…).
	// Applied forward to create outputs[].processorId and backward to response processorIds.
	ProcessorAliases map[string]string
}

// Report collects what a translation could not carry over faithfully, as JSON
// paths (never values), so the proxy can log and count them. A nil *Report is allowed.
type Report struct {
	Unmapped    []string // request or response fields that had no counterpart and were dropped
	Synthesized []string // legacy fields whose value the proxy had to invent (e.g. initialRunAt)
}

// RunContext carries per-request facts the response transforms need.
type RunContext struct {
	Name       *string   // update: the name the client sent, echoed as legacy name
	ReceivedAt time.Time // create: when the proxy received the legacy request (initialRunAt fallback)
	Now        time.Time // last-resort initialRunAt fallback; zero means time.Now()
	Report     *Report
}

// CreateRequests turns a legacy create body into one new create body per input
// (files first, then rawTexts, in order). It validates everything first.
func CreateRequests(legacy []byte, o Options, rep *Report) ([][]byte, error) {
	return nil, errors.New("not implemented")
}

// BatchRequest turns a legacy batch body into a new batch body.
func BatchRequest(legacy []byte, o Options, rep *Report) ([]byte, error) {
	return nil, errors.New("not implemented")
}

// UpdateRequest validates a legacy update body and returns the new body and the name sent, if any.
func UpdateRequest(legacy []byte, rep *Report) (body []byte, name *string, err error) {
	return nil, nil, errors.New("not implemented")
}

// ListQuery maps legacy list query parameters to new ones (same names; empty values dropped).
func ListQuery(q url.Values) url.Values { return q }

// CreateResponse builds {success, workflowRuns} from the new runs, in order.
func CreateResponse(newRuns [][]byte, rc RunContext, o Options) ([]byte, error) {
	return nil, errors.New("not implemented")
}

// RunResponse builds {success, workflowRun} for get, update and cancel.
func RunResponse(newRun []byte, rc RunContext, o Options) ([]byte, error) {
	return nil, errors.New("not implemented")
}

// ListResponse builds {success, workflowRuns, nextPageToken?} from a new list.
func ListResponse(newList []byte, o Options, rep *Report) ([]byte, error) {
	return nil, errors.New("not implemented")
}

// DeleteResponse builds {success, workflowRunId, message} from a new {id}.
func DeleteResponse(newDelete []byte) ([]byte, error) { return nil, errors.New("not implemented") }

// BatchResponse builds {success, batchId} from a new {batchId}.
func BatchResponse(newBatch []byte) ([]byte, error) { return nil, errors.New("not implemented") }

// ErrorBody turns an upstream error body (any content type) into the legacy {success:false, error[, code]}.
func ErrorBody(status int, contentType string, body []byte) []byte { return LegacyError("upstream error") }

// LegacyError renders {success:false, error:msg}.
func LegacyError(msg string) []byte {
	b, _ := sjsonSetError(msg)
	return b
}
