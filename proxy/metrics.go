package proxy

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/extend-compat-proxy/extend-compat-proxy/translate"
)

// Metrics are the proxy's Prometheus collectors (namespace extend_compat).
type Metrics struct {
	requests            *prometheus.CounterVec
	requestDuration     *prometheus.HistogramVec
	upstreamDuration    *prometheus.HistogramVec
	inFlight            prometheus.Gauge
	fanoutSize          prometheus.Histogram
	translationFailures *prometheus.CounterVec
	unmapped            *prometheus.CounterVec
	synthesized         *prometheus.CounterVec
	compensations       *prometheus.CounterVec
	panics              *prometheus.CounterVec
	children            childCache
}

// NewMetrics creates the collectors and registers them with reg (nil: not registered).
func NewMetrics(reg prometheus.Registerer) *Metrics {
	const ns = "extend_compat"
	m := &Metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "requests_total",
			Help: "Client requests by route, status code and mode (translated, passthrough, local)."}, []string{"route", "code", "mode"}),
		requestDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: ns, Name: "request_duration_seconds",
			Help: "Client request duration in seconds.", Buckets: prometheus.ExponentialBuckets(0.005, 2, 14)}, []string{"route", "mode"}),
		upstreamDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: ns, Name: "upstream_request_duration_seconds",
			Help: "Upstream call duration in seconds by operation and status code.", Buckets: prometheus.ExponentialBuckets(0.005, 2, 14)}, []string{"operation", "code"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: ns, Name: "in_flight_requests",
			Help: "Client requests being served."}),
		fanoutSize: prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: ns, Name: "fanout_size",
			Help: "Upstream creates per legacy create request.", Buckets: []float64{1, 2, 3, 5, 10, 20, 30, 50, 100}}),
		translationFailures: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "translation_failures_total",
			Help: "Upstream answers the proxy could not translate, by route."}, []string{"route"}),
		unmapped: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "unmapped_fields_total",
			Help: "Fields dropped because they have no counterpart, by route and JSON path."}, []string{"route", "field"}),
		synthesized: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "synthesized_fields_total",
			Help: "Legacy fields whose value the proxy had to synthesize, by route and field."}, []string{"route", "field"}),
		compensations: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "compensations_total",
			Help: "Runs rolled back after a failed fan-out, by outcome (deleted, failed)."}, []string{"outcome"}),
		panics: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "panics_total",
			Help: "Requests whose handler panicked (a bug: answered 500, or cut off if the answer had started), by route."}, []string{"route"}),
	}
	if reg != nil {
		reg.MustRegister(m.requests, m.requestDuration, m.upstreamDuration, m.inFlight, m.fanoutSize,
			m.translationFailures, m.unmapped, m.synthesized, m.compensations, m.panics)
	}
	return m
}

func (m *Metrics) observeRequest(st *reqState, status int, d time.Duration) {
	ch := m.children.request(m, st.route, st.mode, status)
	ch.count.Inc()
	ch.duration.Observe(d.Seconds())
}

func (m *Metrics) observeUpstream(op, code string, d time.Duration) {
	m.children.upstreamObserver(m, op, code).Observe(d.Seconds())
}

// countReport counts unmapped and synthesized fields. Label values come
// from the registry's declared paths (translate.ReportLabel), "other" for
// anything else and "unknown" for fields the client's version does not
// declare, so client input can never grow the number of series.
func (m *Metrics) countReport(route string, rep *translate.Report) {
	if rep == nil {
		return
	}
	for _, f := range rep.Unmapped {
		m.children.field(m, false, route, translate.ReportLabel(f)).Inc()
	}
	if n := len(rep.Unknown); n > 0 {
		m.children.field(m, false, route, "unknown").Add(float64(n))
	}
	for _, f := range rep.Synthesized {
		m.children.field(m, true, route, translate.ReportLabel(f)).Inc()
	}
}
