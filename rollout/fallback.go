package rollout

import (
	"time"

	"go.uber.org/zap"
)

// slots per window: the window slides in steps of window/slots.
const slots = 10

// breaker counts translated outcomes of one route over a sliding window.
type breaker struct {
	start  []time.Time // slot start times
	total  []int
	failed []int
	active bool
	since  time.Time
	until  time.Time // zero: until an operator resets
	rate   float64
	reason string
}

func newBreaker() *breaker {
	return &breaker{start: make([]time.Time, slots), total: make([]int, slots), failed: make([]int, slots)}
}

// Observe feeds the breaker with a request that used the translate path: a 5xx
// or a translation failure counts as an error.
func (c *Controller) Observe(route string, d Decision, status int, translationFailed bool) {
	if d.Mode == Passthrough || (d.Mode == Shadow && d.Serve != Translate) {
		return
	}
	cfg := c.cfg.Load().Fallback
	if !cfg.Enabled {
		return
	}
	now := c.now()
	c.mu.Lock()
	defer c.mu.Unlock()
	b := c.breaker(route)
	if b.active {
		return
	}
	width := time.Duration(cfg.Window) / slots
	i := int(now.UnixNano()/int64(width)) % slots
	slotStart := now.Truncate(width)
	if !b.start[i].Equal(slotStart) {
		b.start[i], b.total[i], b.failed[i] = slotStart, 0, 0
	}
	b.total[i]++
	if status >= 500 || translationFailed {
		b.failed[i]++
	}
	total, failed := 0, 0
	for j := range b.start {
		if now.Sub(b.start[j]) < time.Duration(cfg.Window) {
			total += b.total[j]
			failed += b.failed[j]
		}
	}
	if total >= cfg.MinRequests && float64(failed)/float64(total) >= cfg.ErrorRate {
		c.trip(route, b, cfg, now, float64(failed)/float64(total), total)
	}
}

func (c *Controller) trip(route string, b *breaker, cfg Fallback, now time.Time, rate float64, total int) {
	b.active, b.since, b.rate = true, now, rate
	b.until = time.Time{}
	if cfg.CoolDown > 0 {
		b.until = now.Add(time.Duration(cfg.CoolDown))
	}
	b.reason = "translated error rate over the window reached the threshold"
	c.metrics.fallbackActive.WithLabelValues(route).Set(1)
	c.metrics.transitions.WithLabelValues(route, "tripped").Inc()
	c.log.Warn("rollout fallback: route falls back to passthrough",
		zap.String("route", route), zap.Float64("error_rate", rate), zap.Int("requests", total),
		zap.Duration("window", time.Duration(cfg.Window)), zap.Float64("threshold", cfg.ErrorRate),
		zap.Duration("cool_down", time.Duration(cfg.CoolDown)))
}

func (c *Controller) breaker(route string) *breaker {
	b, ok := c.breakers[route]
	if !ok {
		b = newBreaker()
		c.breakers[route] = b
	}
	return b
}

// fallbackActive reports whether route is in fallback, ending an expired cool-down.
func (c *Controller) fallbackActive(route string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	b, ok := c.breakers[route]
	if !ok || !b.active {
		return false
	}
	if !b.until.IsZero() && !c.now().Before(b.until) {
		c.reset(route, b, "cool-down over")
		return false
	}
	return true
}

// ResetFallback ends the fallback of route ("" for every route) and reports whether any was active.
func (c *Controller) ResetFallback(route string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	done := false
	for r, b := range c.breakers {
		if (route == "" || r == route) && b.active {
			c.reset(r, b, "operator reset")
			done = true
		}
	}
	return done
}

func (c *Controller) reset(route string, b *breaker, why string) {
	*b = *newBreaker()
	c.metrics.fallbackActive.WithLabelValues(route).Set(0)
	c.metrics.transitions.WithLabelValues(route, "reset").Inc()
	c.log.Info("rollout fallback: route translates again", zap.String("route", route), zap.String("why", why))
}
