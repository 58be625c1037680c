// Command extend-compat-proxy serves legacy (2025-04-21) Extend workflow-run
// clients through the 2026-02-09 API.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/extend-compat-proxy/extend-compat-proxy/config"
	"github.com/extend-compat-proxy/extend-compat-proxy/server"
	"github.com/extend-compat-proxy/extend-compat-proxy/tracing"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "extend-compat-proxy:", err)
		}
		stop()
		os.Exit(exitCode(err))
	}
}

func exitCode(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	return 1
}

// run parses flags and environment, loads and validates the configuration,
// then serves until ctx is cancelled (SIGTERM/SIGINT) and drains.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, st, err := loadConfig(args, getenv, stdout)
	if err != nil {
		return err
	}
	if st.version {
		fmt.Fprintln(stdout, "extend-compat-proxy", buildVersion())
		return nil
	}
	if st.check {
		fmt.Fprintln(stdout, "configuration OK")
		return nil
	}
	log, err := newLogger(cfg.Log, stderr)
	if err != nil {
		return err
	}
	// Registered before serving, so an early SIGHUP reloads instead of killing the process.
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	defer func() { _ = log.Sync() }()
	tp, err := tracing.Setup(ctx, cfg.Tracing, getenv, log)
	if err != nil {
		return err
	}
	// Runs after Close below, so spans of drained requests are exported too.
	defer shutdownTracing(tp, cfg.Timeouts.Shutdown.Std(), log)
	srv, err := server.Open(cfg, log, server.WithTracing(tp))
	if err != nil {
		return err
	}
	log.Info("ready", zap.String("version", buildVersion()), zap.String("listen", srv.Addr("proxy")),
		zap.String("admin", srv.Addr("admin")), zap.Strings("admin_paths", server.AdminPaths(srv.Addr("admin") != "")),
		zap.String("upstream", cfg.Upstream), zap.String("sim", srv.Addr("sim")))
	load := func() (config.Config, error) {
		cfg, _, err := loadConfig(args, getenv, io.Discard)
		return cfg, err
	}
	if st.configPath != "" {
		if err := srv.WatchConfig(ctx, st.configPath, load); err != nil {
			log.Warn("config file not watched; SIGHUP still reloads", zap.Error(err))
		}
	}
	waitForStop(ctx, hup, log, func() { _ = srv.ReloadFrom(load) })
	log.Info("shutting down", zap.Duration("drain_delay", cfg.Timeouts.DrainDelay.Std()),
		zap.Duration("deadline", cfg.Timeouts.Shutdown.Std()))
	srv.Proxy.SetDraining(true)
	time.Sleep(cfg.Timeouts.DrainDelay.Std())
	sctx, cancel := context.WithTimeout(context.Background(), cfg.Timeouts.Shutdown.Std())
	defer cancel()
	if err := srv.Close(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	log.Info("stopped")
	return nil
}

// shutdownTracing flushes the spans still queued, bounded by the shutdown timeout.
func shutdownTracing(tp *tracing.Provider, d time.Duration, log *zap.Logger) {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	if err := tp.Shutdown(ctx); err != nil {
		log.Warn("tracing: spans lost at shutdown", zap.Error(err))
	}
}

// waitForStop blocks until ctx ends, reloading on every SIGHUP.
func waitForStop(ctx context.Context, hup <-chan os.Signal, log *zap.Logger, reload func()) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
			log.Info("SIGHUP: reloading configuration")
			reload()
		}
	}
}

// newLogger builds a zap logger: JSON for production, console for development.
func newLogger(l config.Log, w io.Writer) (*zap.Logger, error) {
	lvl, err := zapcore.ParseLevel(l.Level)
	if err != nil {
		return nil, err
	}
	encCfg := zap.NewProductionEncoderConfig()
	encCfg.TimeKey = "ts"
	encCfg.EncodeTime = zapcore.ISO8601TimeEncoder
	var enc zapcore.Encoder
	if l.Format == "console" {
		encCfg.EncodeLevel = zapcore.CapitalColorLevelEncoder
		enc = zapcore.NewConsoleEncoder(encCfg)
	} else {
		enc = zapcore.NewJSONEncoder(encCfg)
	}
	return zap.New(zapcore.NewCore(enc, zapcore.Lock(zapcore.AddSync(w)), lvl)), nil
}
