package proxy

import (
	"strconv"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
)

// childCache pre-resolves the per-request metric children. WithLabelValues
// hashes every label value and takes the vector's lock on each call; a
// request instead finds its children with one lookup in a read-mostly map.
// The keys are the label values themselves, so the cache holds no more
// entries than the metric has series.
type childCache struct {
	requests sync.Map // requestKey → requestChildren
	upstream sync.Map // upstreamKey → prometheus.Observer
	fields   sync.Map // fieldKey → prometheus.Counter
}

type requestKey struct {
	route, mode string
	status      int
}

type requestChildren struct {
	count    prometheus.Counter
	duration prometheus.Observer
}

type upstreamKey struct{ op, code string }

// fieldKey names an unmapped_fields_total (synthesized false) or
// synthesized_fields_total child; labels come from translate.ReportLabel,
// which folds anything undeclared into "other", so the keys stay bounded.
type fieldKey struct {
	synthesized bool
	route       string
	label       string
}

// request returns the requests_total and request_duration_seconds children.
func (c *childCache) request(m *Metrics, route, mode string, status int) requestChildren {
	k := requestKey{route, mode, status}
	if v, ok := c.requests.Load(k); ok {
		return v.(requestChildren)
	}
	ch := requestChildren{
		count:    m.requests.WithLabelValues(route, strconv.Itoa(status), mode),
		duration: m.requestDuration.WithLabelValues(route, mode),
	}
	c.requests.Store(k, ch)
	return ch
}

// upstreamObserver returns the upstream_request_duration_seconds child.
func (c *childCache) upstreamObserver(m *Metrics, op, code string) prometheus.Observer {
	k := upstreamKey{op, code}
	if v, ok := c.upstream.Load(k); ok {
		return v.(prometheus.Observer)
	}
	o := m.upstreamDuration.WithLabelValues(op, code)
	c.upstream.Store(k, o)
	return o
}

// field returns the unmapped or synthesized field counter of route and label.
func (c *childCache) field(m *Metrics, synthesized bool, route, label string) prometheus.Counter {
	k := fieldKey{synthesized, route, label}
	if v, ok := c.fields.Load(k); ok {
		return v.(prometheus.Counter)
	}
	vec := m.unmapped
	if synthesized {
		vec = m.synthesized
	}
	ctr := vec.WithLabelValues(route, label)
	c.fields.Store(k, ctr)
	return ctr
}
