package proxy

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/gorilla/mux"
	"github.com/tidwall/gjson"

	"github.com/extend-compat-proxy/extend-compat-proxy/translate"
)

// runID returns the decoded {id} path variable.
func runID(r *http.Request, name string) (string, error) {
	id, err := url.PathUnescape(mux.Vars(r)[name])
	if err != nil || id == "" {
		return "", errorf(http.StatusBadRequest, "invalid %s in the path", name)
	}
	return id, nil
}

// runPath re-encodes a run id for the upstream path.
func runPath(id string, suffix string) string {
	return "/workflow_runs/" + url.PathEscape(id) + suffix
}

// send performs c; non-2xx answers become *upstreamStatus errors.
func (p *Proxy) send(ctx context.Context, c call) ([]byte, error) {
	resp, err := p.up.do(ctx, c)
	if err != nil {
		return nil, err
	}
	if resp.Status < 200 || resp.Status > 299 {
		return nil, &upstreamStatus{resp: resp}
	}
	return resp.Body, nil
}

// deadline applies the per-request timeout.
func (p *Proxy) deadline(r *http.Request) (context.Context, context.CancelFunc) {
	return context.WithTimeout(r.Context(), p.opt.RequestTimeout)
}

// tcontext is the translation context of one request.
func (p *Proxy) tcontext() *translate.Context {
	return &translate.Context{Options: p.opt.Translate, Report: &translate.Report{}, Now: p.opt.Now()}
}

// noteReport puts what the translation dropped or made up into the access
// log line and the metrics.
func (p *Proxy) noteReport(r *http.Request, rep *translate.Report) {
	st := stateFrom(r.Context())
	st.note(rep)
	p.metrics.countReport(st.route, rep)
	p.traceReport(r, rep)
}

// exchangeRoute serves a route with one upstream call: read the body,
// migrate the request along the path, call the upstream method and path
// (the route's {variables} re-encoded), migrate the answer back, reply.
func (p *Proxy) exchangeRoute(route string) http.HandlerFunc { return p.exchange(route, nil) }

// exchange is exchangeRoute with an optional step between the upstream
// answer and its translation (polling a synchronous parse until it settles).
func (p *Proxy) exchange(route string, settle func(ctx context.Context, h http.Header, body []byte) ([]byte, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		path := p.pathFor(r)
		e, method, tmpl, ok := path.Endpoint(route)
		if !ok {
			p.fail(w, r, errorf(http.StatusNotImplemented, "%s is not translated for API version %s", route, p.clientVersion(r)))
			return
		}
		vars, err := routeVars(r)
		if err != nil {
			p.fail(w, r, err)
			return
		}
		tc := p.tcontext()
		tc.Vars = vars
		defer p.noteReport(r, tc.Report)
		defer tc.Release() // the answer's buffer, once it is written
		in := translate.Message{Query: queryOf(r)}
		if r.Method != http.MethodGet && r.Method != http.MethodDelete {
			raw, err := readBody(r)
			if err != nil {
				p.fail(w, r, err)
				return
			}
			in.Bodies = [][]byte{raw}
		}
		out, err := path.Request(route, tc, in)
		if err != nil {
			p.fail(w, r, err)
			return
		}
		if vars == nil && (len(out.Vars) > 0 || e.Lookup != nil) { // a route without variables of its own
			vars = make(map[string]string, len(out.Vars))
			tc.Vars = vars
		}
		for k, v := range out.Vars {
			vars[k] = v
		}
		ctx, cancel := p.deadline(r)
		defer cancel()
		if lk := e.Lookup; lk != nil && vars[lk.Var] == "" {
			if vars[lk.Var], err = p.findParent(ctx, r.Header, lk, vars[lk.Key]); err != nil {
				p.fail(w, r, err)
				return
			}
		}
		c := call{op: route, method: method, path: fillPath(tmpl, vars), query: out.Query, header: r.Header,
			idempotent: method == http.MethodGet}
		if b := out.Body(); len(b) > 0 && method != http.MethodGet && method != http.MethodDelete {
			c.body = b
		}
		if tc.Fanout > 0 {
			stateFrom(r.Context()).fanout = tc.Fanout
		}
		answer, err := p.send(ctx, c)
		if err == nil && settle != nil {
			answer, err = settle(ctx, r.Header, answer)
		}
		bodies := [][]byte{answer}
		if err == nil && e.Expand != nil && (e.Expand.Skip == nil || !e.Expand.Skip(p.opt.Translate)) {
			bodies, err = p.expand(ctx, r.Header, e.Expand, vars, answer)
		}
		var m translate.Message
		if err == nil {
			m, err = path.Response(route, tc, translate.Message{Bodies: bodies})
		}
		if err != nil {
			p.fail(w, r, err)
			return
		}
		for child, parent := range tc.Parents {
			p.parents.add(child, parent)
		}
		writeJSON(w, http.StatusOK, m.Body())
		for _, b := range bodies {
			recycleBody(b) // written: no translation output aliases an upstream body any more
		}
	}
}

