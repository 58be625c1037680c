package rollout

import (
	"fmt"
	"time"

	"github.com/extend-compat-proxy/extend-compat-proxy/internal/duration"
	"github.com/extend-compat-proxy/extend-compat-proxy/translate"
)

// Config is the `rollout:` section of config.yaml. It is reloadable.
type Config struct {
	// FingerprintKey keys the tenant fingerprints and buckets (env EXTEND_COMPAT_FINGERPRINT_KEY).
	// Required when any rule uses percent or tenants, or allow/deny lists are set.
	FingerprintKey string `yaml:"fingerprintKey" json:"-"`
	// DefaultMode applies to requests no rule matches: translate, passthrough or shadow. Default translate.
	DefaultMode Mode `yaml:"defaultMode" json:"defaultMode"`
	// ShadowServe is the path that answers the client in shadow mode: passthrough (default) or translate.
	ShadowServe Mode `yaml:"shadowServe" json:"shadowServe"`
	// KillSwitch sends every legacy request through passthrough, nothing else considered.
	KillSwitch bool `yaml:"killSwitch" json:"killSwitch"`
	// HeaderOverride honours x-extend-compat-mode (translate, passthrough, shadow) for operators' tests.
	HeaderOverride bool `yaml:"headerOverride" json:"headerOverride"`
	// Allow lists fingerprints that are always translated.
	Allow []string `yaml:"allow" json:"allow"`
	// Deny lists fingerprints that are always passed through.
	Deny []string `yaml:"deny" json:"deny"`
	// Rules are tried in order; the first match decides.
	Rules []Rule `yaml:"rules" json:"rules"`
	// Fallback switches a route to passthrough when its translated error rate is too high.
	Fallback Fallback `yaml:"fallback" json:"fallback"`
}

// Rule picks a mode for some routes and tenants.
type Rule struct {
	Name    string   `yaml:"name" json:"name"`
	Routes  []string `yaml:"routes" json:"routes"`   // empty: every route
	Tenants []string `yaml:"tenants" json:"tenants"` // empty: every tenant
	// Percent is the sticky share of tenants (0-100) the rule applies to; nil means 100.
	Percent *float64 `yaml:"percent" json:"percent"`
	Mode    Mode     `yaml:"mode" json:"mode"`
}

// Fallback configures the automatic fallback breaker.
type Fallback struct {
	Enabled     bool     `yaml:"enabled" json:"enabled"`
	Window      Duration `yaml:"window" json:"window"`           // sliding window; default 1m
	MinRequests int      `yaml:"minRequests" json:"minRequests"` // default 20
	ErrorRate   float64  `yaml:"errorRate" json:"errorRate"`     // 0-1; default 0.5
	CoolDown    Duration `yaml:"coolDown" json:"coolDown"`       // 0: until an operator resets
}

// DefaultConfig translates everything, with the fallback breaker on.
func DefaultConfig() Config {
	return Config{
		DefaultMode: Translate, ShadowServe: Passthrough,
		Allow: []string{}, Deny: []string{}, Rules: []Rule{},
		Fallback: Fallback{Enabled: true, Window: Duration(time.Minute), MinRequests: 20, ErrorRate: 0.5},
	}
}

// Routes are the translated routes rules can name: every route of the version registry.
var Routes = translate.Default.RouteNames()

// Validate returns every problem, each prefixed with its yaml path.
func (c Config) Validate() []string {
	var p []string
	add := func(f string, a ...any) { p = append(p, fmt.Sprintf(f, a...)) }
	if !c.DefaultMode.valid() {
		add("rollout.defaultMode: %q must be translate, passthrough or shadow", c.DefaultMode)
	}
	if c.ShadowServe != Translate && c.ShadowServe != Passthrough {
		add("rollout.shadowServe: %q must be translate or passthrough", c.ShadowServe)
	}
	needsKey := len(c.Allow) > 0 || len(c.Deny) > 0
	for i, r := range c.Rules {
		at := fmt.Sprintf("rollout.rules[%d]", i)
		if r.Name == "" {
			add("%s.name: required", at)
		}
		if !r.Mode.valid() {
			add("%s.mode: %q must be translate, passthrough or shadow", at, r.Mode)
		}
		for _, rt := range r.Routes {
			if !knownRoute(rt) {
				add("%s.routes: unknown route %q (known: %v)", at, rt, Routes)
			}
		}
		if r.Percent != nil && (*r.Percent < 0 || *r.Percent > 100) {
			add("%s.percent: %v must be between 0 and 100", at, *r.Percent)
		}
		needsKey = needsKey || r.Percent != nil || len(r.Tenants) > 0
	}
	if needsKey && c.FingerprintKey == "" {
		add("rollout.fingerprintKey: required when rules use percent or tenants, or allow/deny are set")
	}
	f := c.Fallback
	if f.Enabled {
		if f.Window <= 0 {
			add("rollout.fallback.window: must be > 0")
		}
		if f.MinRequests < 1 {
			add("rollout.fallback.minRequests: must be >= 1")
		}
		if f.ErrorRate <= 0 || f.ErrorRate > 1 {
			add("rollout.fallback.errorRate: %v must be in (0, 1]", f.ErrorRate)
		}
		if f.CoolDown < 0 {
			add("rollout.fallback.coolDown: must not be negative")
		}
	}
	return p
}

func knownRoute(r string) bool {
	for _, k := range Routes {
		if k == r {
			return true
		}
	}
	return false
}

// Duration is a time.Duration written as "1m" in YAML and JSON.
type Duration = duration.Duration
