package proxy

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strconv"

	"github.com/tidwall/gjson"
	"github.com/tidwall/sjson"

	"github.com/extend-compat-proxy/extend-compat-proxy/rollout"
	"github.com/extend-compat-proxy/extend-compat-proxy/shadow"
	"github.com/extend-compat-proxy/extend-compat-proxy/translate"
)

// ModeDecider chooses translate, passthrough or shadow per legacy request and
// learns from translated outcomes (automatic fallback). *rollout.Controller implements it.
type ModeDecider interface {
	Decide(route, authorization, override string) rollout.Decision
	Observe(route string, d rollout.Decision, status int, translationFailed bool)
}

// ShadowRunner runs the other path in the background and compares. *shadow.Shadower implements it.
type ShadowRunner interface {
	// ShouldShadow says whether this request is shadowed (reads setting; write sampling and budget).
	ShouldShadow(route string) bool
	Submit(j shadow.Job) bool
}

// modeHeader lets operators force a mode when the rollout config enables it; never forwarded.
const modeHeader = "X-Extend-Compat-Mode"

// shadowTag marks runs created by a shadow write so they can be found and removed.
const shadowTag = "extend-compat-shadow"

// dispatch serves one legacy route in the mode the decider picks; without a
// decider every legacy request is translated.
func (p *Proxy) dispatch(route string, translated http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		override := r.Header.Get(modeHeader)
		r.Header.Del(modeHeader)
		if p.opt.Modes == nil {
			translated(w, r)
			return
		}
		d := p.opt.Modes.Decide(route, r.Header.Get("Authorization"), override)
		st := stateFrom(r.Context())
		st.tenant, st.reason = d.Tenant, d.Reason
		switch d.Mode {
		case rollout.Passthrough:
			st.mode = modePassthrough
			p.legacyPassthrough(w, r)
		case rollout.Shadow:
			st.mode = "shadow-" + string(d.Serve)
			p.shadowed(route, d, w, r, translated)
		default:
			p.observed(route, d, w, r, translated)
		}
	}
}

// observed runs the translate path and reports its outcome to the decider.
func (p *Proxy) observed(route string, d rollout.Decision, w http.ResponseWriter, r *http.Request, h http.HandlerFunc) {
	sw := &statusWriter{ResponseWriter: w}
	defer func() {
		// A panic is answered 500 by wrap; the decider counts it as such
		// (automatic fallback), then wrap gets the panic.
		if v := recover(); v != nil {
			p.opt.Modes.Observe(route, d, http.StatusInternalServerError, false)
			panic(v)
		}
	}()
	h(sw, r)
	if sw.status == 0 {
		sw.status = http.StatusOK
	}
	p.opt.Modes.Observe(route, d, sw.status, stateFrom(r.Context()).translationFailed)
}

// legacyPassthrough sends the legacy request unchanged, with its 2025-04-21
// header, to the legacy upstream.
func (p *Proxy) legacyPassthrough(w http.ResponseWriter, r *http.Request) {
	stateFrom(r.Context()).addUpstreamCall()
	if r.Header.Get("X-Extend-Api-Version") == "" {
		r.Header.Set("X-Extend-Api-Version", p.opt.DefaultVersion)
	}
	ctx, cancel := p.deadline(r)
	defer cancel()
	p.legacyProxy.ServeHTTP(w, r.WithContext(ctx))
}

func (p *Proxy) newLegacyPassthrough() *httputil.ReverseProxy {
	rp := p.newPassthrough()
	base := p.opt.LegacyUpstream
	inner := rp.Rewrite
	rp.Rewrite = func(pr *httputil.ProxyRequest) {
		inner(pr)
		pr.SetURL(base)
	}
	return rp
}

// capture tees what the served path writes, so the shadow can compare it.
type capture struct {
	http.ResponseWriter
	status int
	buf    bytes.Buffer
	limit  int
}

func (c *capture) WriteHeader(s int) {
	if c.status == 0 && s >= 200 { // a relayed 100 Continue is not the answer
		c.status = s
	}
	c.ResponseWriter.WriteHeader(s)
}

func (c *capture) Write(b []byte) (int, error) {
	if c.status == 0 {
		c.status = http.StatusOK
	}
	if c.buf.Len()+len(b) <= c.limit {
		c.buf.Write(b)
	}
	return c.ResponseWriter.Write(b)
}

