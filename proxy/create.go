package proxy

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/tidwall/gjson"
	"go.uber.org/zap"

	"github.com/extend-compat-proxy/extend-compat-proxy/translate"
)

// createResult is the outcome of one fanned-out upstream create.
type createResult struct {
	body    []byte // the new WorkflowRun on success
	runID   string // set whenever a run is known to exist
	err     error  // set on failure
	unknown bool   // the request may have created a run we cannot see
	skipped bool   // never sent because an earlier input failed
}

// create serves legacy POST /workflow_runs: validate everything locally, fan
// out one upstream create per input (bounded), answer in input order, and on
// any failure roll back every run already created (mapping §3.1.4–§3.1.5).
func (p *Proxy) create(w http.ResponseWriter, r *http.Request) {
	received := p.opt.Now()
	raw, err := readBody(r)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	path := p.pathFor(r)
	tc := p.tcontext()
	tc.ReceivedAt = received
	defer p.noteReport(r, tc.Report)
	defer tc.Release() // the answer's buffer, once it is written
	out, err := path.Request(routeCreate, tc, translate.Message{Bodies: [][]byte{raw}, Query: queryOf(r)})
	if err != nil {
		p.fail(w, r, err)
		return
	}
	reqs := out.Bodies
	st := stateFrom(r.Context())
	st.fanout = len(reqs)
	p.metrics.fanoutSize.Observe(float64(len(reqs)))
	ctx, cancel := p.deadline(r)
	defer cancel()
	results := p.fanOut(ctx, r.Header, reqs)
	defer func() {
		// From here on runs exist: a panic (translating their answer, say)
		// must not leave them behind. The runs are rolled back and the
		// answer says what could not be, as for any other failure.
		if v := recover(); v != nil {
			p.notePanic(st, "create answer", v)
			err := p.rollback(ctx, r.Header, results, panicError(st))
			if sw, ok := w.(*statusWriter); ok && sw.status != 0 {
				st.errMsg = errPanicked.Error() + " after the answer had started"
				panic(http.ErrAbortHandler) // the answer had started: cut it off
			}
			p.fail(w, r, err)
		}
	}()
	runs, failErr := collect(ctx, results)
	if failErr == nil && ctx.Err() != nil {
		// The client left (or the deadline passed) while the creates ran: it
		// will never see these runs, and will likely retry, so roll them back.
		failErr = ctx.Err()
	}
	var answer translate.Message
	if failErr == nil {
		answer, failErr = path.Response(routeCreate, tc, translate.Message{Bodies: runs})
	}
	if failErr != nil {
		p.fail(w, r, p.rollback(ctx, r.Header, results, failErr))
		return
	}
	writeJSON(w, http.StatusOK, answer.Body())
}

// fanOut runs the creates with at most FanOutConcurrency in flight. After the
// first failure (or the client leaving) no new create starts; creates already
// sent are allowed to finish, detached from the client, so that every run that
// exists is known and can be rolled back.
func (p *Proxy) fanOut(ctx context.Context, h http.Header, reqs [][]byte) []createResult {
	results := make([]createResult, len(reqs))
	sendCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), p.opt.RequestTimeout)
	defer cancel()
	sem := make(chan struct{}, p.opt.FanOutConcurrency)
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		failed bool
	)
	for i, body := range reqs {
		sem <- struct{}{}
		mu.Lock()
		stop := failed || ctx.Err() != nil
		mu.Unlock()
		if stop {
			<-sem
			results[i].skipped = true
			continue
		}
		wg.Add(1)
		go func(i int, body []byte) {
			defer wg.Done()
			defer func() { <-sem }()
			res := p.createOneSafely(sendCtx, h, body)
			results[i] = res
			if res.err != nil {
				mu.Lock()
				failed = true
				mu.Unlock()
			}
		}(i, body)
	}
	wg.Wait()
	return results
}

// createOneSafely is createOne in a fan-out goroutine, where a panic (a bug,
// or one in a custom Transport) would end the process: it becomes a failure
// whose outcome is unknown, since the run may exist, so the rollback deletes
// every run it can name and the answer reports this input as possibly created.
func (p *Proxy) createOneSafely(ctx context.Context, h http.Header, body []byte) (res createResult) {
	defer p.recovered(ctx, "fan-out create", func(e *Error) { res = createResult{err: e, unknown: true} })
	return p.createOne(ctx, h, body)
}

func (p *Proxy) createOne(ctx context.Context, h http.Header, body []byte) createResult {
	resp, err := p.up.do(ctx, call{op: routeCreate, method: http.MethodPost, path: "/workflow_runs", body: body, header: h})
	if err != nil {
		var ue *upstreamErr
		return createResult{err: err, unknown: errors.As(err, &ue) && ue.sent}
	}
	if resp.Status < 200 || resp.Status > 299 {
		return createResult{err: &upstreamStatus{resp: resp}}
	}
	id := gjson.GetBytes(resp.Body, "id")
	if id.Type != gjson.String || id.String() == "" {
		// A 2xx without a run id: a run may exist that we cannot name.
		return createResult{err: fmt.Errorf("create answer without a run id: %w", translate.ErrInvalidResponse), unknown: true}
	}
	return createResult{body: resp.Body, runID: id.String()}
}

