package proxy

import (
	"errors"
	"net/http"
	"net/http/httputil"

	"github.com/tidwall/sjson"

	"github.com/extend-compat-proxy/extend-compat-proxy/translate"
)

// newPassthrough forwards requests the proxy does not translate (2026-02-09
// callers, unknown paths) unchanged, adding only the default workspace header
// and the request id.
func (p *Proxy) newPassthrough() *httputil.ReverseProxy {
	return &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(p.opt.Upstream)
			pr.SetXForwarded()
			pr.Out.Header.Set("X-Request-Id", stateFrom(pr.In.Context()).id)
			if pr.Out.Header.Get("X-Extend-Api-Version") == "" {
				// A missing header means the configured default version, upstream too.
				pr.Out.Header.Set("X-Extend-Api-Version", p.opt.DefaultVersion)
			}
			if pr.Out.Header.Get("X-Extend-Workspace-Id") == "" && p.opt.WorkspaceID != "" {
				pr.Out.Header.Set("X-Extend-Workspace-Id", p.opt.WorkspaceID)
			}
		},
		Transport:  p.opt.Transport,
		BufferPool: p.buffers,
		ModifyResponse: func(resp *http.Response) error {
			p.up.reach.mark(p.opt.Now())
			return nil
		},
		ErrorHandler: p.passthroughError,
	}
}

func (p *Proxy) passthrough(w http.ResponseWriter, r *http.Request) {
	stateFrom(r.Context()).addUpstreamCall()
	ctx, cancel := p.deadline(r)
	defer cancel()
	p.passthru.ServeHTTP(w, r.WithContext(ctx))
}

// passthroughError answers transport failures of passthrough requests in the
// caller's own error shape: ApiError for 2026-02-09 callers, legacy otherwise.
func (p *Proxy) passthroughError(w http.ResponseWriter, r *http.Request, err error) {
	st := stateFrom(r.Context())
	st.errMsg = err.Error()
	status, body := p.errorAnswer(r.Context(), classifyTransportErr(r, err), w.Header())
	if status == statusClientClosed {
		w.WriteHeader(status)
		return
	}
	if r.Header.Get("X-Extend-Api-Version") != translate.LegacyVersion && !p.isLegacy(r, nil) {
		body = apiErrorBody(status, body, st.id)
	}
	writeJSON(w, status, body)
}

// classifyTransportErr turns a ReverseProxy error into the funnel's vocabulary.
func classifyTransportErr(r *http.Request, err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return err
	}
	return &upstreamErr{err: err, sent: true, timeout: isTimeout(err, r.Context())}
}

// apiErrorBody re-renders a legacy error as a 2026-02-09 ApiError.
func apiErrorBody(status int, legacy []byte, reqID string) []byte {
	msg, _ := sjsonGet(legacy, "error")
	out := []byte(`{}`)
	code := "UPSTREAM_UNAVAILABLE"
	switch status {
	case http.StatusGatewayTimeout:
		code = "UPSTREAM_TIMEOUT"
	case http.StatusRequestEntityTooLarge:
		code = "REQUEST_TOO_LARGE"
	}
	out, _ = sjson.SetBytes(out, "code", code)
	out, _ = sjson.SetBytes(out, "message", msg)
	out, _ = sjson.SetBytes(out, "retryable", status >= 500)
	out, _ = sjson.SetBytes(out, "requestId", reqID)
	return out
}
