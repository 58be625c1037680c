package proxy

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gorilla/mux"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/extend-compat-proxy/extend-compat-proxy/translate"
)

// Route names used in logs and metrics; translated routes are named by the registry.
const (
	routeCreate  = translate.RouteCreate
	routeList    = translate.RouteList
	routeGet     = translate.RouteGet
	routeUpdate  = translate.RouteUpdate
	routeDelete  = translate.RouteDelete
	routeCancel  = translate.RouteCancel
	routeBatch   = translate.RouteBatch
	routeOutputs = translate.RouteCorrectOutputs
	routeOther   = "other"
	routeHealth  = "health"
)

// routes builds the router: health endpoints, then every translated route
// the registry knows (matched only for callers whose version has a
// translation path to the upstream's), then passthrough for everything else.
// Static paths are registered before templated ones (Path.Routes), so
// POST /workflow_runs/batch is matched before /workflow_runs/{id}.
func (p *Proxy) routes() *mux.Router {
	r := mux.NewRouter()
	r.UseEncodedPath()
	r.SkipClean(true)
	r.Handle("/healthz", p.wrap(routeHealth, modeLocal, http.HandlerFunc(p.healthz))).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/readyz", p.wrap(routeHealth, modeLocal, http.HandlerFunc(p.readyz))).Methods(http.MethodGet, http.MethodHead)

	legacy := r.MatcherFunc(p.translates).Subrouter()
	p.translateOnly = mux.NewRouter()
	p.translateOnly.UseEncodedPath()
	p.translateOnly.SkipClean(true)
	seen := map[string]bool{}
	// One router per first path segment: a request is matched against the
	// few patterns of its resource, not all of the registry's, and its
	// segment is looked up once instead of tried against every resource.
	bySeg := map[string]*mux.Router{}
	legacy.MatcherFunc(func(r *http.Request, m *mux.RouteMatch) bool {
		sub := bySeg[firstSegment(r.URL.EscapedPath())]
		return sub != nil && sub.Match(r, m)
	})
	for _, s := range p.opt.Registry.Steps() {
		for _, rt := range (translate.Path{s}).Routes() {
			if key := rt.Method + " " + rt.Path; !seen[key] {
				seen[key] = true
				seg := firstSegment(rt.Path)
				sub := bySeg[seg]
				if sub == nil {
					sub = mux.NewRouter()
					sub.UseEncodedPath()
					sub.SkipClean(true)
					bySeg[seg] = sub
				}
				h, mode := p.handlerFor(rt)
				// The same route with a trailing slash is the same route: passed
				// through, a legacy caller would get a 2026-02-09 answer.
				for _, path := range []string{rt.Path, rt.Path + "/"} {
					sub.Handle(path, p.wrap(rt.Name, mode, p.dispatch(rt.Name, h))).Methods(rt.Method)
					p.translateOnly.Handle(path, h).Methods(rt.Method)
				}
			}
		}
	}
	// A legacy path with an empty or dot segment names no legacy endpoint;
	// passed through, the upstream would answer with a redirect.
	legacy.MatcherFunc(uncleanPath).Handler(p.wrap(routeOther, modeLocal, http.HandlerFunc(p.notFound)))
	r.MatcherFunc(p.isHidden).Handler(p.wrap(routeOther, modeLocal, http.HandlerFunc(p.notFound)))
	r.PathPrefix("/").Handler(p.wrap(routeOther, modePassthrough, http.HandlerFunc(p.passthrough)))
	return r
}

// handlerFor picks how a translated route is served.
func (p *Proxy) handlerFor(rt translate.Route) (http.HandlerFunc, string) {
	switch rt.Serve {
	case translate.ServeFanOut:
		return p.create, modeTranslate
	case translate.ServeRemoved:
		return p.correctOutputs, modeLocal
	case translate.ServeStream:
		return p.stream(rt.Name), modeTranslate
	case translate.ServePoll:
		return p.exchange(rt.Name, p.poller(rt.Endpoint)), modeTranslate
	}
	return p.exchangeRoute(rt.Name), modeTranslate
}

// clientVersion is the API version the caller speaks: its
// x-extend-api-version header, or DefaultVersion without one.
func (p *Proxy) clientVersion(r *http.Request) string {
	if v := r.Header.Get("X-Extend-Api-Version"); v != "" {
		return v
	}
	return p.opt.DefaultVersion
}

// pathFor is the translation path from the caller's version to the
// upstream's; empty (passthrough) when they are the same or no path exists.
// Paths are resolved once, in New, for every version the registry knows.
func (p *Proxy) pathFor(r *http.Request) translate.Path { return p.paths[p.clientVersion(r)] }

// translates matches the requests that have a translation path; within,
// one subrouter per first path segment keeps a request to its resource's
// few patterns, and an unclean path of any segment gets a legacy 404.
func (p *Proxy) translates(r *http.Request, _ *mux.RouteMatch) bool { return len(p.pathFor(r)) > 0 }

