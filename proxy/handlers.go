package proxy

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"

	"github.com/gorilla/mux"
	"github.com/tidwall/gjson"

	"github.com/extend-compat-proxy/extend-compat-proxy/translate"
)

// readBody reads the (size-limited) client body.
func readBody(r *http.Request) ([]byte, error) {
	b, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	return b, nil
}

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
}

// exchange is the shape of every translated route but create: read the
// body, migrate the request along the path, make one upstream call, migrate
// the answer back, reply. c gives the method, upstream path and retry safety.
func (p *Proxy) exchange(w http.ResponseWriter, r *http.Request, route string, c call) {
	path := p.pathFor(r)
	tc := p.tcontext()
	defer p.noteReport(r, tc.Report)
	in := translate.Message{Query: r.URL.Query()}
	if !c.noBody {
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
	c.op, c.header, c.query = route, r.Header, out.Query
	if !c.noBody {
		c.body = out.Body()
	}
	if route == routeBatch {
		stateFrom(r.Context()).fanout = int(gjson.GetBytes(c.body, "inputs.#").Int())
	}
	ctx, cancel := p.deadline(r)
	defer cancel()
	body, err := p.send(ctx, c)
	if err == nil {
		var m translate.Message
		m, err = path.Response(route, tc, translate.One(body))
		body = m.Body()
	}
	if err != nil {
		p.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, body)
}

func (p *Proxy) list(w http.ResponseWriter, r *http.Request) {
	p.exchange(w, r, routeList, call{method: http.MethodGet, path: "/workflow_runs", idempotent: true, noBody: true})
}

func (p *Proxy) batch(w http.ResponseWriter, r *http.Request) {
	p.exchange(w, r, routeBatch, call{method: http.MethodPost, path: "/workflow_runs/batch"})
}

// onRun serves the routes on one run: get, update, delete and cancel. A
// call marked noBody sends no body upstream whatever the client sent.
func (p *Proxy) onRun(route, method, suffix string, base call) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c := base // per request: handlers run concurrently
		id, err := runID(r, "id")
		if err != nil {
			p.fail(w, r, err)
			return
		}
		c.method, c.path = method, runPath(id, suffix)
		p.exchange(w, r, route, c)
	}
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
		m, err = path.Response(routeGet, p.tcontext(), translate.One(body))
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
