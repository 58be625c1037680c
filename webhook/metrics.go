package webhook

import (
	"context"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the relay's Prometheus collectors (namespace extend_compat,
// subsystem webhook). Every label value comes from configuration or a fixed
// set, never from an event as received, so a sender cannot grow them.
type metrics struct {
	receivedC  *prometheus.CounterVec
	droppedC   *prometheus.CounterVec
	rejectedC  *prometheus.CounterVec
	attemptsC  *prometheus.CounterVec
	latency    *prometheus.HistogramVec
	shadowC    *prometheus.CounterVec
	stateGauge *prometheus.Desc
	oldest     *prometheus.Desc
	r          *Relay
}

func newMetrics(reg prometheus.Registerer, r *Relay) *metrics {
	const ns, sub = "extend_compat", "webhook"
	m := &metrics{r: r,
		receivedC: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Subsystem: sub, Name: "received_total",
			Help: "Events stored for delivery, by destination, legacy event type and whether it was a vendor duplicate."},
			[]string{"destination", "event_type", "duplicate"}),
		droppedC: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Subsystem: sub, Name: "dropped_total",
			Help: "Events accepted (200) and stored as dropped, by destination and reason."}, []string{"destination", "reason"}),
		rejectedC: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Subsystem: sub, Name: "rejected_total",
			Help: "Inbound requests refused (413, 401, 400, 502), by destination and reason."}, []string{"destination", "reason"}),
		attemptsC: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Subsystem: sub, Name: "delivery_attempts_total",
			Help: "Delivery attempts by destination, legacy event type and outcome (delivered, HTTP status, network, gone, untranslatable, completion)."},
			[]string{"destination", "event_type", "outcome"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: ns, Subsystem: sub, Name: "delivery_latency_seconds",
			Help: "Time from acceptance to successful delivery.", Buckets: prometheus.ExponentialBuckets(0.005, 2, 20)},
			[]string{"destination"}),
		shadowC: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Subsystem: sub, Name: "shadow_total",
			Help: "Shadow comparisons of translated and legacy events by destination, legacy event type and result."},
			[]string{"destination", "event_type", "result"}),
		stateGauge: prometheus.NewDesc(ns+"_"+sub+"_events", "Stored events by destination and state "+
			"(received, delivered, pending, retrying, dead, dropped; delivered and dropped within the retention).",
			[]string{"destination", "state"}, nil),
		oldest: prometheus.NewDesc(ns+"_"+sub+"_oldest_pending_seconds", "Age of the oldest undelivered, not dead event.",
			[]string{"destination"}, nil),
	}
	if reg != nil {
		reg.MustRegister(m.receivedC, m.droppedC, m.rejectedC, m.attemptsC, m.latency, m.shadowC, m)
	}
	return m
}

// Describe implements prometheus.Collector for the store-backed gauges.
func (m *metrics) Describe(ch chan<- *prometheus.Desc) {
	ch <- m.stateGauge
	ch <- m.oldest
}

// Collect reads the store's counts at scrape time (bounded by a timeout).
func (m *metrics) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	stats, err := m.r.Stats(ctx)
	if err != nil {
		return
	}
	for _, s := range stats {
		for state, v := range map[string]int64{"received": s.Received, "delivered": s.Delivered, "pending": s.Pending,
			"retrying": s.Retrying, "dead": s.Dead, "dropped": s.Dropped} {
			ch <- prometheus.MustNewConstMetric(m.stateGauge, prometheus.GaugeValue, float64(v), s.Name, state)
		}
		ch <- prometheus.MustNewConstMetric(m.oldest, prometheus.GaugeValue, s.OldestPendingSeconds, s.Name)
	}
}

func (m *metrics) received(dest, legacyType string, duplicate bool) {
	dup := "false"
	if duplicate {
		dup = "true"
	}
	m.receivedC.WithLabelValues(dest, legacyType, dup).Inc()
}

func (m *metrics) dropped(dest, eventType, reason string) {
	m.droppedC.WithLabelValues(dest, reasonCode(reason)).Inc()
}

func (m *metrics) rejected(dest, reason string) { m.rejectedC.WithLabelValues(dest, reason).Inc() }

func (m *metrics) delivered(dest, legacyType string, since time.Duration) {
	m.attemptsC.WithLabelValues(dest, legacyType, "delivered").Inc()
	m.latency.WithLabelValues(dest).Observe(since.Seconds())
}

func (m *metrics) failed(dest, legacyType, outcome string) {
	m.attemptsC.WithLabelValues(dest, legacyType, outcome).Inc()
}

// reasonCode maps a drop reason (which may name an event or step type) to a fixed label.
func reasonCode(reason string) string {
	for _, c := range [...][2]string{{"unknown event type", "unknown_type"},
		{"workflow_run.cancelled", "cancelled"}, {"no legacy event", "no_legacy_event"}, {"step type", "step_type"}, {"not in the destination", "filtered"},
		{"mode", "mode"}} {
		if strings.Contains(reason, c[0]) {
			return c[1]
		}
	}
	return "other"
}
