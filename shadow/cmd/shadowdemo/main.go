// Command shadowdemo serves the shadow report handler filled with deterministic results, for the browser
// test of the admin page and for looking at the page by hand. It prints "listening http://ADDR" once bound.
//
// Seeded results (the browser test asserts these):
//
//	get     30 match, 4 mismatch on workflowRun.status, lossy workflowRun.files.#.usage  → 88.2%
//	list    20 match, 1 mismatch on workflowRuns.#.initialRunAt (type)                     → 95.2%
//	create  3 match, 1 mismatch on workflowRuns.#.name, 1 shadow error, 3 dropped          → 75.0%
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/extend-compat-proxy/extend-compat-proxy/rollout"
	"github.com/extend-compat-proxy/extend-compat-proxy/shadow"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "shadowdemo:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("shadowdemo", flag.ContinueOnError)
	listen := fs.String("listen", "127.0.0.1:0", "address to serve /admin/shadow on")
	if err := fs.Parse(args); err != nil {
		return err
	}
	clk := &clock{t: time.Date(2026, 2, 9, 11, 50, 0, 0, time.UTC)}
	cfg := shadow.DefaultConfig()
	cfg.Concurrency, cfg.QueueSize = 1, 2
	s := shadow.New(cfg, nil, nil, clk.Now)
	defer func() { _ = s.Close(context.Background()) }()
	seed(s, clk)

	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	ro, err := demoRollout(clk.Now)
	if err != nil {
		return err
	}
	mux.Handle("/admin/", s.Handler(func() any { return ro.Status() }))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second, WriteTimeout: 10 * time.Second}
	fmt.Printf("listening http://%s\n", ln.Addr())
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// demoRollout is a real rollout controller with a canary rule set and a
// tripped fallback on create, so the page shows what an operator would see.
func demoRollout(now func() time.Time) (*rollout.Controller, error) {
	pct := func(v float64) *float64 { return &v }
	cfg := rollout.DefaultConfig()
	cfg.FingerprintKey = "demo-key"
	cfg.DefaultMode = rollout.Passthrough
	cfg.HeaderOverride = true
	cfg.Rules = []rollout.Rule{
		{Name: "pilot-tenants", Routes: []string{"get", "list"}, Mode: rollout.Shadow, Percent: pct(25)},
		{Name: "translate-writes", Routes: []string{"create"}, Mode: rollout.Translate, Percent: pct(5)},
	}
	cfg.Fallback.MinRequests = 5
	c, err := rollout.New(cfg, nil, nil, now)
	if err != nil {
		return nil, err
	}
	d := rollout.Decision{Mode: rollout.Translate, Serve: rollout.Translate}
	for i := 0; i < 8; i++ {
		c.Observe("create", d, 502, false)
	}
	return c, nil
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func answer(status int, body string) func(context.Context) (int, []byte, error) {
	return func(context.Context) (int, []byte, error) { return status, []byte(body), nil }
}

// runJob submits a job and waits until it is recorded, so each result lands in the minute the clock shows.
func runJob(s *shadow.Shadower, j shadow.Job) {
	done := make(chan struct{})
	j.Cleanup = func(context.Context, []byte) { close(done) }
	if s.Submit(j) {
		<-done
	}
}

const (
	getBody  = `{"success":true,"workflowRun":{"id":"workflow_run_1","status":"PROCESSED","files":[{"id":"file_1","usage":{"credits":2}}]}}`
	listBody = `{"success":true,"workflowRuns":[{"id":"workflow_run_1","initialRunAt":"2026-02-09T11:00:00.000Z"}]}`
	runsBody = `{"success":true,"workflowRuns":[{"id":"workflow_run_2","name":"invoice.pdf"}]}`
)

func seed(s *shadow.Shadower, clk *clock) {
	get := shadow.Job{Route: "get", Served: "passthrough", ServedStatus: 200, ServedBody: []byte(getBody),
		Run:        answer(200, `{"success":true,"workflowRun":{"id":"workflow_run_1","status":"PROCESSED","files":[{"id":"file_1"}]}}`),
		LossyPaths: []string{"workflowRun.files.#.usage"}}
	getBad := get
	getBad.Run = answer(200, `{"success":true,"workflowRun":{"id":"workflow_run_1","status":"PENDING","files":[{"id":"file_1"}]}}`)
	list := shadow.Job{Route: "list", Served: "passthrough", ServedStatus: 200, ServedBody: []byte(listBody), Run: answer(200, listBody)}
	for i := range 10 {
		for range 3 {
			runJob(s, get)
		}
		if i%3 == 0 {
			runJob(s, getBad)
		}
		runJob(s, list)
		runJob(s, list)
		clk.Add(time.Minute)
	}
	listBad := list
	listBad.Run = answer(200, `{"success":true,"workflowRuns":[{"id":"workflow_run_1","initialRunAt":null}]}`)
	runJob(s, listBad)
	seedCreate(s)
	clk.Add(30 * time.Second)
}

func seedCreate(s *shadow.Shadower) {
	create := shadow.Job{Route: "create", Served: "translate", ServedStatus: 200, ServedBody: []byte(runsBody), Run: answer(200, runsBody)}
	bad := create
	bad.Run = answer(200, `{"success":true,"workflowRuns":[{"id":"workflow_run_2","name":""}]}`)
	runJob(s, bad)
	failing := create
	failing.Run = func(context.Context) (int, []byte, error) { return 0, nil, errors.New("upstream: connection refused") }
	runJob(s, failing)

	// Fill the worker and the queue (size 2), then three more are dropped.
	var wg sync.WaitGroup
	started, gate := make(chan struct{}), make(chan struct{})
	blocker := create
	blocker.Run = func(context.Context) (int, []byte, error) { close(started); <-gate; return 200, []byte(runsBody), nil }
	for i, j := range []shadow.Job{blocker, create, create, create, create, create} {
		wg.Add(1)
		j.Cleanup = func(context.Context, []byte) { wg.Done() }
		if !s.Submit(j) {
			wg.Done()
		}
		if i == 0 {
			<-started
		}
	}
	close(gate)
	wg.Wait()
}
