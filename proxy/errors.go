package proxy

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"go.uber.org/zap"

	"github.com/extend-compat-proxy/extend-compat-proxy/translate"
)

// statusClientClosed is logged when the client went away (nginx's 499).
const statusClientClosed = 499

// Error is an answer the proxy decided on, carried from where it happens to
// the edge where it is written, once: the status, a message safe to show,
// headers to relay and the cause for the logs.
type Error struct {
	Status  int
	Message string
	// Code is a legacy 400 code, relayed from the upstream; "" for none.
	Code string
	// Header holds headers to relay with the answer (Retry-After).
	Header http.Header
	// Cause is logged, never shown.
	Cause error
	// TranslationFailed marks an upstream answer the translator could not handle.
	TranslationFailed bool
	// unclassified marks an error no case of classify expected: logged as a bug.
	unclassified bool
}

func (e *Error) Error() string {
	if e.Cause != nil {
		return e.Message + ": " + e.Cause.Error()
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Cause }

// errorf is a proxy-made answer.
func errorf(status int, format string, args ...any) *Error {
	return &Error{Status: status, Message: fmt.Sprintf(format, args...)}
}

// upstreamStatus is a non-2xx upstream answer to relay.
type upstreamStatus struct {
	resp *upstreamResponse
	// suffix is appended to the message (fan-out context).
	suffix string
}

func (e *upstreamStatus) Error() string { return "upstream answered " + strconv.Itoa(e.resp.Status) }

// relayedHeaders are copied from upstream errors: the legacy retry logic reads them.
var relayedHeaders = []string{"Retry-After", "X-RateLimit-Reset"}

// classify maps any error to the answer it gets. It has no side effects:
// the edge (fail) logs, counts and writes.
func classify(ctx context.Context, err error) *Error {
	var (
		e    *Error
		re   *translate.RequestError
		gone *translate.RemovedError
		us   *upstreamStatus
		ue   *upstreamErr
		mbe  *http.MaxBytesError
	)
	switch {
	case errors.As(err, &e):
		return e
	case errors.As(err, &re):
		return &Error{Status: http.StatusBadRequest, Message: re.Message, Cause: err}
	case errors.As(err, &gone):
		return &Error{Status: http.StatusGone, Message: gone.Message, Cause: err}
	case errors.As(err, &mbe):
		return &Error{Status: http.StatusRequestEntityTooLarge, Cause: err,
			Message: fmt.Sprintf("request body exceeds the limit of %d bytes", mbe.Limit)}
	case errors.As(err, &us):
		ae := translate.UpstreamError(us.resp.Status, us.resp.Header.Get("Content-Type"), us.resp.Body)
		out := &Error{Status: us.resp.Status, Message: ae.Message + us.suffix, Code: ae.Code, Cause: err, Header: http.Header{}}
		for _, k := range relayedHeaders {
			if v := us.resp.Header.Get(k); v != "" {
				out.Header.Set(k, v)
			}
		}
		return out
	case errors.Is(err, translate.ErrInvalidResponse):
		return &Error{Status: http.StatusBadGateway, Cause: err, TranslationFailed: true,
			Message: "the upstream API answered with a body the proxy could not translate"}
	case errors.Is(ctx.Err(), context.Canceled):
		return &Error{Status: statusClientClosed, Message: "request cancelled", Cause: err}
	case errors.As(err, &ue) && ue.tooBig:
		return &Error{Status: http.StatusBadGateway, Message: "the upstream API answer was too large", Cause: err}
	case errors.As(err, &ue) && ue.timeout, errors.Is(err, context.DeadlineExceeded):
		return &Error{Status: http.StatusGatewayTimeout, Message: "the upstream API did not answer in time", Cause: err}
	case errors.As(err, &ue):
		return &Error{Status: http.StatusBadGateway, Message: "the upstream API could not be reached", Cause: err}
	}
	return &Error{Status: http.StatusBadGateway, Message: "the proxy could not complete the request", Cause: err, unclassified: true}
}

// fail is the single error funnel and the only place an error is written:
// it classifies, records the error for the access log, counts it, and renders
// the body in the error shape of the client's API version.
func (p *Proxy) fail(w http.ResponseWriter, r *http.Request, err error) {
	st := stateFrom(r.Context())
	st.errMsg = err.Error()
	e := classify(r.Context(), err)
	if e.TranslationFailed {
		st.translationFailed = true
		p.metrics.translationFailures.WithLabelValues(st.route).Inc()
	}
	if e.unclassified {
		p.log.Error("unclassified error", zap.Error(err), zap.String("request_id", st.id))
	}
	if e.Status == statusClientClosed {
		// Nobody is listening; record it and write nothing useful.
		w.WriteHeader(e.Status)
		return
	}
	for k, vs := range e.Header {
		w.Header()[k] = vs
	}
	writeJSON(w, e.Status, translate.RenderError(p.clientVersion(r),
		translate.APIError{Status: e.Status, Message: e.Message, Code: e.Code}, st.id))
}

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
