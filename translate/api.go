// Package translate holds the pure transforms between Extend API versions,
// organised as a version-change registry (registry.go): a Step from one
// version to the next holds its Changes as data (changes.go, step_*.go) and,
// per route, one request and one response Transform (endpoints.go).
// Path(client, upstream) gives the steps to apply; an empty path means
// passthrough. Everything here works on []byte with gjson: no net/http, no
// logging, no I/O.
//
// The 2025-04-21 ⇄ 2026-02-09 rules are those of docs/spec/mapping.md.
// Requests migrate forward (request.go, provided.go, batch.go, validate.go),
// responses backward (run.go, processor.go, output.go, config.go, steps.go,
// list.go), error bodies in errors.go. Outputs are appended in one pass
// (jsonw.go) rather than edited with sjson, which would copy the document on
// every edit. Inputs are checked once with gjson.ValidBytes at the edge.
package translate

import (
	"errors"
	"time"
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
	// OpenPageRangeEnd is the end page given to a processor-family pageRanges
	// item sent without one (2026-02-09 requires it; surface D3). 0 refuses
	// such an item with 400 naming the field.
	OpenPageRangeEnd int
	// ParseBlockTypes says what becomes of a parsed block whose type the
	// legacy enum lacks (D5): "text" (the default, also for ""), "drop" or "passthrough".
	ParseBlockTypes string
	// NoEvaluationItemDetails stops the per-item reads that fill
	// expectedOutput in evaluation item lists (D6; on by default).
	NoEvaluationItemDetails bool
	// EvaluationScanLimit bounds how many evaluation sets are scanned to
	// find an item's set (D6); 0 means 200.
	EvaluationScanLimit int
}

// Report collects what a translation could not carry over faithfully, as JSON
// paths (never values), so the proxy can log and count them. A nil *Report is allowed.
type Report struct {
	Unmapped    []string // request or response fields that had no counterpart and were dropped
	Synthesized []string // legacy fields whose value the proxy had to invent (e.g. initialRunAt)
	// Unknown are request fields the client's version does not declare. Their
	// names are client input: log them, never use them as metric labels.
	Unknown []string
}

// unknown records a field the legacy type does not declare; safe on a nil *Report.
func (r *Report) unknown(path string) {
	if r != nil {
		r.Unknown = append(r.Unknown, path)
	}
}

// unmapped records a dropped field; safe on a nil *Report.
func (r *Report) unmapped(path string) {
	if r != nil {
		r.Unmapped = append(r.Unmapped, path)
	}
}

// synthesized records an invented field; safe on a nil *Report.
func (r *Report) synthesized(path string) {
	if r != nil {
		r.Synthesized = append(r.Synthesized, path)
	}
}

// RunContext carries per-request facts the response transforms need.
type RunContext struct {
	Name       *string   // update: the name the client sent, echoed as legacy name
	ReceivedAt time.Time // create: when the proxy received the legacy request (initialRunAt fallback)
	Now        time.Time // last-resort initialRunAt fallback; zero means time.Now()
	Report     *Report
}