// queryOf is the request's query, nil when it has none (url.URL.Query
// makes a map even then).
func queryOf(r *http.Request) url.Values {
	if r.URL.RawQuery == "" {
		return nil
	}
	return r.URL.Query()
}

// routeVars decodes the route's path variables (nil for a route without
// any). When none is escaped, which is the usual case, the decoded map is
// the router's own for this request, as it is: no map is made per request,
// and calling routeVars again returns the same.
func routeVars(r *http.Request) (map[string]string, error) {
	raw := mux.Vars(r)
	for k, v := range raw {
		if v == "" {
			return nil, errorf(http.StatusBadRequest, "invalid %s in the path", k)
		}
		if strings.IndexByte(v, '%') >= 0 {
			return decodeVars(raw)
		}
	}
	return raw, nil
}

// decodeVars is routeVars for variables with escapes: a decoded copy.
func decodeVars(raw map[string]string) (map[string]string, error) {
	vars := make(map[string]string, len(raw))
	for k, v := range raw {
		d, err := url.PathUnescape(v)
		if err != nil || d == "" {
			return nil, errorf(http.StatusBadRequest, "invalid %s in the path", k)
		}
		vars[k] = d
	}
	return vars, nil
}

// upstreamCall builds the upstream call of a route: its method, and its path
// with every {variable} of the request's route re-escaped as one path
// segment. GETs may be retried.
func upstreamCall(path translate.Path, route string, r *http.Request) (call, error) {
	_, method, tmpl, ok := path.Endpoint(route)
	if !ok {
		return call{}, errorf(http.StatusNotImplemented, "%s is not translated for this API version", route)
	}
	vars, err := routeVars(r)
	if err != nil {
		return call{}, err
	}
	return call{op: route, method: method, path: fillPath(tmpl, vars), header: r.Header, idempotent: method == http.MethodGet}, nil
}

// correctOutputs answers the removed endpoint (mapping §3.5): 401 without
// credentials, 400 without reviewedOutput, 404 for an unknown run or output,
// otherwise 410 Gone — never a fake 200 and never a retryable 5xx. The
// request transform validates and returns the removal (*translate.RemovedError).
func (p *Proxy) correctOutputs(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") == "" {
		p.fail(w, r, errorf(http.StatusUnauthorized, "missing Authorization header"))
		return
	}
	raw, err := readBody(r)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	path := p.pathFor(r)
	_, removed := path.Request(routeOutputs, p.tcontext(), translate.One(raw))
	if removed == nil {
		removed = errorf(http.StatusNotImplemented, "this endpoint is not available for API version %s", p.clientVersion(r))
	}
	var re *translate.RequestError
	if errors.As(removed, &re) {
		p.fail(w, r, removed)
		return
	}
	id, err := runID(r, "id")
	outputID, err2 := runID(r, "outputId")
	if err != nil || err2 != nil {
		p.fail(w, r, errorf(http.StatusBadRequest, "invalid path parameters"))
		return
	}
	ctx, cancel := p.deadline(r)
	defer cancel()
	body, err := p.send(ctx, call{op: routeGet, method: http.MethodGet, path: runPath(id, ""), header: r.Header, idempotent: true})
	if err == nil {
		var m translate.Message
		tc := p.tcontext()
		defer tc.Release()
		m, err = path.Response(routeGet, tc, translate.One(body))
		body = m.Body()
	}
	if err != nil {
		p.fail(w, r, err)
		return
	}
	if !outputExists(body, outputID) {
		p.fail(w, r, errorf(http.StatusNotFound, "Output %s not found on workflow run %s", outputID, id))
		return
	}
	p.fail(w, r, removed)
}

func outputExists(legacyRun []byte, id string) bool {
	found := false
	gjson.GetBytes(legacyRun, "workflowRun.outputs.#.id").ForEach(func(_, v gjson.Result) bool {
		found = v.String() == id
		return !found
	})
	return found
}
