package rollout

import (
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Status is a JSON-friendly snapshot of the rollout for the admin report.
type Status struct {
	DefaultMode    Mode                      `json:"defaultMode"`
	ShadowServe    Mode                      `json:"shadowServe"`
	KillSwitch     bool                      `json:"killSwitch"`
	HeaderOverride bool                      `json:"headerOverride"`
	Allow          int                       `json:"allowTenants"`
	Deny           int                       `json:"denyTenants"`
	Rules          []RuleStatus              `json:"rules"`
	Fallback       Fallback                  `json:"fallbackConfig"`
	Fallbacks      map[string]FallbackStatus `json:"fallbacks"`
}

// RuleStatus describes one rule without listing tenant fingerprints.
type RuleStatus struct {
	Name    string   `json:"name"`
	Routes  []string `json:"routes"`
	Mode    Mode     `json:"mode"`
	Percent float64  `json:"percent"`
	Tenants int      `json:"tenants"`
}

// FallbackStatus is one route's breaker.
type FallbackStatus struct {
	Active    bool       `json:"active"`
	Since     *time.Time `json:"since,omitempty"`
	Until     *time.Time `json:"until,omitempty"`
	ErrorRate float64    `json:"errorRate"`
	Reason    string     `json:"reason,omitempty"`
}

// Status returns the current rollout at a glance.
func (c *Controller) Status() Status {
	cfg := c.cfg.Load()
	s := Status{DefaultMode: cfg.DefaultMode, ShadowServe: cfg.ShadowServe, KillSwitch: cfg.KillSwitch,
		HeaderOverride: cfg.HeaderOverride, Allow: len(cfg.Allow), Deny: len(cfg.Deny),
		Rules: []RuleStatus{}, Fallback: cfg.Fallback, Fallbacks: map[string]FallbackStatus{}}
	for _, r := range cfg.Rules {
		pct := 100.0
		if r.Percent != nil {
			pct = *r.Percent
		}
		routes := r.Routes
		if len(routes) == 0 {
			routes = []string{"*"}
		}
		s.Rules = append(s.Rules, RuleStatus{Name: r.Name, Routes: routes, Mode: r.Mode, Percent: pct, Tenants: len(r.Tenants)})
	}
	for _, route := range Routes {
		c.fallbackActive(route) // ends expired cool-downs
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, route := range Routes {
		fs := FallbackStatus{}
		if b, ok := c.breakers[route]; ok && b.active {
			since := b.since
			fs = FallbackStatus{Active: true, Since: &since, ErrorRate: b.rate, Reason: b.reason}
			if !b.until.IsZero() {
				until := b.until
				fs.Until = &until
			}
		}
		s.Fallbacks[route] = fs
	}
	return s
}

// Handler serves GET /admin/rollout (Status) and POST /admin/rollout/reset?route=X.
func (c *Controller) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /admin/rollout", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, c.Status()) })
	mux.HandleFunc("POST /admin/rollout/reset", func(w http.ResponseWriter, r *http.Request) {
		route := r.URL.Query().Get("route")
		if route != "" && !knownRoute(route) {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "unknown route " + route})
			return
		}
		writeJSON(w, 200, map[string]any{"reset": c.ResetFallback(route), "route": route})
	})
	return mux
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

type metrics struct {
	decisions      *prometheus.CounterVec
	fallbackActive *prometheus.GaugeVec
	transitions    *prometheus.CounterVec
	// decided caches the decisions children (decisionKey → prometheus.Counter):
	// WithLabelValues hashes three labels and takes the vector's lock on
	// every request, a cache hit is one read-mostly map lookup. Routes,
	// modes and reason labels are bounded, so is the cache.
	decided sync.Map
}

type decisionKey struct{ route, mode, reason string }

// decision counts one decision.
func (m *metrics) decision(route string, mode Mode, reason string) {
	k := decisionKey{route, string(mode), reasonLabel(reason)}
	if c, ok := m.decided.Load(k); ok {
		c.(prometheus.Counter).Inc()
		return
	}
	c := m.decisions.WithLabelValues(k.route, k.mode, k.reason)
	m.decided.Store(k, c)
	c.Inc()
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		decisions: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "extend_compat", Name: "rollout_decisions_total",
			Help: "Legacy requests by route, chosen mode and reason."}, []string{"route", "mode", "reason"}),
		fallbackActive: prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: "extend_compat", Name: "rollout_fallback_active",
			Help: "1 while a route is in automatic fallback to passthrough."}, []string{"route"}),
		transitions: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "extend_compat", Name: "rollout_fallback_transitions_total",
			Help: "Fallback breaker transitions by route and state (tripped, reset)."}, []string{"route", "state"}),
	}
	if reg != nil {
		reg.MustRegister(m.decisions, m.fallbackActive, m.transitions)
	}
	return m
}
