// Package proxy is the HTTP side of extend-compat-proxy: it routes requests
// whose API version has a translation path (translate.Registry) to the
// upstream's version through that path's transforms, passes everything else
// through, and funnels every failure into one error in the caller's shape.
package proxy

import (
	"context"
	"errors"
	"net/http"
	"net/http/httputil"
	"net/url"
	"sync/atomic"
	"time"

	"github.com/gorilla/mux"
	"go.uber.org/zap"

	"github.com/extend-compat-proxy/extend-compat-proxy/tracing"
	"github.com/extend-compat-proxy/extend-compat-proxy/translate"
)

// Options configure a Proxy. Zero values fall back to the documented defaults.
type Options struct {
	// Upstream is the 2026-02-09 API base URL (required). A path prefix is kept.
	Upstream *url.URL
	// Transport performs upstream calls; nil means NewTransport(TransportOptions{}).
	Transport http.RoundTripper
	// Logger receives access and event logs; nil means no logging.
	Logger *zap.Logger
	// Metrics receives Prometheus metrics; nil means a fresh, unregistered set.
	Metrics *Metrics
	// Registry holds the version changes the proxy translates; nil means translate.Default.
	Registry *translate.Registry
	// UpstreamVersion is the API version of every translated upstream call;
	// "" means the newest version the registry knows.
	UpstreamVersion string
	// DefaultVersion applies to requests without x-extend-api-version; "" means 2025-04-21.
	DefaultVersion string
	// WorkspaceID is sent upstream as x-extend-workspace-id when the client sent none.
	WorkspaceID string
	// MaxBodyBytes caps client bodies (413 beyond); 0 means 10 MiB.
	MaxBodyBytes int64
	// MaxHeaderBytes caps the request line and headers (431 in the caller's
	// error shape beyond); 0 means 64 KiB. The http.Server's own MaxHeaderBytes
	// must be larger, or Go answers a plain-text 431 before the proxy sees the request.
	MaxHeaderBytes int
	// MaxUpstreamBodyBytes caps upstream bodies (502 beyond); 0 means 64 MiB.
	MaxUpstreamBodyBytes int64
	// FanOutConcurrency bounds parallel upstream creates per legacy create; 0 means 8.
	FanOutConcurrency int
	// RequestTimeout bounds a whole translated request; 0 means 120s.
	RequestTimeout time.Duration
	// UpstreamTimeout bounds one upstream call; 0 means 60s.
	UpstreamTimeout time.Duration
	// CompensationTimeout bounds the rollback of a failed fan-out; 0 means 30s.
	CompensationTimeout time.Duration
	// Retry governs retries of safe upstream calls.
	Retry RetryPolicy
	// Translate carries the configurable mapping decisions.
	Translate translate.Options
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Modes picks translate, passthrough or shadow per legacy request; nil means always translate.
	Modes ModeDecider
	// Shadow runs and compares the other path for shadowed requests; nil disables shadow comparison.
	Shadow ShadowRunner
	// LegacyUpstream is where passthrough sends legacy requests (with their
	// 2025-04-21 header); nil means Upstream, since the vendor picks the version by header.
	LegacyUpstream *url.URL
	// HiddenPrefixes are path prefixes (ending in "/") answered 404 by the
	// proxy itself, never forwarded: the embedded simulator's /_sim/ control
	// endpoints. nil hides nothing.
	HiddenPrefixes []string
	// Tracing records a server span per client request and a client span per
	// upstream call, and propagates traceparent; nil means off, at no cost.
	Tracing *tracing.Provider
}

// Proxy is an http.Handler serving legacy and new clients.
type Proxy struct {
	opt      Options
	log      *zap.Logger
	metrics  *Metrics
	router   *mux.Router
	passthru *httputil.ReverseProxy
	// legacyProxy forwards legacy requests unchanged in passthrough mode.
	legacyProxy *httputil.ReverseProxy
	// translateOnly routes legacy requests straight to the translating handlers (shadow runs).
	translateOnly *mux.Router
	up            *upstream
	draining      atomic.Bool
	// parents caches child → parent ids (evaluation item → set) for lookups.
	parents parentCache
	// paths maps each client version with a translation path to it (resolvePaths).
	paths map[string]translate.Path
	// buffers lends copy buffers to both passthrough reverse proxies.
	buffers *bufferPool
}

// New builds a Proxy from opt.
func New(opt Options) (*Proxy, error) {
	if opt.Upstream == nil || opt.Upstream.Host == "" {
		return nil, errors.New("proxy: Options.Upstream must be an absolute URL")
	}
	opt = withDefaults(opt)
	p := &Proxy{opt: opt, log: opt.Logger, metrics: opt.Metrics, buffers: newBufferPool()}
	p.up = &upstream{base: opt.Upstream, version: opt.UpstreamVersion, client: &http.Client{Transport: opt.Transport},
		maxBody: opt.MaxUpstreamBodyBytes, timeout: opt.UpstreamTimeout, retry: opt.Retry,
		workspace: opt.WorkspaceID, metrics: opt.Metrics, reach: &reachability{}, tr: opt.Tracing}
	p.passthru = p.newPassthrough()
	p.legacyProxy = p.newLegacyPassthrough()
	p.tracePassthrough(p.passthru)
	p.tracePassthrough(p.legacyProxy)
	p.resolvePaths()
	p.router = p.routes()
	return p, nil
}

func withDefaults(o Options) Options {
	if o.Transport == nil {
		o.Transport = NewTransport(TransportOptions{})
	}
	if o.Logger == nil {
		o.Logger = zap.NewNop()
	}
	if o.Metrics == nil {
		o.Metrics = NewMetrics(nil)
	}
	if o.Registry == nil {
		o.Registry = translate.Default
	}
	if o.UpstreamVersion == "" {
		o.UpstreamVersion = o.Registry.Latest()
	}
	if o.DefaultVersion == "" {
		o.DefaultVersion = translate.LegacyVersion
	}
	setDefault(&o.MaxBodyBytes, 10<<20)
	setDefault(&o.MaxUpstreamBodyBytes, 64<<20)
	setDefault(&o.MaxHeaderBytes, DefaultMaxHeaderBytes)
	setDefault(&o.FanOutConcurrency, 8)
	setDefault(&o.RequestTimeout, 120*time.Second)
	setDefault(&o.UpstreamTimeout, 60*time.Second)
	setDefault(&o.CompensationTimeout, 30*time.Second)
	o.Retry = o.Retry.withDefaults()
	if o.LegacyUpstream == nil {
		o.LegacyUpstream = o.Upstream
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

func setDefault[T int | int64 | time.Duration](v *T, d T) {
	if *v <= 0 {
		*v = d
	}
}

// ServeHTTP implements http.Handler.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) { p.router.ServeHTTP(w, r) }

// SetDraining marks the proxy as shutting down: /readyz answers 503 from then on.
func (p *Proxy) SetDraining(v bool) { p.draining.Store(v) }

// Ready reports whether the proxy should receive traffic: not draining and the
// upstream answered (any HTTP status) within the last window.
func (p *Proxy) Ready(window time.Duration) (bool, string) {
	if p.draining.Load() {
		return false, "draining"
	}
	if !p.up.reach.within(time.Now(), window) {
		return false, "upstream not reached recently"
	}
	return true, "ok"
}

// Probe makes one cheap upstream call to refresh readiness; any HTTP answer counts as reachable.
func (p *Proxy) Probe(ctx context.Context) error { return p.up.probe(ctx) }

// UpstreamURL is the 2026-02-09 upstream's base URL, for logs.
func (p *Proxy) UpstreamURL() string { return p.opt.Upstream.Redacted() }
