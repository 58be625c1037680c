package server

import (
	"context"
	"net"
	"net/http"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"
)

// Regression (issue 12.12): nothing was logged when the upstream could not be
// reached; only /readyz knew. Transitions are logged once each.
func TestProbeLogsFailingAndRecovery(t *testing.T) {
	old := probeInterval
	probeInterval = 30 * time.Millisecond
	t.Cleanup(func() { probeInterval = old })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there yet
	cfg := testConfig()
	cfg.Upstream = "http://" + addr
	core, logs := observer.New(zap.InfoLevel)
	s, err := Open(cfg, zap.New(core))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(context.Background())
	failing := func() int { return logs.FilterMessageSnippet("upstream probe failing").Len() }
	recovered := func() int { return logs.FilterMessageSnippet("upstream probe recovered").Len() }
	eventually(t, "the failing warning", func() bool { return failing() == 1 })
	time.Sleep(5 * probeInterval) // more failed probes must not repeat the warning
	if failing() != 1 || recovered() != 0 {
		t.Fatalf("%d failing and %d recovered lines while the upstream stayed down", failing(), recovered())
	}
	if e := logs.FilterMessageSnippet("upstream probe failing").All()[0]; e.Level != zapcore.WarnLevel || e.ContextMap()["upstream"] != cfg.Upstream {
		t.Fatalf("failing line: %v %v", e.Level, e.ContextMap())
	}
	ln, err = net.Listen("tcp", addr)
	if err != nil {
		t.Skipf("could not listen on %s again: %v", addr, err)
	}
	up := &http.Server{Handler: http.NotFoundHandler()}
	go up.Serve(ln)
	eventually(t, "the recovery line", func() bool { return recovered() == 1 })
	if e := logs.FilterMessageSnippet("upstream probe recovered").All()[0]; e.Level != zapcore.InfoLevel {
		t.Fatalf("recovery logged at %v", e.Level)
	}
	up.Close()
	eventually(t, "a second failing warning", func() bool { return failing() == 2 })
}
