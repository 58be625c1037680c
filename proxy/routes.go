package proxy

import (
	"net/http"
	"time"

	"github.com/gorilla/mux"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/extend-compat-proxy/extend-compat-proxy/translate"
)

// Route names used in logs and metrics.
const (
	routeCreate  = "create"
	routeList    = "list"
	routeGet     = "get"
	routeUpdate  = "update"
	routeDelete  = "delete"
	routeCancel  = "cancel"
	routeBatch   = "batch"
	routeOutputs = "correct_outputs"
	routeOther   = "other"
	routeHealth  = "health"
)

// routes builds the router: health endpoints, then the legacy workflow-run
// routes (matched only for legacy callers), then passthrough for everything else.
// POST /workflow_runs/batch is registered before /workflow_runs/{id}.
func (p *Proxy) routes() *mux.Router {
	r := mux.NewRouter()
	r.UseEncodedPath()
	r.SkipClean(true)
	r.Handle("/healthz", p.wrap(routeHealth, modeLocal, http.HandlerFunc(p.healthz))).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/readyz", p.wrap(routeHealth, modeLocal, http.HandlerFunc(p.readyz))).Methods(http.MethodGet, http.MethodHead)

	legacy := r.MatcherFunc(p.isLegacy).Subrouter()
	p.translateOnly = mux.NewRouter()
	p.translateOnly.UseEncodedPath()
	p.translateOnly.SkipClean(true)
	for _, rt := range []struct {
		method, path, name string
		h                  http.HandlerFunc
	}{
		{http.MethodPost, "/workflow_runs", routeCreate, p.create},
		{http.MethodGet, "/workflow_runs", routeList, p.list},
		{http.MethodPost, "/workflow_runs/batch", routeBatch, p.batch},
		{http.MethodGet, "/workflow_runs/{id}", routeGet, p.get},
		{http.MethodPost, "/workflow_runs/{id}", routeUpdate, p.update},
		{http.MethodDelete, "/workflow_runs/{id}", routeDelete, p.delete},
		{http.MethodPost, "/workflow_runs/{id}/cancel", routeCancel, p.cancel},
		{http.MethodPost, "/workflow_runs/{id}/outputs/{outputId}", routeOutputs, p.correctOutputs},
	} {
		mode := modeTranslate
		if rt.name == routeOutputs {
			mode = modeLocal
		}
		legacy.Handle(rt.path, p.wrap(rt.name, mode, p.dispatch(rt.name, rt.h))).Methods(rt.method)
		p.translateOnly.Handle(rt.path, rt.h).Methods(rt.method)
	}
	r.PathPrefix("/").Handler(p.wrap(routeOther, modePassthrough, http.HandlerFunc(p.passthrough)))
	return r
}

// isLegacy decides by x-extend-api-version; a missing header follows DefaultVersion.
func (p *Proxy) isLegacy(r *http.Request, _ *mux.RouteMatch) bool {
	v := r.Header.Get("X-Extend-Api-Version")
	if v == "" {
		v = p.opt.DefaultVersion
	}
	return v == translate.LegacyVersion
}

// statusWriter records the status and size written.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(s int) {
	if w.status == 0 {
		w.status = s
	}
	w.ResponseWriter.WriteHeader(s)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

// Flush lets streamed passthrough answers flush.
func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// wrap adds the request id, per-request state, body limit, metrics and the access log line.
func (p *Proxy) wrap(route, mode string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		st := &reqState{id: requestID(r), route: route, mode: mode}
		r.Header.Set("X-Request-Id", st.id)
		w.Header().Set("X-Request-Id", st.id)
		r = r.WithContext(withState(r.Context(), st))
		r.Body = http.MaxBytesReader(w, r.Body, p.opt.MaxBodyBytes)
		sw := &statusWriter{ResponseWriter: w}
		p.metrics.inFlight.Inc()
		defer p.metrics.inFlight.Dec()
		h.ServeHTTP(sw, r)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		p.finish(r, st, sw, time.Since(start))
	})
}

// finish writes the access log line and request metrics. Authorization and
// bodies are never logged.
func (p *Proxy) finish(r *http.Request, st *reqState, sw *statusWriter, d time.Duration) {
	p.metrics.observeRequest(st, sw.status, d)
	if st.route == routeHealth {
		return
	}
	lvl := zapcore.InfoLevel
	if sw.status >= 500 {
		lvl = zapcore.WarnLevel
	}
	ce := p.log.Check(lvl, "request")
	if ce == nil {
		return
	}
	fp := fieldsPool.Get().(*[]zap.Field)
	defer func() { clear(*fp); *fp = (*fp)[:0]; fieldsPool.Put(fp) }()
	fields := append(*fp,
		zap.String("request_id", st.id), zap.String("method", r.Method), zap.String("path", r.URL.Path),
		zap.String("route", st.route), zap.String("mode", st.mode), zap.Int("status", sw.status),
		zap.Duration("duration", d), zap.Int32("upstream_calls", st.upstreamCalls.Load()),
		zap.Int("fanout", st.fanout), zap.Int("bytes", sw.bytes),
	)
	st.mu.Lock()
	if len(st.unmapped) > 0 {
		fields = append(fields, zap.Strings("unmapped_fields", st.unmapped))
	}
	if len(st.synthesized) > 0 {
		fields = append(fields, zap.Strings("synthesized_fields", st.synthesized))
	}
	st.mu.Unlock()
	if st.tenant != "" {
		fields = append(fields, zap.String("tenant", st.tenant), zap.String("mode_reason", st.reason))
	}
	if st.errMsg != "" {
		fields = append(fields, zap.String("error", st.errMsg))
	}
	ce.Write(fields...)
	*fp = fields
}

func (p *Proxy) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, []byte(`{"status":"ok"}`))
}

// readyz answers 200 when Ready(30s), else 503 with the reason.
func (p *Proxy) readyz(w http.ResponseWriter, r *http.Request) {
	ok, why := p.Ready(30 * time.Second)
	status := http.StatusOK
	if !ok {
		status = http.StatusServiceUnavailable
	}
	body := []byte(`{"ready":` + map[bool]string{true: "true", false: "false"}[ok] + `,"reason":"` + why + `"}`)
	writeJSON(w, status, body)
}
