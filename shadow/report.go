package shadow

import (
	"sort"
	"time"
)

// Report is a JSON-friendly snapshot of the shadow results.
type Report struct {
	GeneratedAt   time.Time     `json:"generatedAt"`
	Settings      Config        `json:"settings"`
	QueueDepth    int           `json:"queueDepth"`
	QueueCapacity int           `json:"queueCapacity"`
	Routes        []RouteReport `json:"routes"`
	// Recent holds the stored differences, newest first.
	Recent []DiffRecord `json:"recent"`
}

// RouteReport is the summary of one route.
type RouteReport struct {
	Route string `json:"route"`
	// Totals has every outcome (match, mismatch, shadow_error, dropped), zero included.
	Totals map[string]int64 `json:"totals"`
	// MatchRate is match/(match+mismatch) over all time, null before the first comparison.
	MatchRate *float64 `json:"matchRate"`
	// Minutes covers the last 60 minutes, oldest first, one point per minute.
	Minutes     []MinutePoint `json:"minutes"`
	TopPaths    []PathCount   `json:"topPaths"`
	LossyPaths  []PathCount   `json:"lossyPaths"`
	LastError   string        `json:"lastError,omitempty"`
	LastErrorAt *time.Time    `json:"lastErrorAt,omitempty"`
}

// MinutePoint is one minute of one route.
type MinutePoint struct {
	Start  time.Time        `json:"start"`
	Totals map[string]int64 `json:"totals"`
	// MatchRate is null when the minute had no comparison.
	MatchRate *float64 `json:"matchRate"`
}

// PathCount is a normalised path and how many jobs differed there.
type PathCount struct {
	Path  string `json:"path"`
	Count int64  `json:"count"`
}

// routeOrder is the display order of the known routes; others follow alphabetically.
var routeOrder = map[string]int{"create": 1, "get": 2, "list": 3, "update": 4, "delete": 5, "cancel": 6, "batch": 7}

// Report returns a snapshot of the results.
func (s *Shadower) Report() Report {
	cfg := s.config()
	rep := Report{GeneratedAt: s.now().UTC(), Settings: cfg, QueueDepth: len(s.queue),
		QueueCapacity: cap(s.queue), Routes: []RouteReport{}, Recent: []DiffRecord{}}
	now := s.minute()
	st := s.stats
	st.mu.Lock()
	defer st.mu.Unlock()
	for name, r := range st.routes {
		rep.Routes = append(rep.Routes, r.report(name, now))
	}
	for i := len(st.recent) - 1; i >= 0; i-- {
		rep.Recent = append(rep.Recent, st.recent[i])
	}
	sort.Slice(rep.Routes, func(i, j int) bool {
		a, b := rep.Routes[i].Route, rep.Routes[j].Route
		oa, ob := orderOf(a), orderOf(b)
		if oa != ob {
			return oa < ob
		}
		return a < b
	})
	return rep
}

func orderOf(route string) int {
	if o, ok := routeOrder[route]; ok {
		return o
	}
	return len(routeOrder) + 1
}

func (r *routeStats) report(name string, now int64) RouteReport {
	out := RouteReport{Route: name, Totals: fullTotals(r.totals), TopPaths: topCounts(r.paths, topPaths),
		LossyPaths: topCounts(r.lossy, topPaths), LastError: r.lastError}
	out.MatchRate = rate(r.totals)
	if !r.lastErrorAt.IsZero() {
		t := r.lastErrorAt
		out.LastErrorAt = &t
	}
	for m := now - minutesKept + 1; m <= now; m++ {
		p := MinutePoint{Start: time.Unix(m*60, 0).UTC(), Totals: fullTotals(nil)}
		if b := r.minutes[bucket(m)]; b.minute == m && b.counts != nil {
			p.Totals = fullTotals(b.counts)
			p.MatchRate = rate(b.counts)
		}
		out.Minutes = append(out.Minutes, p)
	}
	return out
}

func fullTotals(m map[string]int64) map[string]int64 {
	out := make(map[string]int64, len(Outcomes))
	for _, o := range Outcomes {
		out[o] = m[o]
	}
	return out
}

func rate(m map[string]int64) *float64 {
	n := m[OutcomeMatch] + m[OutcomeMismatch]
	if n == 0 {
		return nil
	}
	v := float64(m[OutcomeMatch]) / float64(n)
	return &v
}