// Flush keeps streamed passthrough answers flowing.
func (c *capture) Flush() {
	if f, ok := c.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// shadowed serves the client from d.Serve and, when the shadow budget allows,
// queues the other path on the same request for comparison. The client's
// answer never waits for the shadow and never depends on it.
func (p *Proxy) shadowed(route string, d rollout.Decision, w http.ResponseWriter, r *http.Request, translated http.HandlerFunc) {
	body, err := readBody(r)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	serve, other := http.HandlerFunc(p.legacyPassthrough), http.Handler(p.translateOnly)
	if d.Serve == rollout.Translate {
		serve, other = translated, http.HandlerFunc(p.legacyPassthrough)
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	c := &capture{ResponseWriter: w, limit: int(p.opt.MaxUpstreamBodyBytes)}
	if d.Serve == rollout.Translate {
		p.observed(route, d, c, r, serve)
	} else {
		serve(c, r)
	}
	if !p.shadowAllowed(route) {
		return
	}
	p.opt.Shadow.Submit(p.shadowJob(route, d, r, body, c, other))
}

func (p *Proxy) shadowAllowed(route string) bool {
	if p.opt.Shadow == nil {
		return false
	}
	switch route {
	case routeDelete, routeCancel, routeOutputs:
		// A second delete or cancel of the same run cannot answer the same, and the
		// removed endpoint has nothing to compare: never shadowed.
		return false
	}
	return p.opt.Shadow.ShouldShadow(route)
}

func (p *Proxy) shadowJob(route string, d rollout.Decision, r *http.Request, body []byte, c *capture, other http.Handler) shadow.Job {
	shadowBody := body
	if route == routeCreate || route == routeBatch {
		shadowBody = tagShadowWrite(route, body)
	}
	header := r.Header.Clone()
	method, url := r.Method, *r.URL
	served := c.status
	if served == 0 {
		served = http.StatusOK
	}
	job := shadow.Job{
		Route: route, Served: string(d.Serve), ServedStatus: served, ServedBody: c.buf.Bytes(),
		LossyPaths: translate.LossyPaths(route),
		Run: func(ctx context.Context) (int, []byte, error) {
			return p.runDetached(ctx, method, &url, header, shadowBody, other)
		},
	}
	if route == routeCreate || route == routeBatch {
		job.Cleanup = func(ctx context.Context, out []byte) { p.cleanupShadowWrite(ctx, header, out) }
		job.Ignore = separateCreateNoise
	}
	p.traceShadow(r, &job)
	return job
}

// runDetached runs handler on a copy of the request, into a recorder, with a
// state of its own so the shadow never shows in the client's access log line.
func (p *Proxy) runDetached(ctx context.Context, method string, u *url.URL, h http.Header, body []byte, handler http.Handler) (int, []byte, error) {
	st := &reqState{id: h.Get("X-Request-Id") + "-shadow", route: "shadow", mode: "shadow"}
	req, err := http.NewRequestWithContext(withState(ctx, st), method, u.String(), bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header = h.Clone()
	req.Header.Set("X-Request-Id", st.id)
	rec := &recorder{header: http.Header{}}
	handler.ServeHTTP(rec, req)
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	return rec.status, rec.buf.Bytes(), nil
}

// recorder is a minimal in-memory ResponseWriter for shadow runs.
type recorder struct {
	header http.Header
	status int
	buf    bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(s int) {
	if r.status == 0 {
		r.status = s
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.buf.Write(b)
}

// separateCreateNoise are the paths that differ by nature between the served
// create and the shadow's own, separate create: new ids, new timestamps, the
// generated names of raw-text files, the shadow tag, the batch id.
var separateCreateNoise = []string{
	"workflowRuns.#.id", "workflowRuns.#.files.#.id", "workflowRuns.#.files.#.name",
	"workflowRuns.#.files.#.createdAt", "workflowRuns.#.files.#.updatedAt",
	"workflowRuns.#.startTime", "workflowRuns.#.endTime", "workflowRuns.#.metadata." + shadowTag,
	"batchId",
}

// tagShadowWrite adds metadata[shadowTag]=true to a create (top level) or
// batch (every input) body, so shadow-created runs are recognisable.
func tagShadowWrite(route string, body []byte) []byte {
	if !gjson.ValidBytes(body) {
		return body
	}
	if route == routeCreate {
		out, err := sjson.SetBytes(body, "metadata."+shadowTag, true)
		if err != nil {
			return body
		}
		return out
	}
	out := body
	for i := range gjson.GetBytes(body, "inputs").Array() {
		if next, err := sjson.SetBytes(out, "inputs."+strconv.Itoa(i)+".metadata."+shadowTag, true); err == nil {
			out = next
		}
	}
	return out
}

// cleanupShadowWrite cancels and deletes the runs a shadow create or batch made.
func (p *Proxy) cleanupShadowWrite(ctx context.Context, h http.Header, legacyBody []byte) {
	ids := []string{}
	for _, id := range gjson.GetBytes(legacyBody, "workflowRuns.#.id").Array() {
		ids = append(ids, id.String())
	}
	if batch := gjson.GetBytes(legacyBody, "batchId").String(); batch != "" {
		ids = append(ids, p.batchRunIDs(ctx, h, batch)...)
	}
	ctx = withState(ctx, &reqState{id: h.Get("X-Request-Id") + "-shadow-cleanup"})
	p.compensate(ctx, h, ids)
}

// batchRunIDs lists every run of a batch (all pages) through the new API.
func (p *Proxy) batchRunIDs(ctx context.Context, h http.Header, batchID string) []string {
	var ids []string
	q := url.Values{"batchId": {batchID}, "maxPageSize": {"100"}}
	for page := 0; page < 20; page++ {
		resp, err := p.up.do(ctx, call{op: "shadow_cleanup_list", method: http.MethodGet, path: "/workflow_runs", query: q, header: h, idempotent: true})
		if err != nil || resp.Status != http.StatusOK {
			return ids
		}
		for _, id := range gjson.GetBytes(resp.Body, "data.#.id").Array() {
			ids = append(ids, id.String())
		}
		next := gjson.GetBytes(resp.Body, "nextPageToken").String()
		if next == "" {
			return ids
		}
		q.Set("nextPageToken", next)
	}
	return ids
}
