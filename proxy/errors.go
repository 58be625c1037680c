package proxy

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/tidwall/sjson"
	"go.uber.org/zap"

	"github.com/extend-compat-proxy/extend-compat-proxy/translate"
)

// statusClientClosed is logged when the client went away (nginx's 499).
const statusClientClosed = 499

// httpError is an answer the proxy decided on: a status and a safe message.
type httpError struct {
	status int
	msg    string
	cause  error
}

func (e *httpError) Error() string {
	if e.cause != nil {
		return e.msg + ": " + e.cause.Error()
	}
	return e.msg
}

func (e *httpError) Unwrap() error { return e.cause }

// upstreamStatus is a non-2xx upstream answer to relay in legacy shape.
type upstreamStatus struct {
	resp *upstreamResponse
	// suffix is appended to the translated message (fan-out context).
	suffix string
}

func (e *upstreamStatus) Error() string { return "upstream answered " + strconv.Itoa(e.resp.Status) }

// relayedHeaders are copied from upstream errors: the legacy retry logic reads them.
var relayedHeaders = []string{"Retry-After", "X-RateLimit-Reset"}

// fail is the single error funnel: it picks the status, writes the legacy
// error body, records the error for the access log and counts it.
func (p *Proxy) fail(w http.ResponseWriter, r *http.Request, err error) {
	st := stateFrom(r.Context())
	st.errMsg = err.Error()
	status, body := p.errorAnswer(r.Context(), err, w.Header())
	if status == statusClientClosed {
		// Nobody is listening; record it and write nothing useful.
		w.WriteHeader(status)
		return
	}
	writeJSON(w, status, body)
}

// errorAnswer maps err to a status and a legacy {success:false,error} body.
func (p *Proxy) errorAnswer(ctx context.Context, err error, h http.Header) (int, []byte) {
	var (
		re  *translate.RequestError
		he  *httpError
		us  *upstreamStatus
		ue  *upstreamErr
		mbe *http.MaxBytesError
	)
	switch {
	case errors.As(err, &re):
		return http.StatusBadRequest, translate.LegacyError(re.Message)
	case errors.As(err, &mbe):
		return http.StatusRequestEntityTooLarge, translate.LegacyError(
			fmt.Sprintf("request body exceeds the limit of %d bytes", mbe.Limit))
	case errors.As(err, &he):
		return he.status, translate.LegacyError(he.msg)
	case errors.As(err, &us):
		for _, k := range relayedHeaders {
			if v := us.resp.Header.Get(k); v != "" {
				h.Set(k, v)
			}
		}
		body := translate.ErrorBody(us.resp.Status, us.resp.Header.Get("Content-Type"), us.resp.Body)
		if us.suffix != "" {
			body = appendToError(body, us.suffix)
		}
		return us.resp.Status, body
	case errors.Is(err, translate.ErrInvalidResponse):
		stateFrom(ctx).translationFailed = true
		p.metrics.translationFailures.WithLabelValues(stateFrom(ctx).route).Inc()
		return http.StatusBadGateway, translate.LegacyError("the upstream API answered with a body the proxy could not translate")
	case errors.Is(ctx.Err(), context.Canceled):
		return statusClientClosed, nil
	case errors.As(err, &ue) && ue.tooBig:
		return http.StatusBadGateway, translate.LegacyError("the upstream API answer was too large")
	case errors.As(err, &ue) && ue.timeout, errors.Is(err, context.DeadlineExceeded):
		return http.StatusGatewayTimeout, translate.LegacyError("the upstream API did not answer in time")
	case errors.As(err, &ue):
		return http.StatusBadGateway, translate.LegacyError("the upstream API could not be reached")
	default:
		p.log.Error("unclassified error", zap.Error(err), zap.String("request_id", stateFrom(ctx).id))
		return http.StatusBadGateway, translate.LegacyError("the proxy could not complete the request")
	}
}

func appendToError(body []byte, suffix string) []byte {
	msg := string(body)
	if v, err := sjsonGet(body, "error"); err == nil {
		msg = v
	}
	out, err := sjson.SetBytes(body, "error", msg+suffix)
	if err != nil {
		return body
	}
	return out
}

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