// collect returns the runs in input order, or the first failure in input order.
func collect(ctx context.Context, results []createResult) ([][]byte, error) {
	runs := make([][]byte, 0, len(results))
	var skipped bool
	for _, res := range results {
		switch {
		case res.err != nil:
			return nil, res.err
		case res.skipped:
			skipped = true
		default:
			runs = append(runs, res.body)
		}
	}
	if skipped {
		// Only the client leaving or the request deadline skips inputs without an error.
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		return nil, context.Canceled
	}
	return runs, nil
}

// rollback cancels and deletes every run created for this request and decides
// the answer: the original error when nothing is left behind; otherwise a
// non-retryable answer naming what is left, so the legacy client's automatic
// retries cannot create duplicates.
func (p *Proxy) rollback(ctx context.Context, h http.Header, results []createResult, cause error) error {
	var created []string
	var unknown []string
	for i, res := range results {
		if res.runID != "" {
			created = append(created, res.runID)
		}
		if res.unknown {
			unknown = append(unknown, fmt.Sprintf("input %d", i))
		}
	}
	left := p.compensate(ctx, h, created)
	if len(left) == 0 && len(unknown) == 0 {
		return cause
	}
	detail := describeLeftovers(left, unknown)
	if retryableCause(ctx, cause) {
		return &Error{Status: http.StatusConflict, Cause: cause,
			Message: "workflow run creation failed (" + causeMessage(ctx, cause) + ") and could not be fully rolled back; " +
				"do not retry blindly: " + detail}
	}
	var us *upstreamStatus
	if errors.As(cause, &us) {
		us.suffix = " (" + detail + ")"
	}
	return cause
}

func describeLeftovers(left, unknown []string) string {
	var parts []string
	if len(left) > 0 {
		parts = append(parts, "partially created runs: "+strings.Join(left, ", "))
	}
	if len(unknown) > 0 {
		parts = append(parts, "outcome unknown for "+strings.Join(unknown, ", "))
	}
	return strings.Join(parts, "; ")
}

// retryableCause reports whether the legacy SDK would retry the answer for cause (408, 429, 5xx).
func retryableCause(ctx context.Context, cause error) bool {
	var us *upstreamStatus
	if errors.As(cause, &us) {
		return retryableStatus(us.resp.Status)
	}
	var re *translate.RequestError
	return !errors.As(cause, &re)
}

// causeMessage is the message the client would have seen for cause.
func causeMessage(ctx context.Context, cause error) string {
	return classify(ctx, cause).Message
}

// compensate cancels then deletes each run (bounded concurrency, detached from
// the client) and returns the ids it could not delete.
func (p *Proxy) compensate(ctx context.Context, h http.Header, ids []string) []string {
	if len(ids) == 0 {
		return nil
	}
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), p.opt.CompensationTimeout)
	defer cancel()
	cctx, span := p.startRollback(cctx, len(ids))
	left := make([]bool, len(ids))
	sem := make(chan struct{}, p.opt.FanOutConcurrency)
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Add(1)
		sem <- struct{}{}
		go func(i int, id string) {
			defer wg.Done()
			defer func() { <-sem }()
			left[i] = !p.removeRunSafely(cctx, h, id)
		}(i, id)
	}
	wg.Wait()
	var out []string
	for i, l := range left {
		if l {
			out = append(out, ids[i])
		}
	}
	endRollback(span, len(out))
	return out
}

// removeRunSafely is removeRun in a rollback goroutine: a panic there
// counts as a run left behind, reported to the client, not a process ended.
func (p *Proxy) removeRunSafely(ctx context.Context, h http.Header, id string) (removed bool) {
	defer p.recovered(ctx, "rollback delete", func(*Error) { removed = false })
	return p.removeRun(ctx, h, id)
}

// removeRun cancels (failures tolerated: the run may have finished) and deletes one run.
func (p *Proxy) removeRun(ctx context.Context, h http.Header, id string) bool {
	reqID := stateFrom(ctx).id
	cresp, cerr := p.up.do(ctx, call{op: "compensate_cancel", method: http.MethodPost, path: runPath(id, "/cancel"), header: h})
	dresp, derr := p.up.do(ctx, call{op: "compensate_delete", method: http.MethodDelete, path: runPath(id, ""),
		header: h, idempotent: true})
	ok := derr == nil && (dresp.Status/100 == 2 || dresp.Status == http.StatusNotFound)
	outcome := "deleted"
	if !ok {
		outcome = "failed"
	}
	p.metrics.compensations.WithLabelValues(outcome).Inc()
	p.log.Warn("compensation", zap.String("request_id", reqID), zap.String("run_id", id), zap.String("outcome", outcome),
		zap.Int("cancel_status", statusOf(cresp)), zap.Error(cerr), zap.Int("delete_status", statusOf(dresp)), zap.NamedError("delete_error", derr))
	return ok
}

func statusOf(r *upstreamResponse) int {
	if r == nil {
		return 0
	}
	return r.Status
}
