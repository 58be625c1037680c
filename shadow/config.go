package shadow

import (
	"fmt"
	"time"

	"github.com/extend-compat-proxy/extend-compat-proxy/internal/duration"
)

// Duration is a time.Duration written in YAML and JSON as a Go duration string ("30s").
type Duration = duration.Duration

// Config is the `shadow:` section of config.yaml. Start from DefaultConfig: keys absent from the file keep
// their defaults, and a list given in the file replaces the default list.
type Config struct {
	// QueueSize bounds jobs waiting for a worker; a full queue drops. Default 256. Applies on restart.
	QueueSize int `yaml:"queueSize" json:"queueSize"`
	// Concurrency is the number of workers. Default 2. Applies on restart.
	Concurrency int `yaml:"concurrency" json:"concurrency"`
	// Timeout bounds one shadow job (the other path's request). Default 30s.
	Timeout Duration `yaml:"timeout" json:"timeout"`
	// Reads shadows get and list in shadow mode. Default true.
	Reads bool `yaml:"reads" json:"reads"`
	// Writes shadows create, update, delete, cancel and batch (opt-in). Default false.
	Writes bool `yaml:"writes" json:"writes"`
	// WriteSampleRate is the fraction of eligible writes shadowed, 0..1. Default 0.01.
	WriteSampleRate float64 `yaml:"writeSampleRate" json:"writeSampleRate"`
	// WriteBudgetPerMinute caps shadow writes per clock minute over all routes; 0 allows none. Default 10.
	WriteBudgetPerMinute int `yaml:"writeBudgetPerMinute" json:"writeBudgetPerMinute"`
	// Ignore lists extra path patterns of known noise (syntax in path.go). Default empty.
	Ignore []string `yaml:"ignore" json:"ignore"`
	// Unordered lists array paths compared as multisets. Default: outputs and stepRuns of a run
	// (their order is [silent] in the mapping); workflowRuns of a list stays ordered (the API sorts it).
	Unordered []string `yaml:"unordered" json:"unordered"`
	// StoreSize is how many recent differences are kept; 0 keeps none. Default 200.
	StoreSize int `yaml:"storeSize" json:"storeSize"`
	// StoreValues keeps the differing values, which are customer data. Default false: paths and types only.
	StoreValues bool `yaml:"storeValues" json:"storeValues"`
}

// DefaultConfig returns the defaults documented on Config.
func DefaultConfig() Config {
	return Config{
		QueueSize:            256,
		Concurrency:          2,
		Timeout:              Duration(30 * time.Second),
		Reads:                true,
		WriteSampleRate:      0.01,
		WriteBudgetPerMinute: 10,
		Unordered: []string{"workflowRun.outputs", "workflowRun.stepRuns",
			"workflowRuns.#.outputs", "workflowRuns.#.stepRuns"},
		StoreSize: 200,
	}
}

// Validate reports every problem, each prefixed with "shadow.<key>: ".
func (c Config) Validate() []string {
	var p []string
	if c.QueueSize < 1 || c.QueueSize > 1_000_000 {
		p = append(p, fmt.Sprintf("shadow.queueSize: %d is not between 1 and 1000000", c.QueueSize))
	}
	if c.Concurrency < 1 || c.Concurrency > 1024 {
		p = append(p, fmt.Sprintf("shadow.concurrency: %d is not between 1 and 1024", c.Concurrency))
	}
	if c.Timeout <= 0 {
		p = append(p, fmt.Sprintf("shadow.timeout: %s must be positive", c.Timeout))
	}
	if !(c.WriteSampleRate >= 0 && c.WriteSampleRate <= 1) { // also rejects NaN
		p = append(p, fmt.Sprintf("shadow.writeSampleRate: %v is not between 0 and 1", c.WriteSampleRate))
	}
	if c.WriteBudgetPerMinute < 0 {
		p = append(p, fmt.Sprintf("shadow.writeBudgetPerMinute: %d must not be negative", c.WriteBudgetPerMinute))
	}
	if c.StoreSize < 0 || c.StoreSize > 100_000 {
		p = append(p, fmt.Sprintf("shadow.storeSize: %d is not between 0 and 100000", c.StoreSize))
	}
	for i, s := range c.Ignore {
		if s == "" {
			p = append(p, fmt.Sprintf("shadow.ignore[%d]: empty pattern", i))
		}
	}
	for i, s := range c.Unordered {
		if s == "" {
			p = append(p, fmt.Sprintf("shadow.unordered[%d]: empty path", i))
		}
	}
	return p
}

// withFallbacks replaces values that would break the machinery (a negative channel size panics) with
// defaults, so New and Update never fail on a config that skipped Validate.
func (c Config) withFallbacks() Config {
	d := DefaultConfig()
	if c.QueueSize < 1 {
		c.QueueSize = d.QueueSize
	}
	if c.Concurrency < 1 {
		c.Concurrency = d.Concurrency
	}
	if c.Timeout <= 0 {
		c.Timeout = d.Timeout
	}
	if c.StoreSize < 0 {
		c.StoreSize = 0
	}
	return c
}
