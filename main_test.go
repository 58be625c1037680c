package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"slices"
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
	os.WriteFile(bad, []byte("listen: nope\nfanOutConcurrency: 0\nlog:\n  format: xml\ncolour: red\ntimeouts:\n  read: 5\n"), 0o600)
	err := run(context.Background(), []string{"--check-config", "--config", bad}, envOf(nil), &out, &errb)
	if err == nil {
		t.Fatal("bad config accepted")
	}
	// One run names the type error, the unknown key and the invalid values, each at its line.
	for _, want := range []string{"line 1: listen", "line 2: fanOutConcurrency", "line 4: log.format", "line 5: colour: unknown setting", "line 7: timeouts.read"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not name %s: %v", want, err)
		}
	}
}

// run serves real requests on the address it logs, and cancelling its
// context drains and stops it: afterwards nothing listens there any more.
func TestRunServesAndStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	logs := &syncBuffer{b: &bytes.Buffer{}}
	go func() {
		done <- run(ctx, []string{"--listen", "127.0.0.1:0", "--admin-listen", "", "--upstream", "sim"}, envOf(nil), &bytes.Buffer{}, logs)
	}()
	ready := waitForReady(t, logs)
	addr := ready.Listen
	if ready.Version != buildVersion() || !slices.Contains(ready.AdminPaths, "/healthz") || !slices.Contains(ready.AdminPaths, "/readyz") {
		t.Fatalf("the ready line lacks the version or the admin paths: %+v", ready)
	}
	req, _ := http.NewRequest("GET", "http://"+addr+"/workflow_runs", nil)
	req.Header.Set("Authorization", "Bearer sk_test_run")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(string(body), `{"success":true,"workflowRuns":[`) {
		t.Fatalf("legacy list through run(): %d %s", resp.StatusCode, body)
	}
	http.DefaultClient.CloseIdleConnections()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not stop after cancel")
	}
	if !strings.Contains(logs.String(), `"msg":"stopped"`) {
		t.Fatalf("no stop line in the logs:\n%s", logs.String())
	}
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		t.Fatalf("%s still accepts connections after run returned", addr)
	}
}

// readyLine is run's startup log line.
type readyLine struct {
	Msg, Listen, Version string
	AdminPaths           []string `json:"admin_paths"`
}

// waitForReady waits for run's "ready" log line and returns it.
func waitForReady(t *testing.T, logs *syncBuffer) readyLine {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		for _, line := range strings.Split(logs.String(), "\n") {
			var l readyLine
			if json.Unmarshal([]byte(line), &l) == nil && l.Msg == "ready" && l.Listen != "" {
				return l
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("no ready line in the logs:\n%s", logs.String())
	return readyLine{}
}

// Regression (issue 12.11): the error was printed twice around the usage.
// run prints nothing itself; main prints the returned error once.
func TestUnknownFlagIsOneError(t *testing.T) {
	var out, errb bytes.Buffer
	err := run(context.Background(), []string{"--nope"}, envOf(nil), &out, &errb)
	if err == nil {
		t.Fatal("unknown flag accepted")
	}
	if out.Len() != 0 || errb.Len() != 0 {
		t.Fatalf("run printed stdout %q, stderr %q; the error must be printed once, by main", out.String(), errb.String())
	}
	if msg := err.Error(); strings.Count(msg, "-nope") != 1 || !strings.Contains(msg, "--help") {
		t.Fatalf("error %q should name the flag once and point to --help", msg)
	}
}

// Regression (issue 12.11): --help printed to stderr, so `--help | less` was empty.
func TestHelpGoesToStdout(t *testing.T) {
	var out, errb bytes.Buffer
	err := run(context.Background(), []string{"--help"}, envOf(nil), &out, &errb)
	if !errors.Is(err, flag.ErrHelp) || exitCode(err) != 0 {
		t.Fatalf("--help: %v (exit %d)", err, exitCode(err))
	}
	if errb.Len() != 0 {
		t.Fatalf("--help wrote to stderr: %q", errb.String())
	}
	for _, want := range []string{"Usage: extend-compat-proxy", "-listen", "-upstream", "-config", "-version", "-check-config", "EXTEND_COMPAT_FINGERPRINT_KEY", "/metrics"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("--help lacks %q", want)
		}
	}
}

func TestVersionFlag(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"--version", "--config", "/does/not/exist.yaml"}, envOf(nil), &out, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^extend-compat-proxy \S+ \(commit \S+.*, go[0-9.]+.*\)\n$`).MatchString(out.String()) {
		t.Fatalf("--version printed %q", out.String())
	}
	got := formatVersion(&debug.BuildInfo{Main: debug.Module{Version: "v1.4.0"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.time", Value: "2026-12-01T10:00:00Z"},
		{Key: "vcs.modified", Value: "true"}}})
	if !strings.HasPrefix(got, "v1.4.0 (commit 0123456789ab, 2026-12-01T10:00:00Z, modified, go") {
		t.Fatalf("formatVersion = %q", got)
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

// Every flag is in the README's flag table, with its environment variable.
func TestReadmeTableListsEveryFlag(t *testing.T) {
	doc, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]string{} // flag → its table row
	for _, line := range strings.Split(string(doc), "\n") {
		if !strings.HasPrefix(line, "| `--") {
			continue
		}
		for _, s := range settings {
			if strings.Contains(line, "`--"+s.flag+"`") || strings.Contains(line, "`--"+s.flag+" ") {
				rows[s.flag] = line
			}
		}
	}
	for _, s := range settings {
		row, ok := rows[s.flag]
		if !ok {
			t.Errorf("README's flag table has no row for --%s", s.flag)
			continue
		}
		suffix := s.env[strings.LastIndexByte(s.env, '_'):] // "_FORMAT" in "EXTEND_COMPAT_LOG_LEVEL` / `_FORMAT"
		if !strings.Contains(row, s.env) && !strings.Contains(row, "`"+suffix+"`") {
			t.Errorf("README's row for --%s does not name %s: %s", s.flag, s.env, row)
		}
	}
}
