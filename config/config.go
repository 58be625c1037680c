// Package config holds the proxy's operational settings: plain data, defaults
// in one function, YAML loading that refuses unknown keys, and a Validate that
// reports every problem at once.
package config

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/extend-compat-proxy/extend-compat-proxy/rollout"
	"github.com/extend-compat-proxy/extend-compat-proxy/shadow"
	"github.com/extend-compat-proxy/extend-compat-proxy/sim"
	"github.com/extend-compat-proxy/extend-compat-proxy/tracing"
	"github.com/extend-compat-proxy/extend-compat-proxy/translate"
	"github.com/extend-compat-proxy/extend-compat-proxy/webhook"
)

// Config is every operational setting. The zero value is not useful; start from Default().
type Config struct {
	// Listen is the address legacy and new clients connect to. Default ":8080".
	Listen string `yaml:"listen"`
	// AdminListen serves /metrics, /healthz and /readyz. Default "127.0.0.1:9090"; "" disables it.
	AdminListen string `yaml:"adminListen"`
	// Upstream is the 2026-02-09 API base URL, or "sim" for the embedded simulator. Default "https://api.extend.ai".
	Upstream string `yaml:"upstream"`
	// SimListen is where the embedded simulator listens when Upstream is "sim". Default "127.0.0.1:0".
	SimListen string `yaml:"simListen"`
	// DefaultVersion is the API version assumed for requests without x-extend-api-version. Default "2025-04-21".
	DefaultVersion string `yaml:"defaultVersion"`
	// UpstreamVersion is the API version of translated upstream calls: a version the registry
	// knows. Default "" (the newest the registry knows, 2026-02-09).
	UpstreamVersion string `yaml:"upstreamVersion"`
	// WorkspaceID is sent as x-extend-workspace-id upstream when the client sent none. Default "" (not sent).
	WorkspaceID string `yaml:"workspaceId"`
	// MaxBodyBytes caps a client request body; larger bodies get 413. Default 10 MiB.
	MaxBodyBytes int64 `yaml:"maxBodyBytes"`
	// MaxUpstreamBodyBytes caps an upstream response body; larger ones get 502. Default 64 MiB.
	MaxUpstreamBodyBytes int64 `yaml:"maxUpstreamBodyBytes"`
	// FanOutConcurrency bounds concurrent upstream creates for one legacy create. Default 8.
	FanOutConcurrency int `yaml:"fanOutConcurrency"`
	// Timeouts for the server, the upstream transport and each request.
	Timeouts Timeouts `yaml:"timeouts"`
	// Retry governs retries of safe upstream calls.
	Retry Retry `yaml:"retry"`
	// Log selects level and format.
	Log Log `yaml:"log"`
	// Translate holds the configurable [silent] points of the mapping.
	Translate Translate `yaml:"translate"`
	// Simulator tunes the embedded simulator's timeline.
	Simulator Simulator `yaml:"simulator"`
	// LegacyUpstream is where passthrough mode sends legacy requests; "" means Upstream
	// (the vendor picks the version by header).
	LegacyUpstream string `yaml:"legacyUpstream"`
	// Rollout chooses translate, passthrough or shadow per route and tenant (reloadable).
	Rollout rollout.Config `yaml:"rollout"`
	// Shadow bounds and tunes the background comparison (reloadable).
	Shadow shadow.Config `yaml:"shadow"`
	// Webhooks is the durable webhook relay (restart to apply); off without destinations.
	Webhooks webhook.Config `yaml:"webhooks"`
	// Tracing exports OpenTelemetry traces over OTLP; off unless an endpoint is
	// configured here or in OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT (restart to change).
	Tracing tracing.Config `yaml:"tracing"`
	// Admin holds extra surfaces of the admin listener.
	Admin Admin `yaml:"admin"`
}

