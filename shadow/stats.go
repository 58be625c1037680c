package shadow

import (
	"encoding/json"
	"sort"
	"sync"
	"time"

	"go.uber.org/zap"
)

const (
	minutesKept   = 60
	topPaths      = 10
	diffsPerJob   = 20   // stored per job, so one wildly different answer cannot flush the store
	maxValueBytes = 4096 // larger stored values are dropped, keeping the store's memory bounded
)

type minuteBucket struct {
	minute int64
	counts map[string]int64
}

type routeStats struct {
	totals      map[string]int64
	minutes     [minutesKept]minuteBucket
	paths       map[string]int64
	lossy       map[string]int64
	lastError   string
	lastErrorAt time.Time
}

type stats struct {
	mu     sync.Mutex
	routes map[string]*routeStats
	labels map[string]bool // path label values handed out, capped at maxPathLabels
	recent []DiffRecord    // oldest first
}

func newStats() *stats {
	return &stats{routes: map[string]*routeStats{}, labels: map[string]bool{}}
}

// route returns the stats of a route; the caller holds mu.
func (st *stats) route(name string) (string, *routeStats) {
	if _, ok := st.routes[name]; !ok && len(st.routes) >= maxRoutes {
		name = OtherLabel
	}
	r, ok := st.routes[name]
	if !ok {
		r = &routeStats{totals: map[string]int64{}, paths: map[string]int64{}, lossy: map[string]int64{}}
		st.routes[name] = r
	}
	return name, r
}

// label returns path, or "other" once maxPathLabels distinct paths exist; the caller holds mu.
func (st *stats) label(path string) string {
	if st.labels[path] {
		return path
	}
	if len(st.labels) >= maxPathLabels {
		return OtherLabel
	}
	st.labels[path] = true
	return path
}

func (r *routeStats) count(outcome string, minute int64) {
	r.totals[outcome]++
	b := &r.minutes[bucket(minute)]
	if b.minute != minute || b.counts == nil {
		*b = minuteBucket{minute: minute, counts: map[string]int64{}}
	}
	b.counts[outcome]++
}

// bucket maps a minute to its ring slot, also for clocks before 1970.
func bucket(minute int64) int64 { return ((minute % minutesKept) + minutesKept) % minutesKept }

func (s *Shadower) minute() int64 { return s.now().Unix() / 60 }

// record counts one outcome for a route.
func (s *Shadower) record(route, outcome string) {
	st := s.stats
	st.mu.Lock()
	defer st.mu.Unlock()
	name, r := st.route(route)
	r.count(outcome, s.minute())
	s.metrics.requests.WithLabelValues(name, outcome).Inc()
}

func (s *Shadower) recordError(j Job, err error) {
	st := s.stats
	st.mu.Lock()
	name, r := st.route(j.Route)
	r.count(OutcomeShadowError, s.minute())
	r.lastError, r.lastErrorAt = err.Error(), s.now().UTC()
	st.mu.Unlock()
	s.metrics.requests.WithLabelValues(name, OutcomeShadowError).Inc()
	s.log.Warn("shadow run failed", zap.String("route", name), zap.String("served", j.Served), zap.Error(err))
}

