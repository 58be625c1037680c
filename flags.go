package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/extend-compat-proxy/extend-compat-proxy/config"
)

// setting is one flag with its environment variable and the config field it sets.
type setting struct {
	flag, env, usage string
	set              func(*config.Config, string)
}

var settings = []setting{
	{"listen", "EXTEND_COMPAT_LISTEN", "address to serve clients on (config: listen; default :8080)",
		func(c *config.Config, v string) { c.Listen = v }},
	{"upstream", "EXTEND_COMPAT_UPSTREAM", "2026-02-09 API base URL, or \"sim\" for the embedded simulator (config: upstream; default https://api.extend.ai)",
		func(c *config.Config, v string) { c.Upstream = v }},
	{"admin-listen", "EXTEND_COMPAT_ADMIN_LISTEN", "address for /metrics, /healthz, /readyz; empty disables (config: adminListen; default 127.0.0.1:9090)",
		func(c *config.Config, v string) { c.AdminListen = v }},
	{"sim-listen", "EXTEND_COMPAT_SIM_LISTEN", "address of the embedded simulator with --upstream sim (config: simListen; default 127.0.0.1:0)",
		func(c *config.Config, v string) { c.SimListen = v }},
	{"default-version", "EXTEND_COMPAT_DEFAULT_VERSION", "API version for requests without x-extend-api-version (config: defaultVersion; default 2025-04-21)",
		func(c *config.Config, v string) { c.DefaultVersion = v }},
	{"workspace-id", "EXTEND_COMPAT_WORKSPACE_ID", "x-extend-workspace-id sent upstream when the client sends none (config: workspaceId)",
		func(c *config.Config, v string) { c.WorkspaceID = v }},
	{"webhook-store", "EXTEND_COMPAT_WEBHOOK_STORE", "webhook relay store: sqlite:<file> or postgres://... (config: webhooks.store; default sqlite:extend-compat-webhooks.db)",
		func(c *config.Config, v string) { c.Webhooks.Store = v }},
	{"log-level", "EXTEND_COMPAT_LOG_LEVEL", "debug, info, warn or error (config: log.level; default info)",
		func(c *config.Config, v string) { c.Log.Level = v }},
	{"log-format", "EXTEND_COMPAT_LOG_FORMAT", "json or console (config: log.format; default json)",
		func(c *config.Config, v string) { c.Log.Format = v }},
}

// startup is what the command line asks for besides settings.
type startup struct {
	check      bool   // --check-config
	configPath string // the file in use ("" for none)
}

// loadConfig applies file < environment < flags and validates the result.
func loadConfig(args []string, getenv func(string) string, stderr io.Writer) (config.Config, startup, error) {
	fs := flag.NewFlagSet("extend-compat-proxy", flag.ContinueOnError)
	fs.SetOutput(stderr)
	configPath := fs.String("config", "", "YAML configuration file (env EXTEND_COMPAT_CONFIG); see config.yaml")
	check := fs.Bool("check-config", false, "validate the configuration, print the problems, and exit")
	values := make([]*string, len(settings))
	for i, s := range settings {
		values[i] = fs.String(s.flag, "", s.usage+" (env "+s.env+")")
	}
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: extend-compat-proxy [flags]\n\nServes 2025-04-21 Extend workflow-run clients through the 2026-02-09 API.\nPrecedence: flags > EXTEND_COMPAT_* environment > config file > defaults.\n\nFlags:")
		fs.PrintDefaults()
		fmt.Fprintln(stderr, "\nEnvironment only:\n  EXTEND_COMPAT_FINGERPRINT_KEY\n    \tHMAC key for rollout tenant fingerprints (config: rollout.fingerprintKey)\n\nSIGHUP or an edit of the config file reloads the rollout and shadow sections; SIGTERM drains and stops.")
	}
	if err := fs.Parse(args); err != nil {
		return config.Config{}, startup{}, err
	}
	if fs.NArg() > 0 {
		return config.Config{}, startup{}, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	st := startup{check: *check, configPath: *configPath}
	if st.configPath == "" {
		st.configPath = getenv("EXTEND_COMPAT_CONFIG")
	}
	cfg, err := config.Load(st.configPath)
	if err != nil {
		return cfg, st, err
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	for i, s := range settings {
		if v := getenv(s.env); v != "" {
			s.set(&cfg, v)
		}
		if given[s.flag] {
			s.set(&cfg, *values[i])
		}
	}
	if v := getenv("EXTEND_COMPAT_FINGERPRINT_KEY"); v != "" {
		cfg.Rollout.FingerprintKey = v
	}
	return cfg, st, cfg.Validate()
}