// firstSegment is the first segment of a path: "files" of "/files/{id}".
func firstSegment(path string) string {
	seg := strings.TrimPrefix(path, "/")
	if i := strings.IndexByte(seg, '/'); i >= 0 {
		seg = seg[:i]
	}
	return seg
}

// resolvePaths fills p.paths (client version → path).
func (p *Proxy) resolvePaths() {
	p.paths = map[string]translate.Path{}
	for _, v := range p.opt.Registry.Versions() {
		if path, err := p.opt.Registry.Path(v, p.opt.UpstreamVersion); err == nil && len(path) > 0 {
			p.paths[v] = path
		}
	}
}

// statusWriter records the status and size written.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(s int) {
	// 1xx answers (100 Continue relayed by passthrough) are not the final status.
	if w.status == 0 && s >= 200 {
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
		r = p.traceRequest(r, st)
		st.body = &clientBody{ReadCloser: http.MaxBytesReader(w, r.Body, p.opt.MaxBodyBytes)}
		r.Body = st.body
		sw := &statusWriter{ResponseWriter: w}
		p.metrics.inFlight.Inc()
		defer p.metrics.inFlight.Dec()
		if !p.refusedAtTheEdge(sw, r) {
			if abort := p.serveRecovering(h, sw, r, st); abort != nil {
				// The answer had started, or the handler aborted it on
				// purpose: net/http must drop the connection, after the
				// access log line and metrics below.
				defer panic(abort)
			}
		}
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		p.endRequestSpan(r, st, sw.status)
		p.finish(r, st, sw, time.Since(start))
	})
}

// errPanicked is the cause recorded for a request whose handler panicked.
var errPanicked = errors.New("internal error: the request handler panicked")

// serveRecovering runs h and turns a panic into an answer instead of a
// dropped connection with no log line: logged with its stack, counted, and
// answered as a 500 in the client's error shape when nothing was written
// yet. It returns the value to panic with again (http.ErrAbortHandler) when
// the answer had already started, or when h aborted on purpose (httputil's
// ReverseProxy does when an upstream body breaks mid-copy): the client must
// see a broken answer, never one that looks complete.
func (p *Proxy) serveRecovering(h http.Handler, sw *statusWriter, r *http.Request, st *reqState) (abort any) {
	defer func() {
		v := recover()
		if v == nil {
			return
		}
		if v == http.ErrAbortHandler {
			if sw.status == 0 {
				sw.status = http.StatusBadGateway
			}
			if st.errMsg == "" { // create records its own cause before aborting
				st.errMsg = "answer aborted after it had started (an upstream body broke off)"
			}
			abort = v
			return
		}
		p.notePanic(st, "handler", v)
		if sw.status != 0 {
			st.errMsg = errPanicked.Error() + " after the answer had started"
			abort = http.ErrAbortHandler
			return
		}
		p.fail(sw, r, panicError(st))
	}()
	h.ServeHTTP(sw, r)
	return nil
}

// notePanic logs a recovered panic of the request st with its stack and
// counts it. where names the code it came from: the handler, or one of the
// goroutines a request starts (fan-out creates, rollback deletes, list
// reads), where a panic would otherwise end the process for every client.
func (p *Proxy) notePanic(st *reqState, where string, v any) {
	p.metrics.panics.WithLabelValues(st.route).Inc()
	p.log.Error("panic recovered", zap.String("request_id", st.id), zap.String("route", st.route),
		zap.String("in", where), zap.String("panic", fmt.Sprint(v)), zap.Stack("stack"))
}

// recovered is deferred by the goroutines a request starts (fan-out creates,
// rollback deletes, list reads): net/http guards only the handler's own
// goroutine, so a panic there would end the process for every client. It
// logs and counts the panic and hands the request's answer to failed, for
// the goroutine to record as its own failure.
func (p *Proxy) recovered(ctx context.Context, where string, failed func(*Error)) {
	if v := recover(); v != nil {
		st := stateFrom(ctx)
		p.notePanic(st, where, v)
		failed(panicError(st))
	}
}

// panicError is the answer to a request a panic cut short.
func panicError(st *reqState) *Error {
	return &Error{Status: http.StatusInternalServerError, Cause: errPanicked,
		Message: "the proxy failed on this request (a bug; logged under request id " + st.id + ")"}
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
	if len(st.unknown) > 0 {
		fields = append(fields, zap.Strings("unknown_fields", st.unknown))
	}
	if st.omittedFields > 0 {
		fields = append(fields, zap.Int("fields_omitted", st.omittedFields))
	}
	st.mu.Unlock()
	if st.tenant != "" {
		fields = append(fields, zap.String("tenant", st.tenant), zap.String("mode_reason", st.reason))
	}
	if st.errMsg != "" {
		fields = append(fields, zap.String("error", st.errMsg))
	}
	if id := p.traceID(r); id != "" {
		fields = append(fields, zap.String("trace_id", id))
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
