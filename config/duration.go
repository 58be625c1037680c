package config

import (
	"time"

	"github.com/extend-compat-proxy/extend-compat-proxy/internal/duration"
)

// Duration is a time.Duration written in YAML as a Go duration string ("10s", "250ms").
type Duration = duration.Duration

// D converts a time.Duration.
func D(d time.Duration) Duration { return Duration(d) }
