package main

import (
	"errors"
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
	{"upstream-version", "EXTEND_COMPAT_UPSTREAM_VERSION", "API version of translated upstream calls (config: upstreamVersion; default the newest known, 2026-02-09)",
		func(c *config.Config, v string) { c.UpstreamVersion = v }},
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
	version    bool   // --version: print it and exit, no configuration needed
	configPath string // the file in use ("" for none)
}

// loadConfig applies file < environment < flags and validates the result.
// --help prints the usage to stdout and returns flag.ErrHelp; a bad flag
// returns one error (the caller prints it once) without the usage.
func loadConfig(args []string, getenv func(string) string, stdout io.Writer) (config.Config, startup, error) {
	fs := flag.NewFlagSet("extend-compat-proxy", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // the flag package would print errors and usage itself, to stderr
	configPath := fs.String("config", "", "YAML configuration file (env EXTEND_COMPAT_CONFIG); see config.yaml")
	check := fs.Bool("check-config", false, "validate the configuration, print every problem, and exit")
	version := fs.Bool("version", false, "print the version and exit")
	values := make([]*string, len(settings))
	for i, s := range settings {
		values[i] = fs.String(s.flag, "", s.usage+" (env "+s.env+")")
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printUsage(fs, stdout)
			return config.Config{}, startup{}, err
		}
		return config.Config{}, startup{}, fmt.Errorf("%w (see --help)", err)
	}
	if fs.NArg() > 0 {
		return config.Config{}, startup{}, fmt.Errorf("unexpected arguments: %s (see --help)", strings.Join(fs.Args(), " "))
	}
	st := startup{check: *check, version: *version, configPath: *configPath}
	if st.version {
		return config.Config{}, st, nil
	}
	if st.configPath == "" {
		st.configPath = getenv("EXTEND_COMPAT_CONFIG")
	}
	// A file with problems is still applied as far as it goes, so one run
	// reports its problems together with every invalid value.
	cfg, doc, fileErr := config.LoadDocument(st.configPath)
	var ps config.Problems
	if fileErr != nil && !errors.As(fileErr, &ps) {
		return cfg, st, fmt.Errorf("config: %w", fileErr)
	}
	applyOverrides(fs, values, getenv, &cfg, doc)
	return cfg, st, config.Explain(st.configPath, doc, fileErr, cfg.ValidateEnv(getenv))
}

// applyOverrides sets what the environment and the flags give over the file;
// doc forgets those keys, so their problems are not placed at a file line.
func applyOverrides(fs *flag.FlagSet, values []*string, getenv func(string) string, cfg *config.Config, doc *config.Document) {
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	for i, s := range settings {
		if v := getenv(s.env); v != "" {
			s.set(cfg, v)
			doc.Forget(s.key())
		}
		if given[s.flag] {
			s.set(cfg, *values[i])
			doc.Forget(s.key())
		}
	}
	if v := getenv("EXTEND_COMPAT_FINGERPRINT_KEY"); v != "" {
		cfg.Rollout.FingerprintKey = v
		doc.Forget("rollout.fingerprintKey")
	}
}

// key is the config file key path of a setting: --admin-listen is adminListen, --log-level is log.level.
func (s setting) key() string {
	if rest, ok := strings.CutPrefix(s.flag, "log-"); ok {
		return "log." + rest
	}
	parts := strings.Split(s.flag, "-")
	for i := 1; i < len(parts); i++ {
		parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
	}
	return strings.Join(parts, "")
}

func printUsage(fs *flag.FlagSet, w io.Writer) {
	fmt.Fprintln(w, "Usage: extend-compat-proxy [flags]\n\nServes 2025-04-21 Extend workflow-run clients through the 2026-02-09 API.\nPrecedence: flags > EXTEND_COMPAT_* environment > config file > defaults.\n\nFlags:")
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
	fmt.Fprintln(w, "\nEnvironment only:\n  EXTEND_COMPAT_FINGERPRINT_KEY\n    \tHMAC key for rollout tenant fingerprints (config: rollout.fingerprintKey)\n"+
		"  OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, OTEL_EXPORTER_OTLP_PROTOCOL,\n"+
		"  OTEL_EXPORTER_OTLP_HEADERS, OTEL_SERVICE_NAME, OTEL_TRACES_SAMPLER, OTEL_TRACES_SAMPLER_ARG, OTEL_SDK_DISABLED\n"+
		"    \tOpenTelemetry tracing; an endpoint turns it on (config: tracing; they win over it)\n\n"+
		"SIGHUP or an edit of the config file reloads the rollout and shadow sections; SIGTERM drains and stops.\n"+
		"Admin listener: /metrics, /healthz, /readyz, /admin/rollout, /admin/shadow (see README).")
}