// Admin holds extra surfaces of the admin listener; each is off by default.
type Admin struct {
	// Pprof serves Go's profiler at /debug/pprof/ on the admin listener only
	// (never the client listener). Default false; needs adminListen; restart to change.
	Pprof bool `yaml:"pprof"`
}

// Timeouts are server, upstream and per-request deadlines.
type Timeouts struct {
	ReadHeader     Duration `yaml:"readHeader"`     // default 10s
	Read           Duration `yaml:"read"`           // default 60s
	Write          Duration `yaml:"write"`          // default 150s; must exceed Request
	Idle           Duration `yaml:"idle"`           // default 120s
	Request        Duration `yaml:"request"`        // whole legacy request incl. fan-out; default 120s
	Upstream       Duration `yaml:"upstream"`       // one upstream call; default 60s
	UpstreamHeader Duration `yaml:"upstreamHeader"` // time to upstream response headers; default 30s
	Dial           Duration `yaml:"dial"`           // default 5s
	Compensation   Duration `yaml:"compensation"`   // rollback of a failed fan-out; default 30s
	Shutdown       Duration `yaml:"shutdown"`       // graceful drain on SIGTERM; default 30s
	// DrainDelay is how long /readyz reports not-ready before listeners stop
	// accepting, so load balancers stop routing first; default 0s.
	DrainDelay Duration `yaml:"drainDelay"`
}

// Retry configures retries of idempotent upstream calls (GET) and of calls that failed before being sent.
type Retry struct {
	MaxAttempts int      `yaml:"maxAttempts"` // total attempts including the first; default 3
	BaseDelay   Duration `yaml:"baseDelay"`   // default 100ms, doubled each attempt, jittered
	MaxDelay    Duration `yaml:"maxDelay"`    // cap per wait, also for Retry-After; default 2s
}

// Log selects the logger.
type Log struct {
	Level  string `yaml:"level"`  // debug, info, warn, error; default info
	Format string `yaml:"format"` // json or console; default json
}

// Translate holds the [silent] mapping decisions operators may change.
type Translate struct {
	MaxFiles             int               `yaml:"maxFiles"`             // default 50
	CountRawTexts        bool              `yaml:"countRawTexts"`        // default false
	ValidArrayAsBooleans bool              `yaml:"validArrayAsBooleans"` // default false
	RejectUnknownFields  bool              `yaml:"rejectUnknownFields"`  // default false
	ProcessorAliases     map[string]string `yaml:"processorAliases"`     // legacy dp_… → new id
	// OpenPageRangeEnd is the end page sent for a pageRanges item without one; 0 refuses such items (400).
	OpenPageRangeEnd int `yaml:"openPageRangeEnd"`
	// ParseBlockTypes: what becomes of parsed blocks of a type legacy lacks: text (default), drop or passthrough.
	ParseBlockTypes string `yaml:"parseBlockTypes"`
	// EvaluationItemDetails reads each item of an evaluation item list to fill expectedOutput. Default true.
	EvaluationItemDetails bool `yaml:"evaluationItemDetails"`
	// EvaluationScanLimit bounds the evaluation sets scanned to find an item's set. Default 200.
	EvaluationScanLimit int `yaml:"evaluationScanLimit"`
}

// Simulator tunes the embedded simulator.
type Simulator struct {
	PendingFor Duration `yaml:"pendingFor"` // default 200ms
	ProcessFor Duration `yaml:"processFor"` // default 1s
	// Webhooks are endpoints the simulator sends its runs' events to (signed, retried). Default none.
	Webhooks []sim.WebhookEndpoint `yaml:"webhooks"`
}