func (s *Shadower) recordCompare(j Job, cfg Config, status int, body []byte) {
	ignore := cfg.Ignore
	if len(j.Ignore) > 0 {
		ignore = append(append([]string(nil), cfg.Ignore...), j.Ignore...)
	}
	all := CompareResponses(j.ServedStatus, j.ServedBody, status, body, ignore, cfg.Unordered)
	lossy := compilePatterns(j.LossyPaths)
	var real []Diff
	st := s.stats
	st.mu.Lock()
	name, r := st.route(j.Route)
	for _, d := range all {
		if d.Kind != KindStatus && d.Kind != KindInvalid && matchAny(lossy, splitPath(d.Path)) {
			label := st.label(d.Path)
			r.lossy[label]++
			s.metrics.lossy.WithLabelValues(name, label).Inc()
			continue
		}
		real = append(real, d)
	}
	outcome := OutcomeMatch
	if len(real) > 0 {
		outcome = OutcomeMismatch
	}
	r.count(outcome, s.minute())
	s.metrics.requests.WithLabelValues(name, outcome).Inc()
	paths := st.countPaths(name, r, real, s.metrics)
	st.store(s.records(j, cfg, real), cfg.StoreSize)
	st.mu.Unlock()
	if len(real) > 0 {
		if ce := s.log.Check(zap.InfoLevel, "shadow mismatch"); ce != nil {
			ce.Write(zap.String("route", name), zap.String("served", j.Served), zap.Int("diffs", len(real)),
				zap.Strings("paths", paths), zap.Strings("kinds", kinds(real)))
		}
	}
}

// countPaths counts each distinct normalised path once per job; the caller holds mu.
func (st *stats) countPaths(route string, r *routeStats, diffs []Diff, m *metrics) []string {
	seen := map[string]bool{}
	var paths []string
	for _, d := range diffs {
		if seen[d.Path] {
			continue
		}
		seen[d.Path] = true
		paths = append(paths, d.Path)
		label := st.label(d.Path)
		r.paths[label]++
		m.paths.WithLabelValues(route, label).Inc()
	}
	return paths
}

func kinds(diffs []Diff) []string {
	out := make([]string, 0, len(diffs))
	for _, d := range diffs {
		out = append(out, d.Kind+" "+d.Path+" ("+d.AType+"/"+d.BType+")")
	}
	return out
}

// DiffRecord is one stored difference. Served is the answer the client got, Shadow the other path's.
type DiffRecord struct {
	Time        time.Time       `json:"time"`
	Route       string          `json:"route"`
	Served      string          `json:"served"`
	Path        string          `json:"path"`
	Concrete    string          `json:"concrete"`
	Kind        string          `json:"kind"`
	ServedType  string          `json:"servedType,omitempty"`
	ShadowType  string          `json:"shadowType,omitempty"`
	ServedLen   int             `json:"servedLen,omitempty"`
	ShadowLen   int             `json:"shadowLen,omitempty"`
	ServedValue json.RawMessage `json:"servedValue,omitempty"`
	ShadowValue json.RawMessage `json:"shadowValue,omitempty"`
}

func (s *Shadower) records(j Job, cfg Config, diffs []Diff) []DiffRecord {
	now := s.now().UTC()
	var out []DiffRecord
	for i, d := range diffs {
		if i == diffsPerJob {
			break
		}
		rec := DiffRecord{Time: now, Route: j.Route, Served: j.Served, Path: d.Path, Concrete: d.Concrete,
			Kind: d.Kind, ServedType: d.AType, ShadowType: d.BType, ServedLen: d.ALen, ShadowLen: d.BLen}
		// Status codes are not customer data; everything else is kept only when asked for.
		if cfg.StoreValues || d.Kind == KindStatus {
			rec.ServedValue, rec.ShadowValue = keepValue(d.A), keepValue(d.B)
		}
		out = append(out, rec)
	}
	return out
}

func keepValue(v json.RawMessage) json.RawMessage {
	if len(v) == 0 || len(v) > maxValueBytes || !json.Valid(v) {
		return nil
	}
	return append(json.RawMessage(nil), v...)
}

// store appends records, keeping the newest size; the caller holds mu.
func (st *stats) store(recs []DiffRecord, size int) {
	st.recent = append(st.recent, recs...)
	if extra := len(st.recent) - size; extra > 0 {
		st.recent = append([]DiffRecord(nil), st.recent[extra:]...)
	}
}

func topCounts(m map[string]int64, n int) []PathCount {
	out := make([]PathCount, 0, len(m))
	for p, c := range m {
		out = append(out, PathCount{Path: p, Count: c})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Path < out[j].Path
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}
