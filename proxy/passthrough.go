package proxy

import (
	"errors"
	"net/http"
	"net/http/httputil"

	"go.uber.org/zap"
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
			// An answer to a body the client never finished is not the client's answer.
			return stateFrom(resp.Request.Context()).body.failure()
		},
		ErrorHandler: p.passthroughError,
		// httputil logs a body that breaks off mid-copy here: into the
		// proxy's own structured log, not a plain line on stderr.
		ErrorLog: zap.NewStdLog(p.log.Named("passthrough")),
	}
}

func (p *Proxy) passthrough(w http.ResponseWriter, r *http.Request) {
	stateFrom(r.Context()).addUpstreamCall()
	ctx, cancel := p.deadline(r)
	defer cancel()
	p.passthru.ServeHTTP(w, r.WithContext(ctx))
}

// passthroughError answers transport failures of passthrough requests in the
// caller's own error shape (legacy or ApiError, by its version).
func (p *Proxy) passthroughError(w http.ResponseWriter, r *http.Request, err error) {
	if bodyErr := stateFrom(r.Context()).body.failure(); bodyErr != nil {
		err = bodyErr // the transport may report only the context the server cancelled
	}
	p.fail(w, r, classifyTransportErr(r, err))
}

// classifyTransportErr turns a ReverseProxy error into the funnel's vocabulary.
func classifyTransportErr(r *http.Request, err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return err
	}
	if cbe := (*clientBodyError)(nil); errors.As(err, &cbe) {
		return cbe.classify(r)
	}
	return &upstreamErr{err: err, sent: true, timeout: isTimeout(err, r.Context())}
}
