package webhook

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/extend-compat-proxy/extend-compat-proxy/internal/duration"
)

// Duration is a time.Duration written in YAML and JSON as a Go duration string ("30s").
type Duration = duration.Duration

// Config is the `webhooks:` section of config.yaml. Start from DefaultConfig;
// with no destinations the relay is off and no store is opened.
type Config struct {
	// Store is "sqlite:<file>" (default "sqlite:extend-compat-webhooks.db") or a
	// postgres:// DSN shared by several replicas. Flag --webhook-store overrides it.
	Store string `yaml:"store" json:"-"`
	// MaxBodyBytes caps an inbound event; larger ones get 413. Default 10 MiB.
	MaxBodyBytes int64 `yaml:"maxBodyBytes" json:"maxBodyBytes"`
	// Tolerance is the maximum age of an inbound timestamp. Default 300s; the
	// future limit is fixed at 60s.
	Tolerance Duration `yaml:"tolerance" json:"tolerance"`
	// APIKey (or env:NAME) is used only to complete payloads with GET /workflow_runs/{id}. Default "".
	APIKey Secret `yaml:"apiKey" json:"-"`
	// PublicBaseURL is how receivers reach this proxy; required when a destination uses payloadFormat url.
	PublicBaseURL string `yaml:"publicBaseUrl" json:"publicBaseUrl"`
	// Destinations are the legacy receivers, each with its own inbound endpoints.
	Destinations []Destination `yaml:"destinations" json:"destinations"`
}

// Destination is one legacy receiver and the two inbound endpoints that feed it.
type Destination struct {
	// Name is the {name} of POST /webhooks/{name}: lowercase letters and digits, single '-' or '_' between.
	Name string `yaml:"name" json:"name"`
	// URL is the legacy receiver (http or https).
	URL string `yaml:"url" json:"url"`
	// Secret (or env:NAME) signs deliveries: the secret the receiver already verifies.
	Secret Secret `yaml:"secret" json:"-"`
	// NewSecrets verify POST /webhooks/{name}; several allow rotation.
	NewSecrets []Secret `yaml:"newSecrets" json:"-"`
	// LegacySecrets verify POST /webhooks/{name}/legacy; empty means [Secret].
	LegacySecrets []Secret `yaml:"legacySecrets" json:"-"`
	// Mode is translate (default), passthrough or shadow.
	Mode string `yaml:"mode" json:"mode"`
	// Events lists legacy event types to deliver; empty delivers all that map.
	Events []string `yaml:"events" json:"events"`
	// PayloadFormat is json (default) or url (legacy signed-URL delivery).
	PayloadFormat string `yaml:"payloadFormat" json:"payloadFormat"`
	// Timeout bounds one delivery attempt. Default 30s.
	Timeout Duration `yaml:"timeout" json:"timeout"`
	// Retry: the first entry is the delay before the first attempt, each later
	// one the delay before the next; after the last the event is dead.
	// Default 0s 5s 5m 30m 2h 5h 10h 10h.
	Retry []Duration `yaml:"retry" json:"retry"`
	// StepRunPayload is step (default: the legacy StepRun, as the 2025-04-21
	// docs say) or run (the parent legacy WorkflowRun, as the 0.0.12 SDK types say).
	StepRunPayload string `yaml:"stepRunPayload" json:"stepRunPayload"`
	// StepRunOthers is drop (default) or run: what step_run.processed events of
	// non-validation step types become.
	StepRunOthers string `yaml:"stepRunOthers" json:"stepRunOthers"`
	// CancelledAs is drop (default) or failed: workflow_run.cancelled has no legacy event.
	CancelledAs string `yaml:"cancelledAs" json:"cancelledAs"`
}

// DefaultRetry is the default delivery schedule.
var DefaultRetry = []Duration{0, Duration(5 * time.Second), Duration(5 * time.Minute), Duration(30 * time.Minute),
	Duration(2 * time.Hour), Duration(5 * time.Hour), Duration(10 * time.Hour), Duration(10 * time.Hour)}

// DefaultConfig returns the defaults documented on Config.
func DefaultConfig() Config {
	return Config{Store: "sqlite:extend-compat-webhooks.db", MaxBodyBytes: 10 << 20,
		Tolerance: Duration(300 * time.Second), Destinations: []Destination{}}
}

// withDefaults fills the per-destination defaults.
func (d Destination) withDefaults() Destination {
	def := func(s *string, v string) {
		if *s == "" {
			*s = v
		}
	}
	def(&d.Mode, ModeTranslate)
	def(&d.PayloadFormat, "json")
	def(&d.StepRunPayload, "step")
	def(&d.StepRunOthers, "drop")
	def(&d.CancelledAs, "drop")
	if d.Timeout == 0 {
		d.Timeout = Duration(30 * time.Second)
	}
	if len(d.Retry) == 0 {
		d.Retry = append([]Duration(nil), DefaultRetry...)
	}
	if len(d.LegacySecrets) == 0 && d.Secret != "" {
		d.LegacySecrets = []Secret{d.Secret}
	}
	return d
}

// Delivery modes.
const (
	ModeTranslate   = "translate"
	ModePassthrough = "passthrough"
	ModeShadow      = "shadow"
)

// nameRE fits River queue names: lowercase letters and digits, single - or _ between.
var nameRE = regexp.MustCompile(`^[a-z0-9]+(?:[_-][a-z0-9]+)*$`)

