package proxy

import (
	"context"
	"io"
	"net/http"
	"net/url"

	"github.com/gorilla/mux"
	"github.com/tidwall/gjson"

	"github.com/extend-compat-proxy/extend-compat-proxy/translate"
)

// removedOutputsMessage tells a legacy caller plainly that correcting outputs is gone (mapping §3.5).
const removedOutputsMessage = "POST /workflow_runs/{workflowRunId}/outputs/{outputId} is not available: it was " +
	"removed in Extend API version 2026-02-09. Submit corrections through human review in the Extend dashboard."

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
		return "", &httpError{status: http.StatusBadRequest, msg: "invalid " + name + " in the path"}
	}
	return id, nil
}

// runPath re-encodes a run id for the upstream path.
func runPath(id string, suffix string) string {
	return "/workflow_runs/" + url.PathEscape(id) + suffix
}

// send performs c for the client request r; non-2xx answers become *upstreamStatus errors.
func (p *Proxy) send(ctx context.Context, r *http.Request, c call) ([]byte, error) {
	c.header = r.Header
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

// reply writes a legacy success body, or funnels err.
func (p *Proxy) reply(w http.ResponseWriter, r *http.Request, body []byte, err error) {
	if err != nil {
		p.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, body)
}

// runContext builds a RunContext that reports into the request's state.
func (p *Proxy) runContext(rep *translate.Report) translate.RunContext {
	return translate.RunContext{Now: p.opt.Now(), Report: rep}
}

func (p *Proxy) noteReport(r *http.Request, rep *translate.Report) {
	stateFrom(r.Context()).note(rep.Unmapped, rep.Synthesized)
	p.metrics.countReport(stateFrom(r.Context()).route, rep)
}

func (p *Proxy) list(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := p.deadline(r)
	defer cancel()
	rep := &translate.Report{}
	defer p.noteReport(r, rep)
	raw, err := p.send(ctx, r, call{op: routeList, method: http.MethodGet, path: "/workflow_runs",
		query: translate.ListQuery(r.URL.Query()), idempotent: true})
	var body []byte
	if err == nil {
		body, err = translate.ListResponse(raw, p.opt.Translate, rep)
		recycleBody(raw)
	}
	p.reply(w, r, body, err)
}

func (p *Proxy) get(w http.ResponseWriter, r *http.Request) {
	p.runCall(w, r, call{op: routeGet, method: http.MethodGet, idempotent: true}, "", nil)
}

func (p *Proxy) cancel(w http.ResponseWriter, r *http.Request) {
	p.runCall(w, r, call{op: routeCancel, method: http.MethodPost}, "/cancel", nil)
}

func (p *Proxy) update(w http.ResponseWriter, r *http.Request) {
	raw, err := readBody(r)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	rep := &translate.Report{}
	body, name, err := translate.UpdateRequest(raw, rep)
	p.noteReport(r, rep)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	p.runCall(w, r, call{op: routeUpdate, method: http.MethodPost, body: body}, "", name)
}

// runCall serves get, update and cancel: one upstream call answered with a WorkflowRun.
func (p *Proxy) runCall(w http.ResponseWriter, r *http.Request, c call, suffix string, name *string) {
	id, err := runID(r, "id")
	if err != nil {
		p.fail(w, r, err)
		return
	}
	ctx, cancel := p.deadline(r)
	defer cancel()
	c.path = runPath(id, suffix)
	rep := &translate.Report{}
	defer p.noteReport(r, rep)
	raw, err := p.send(ctx, r, c)
	var body []byte
	if err == nil {
		rc := p.runContext(rep)
		rc.Name = name
		body, err = translate.RunResponse(raw, rc, p.opt.Translate)
		recycleBody(raw)
	}
	p.reply(w, r, body, err)
}

func (p *Proxy) delete(w http.ResponseWriter, r *http.Request) {
	id, err := runID(r, "id")
	if err != nil {
		p.fail(w, r, err)
		return
	}
	ctx, cancel := p.deadline(r)
	defer cancel()
	body, err := p.send(ctx, r, call{op: routeDelete, method: http.MethodDelete, path: runPath(id, "")})
	if err == nil {
		body, err = translate.DeleteResponse(body)
	}
	p.reply(w, r, body, err)
}

func (p *Proxy) batch(w http.ResponseWriter, r *http.Request) {
	raw, err := readBody(r)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	rep := &translate.Report{}
	defer p.noteReport(r, rep)
	req, err := translate.BatchRequest(raw, p.opt.Translate, rep)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	stateFrom(r.Context()).fanout = int(gjson.GetBytes(req, "inputs.#").Int())
	ctx, cancel := p.deadline(r)
	defer cancel()
	body, err := p.send(ctx, r, call{op: routeBatch, method: http.MethodPost, path: "/workflow_runs/batch", body: req})
	if err == nil {
		body, err = translate.BatchResponse(body)
	}
	p.reply(w, r, body, err)
}

// correctOutputs answers the removed endpoint (mapping §3.5): 401 without
// credentials, 400 without reviewedOutput, 404 for an unknown run or output,
// otherwise 410 Gone — never a fake 200 and never a retryable 5xx.
func (p *Proxy) correctOutputs(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") == "" {
		p.fail(w, r, &httpError{status: http.StatusUnauthorized, msg: "missing Authorization header"})
		return
	}
	raw, err := readBody(r)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	if !gjson.ValidBytes(raw) || !gjson.GetBytes(raw, "reviewedOutput").IsObject() {
		p.fail(w, r, &httpError{status: http.StatusBadRequest, msg: "reviewedOutput is required and must be an object"})
		return
	}
	id, err := runID(r, "id")
	outputID, err2 := runID(r, "outputId")
	if err != nil || err2 != nil {
		p.fail(w, r, &httpError{status: http.StatusBadRequest, msg: "invalid path parameters"})
		return
	}
	ctx, cancel := p.deadline(r)
	defer cancel()
	body, err := p.send(ctx, r, call{op: routeGet, method: http.MethodGet, path: runPath(id, ""), idempotent: true})
	if err == nil {
		body, err = translate.RunResponse(body, p.runContext(nil), p.opt.Translate)
	}
	if err != nil {
		p.fail(w, r, err)
		return
	}
	if !outputExists(body, outputID) {
		p.fail(w, r, &httpError{status: http.StatusNotFound, msg: "Output " + outputID + " not found on workflow run " + id})
		return
	}
	p.fail(w, r, &httpError{status: http.StatusGone, msg: removedOutputsMessage})
}

func outputExists(legacyRun []byte, id string) bool {
	found := false
	gjson.GetBytes(legacyRun, "workflowRun.outputs.#.id").ForEach(func(_, v gjson.Result) bool {
		found = v.String() == id
		return !found
	})
	return found
}
