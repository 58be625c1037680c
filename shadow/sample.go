package shadow

import (
	"sync"
	"time"

	"github.com/extend-compat-proxy/extend-compat-proxy/translate"
)

// writeRoutes are the routes whose shadow creates or changes upstream state.
var writeRoutes = map[string]bool{"create": true, "update": true, "delete": true, "cancel": true, "batch": true}

// readRoutes are the routes shadowed when Config.Reads is on: every GET of
// the version registry (workflow runs, files, parse runs, processors,
// evaluation sets). Writes beyond workflow runs are never shadowed: their
// shadow copies would need a cleanup of their own.
var readRoutes = func() map[string]bool {
	m := map[string]bool{}
	for _, rt := range translate.DefaultRoutes() {
		if rt.Method == "GET" {
			m[rt.Name] = true
		}
	}
	return m
}()

// writeBudget samples shadow writes and caps them per clock minute.
type writeBudget struct {
	mu     sync.Mutex
	random func() float64
	minute int64
	used   int
}

// SetRandom replaces the source of uniform numbers in [0,1) used for write sampling (tests pass a
// deterministic one).
func (s *Shadower) SetRandom(f func() float64) {
	s.writes.mu.Lock()
	defer s.writes.mu.Unlock()
	s.writes.random = f
}

// AllowWrite reports whether this write request should be shadowed: Writes on, the route a write route,
// the sample drawn, and the per-minute budget (over all routes, by clock minute) not spent. Every true
// uses one unit of budget, so call it once per request and only in shadow mode.
func (s *Shadower) AllowWrite(route string) bool {
	cfg := s.config()
	if !cfg.Writes || !writeRoutes[route] || cfg.WriteSampleRate <= 0 {
		return false
	}
	w := &s.writes
	w.mu.Lock()
	defer w.mu.Unlock()
	if cfg.WriteSampleRate < 1 && w.random() >= cfg.WriteSampleRate {
		return false
	}
	minute := s.now().Unix() / int64(time.Minute/time.Second)
	if minute != w.minute {
		w.minute, w.used = minute, 0
	}
	if w.used >= cfg.WriteBudgetPerMinute {
		return false
	}
	w.used++
	return true
}

// ShouldShadow reports whether a request on route should be shadowed: Reads for get and list, AllowWrite
// for write routes, false for anything else.
func (s *Shadower) ShouldShadow(route string) bool {
	if readRoutes[route] {
		return s.config().Reads
	}
	return s.AllowWrite(route)
}