// Default returns the documented defaults.
func Default() Config {
	return Config{
		Listen:               ":8080",
		AdminListen:          "127.0.0.1:9090",
		Upstream:             "https://api.extend.ai",
		SimListen:            "127.0.0.1:0",
		DefaultVersion:       translate.LegacyVersion,
		MaxBodyBytes:         10 << 20,
		MaxUpstreamBodyBytes: 64 << 20,
		FanOutConcurrency:    8,
		Timeouts: Timeouts{
			ReadHeader: D(10 * time.Second), Read: D(60 * time.Second), Write: D(150 * time.Second),
			Idle: D(120 * time.Second), Request: D(120 * time.Second), Upstream: D(60 * time.Second),
			UpstreamHeader: D(30 * time.Second), Dial: D(5 * time.Second),
			Compensation: D(30 * time.Second), Shutdown: D(30 * time.Second),
		},
		Retry:     Retry{MaxAttempts: 3, BaseDelay: D(100 * time.Millisecond), MaxDelay: D(2 * time.Second)},
		Log:       Log{Level: "info", Format: "json"},
		Translate: Translate{MaxFiles: 50, ParseBlockTypes: "text", EvaluationItemDetails: true, EvaluationScanLimit: 200},
		Simulator: Simulator{PendingFor: D(200 * time.Millisecond), ProcessFor: D(time.Second), Webhooks: []sim.WebhookEndpoint{}},
		Rollout:   rollout.DefaultConfig(),
		Shadow:    shadow.DefaultConfig(),
		Tracing:   tracing.DefaultConfig(),
		Webhooks:  webhook.DefaultConfig(),
	}
}

// Load reads a YAML file over the defaults. Unknown keys and values of the
// wrong type are errors, all of them named with their lines at once.
func Load(path string) (Config, error) {
	cfg, _, err := LoadDocument(path)
	if err != nil {
		return cfg, fmt.Errorf("config %s: %w", path, err)
	}
	return cfg, nil
}

// LoadDocument is Load that also returns where each key is, and on problems
// (a Problems error) the configuration decoded as far as possible, so the
// caller can validate it and report everything in one run (see Explain).
func LoadDocument(path string) (Config, *Document, error) {
	cfg := Default()
	if path == "" {
		return cfg, nil, nil
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return cfg, nil, err
	}
	doc, err := Decode(raw, &cfg)
	return cfg, doc, err
}

// Parse decodes YAML into cfg, keeping values the document does not set; the
// error (Problems) names every unknown key and wrongly typed value.
func Parse(raw []byte, cfg *Config) error {
	_, err := Decode(raw, cfg)
	return err
}

// Validate reports every problem at once, one per line.
func (c Config) Validate() error { return report(c.problems()) }

// ValidateEnv is Validate plus the settings the environment completes: the
// standard OTEL_* variables and the variables tracing.headers name, read
// through getenv. Start-up and --check-config use it.
func (c Config) ValidateEnv(getenv func(string) string) error {
	_, env := tracing.Resolve(c.Tracing, getenv)
	return report(append(c.problems(), env...))
}

func report(p []string) error {
	if len(p) == 0 {
		return nil
	}
	return &ValidationError{Problems: p}
}

