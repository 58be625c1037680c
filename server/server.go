// Package server wires a validated configuration into running listeners: the
// proxy, the admin listener (metrics, health, readiness) and, for
// upstream "sim", the embedded simulator. Open binds synchronously so bind
// errors surface; Close drains under a deadline.
package server

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.uber.org/zap"

	"github.com/extend-compat-proxy/extend-compat-proxy/config"
	"github.com/extend-compat-proxy/extend-compat-proxy/proxy"
	"github.com/extend-compat-proxy/extend-compat-proxy/rollout"
	"github.com/extend-compat-proxy/extend-compat-proxy/shadow"
	"github.com/extend-compat-proxy/extend-compat-proxy/sim"
	"github.com/extend-compat-proxy/extend-compat-proxy/tracing"
	"github.com/extend-compat-proxy/extend-compat-proxy/translate"
	"github.com/extend-compat-proxy/extend-compat-proxy/webhook"
)

// ReadyWindow is how recently the upstream must have answered for /readyz.
const ReadyWindow = 30 * time.Second

// Server is a running proxy with its listeners.
type Server struct {
	reloadMu sync.Mutex // serialises Reload and ReloadFrom; guards cfg's live sections
	cfg      config.Config
	log      *zap.Logger
	Proxy    *proxy.Proxy
	Sim      *sim.Sim // nil unless upstream is "sim"
	Rollout  *rollout.Controller
	Shadow   *shadow.Shadower
	Webhooks *webhook.Relay // nil unless webhooks.destinations are configured
	simHooks *sim.WebhookSender
	servers  []*http.Server
	addrs    map[string]string
	wg       sync.WaitGroup
	stopProb context.CancelFunc
}

// Option adjusts Open.
type Option func(*proxy.Options)

// WithTracing gives the proxy a tracing provider (nil: tracing off). The
// caller owns it and shuts it down after Close, so the last spans are flushed.
func WithTracing(tp *tracing.Provider) Option {
	return func(o *proxy.Options) { o.Tracing = tp }
}

// Open binds every listener and starts serving.
func Open(cfg config.Config, log *zap.Logger, opts ...Option) (*Server, error) {
	s := &Server{cfg: cfg, log: log, addrs: map[string]string{}}
	upstream, err := s.upstreamURL()
	if err != nil {
		s.closeNow()
		return nil, err
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	s.Rollout, err = rollout.New(cfg.Rollout, reg, log.Named("rollout"), nil)
	if err != nil {
		s.closeNow()
		return nil, err
	}
	s.Shadow = shadow.New(cfg.Shadow, reg, log.Named("shadow"), nil)
	opt := proxyOptions(cfg, upstream, log, proxy.NewMetrics(reg))
	opt.Modes, opt.Shadow = s.Rollout, s.Shadow
	if s.Sim != nil {
		// The simulator's request log and controls stay on its own address.
		opt.HiddenPrefixes = []string{"/_sim/"}
	}
	for _, o := range opts {
		o(&opt)
	}
	if cfg.LegacyUpstream != "" {
		opt.LegacyUpstream, _ = url.Parse(cfg.LegacyUpstream)
	}
	p, err := proxy.New(opt)
	if err != nil {
		s.closeNow()
		return nil, err
	}
	s.Proxy = p
	if s.Webhooks, err = s.openWebhooks(upstream, reg, opt.Translate); err != nil {
		s.closeNow()
		return nil, err
	}
	if s.Webhooks != nil {
		s.Shadow.AddSection("webhooks", func() any { return s.Webhooks.ShadowReport() })
	}
	if err := s.listen("proxy", cfg.Listen, withWebhooks(s.Webhooks, p), cfg.Timeouts, proxyHeaderCeiling); err != nil {
		s.closeNow()
		return nil, err
	}
	if cfg.AdminListen != "" {
		if err := s.listen("admin", cfg.AdminListen, s.adminHandler(reg), cfg.Timeouts, proxy.DefaultMaxHeaderBytes); err != nil {
			s.closeNow()
			return nil, err
		}
	}
	s.startProbe()
	return s, nil
}

func proxyOptions(cfg config.Config, upstream *url.URL, log *zap.Logger, m *proxy.Metrics) proxy.Options {
	t := cfg.Timeouts
	return proxy.Options{
		Upstream: upstream,
		Transport: proxy.NewTransport(proxy.TransportOptions{
			DialTimeout: t.Dial.Std(), ResponseHeaderTimeout: t.UpstreamHeader.Std()}),
		Logger: log, Metrics: m, DefaultVersion: cfg.DefaultVersion, UpstreamVersion: cfg.UpstreamVersion,
		WorkspaceID:  cfg.WorkspaceID,
		MaxBodyBytes: cfg.MaxBodyBytes, MaxUpstreamBodyBytes: cfg.MaxUpstreamBodyBytes,
		FanOutConcurrency: cfg.FanOutConcurrency, RequestTimeout: t.Request.Std(),
		UpstreamTimeout: t.Upstream.Std(), CompensationTimeout: t.Compensation.Std(),
		Retry: proxy.RetryPolicy{MaxAttempts: cfg.Retry.MaxAttempts, BaseDelay: cfg.Retry.BaseDelay.Std(),
			MaxDelay: cfg.Retry.MaxDelay.Std()},
		Translate: translate.Options{
			MaxFiles: cfg.Translate.MaxFiles, CountRawTexts: cfg.Translate.CountRawTexts,
			ValidArrayAsBooleans: cfg.Translate.ValidArrayAsBooleans,
			RejectUnknownFields:  cfg.Translate.RejectUnknownFields,
			ProcessorAliases:     cfg.Translate.ProcessorAliases,
			OpenPageRangeEnd:     cfg.Translate.OpenPageRangeEnd, ParseBlockTypes: cfg.Translate.ParseBlockTypes,
			NoEvaluationItemDetails: !cfg.Translate.EvaluationItemDetails,
			EvaluationScanLimit:     cfg.Translate.EvaluationScanLimit,
		},
	}
}

// upstreamURL parses the upstream, starting the embedded simulator for "sim".
func (s *Server) upstreamURL() (*url.URL, error) {
	if s.cfg.Upstream != "sim" {
		return url.Parse(s.cfg.Upstream)
	}
	s.Sim = sim.New(sim.Options{PendingFor: s.cfg.Simulator.PendingFor.Std(), ProcessFor: s.cfg.Simulator.ProcessFor.Std()})
	if err := s.listen("sim", s.cfg.SimListen, s.simHandler(), s.cfg.Timeouts, proxy.DefaultMaxHeaderBytes); err != nil {
		return nil, err
	}
	s.startSimWebhooks()
	return url.Parse("http://" + s.addrs["sim"])
}

// proxyHeaderCeiling is the client listener's http.Server.MaxHeaderBytes. Go
// answers requests over it with a plain-text 431 before any handler runs, so
// it sits well above the proxy's own limit (proxy.Options.MaxHeaderBytes),
// which answers 431 in the caller's JSON error shape. Only headers over this
// ceiling (16x the limit) still get Go's text answer.
const proxyHeaderCeiling = 16 * proxy.DefaultMaxHeaderBytes

// listen binds addr now and serves h in the background.
func (s *Server) listen(name, addr string, h http.Handler, t config.Timeouts, maxHeader int) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("%s listener: %w", name, err)
	}
	srv := &http.Server{
		Handler: h, ReadHeaderTimeout: t.ReadHeader.Std(), ReadTimeout: t.Read.Std(),
		WriteTimeout: t.Write.Std(), IdleTimeout: t.Idle.Std(), MaxHeaderBytes: maxHeader,
		ErrorLog: zap.NewStdLog(s.log.Named(name)),
	}
	s.servers = append(s.servers, srv)
	s.addrs[name] = ln.Addr().String()
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("server stopped", zap.String("listener", name), zap.Error(err))
		}
	}()
	s.log.Info("listening", zap.String("listener", name), zap.String("addr", ln.Addr().String()))
	return nil
}