// Validate reports every problem, each prefixed with "webhooks.<key>: ".
// Secrets given as env:NAME must be set in the environment.
func (c Config) Validate() []string {
	var p []string
	add := func(f string, a ...any) { p = append(p, fmt.Sprintf("webhooks."+f, a...)) }
	if len(c.Destinations) > 0 {
		if _, _, err := ParseStore(c.Store); err != nil {
			add("store: %v", err)
		}
	}
	if c.MaxBodyBytes <= 0 {
		add("maxBodyBytes: must be > 0")
	}
	if c.Tolerance < 0 {
		add("tolerance: must not be negative")
	}
	checkSecret(add, "apiKey", c.APIKey, false)
	seen := map[string]bool{}
	for i, d := range c.Destinations {
		d = d.withDefaults()
		at := fmt.Sprintf("destinations[%d]", i)
		if !nameRE.MatchString(d.Name) || len(d.Name) > 48 {
			add("%s.name: %q must be up to 48 lowercase letters and digits, with single '-' or '_' between", at, d.Name)
		} else if d.Name == "payloads" {
			add("%s.name: \"payloads\" is reserved (GET /webhooks/payloads/{token})", at)
		} else if seen[d.Name] {
			add("%s.name: %q is used twice", at, d.Name)
		}
		seen[d.Name] = true
		d.validate(add, at, c)
	}
	return p
}

func (d Destination) validate(add func(string, ...any), at string, c Config) {
	if u, err := url.Parse(d.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		add("%s.url: %q must be an http(s) URL", at, d.URL)
	}
	checkSecret(add, at+".secret", d.Secret, true)
	for j, s := range d.NewSecrets {
		checkSecret(add, fmt.Sprintf("%s.newSecrets[%d]", at, j), s, true)
	}
	for j, s := range d.LegacySecrets {
		checkSecret(add, fmt.Sprintf("%s.legacySecrets[%d]", at, j), s, true)
	}
	oneOf := func(key, v string, allowed ...string) {
		for _, a := range allowed {
			if v == a {
				return
			}
		}
		add("%s.%s: %q must be %s", at, key, v, strings.Join(allowed, " or "))
	}
	oneOf("mode", d.Mode, ModeTranslate, ModePassthrough, ModeShadow)
	oneOf("payloadFormat", d.PayloadFormat, "json", "url")
	oneOf("stepRunPayload", d.StepRunPayload, "step", "run")
	oneOf("stepRunOthers", d.StepRunOthers, "drop", "run")
	oneOf("cancelledAs", d.CancelledAs, "drop", "failed")
	if d.Mode != ModePassthrough && len(d.NewSecrets) == 0 {
		add("%s.newSecrets: at least one is needed in %s mode (it verifies /webhooks/%s)", at, d.Mode, d.Name)
	}
	if d.PayloadFormat == "url" && c.PublicBaseURL == "" {
		add("%s.payloadFormat: url needs webhooks.publicBaseUrl", at)
	}
	for j, e := range d.Events {
		if !IsLegacyEventType(e) {
			add("%s.events[%d]: %q is not a 2025-04-21 event type", at, j, e)
		}
	}
	if d.Timeout <= 0 {
		add("%s.timeout: must be > 0", at)
	}
	for j, r := range d.Retry {
		if r < 0 {
			add("%s.retry[%d]: must not be negative", at, j)
		}
	}
	if len(d.Retry) > 25 {
		add("%s.retry: at most 25 entries", at)
	}
}

// checkSecret reports an env:NAME whose variable is unset, and an empty
// required secret, without ever printing a secret value.
func checkSecret(add func(string, ...any), key string, s Secret, required bool) {
	if name, ok := strings.CutPrefix(string(s), "env:"); ok {
		if _, set := os.LookupEnv(name); !set || name == "" {
			add("%s: environment variable %q is not set", key, name)
		}
		return
	}
	if required && s == "" {
		add("%s: must be set (a value or env:NAME)", key)
	}
}

// Secret is a configured secret: a literal or env:NAME. It prints as
// REDACTED in logs, JSON and YAML so it cannot leak through them.
type Secret string

// String hides the value.
func (s Secret) String() string { return "REDACTED" }

// MarshalJSON hides the value.
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(`"REDACTED"`), nil }

// MarshalYAML hides the value.
func (s Secret) MarshalYAML() (any, error) { return "REDACTED", nil }

// Resolve returns the secret's value, reading env:NAME from the environment.
func (s Secret) Resolve() string {
	if name, ok := strings.CutPrefix(string(s), "env:"); ok {
		return os.Getenv(name)
	}
	return string(s)
}

// ParseStore splits a store setting into its kind ("sqlite" or "postgres")
// and the file path or DSN.
func ParseStore(s string) (kind, target string, err error) {
	if f, ok := strings.CutPrefix(s, "sqlite:"); ok {
		if f == "" {
			return "", "", fmt.Errorf("sqlite: needs a file name")
		}
		return "sqlite", f, nil
	}
	if strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://") {
		if _, err := url.Parse(s); err != nil {
			return "", "", errors.New("not a valid postgres URL")
		}
		return "postgres", s, nil
	}
	return "", "", errors.New("must be sqlite:<file> or a postgres:// URL")
}