func (c Config) problems() []string {
	var p []string
	add := func(f string, a ...any) { p = append(p, fmt.Sprintf(f, a...)) }
	checkAddr := func(name, v string, optional bool) {
		if v == "" && optional {
			return
		}
		if _, _, err := net.SplitHostPort(v); err != nil {
			add("%s: %q is not host:port", name, v)
		}
	}
	checkAddr("listen", c.Listen, false)
	checkAddr("adminListen", c.AdminListen, true)
	if c.Admin.Pprof && c.AdminListen == "" {
		add("admin.pprof: needs adminListen (pprof is never served on the client listener)")
	}
	if c.Upstream == "sim" {
		checkAddr("simListen", c.SimListen, false)
	} else if u, err := url.Parse(c.Upstream); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		add("upstream: %q must be an http(s) URL or \"sim\"", c.Upstream)
	}
	versions := strings.Join(translate.Default.Versions(), ", ")
	if !translate.Default.Knows(c.DefaultVersion) {
		add("defaultVersion: %q must be one of %s", c.DefaultVersion, versions)
	}
	if c.UpstreamVersion != "" && !translate.Default.Knows(c.UpstreamVersion) {
		add("upstreamVersion: %q must be empty (the newest) or one of %s", c.UpstreamVersion, versions)
	}
	if c.MaxBodyBytes <= 0 {
		add("maxBodyBytes: must be > 0")
	}
	if c.MaxUpstreamBodyBytes <= 0 {
		add("maxUpstreamBodyBytes: must be > 0")
	}
	if c.FanOutConcurrency < 1 || c.FanOutConcurrency > 50 {
		add("fanOutConcurrency: %d must be between 1 and 50", c.FanOutConcurrency)
	}
	c.Timeouts.validate(add)
	if c.Retry.MaxAttempts < 1 || c.Retry.MaxAttempts > 10 {
		add("retry.maxAttempts: %d must be between 1 and 10", c.Retry.MaxAttempts)
	}
	if c.Retry.BaseDelay <= 0 || c.Retry.MaxDelay < c.Retry.BaseDelay {
		add("retry: baseDelay must be > 0 and maxDelay >= baseDelay")
	}
	switch strings.ToLower(c.Log.Level) {
	case "debug", "info", "warn", "error":
	default:
		add("log.level: %q must be debug, info, warn or error", c.Log.Level)
	}
	if c.Log.Format != "json" && c.Log.Format != "console" {
		add("log.format: %q must be json or console", c.Log.Format)
	}
	if c.Translate.MaxFiles < 1 {
		add("translate.maxFiles: must be >= 1")
	}
	if c.Translate.OpenPageRangeEnd < 0 {
		add("translate.openPageRangeEnd: must be >= 0 (0 refuses page ranges without an end)")
	}
	switch c.Translate.ParseBlockTypes {
	case "text", "drop", "passthrough":
	default:
		add("translate.parseBlockTypes: %q must be text, drop or passthrough", c.Translate.ParseBlockTypes)
	}
	if c.Translate.EvaluationScanLimit < 1 {
		add("translate.evaluationScanLimit: must be >= 1")
	}
	if c.Simulator.PendingFor < 0 || c.Simulator.ProcessFor < 0 {
		add("simulator: durations must not be negative")
	}
	if c.LegacyUpstream != "" {
		if u, err := url.Parse(c.LegacyUpstream); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			add("legacyUpstream: %q must be an http(s) URL or empty", c.LegacyUpstream)
		}
	}
	p = append(p, c.Rollout.Validate()...)
	p = append(p, c.Shadow.Validate()...)
	p = append(p, c.Tracing.Validate()...)
	p = append(p, c.Webhooks.Validate()...)
	p = append(p, sim.ValidateWebhooks(c.Simulator.Webhooks)...)
	return p
}

// ValidationError lists every invalid value, each message starting with its key path.
type ValidationError struct{ Problems []string }

func (e *ValidationError) Error() string {
	return "invalid configuration:\n  - " + strings.Join(e.Problems, "\n  - ")
}

func (t Timeouts) validate(add func(string, ...any)) {
	for _, f := range []struct {
		name string
		d    Duration
	}{
		{"readHeader", t.ReadHeader}, {"read", t.Read}, {"write", t.Write}, {"idle", t.Idle},
		{"request", t.Request}, {"upstream", t.Upstream}, {"upstreamHeader", t.UpstreamHeader},
		{"dial", t.Dial}, {"compensation", t.Compensation}, {"shutdown", t.Shutdown},
	} {
		if f.d <= 0 {
			add("timeouts.%s: must be > 0", f.name)
		}
	}
	if t.DrainDelay < 0 {
		add("timeouts.drainDelay: must not be negative")
	}
	if t.Write > 0 && t.Request > 0 && t.Write <= t.Request {
		add("timeouts.write (%s) must exceed timeouts.request (%s) so answers can be written", t.Write, t.Request)
	}
}
