package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestPrecedenceFlagsOverEnvOverFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "c.yaml")
	os.WriteFile(file, []byte("listen: \"127.0.0.1:1111\"\nupstream: \"https://file.example\"\nadminListen: \"127.0.0.1:3333\"\n"), 0o600)
	env := envOf(map[string]string{"EXTEND_COMPAT_CONFIG": file, "EXTEND_COMPAT_UPSTREAM": "https://env.example",
		"EXTEND_COMPAT_LISTEN": "127.0.0.1:2222"})
	cfg, _, err := loadConfig([]string{"--listen", "127.0.0.1:4444"}, env, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Listen != "127.0.0.1:4444" || cfg.Upstream != "https://env.example" || cfg.AdminListen != "127.0.0.1:3333" {
		t.Fatalf("precedence wrong: listen=%s upstream=%s admin=%s", cfg.Listen, cfg.Upstream, cfg.AdminListen)
	}
}

func TestCheckConfig(t *testing.T) {
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"--check-config", "--config", "config.yaml"}, envOf(nil), &out, &errb); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "configuration OK") {
		t.Fatalf("output %q", out.String())
	}
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(bad, []byte("listen: nope\nfanOutConcurrency: 0\nlog:\n  format: xml\n"), 0o600)
	err := run(context.Background(), []string{"--check-config", "--config", bad}, envOf(nil), &out, &errb)
	if err == nil {
		t.Fatal("bad config accepted")
	}
	for _, want := range []string{"listen", "fanOutConcurrency", "log.format"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not name %s: %v", want, err)
		}
	}
}

func TestRunServesAndStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var logs bytes.Buffer
	go func() {
		done <- run(ctx, []string{"--listen", "127.0.0.1:0", "--admin-listen", "", "--upstream", "sim"}, envOf(nil), &bytes.Buffer{}, &syncBuffer{b: &logs})
	}()
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestUnknownFlagIsAnError(t *testing.T) {
	if err := run(context.Background(), []string{"--nope"}, envOf(nil), &bytes.Buffer{}, &bytes.Buffer{}); err == nil {
		t.Fatal("unknown flag accepted")
	}
}

func TestSIGHUPReloads(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.yaml")
	os.WriteFile(path, []byte("listen: \"127.0.0.1:0\"\nadminListen: \"\"\nupstream: sim\n"), 0o600)
	ctx, cancel := context.WithCancel(context.Background())
	logs := &syncBuffer{b: &bytes.Buffer{}}
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"--config", path}, envOf(nil), &bytes.Buffer{}, logs) }()
	waitLog := func(what string) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for !strings.Contains(logs.String(), what) {
			if time.Now().After(deadline) {
				cancel()
				t.Fatalf("no %q in logs:\n%s", what, logs.String())
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	waitLog(`"msg":"ready"`)
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	waitLog("SIGHUP: reloading configuration")
	waitLog("reloaded configuration")
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
