// Package rollout decides, per legacy request, whether the proxy translates it,
// passes it through to the legacy API, or shadows it (serves one path and
// compares the other in the background). Tenants are keyed-hash fingerprints of
// API keys; percentage rules are sticky; a breaker falls a route back to
// passthrough when its translated error rate is too high.
package rollout

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"
)

// Mode is how a legacy request is served.
type Mode string

// The three modes.
const (
	Translate   Mode = "translate"
	Passthrough Mode = "passthrough"
	Shadow      Mode = "shadow"
)

func (m Mode) valid() bool { return m == Translate || m == Passthrough || m == Shadow }

// Decision is the mode chosen for one request.
type Decision struct {
	Mode   Mode   // translate, passthrough or shadow
	Serve  Mode   // who answers the client: Mode itself, or for Shadow the configured serving path
	Tenant string // fingerprint of the API key ("" without a key)
	Reason string // kill-switch, override, deny, allow, fallback, rule:<name>, default
}

// Controller holds the live rollout configuration and the fallback breakers.
type Controller struct {
	cfg      atomic.Pointer[Config]
	now      func() time.Time
	log      *zap.Logger
	mu       sync.Mutex
	breakers map[string]*breaker
	metrics  *metrics
}

// New validates cfg and returns a Controller. reg, log and now may be nil.
func New(cfg Config, reg prometheus.Registerer, log *zap.Logger, now func() time.Time) (*Controller, error) {
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = zap.NewNop()
	}
	c := &Controller{now: now, log: log, breakers: map[string]*breaker{}, metrics: newMetrics(reg)}
	if err := c.Update(cfg); err != nil {
		return nil, err
	}
	return c, nil
}

// Update swaps in cfg atomically after validating it; on error the old config stays.
// Fallback states survive.
func (c *Controller) Update(cfg Config) error {
	if p := cfg.Validate(); len(p) > 0 {
		return &ConfigError{Problems: p}
	}
	c.cfg.Store(&cfg)
	return nil
}

// ConfigError lists every problem of a refused configuration.
type ConfigError struct{ Problems []string }

func (e *ConfigError) Error() string {
	return "invalid rollout configuration: " + strings.Join(e.Problems, "; ")
}

// Fingerprint is the tenant id of an Authorization value: HMAC-SHA256 keyed by
// key over the token (without "Bearer "), hex, 16 characters. The key itself is
// never kept.
func Fingerprint(key []byte, authorization string) string {
	tok := token(authorization)
	if tok == "" {
		return ""
	}
	m, done := keyedMAC(key)
	defer done()
	m.Write([]byte(tok))
	var sum [sha256.Size]byte
	var out [16]byte
	hex.Encode(out[:], m.Sum(sum[:0])[:8])
	return string(out[:])
}

// macPool keeps HMAC-SHA256 states keyed with one key: Reset returns a state
// to just after keying, so a request does not allocate and key a new one.
type macPool struct {
	key  string
	pool sync.Pool
}

// macs is the pool for the key in use; a reloaded key replaces it.
var macs atomic.Pointer[macPool]

// keyedMAC returns an HMAC-SHA256 keyed with key, and the func that gives it back.
func keyedMAC(key []byte) (hash.Hash, func()) {
	mp := macs.Load()
	if mp == nil || mp.key != string(key) {
		mp = &macPool{key: string(key)}
		k := mp.key
		mp.pool.New = func() any { return hmac.New(sha256.New, []byte(k)) }
		macs.Store(mp)
	}
	m := mp.pool.Get().(hash.Hash)
	m.Reset()
	return m, func() { mp.pool.Put(m) }
}

func token(authorization string) string {
	t := strings.TrimSpace(authorization)
	if len(t) > 7 && strings.EqualFold(t[:7], "bearer ") {
		t = strings.TrimSpace(t[7:])
	}
	return t
}

// bucket is the tenant's sticky position in [0, 10000): raising a percentage
// only adds tenants, and the same key always lands in the same bucket.
func bucket(key []byte, authorization string) int {
	tok := token(authorization)
	m, done := keyedMAC(key)
	defer done()
	m.Write([]byte("bucket:" + tok))
	var sum [sha256.Size]byte
	return int(binary.BigEndian.Uint64(m.Sum(sum[:0])[:8]) % 10000)
}

// Decide picks the mode for one request. override is the x-extend-compat-mode header.
func (c *Controller) Decide(route, authorization, override string) Decision {
	cfg := c.cfg.Load()
	key := []byte(cfg.FingerprintKey)
	d := Decision{Tenant: Fingerprint(key, authorization)}
	d.Mode, d.Reason = c.pick(cfg, route, authorization, d.Tenant, Mode(strings.ToLower(strings.TrimSpace(override))))
	d.Serve = d.Mode
	if d.Mode == Shadow {
		d.Serve = cfg.ShadowServe
	}
	c.metrics.decision(route, d.Mode, d.Reason)
	return d
}

func (c *Controller) pick(cfg *Config, route, auth, tenant string, override Mode) (Mode, string) {
	switch {
	case cfg.KillSwitch:
		return Passthrough, "kill-switch"
	case cfg.HeaderOverride && override.valid():
		return override, "override"
	case tenant != "" && contains(cfg.Deny, tenant):
		return Passthrough, "deny"
	case tenant != "" && contains(cfg.Allow, tenant):
		return c.unlessFallback(route, Translate, "allow")
	}
	for _, r := range cfg.Rules {
		if r.matches(route, tenant) && (r.Percent == nil || float64(bucket([]byte(cfg.FingerprintKey), auth)) < *r.Percent*100) {
			return c.unlessFallback(route, r.Mode, "rule:"+r.Name)
		}
	}
	return c.unlessFallback(route, cfg.DefaultMode, "default")
}

// unlessFallback replaces a translating mode with passthrough while the route's breaker is open.
func (c *Controller) unlessFallback(route string, m Mode, reason string) (Mode, string) {
	if m != Passthrough && c.fallbackActive(route) {
		return Passthrough, "fallback"
	}
	return m, reason
}

func (r Rule) matches(route, tenant string) bool {
	if len(r.Routes) > 0 && !contains(r.Routes, route) {
		return false
	}
	return len(r.Tenants) == 0 || (tenant != "" && contains(r.Tenants, tenant))
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func reasonLabel(r string) string {
	if strings.HasPrefix(r, "rule:") {
		return "rule"
	}
	return r
}