// Addr returns the bound address of a listener: "proxy", "admin" or "sim".
func (s *Server) Addr(name string) string { return s.addrs[name] }

func (s *Server) adminHandler(reg *prometheus.Registry) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg}))
	mux.Handle("GET /healthz", s.Proxy)
	mux.Handle("GET /readyz", s.Proxy)
	mux.Handle("/admin/rollout", s.Rollout.Handler())
	mux.Handle("/admin/rollout/", s.Rollout.Handler())
	report := s.Shadow.Handler(func() any { return s.Rollout.Status() })
	mux.Handle("GET /admin/shadow", report)
	mux.Handle("GET /admin/shadow.json", report)
	if s.Webhooks != nil {
		mux.Handle("/admin/webhooks", s.Webhooks.AdminHandler())
		mux.Handle("/admin/webhooks.json", s.Webhooks.AdminHandler())
		mux.Handle("/admin/webhooks/", s.Webhooks.AdminHandler())
	}
	if s.cfg.Admin.Pprof {
		mountPprof(mux)
	}
	return mux
}

// Close drains: readiness goes false, listeners stop accepting, in-flight
// requests (fan-outs included) finish within ctx's deadline.
func (s *Server) Close(ctx context.Context) error {
	if s.Proxy != nil {
		s.Proxy.SetDraining(true)
	}
	if s.stopProb != nil {
		s.stopProb()
	}
	var errs []error
	// Proxy and admin first, the simulator last: in-flight requests still need it.
	for i := len(s.servers) - 1; i >= 0; i-- {
		if err := s.servers[i].Shutdown(ctx); err != nil {
			errs = append(errs, err)
			_ = s.servers[i].Close()
		}
	}
	if s.Shadow != nil {
		if err := s.Shadow.Close(ctx); err != nil {
			errs = append(errs, err)
		}
	}
	if s.Webhooks != nil {
		if err := s.Webhooks.Close(ctx); err != nil {
			errs = append(errs, err)
		}
	}
	if s.simHooks != nil {
		s.simHooks.Close()
	}
	s.wg.Wait()
	return errors.Join(errs...)
}

func (s *Server) closeNow() {
	if s.stopProb != nil {
		s.stopProb()
	}
	if s.Shadow != nil {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_ = s.Shadow.Close(ctx)
	}
	for _, srv := range s.servers {
		_ = srv.Close()
	}
	if s.Webhooks != nil {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_ = s.Webhooks.Close(ctx)
	}
	if s.simHooks != nil {
		s.simHooks.Close()
	}
	s.wg.Wait()
}
