package shadow

import (
	"errors"

	"github.com/prometheus/client_golang/prometheus"
)

// maxPathLabels caps distinct path label values (over all routes); later paths count under "other".
const maxPathLabels = 200

// maxRoutes caps distinct route values, for the same reason.
const maxRoutes = 32

// OtherLabel replaces a path or route beyond the cardinality caps.
const OtherLabel = "other"

type metrics struct {
	requests *prometheus.CounterVec
	paths    *prometheus.CounterVec
	lossy    *prometheus.CounterVec
}

func newMetrics(reg prometheus.Registerer, depth func() float64) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "extend_compat",
			Name: "shadow_requests_total", Help: "Shadowed requests by route and outcome (match, mismatch, shadow_error, dropped)."},
			[]string{"route", "outcome"}),
		paths: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "extend_compat",
			Name: "shadow_mismatch_paths_total", Help: "Mismatching normalised JSON paths by route (capped; the rest count as other)."},
			[]string{"route", "path"}),
		lossy: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "extend_compat",
			Name: "shadow_lossy_paths_total", Help: "Differences on paths the mapping documents as lossy, by route."},
			[]string{"route", "path"}),
	}
	gauge := prometheus.NewGaugeFunc(prometheus.GaugeOpts{Namespace: "extend_compat",
		Name: "shadow_queue_depth", Help: "Shadow jobs waiting for a worker."}, depth)
	if reg != nil {
		m.requests = register(reg, m.requests)
		m.paths = register(reg, m.paths)
		m.lossy = register(reg, m.lossy)
		register(reg, prometheus.Collector(gauge))
	}
	return m
}

// register registers c, or returns the collector already registered under the same name, so that a
// second Shadower on one registry (tests, restarts in process) does not fail.
func register[C prometheus.Collector](reg prometheus.Registerer, c C) C {
	if err := reg.Register(c); err != nil {
		var are prometheus.AlreadyRegisteredError
		if errors.As(err, &are) {
			if existing, ok := are.ExistingCollector.(C); ok {
				return existing
			}
		}
	}
	return c
}
