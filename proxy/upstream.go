package proxy

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/extend-compat-proxy/extend-compat-proxy/tracing"
)

// TransportOptions tune the upstream connection pool.
type TransportOptions struct {
	DialTimeout           time.Duration // 0 means 5s
	ResponseHeaderTimeout time.Duration // 0 means 30s
	MaxIdleConnsPerHost   int           // 0 means 64
	// ReadBufferSize is each upstream connection's read buffer; 0 means
	// 32 KiB. Go's 4 KiB default splits a 20 KB answer into two reads and,
	// once the proxy's own headers shift it off the client connection's
	// 4 KiB buffer, three writes: 8% of a passthrough request's CPU.
	ReadBufferSize int
}

// NewTransport returns an upstream transport with a pool sized for fan-out
// and a response-header timeout, so a stalled upstream cannot hold a request forever.
func NewTransport(o TransportOptions) *http.Transport {
	setDefault(&o.DialTimeout, 5*time.Second)
	setDefault(&o.ResponseHeaderTimeout, 30*time.Second)
	setDefault(&o.MaxIdleConnsPerHost, 64)
	setDefault(&o.ReadBufferSize, 32<<10)
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: o.DialTimeout, KeepAlive: 30 * time.Second}).DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          256,
		MaxIdleConnsPerHost:   o.MaxIdleConnsPerHost,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
		ResponseHeaderTimeout: o.ResponseHeaderTimeout,
		ReadBufferSize:        o.ReadBufferSize,
	}
}

// RetryPolicy governs retries of safe upstream calls: GETs, and any call that
// failed before its request was written. Creates are never retried blindly.
type RetryPolicy struct {
	MaxAttempts int           // total attempts; 0 means 3
	BaseDelay   time.Duration // 0 means 100ms; doubled per attempt with jitter
	MaxDelay    time.Duration // cap per wait, Retry-After included; 0 means 2s
}

func (r RetryPolicy) withDefaults() RetryPolicy {
	setDefault(&r.MaxAttempts, 3)
	setDefault(&r.BaseDelay, 100*time.Millisecond)
	setDefault(&r.MaxDelay, 2*time.Second)
	return r
}

// backoff is the jittered wait before attempt n+1 (n from 0).
func (r RetryPolicy) backoff(n int, retryAfter time.Duration) time.Duration {
	if retryAfter > 0 {
		return min(retryAfter, r.MaxDelay)
	}
	d := r.BaseDelay << n
	if d > r.MaxDelay || d <= 0 {
		d = r.MaxDelay
	}
	return d/2 + rand.N(d/2+1)
}

// upstreamResponse is a fully read upstream answer.
type upstreamResponse struct {
	Status int
	Header http.Header
	Body   []byte
}

// call describes one upstream request.
type call struct {
	op     string // metric label: create, list, get, update, delete, cancel, batch, probe
	method string
	path   string // relative to the upstream base, e.g. /workflow_runs/abc
	query  url.Values
	body   []byte
	header http.Header // client headers to forward (Authorization, workspace, request id, user agent)
	// idempotent marks calls that may be retried after a response (GET, compensation DELETE).
	idempotent bool
	// stream, when set, is sent as the body unread (uploads), with
	// contentType and length (-1 unknown); such a call is never retried.
	stream      io.Reader
	contentType string
	length      int64
	// attempt counts retries (0 for the first try), for the span's resend count.
	attempt int
}

// upstreamErr is a failure to obtain any HTTP answer.
type upstreamErr struct {
	err     error
	sent    bool // the request may have reached the upstream
	timeout bool
	tooBig  bool
}

func (e *upstreamErr) Error() string { return "upstream: " + e.err.Error() }
func (e *upstreamErr) Unwrap() error { return e.err }

type upstream struct {
	base      *url.URL
	version   string // x-extend-api-version of every translated call
	client    *http.Client
	maxBody   int64
	timeout   time.Duration
	retry     RetryPolicy
	workspace string
	metrics   *Metrics
	reach     *reachability
	tr        *tracing.Provider // nil: no client spans
}

// do performs c with retries where safe. A non-2xx HTTP answer is returned as a
// response, not an error; errors mean no usable answer arrived.
func (u *upstream) do(ctx context.Context, c call) (*upstreamResponse, error) {
	st := stateFrom(ctx)
	for attempt := 0; ; attempt++ {
		st.addUpstreamCall()
		c.attempt = attempt
		resp, err := u.once(ctx, c)
		last := attempt+1 >= u.retry.MaxAttempts
		if err != nil {
			var ue *upstreamErr
			safe := errors.As(err, &ue) && (!ue.sent || c.idempotent) && !ue.tooBig && c.stream == nil
			if last || !safe || ctx.Err() != nil {
				return nil, err
			}
			if !sleepCtx(ctx, u.retry.backoff(attempt, 0)) {
				return nil, err
			}
			continue
		}
		if last || !c.idempotent || c.stream != nil || !retryableStatus(resp.Status) {
			return resp, nil
		}
		if !sleepCtx(ctx, u.retry.backoff(attempt, retryAfter(resp.Header, time.Now()))) {
			return resp, nil
		}
	}
}

