// Package webhook is the durable webhook relay: it receives 2026-02-09 (and
// 2025-04-21) events on POST /webhooks/{name}[/legacy], stores them in a River
// queue (SQLite or Postgres) before acknowledging, and delivers legacy events
// to each destination's receiver, re-signed, with retries, a dead state and
// re-drive. Payload transforms are translate's; the event table is events.go.
package webhook

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"
	"go.uber.org/zap"

	"github.com/extend-compat-proxy/extend-compat-proxy/translate"
)

// Options configure a Relay; each zero value has the documented default.
type Options struct {
	// Config is the validated webhooks section (required, at least one destination).
	Config Config
	// Upstream is the 2026-02-09 API used to complete payloads
	// (GET /workflow_runs/{id}); nil means payloads are never completed.
	Upstream *url.URL
	// WorkspaceID is sent as x-extend-workspace-id on completion calls when set (config workspaceId).
	WorkspaceID string
	// Client performs deliveries, signed-URL fetches and completions; nil
	// means a client that never follows redirects. Its Timeout is not used:
	// each call carries its own deadline.
	Client *http.Client
	// Logger receives delivery events (never secrets or payloads); nil means none.
	Logger *zap.Logger
	// Registerer receives the relay's metrics; nil means they are not registered.
	Registerer prometheus.Registerer
	// Translate are the payload transform options (aliases, validArray form).
	Translate translate.Options
	// Workers bounds concurrent deliveries per destination in this process; 0 means 16.
	Workers int
	// PollInterval is how often a worker looks for work inserted by other
	// replicas; 0 means 200ms. Local inserts are picked up at once.
	PollInterval time.Duration
	// RescueAfter is how long a delivery may stay running (its worker gone,
	// e.g. killed) before another worker takes it over; 0 means the longest
	// destination timeout plus one minute.
	RescueAfter time.Duration
	// ShadowWindow is how long shadow mode waits for the other version of an
	// event before counting it unmatched; 0 means 10 minutes.
	ShadowWindow time.Duration
	// Jitter returns a number in [0,1) scaling the up-to-10% retry jitter; nil means math/rand.
	Jitter func() float64
}

// Relay is a running webhook relay.
type Relay struct {
	opt     Options
	log     *zap.Logger
	dests   map[string]*dest
	order   []string
	st      *store
	client  *http.Client
	m       *metrics
	worker  *deliveryWorker
	shadow  *shadowBook
	started bool
}

// dest is a destination with its secrets resolved.
type dest struct {
	Destination
	secret        string
	newSecrets    []string
	legacySecrets []string
	events        map[string]bool
}

// New opens the store (creating or migrating its schema) and prepares the
// relay; Start begins delivering.
func New(ctx context.Context, opt Options) (*Relay, error) {
	if p := opt.Config.Validate(); len(p) > 0 {
		return nil, fmt.Errorf("webhooks: invalid configuration: %v", p)
	}
	if len(opt.Config.Destinations) == 0 {
		return nil, errors.New("webhooks: no destinations configured")
	}
	r := &Relay{opt: opt, log: opt.Logger, dests: map[string]*dest{}}
	if r.log == nil {
		r.log = zap.NewNop()
	}
	if r.opt.Workers <= 0 {
		r.opt.Workers = 16
	}
	if r.opt.PollInterval <= 0 {
		r.opt.PollInterval = 200 * time.Millisecond
	}
	if r.opt.ShadowWindow <= 0 {
		r.opt.ShadowWindow = 10 * time.Minute
	}
	if r.opt.Jitter == nil {
		r.opt.Jitter = rand.Float64
	}
	r.client = opt.Client
	if r.client == nil {
		r.client = &http.Client{CheckRedirect: noRedirects}
	}
	var longest time.Duration
	for _, d := range opt.Config.Destinations {
		rd := resolve(d.withDefaults())
		r.dests[rd.Name] = rd
		r.order = append(r.order, rd.Name)
		longest = max(longest, rd.Timeout.Std())
	}
	r.m = newMetrics(opt.Registerer, r)
	r.worker = &deliveryWorker{r: r}
	r.shadow = newShadowBook(r)
	st, err := openStore(ctx, opt.Config.Store, r.riverConfig(longest))
	if err != nil {
		return nil, err
	}
	r.st = st
	return r, nil
}

// noRedirects makes a redirect answer final: a delivery is never re-sent elsewhere.
func noRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

func resolve(d Destination) *dest {
	rd := &dest{Destination: d, secret: d.Secret.Resolve(), events: map[string]bool{}}
	for _, s := range d.NewSecrets {
		rd.newSecrets = append(rd.newSecrets, s.Resolve())
	}
	for _, s := range d.LegacySecrets {
		rd.legacySecrets = append(rd.legacySecrets, s.Resolve())
	}
	for _, e := range d.Events {
		rd.events[e] = true
	}
	return rd
}

// queueName is the River queue of a destination (names are validated to fit).
func queueName(dest string) string { return "webhook_" + dest }

func (r *Relay) riverConfig(longest time.Duration) *river.Config {
	workers := river.NewWorkers()
	river.AddWorker(workers, river.Worker[deliveryArgs](r.worker))
	river.AddWorker(workers, river.WorkFunc(func(context.Context, *river.Job[droppedArgs]) error { return nil }))
	queues := map[string]river.QueueConfig{}
	for _, name := range r.order {
		queues[queueName(name)] = river.QueueConfig{MaxWorkers: r.opt.Workers}
	}
	jobTimeout := 2*longest + time.Second // the delivery plus a payload completion (deliveryWorker.Timeout)
	rescue := r.opt.RescueAfter
	if rescue <= 0 {
		rescue = longest + time.Minute
	}
	return &river.Config{
		Queues:                      queues,
		Workers:                     workers,
		JobTimeout:                  jobTimeout,
		RescueStuckJobsAfter:        max(rescue, jobTimeout+time.Second),
		FetchPollInterval:           r.opt.PollInterval,
		FetchCooldown:               min(r.opt.PollInterval, 20*time.Millisecond),
		CompletedJobRetentionPeriod: CompletedRetention,
		// Dead events stay until an operator re-drives or deletes them.
		DiscardedJobRetentionPeriod: -1,
		CancelledJobRetentionPeriod: -1,
		Logger:                      quietLogger(),
		MaxAttempts:                 len(DefaultRetry),
	}
}

// CompletedRetention is how long delivered and dropped events are kept: a
// vendor duplicate within it is recognised and not delivered again.
const CompletedRetention = 72 * time.Hour

// Start begins delivering; it returns once the workers run.
func (r *Relay) Start(ctx context.Context) error {
	if err := r.st.q.Start(ctx); err != nil {
		return fmt.Errorf("webhooks: start: %w", err)
	}
	r.started = true
	return nil
}

// Close stops the workers (in-flight deliveries finish or are retried
// later) within ctx's deadline and closes the store.
func (r *Relay) Close(ctx context.Context) error {
	var err error
	r.shadow.close()
	if r.started {
		err = r.st.q.Stop(ctx)
	}
	r.st.close()
	return err
}

// Destinations lists the configured destination names in config order.
func (r *Relay) Destinations() []string { return append([]string(nil), r.order...) }