func retryableStatus(s int) bool {
	return s == http.StatusTooManyRequests || s == http.StatusRequestTimeout || s >= 500
}

func (u *upstream) once(ctx context.Context, c call) (*upstreamResponse, error) {
	ctx, cancel := context.WithTimeout(ctx, u.timeout)
	defer cancel()
	var wrote atomic.Bool
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		WroteRequest: func(httptrace.WroteRequestInfo) { wrote.Store(true) },
	})
	reqBody := bodyReader(c.body)
	if c.stream != nil {
		reqBody = c.stream
	}
	req, err := http.NewRequestWithContext(ctx, c.method, u.url(c.path, c.query), reqBody)
	if err != nil {
		return nil, &upstreamErr{err: err}
	}
	if c.stream != nil {
		req.ContentLength = c.length
	}
	u.setHeaders(req, c)
	if u.tr == nil {
		return u.exchange(ctx, req, c, &wrote)
	}
	if span := u.traceUpstream(req, c); span != nil {
		out, err := u.exchange(ctx, req, c, &wrote)
		endUpstreamSpan(span, out, err)
		return out, err
	}
	return u.exchange(ctx, req, c, &wrote)
}

// exchange sends req and reads the whole answer within the body limit.
func (u *upstream) exchange(ctx context.Context, req *http.Request, c call, wrote *atomic.Bool) (*upstreamResponse, error) {
	start := time.Now()
	resp, err := u.client.Do(req)
	if err != nil {
		u.metrics.observeUpstream(c.op, "error", time.Since(start))
		return nil, &upstreamErr{err: err, sent: wrote.Load(), timeout: isTimeout(err, ctx)}
	}
	defer resp.Body.Close()
	body, err := readBodySized(resp.Body, resp.ContentLength, u.maxBody)
	u.metrics.observeUpstream(c.op, statusLabel(resp.StatusCode), time.Since(start))
	u.reach.mark(time.Now())
	if err != nil {
		return nil, &upstreamErr{err: fmt.Errorf("reading body: %w", err), sent: true, timeout: isTimeout(err, ctx)}
	}
	if int64(len(body)) > u.maxBody {
		return nil, &upstreamErr{err: fmt.Errorf("response body exceeds %d bytes", u.maxBody), sent: true, tooBig: true}
	}
	return &upstreamResponse{Status: resp.StatusCode, Header: resp.Header, Body: body}, nil
}

func bodyReader(b []byte) io.Reader {
	if b == nil {
		return nil
	}
	return bytes.NewReader(b)
}

func (u *upstream) url(path string, q url.Values) string {
	v := *u.base
	// path arrives escaped (runPath); Path must hold the decoded form, or
	// String() escapes the escapes ("%2F" would reach the upstream as "%252F").
	decoded, err := url.PathUnescape(path)
	if err != nil {
		decoded = path
	}
	v.Path = joinPath(u.base.Path, decoded)
	v.RawPath = joinPath(u.base.EscapedPath(), path)
	v.RawQuery = q.Encode()
	return v.String()
}

func joinPath(base, p string) string {
	for len(base) > 0 && base[len(base)-1] == '/' {
		base = base[:len(base)-1]
	}
	return base + p
}

// forwarded lists the client headers a translated call carries upstream.
var forwarded = []string{"Authorization", "X-Extend-Workspace-Id", "User-Agent", "X-Request-Id"}

func (u *upstream) setHeaders(req *http.Request, c call) {
	for _, k := range forwarded {
		if v := c.header.Get(k); v != "" {
			req.Header.Set(k, v)
		}
	}
	if req.Header.Get("X-Extend-Workspace-Id") == "" && u.workspace != "" {
		req.Header.Set("X-Extend-Workspace-Id", u.workspace)
	}
	req.Header.Set("X-Extend-Api-Version", u.version)
	req.Header.Set("Accept", "application/json")
	switch {
	case c.stream != nil:
		req.Header.Set("Content-Type", c.contentType)
	case c.body != nil:
		req.Header.Set("Content-Type", "application/json")
	}
}

func isTimeout(err error, ctx context.Context) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || ctx.Err() == context.DeadlineExceeded ||
		(errors.As(err, &ne) && ne.Timeout())
}

// retryAfter reads Retry-After (seconds or HTTP date); 0 when absent.
func retryAfter(h http.Header, now time.Time) time.Duration {
	v := h.Get("Retry-After")
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

func (u *upstream) probe(ctx context.Context) error {
	_, err := u.once(ctx, call{op: "probe", method: http.MethodGet, path: "/"})
	return err
}

// reachability remembers when the upstream last gave any HTTP answer.
type reachability struct{ last atomic.Int64 }

func (r *reachability) mark(t time.Time) { r.last.Store(t.UnixNano()) }

func (r *reachability) within(now time.Time, d time.Duration) bool {
	l := r.last.Load()
	return l != 0 && now.Sub(time.Unix(0, l)) <= d
}
