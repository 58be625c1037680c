package shadow

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"
)

// Outcomes of a shadow job, as counted in shadow_requests_total and Report totals.
const (
	OutcomeMatch       = "match"
	OutcomeMismatch    = "mismatch"
	OutcomeShadowError = "shadow_error"
	OutcomeDropped     = "dropped"
)

// Outcomes lists every outcome in display order.
var Outcomes = []string{OutcomeMatch, OutcomeMismatch, OutcomeShadowError, OutcomeDropped}

// Job is one request to shadow. The served half is already answered; Run runs the other path.
type Job struct {
	// Route is create, get, list, update, delete, cancel or batch.
	Route string
	// Served is "translate" or "passthrough": the path that answered the client.
	Served string
	// ServedStatus and ServedBody are the legacy-shaped answer the client got.
	ServedStatus int
	ServedBody   []byte
	// Run runs the other path under ctx (it must honour ctx: the timeout works through it) and returns a
	// legacy-shaped answer. A nil Run is a shadow error.
	Run func(ctx context.Context) (status int, body []byte, err error)
	// Cleanup, when set, is called after the comparison, also after an error or timeout (shadowBody is then
	// nil), for example to cancel and delete a run a shadow write created. It gets a fresh Timeout.
	Cleanup func(ctx context.Context, shadowBody []byte)
	// LossyPaths are patterns the mapping documents as lossy for this route: differences there are counted
	// as "lossy" per path and do not make a mismatch.
	LossyPaths []string
	// Ignore are extra patterns ignored for this job only, on top of Config.Ignore: for example the ids
	// and timestamps that differ by nature between two separate creates of a shadow write.
	Ignore []string
}

// Shadower runs shadow jobs on a bounded queue and keeps their results. Its methods are safe for
// concurrent use.
type Shadower struct {
	cfg     atomic.Pointer[Config]
	queue   chan Job
	mu      sync.RWMutex // guards closed against sends on a closed queue
	closed  bool
	base    context.Context
	cancel  context.CancelFunc
	workers sync.WaitGroup
	log     *zap.Logger
	now     func() time.Time
	metrics *metrics
	stats   *stats
	writes  writeBudget
	extra   sections // extra members of /admin/shadow.json (sections.go)
}

// New starts a Shadower with cfg.Concurrency workers. reg, log and now may be nil (no registration, no
// logging, time.Now). Values that Validate rejects are replaced by defaults rather than failing.
func New(cfg Config, reg prometheus.Registerer, log *zap.Logger, now func() time.Time) *Shadower {
	cfg = cfg.withFallbacks()
	if log == nil {
		log = zap.NewNop()
	}
	if now == nil {
		now = time.Now
	}
	s := &Shadower{queue: make(chan Job, cfg.QueueSize), log: log, now: now, stats: newStats()}
	s.cfg.Store(&cfg)
	s.base, s.cancel = context.WithCancel(context.Background())
	s.metrics = newMetrics(reg, func() float64 { return float64(len(s.queue)) })
	s.writes.random = rand.Float64
	for range cfg.Concurrency {
		s.workers.Add(1)
		go s.work()
	}
	return s
}

func (s *Shadower) config() Config { return *s.cfg.Load() }

// Update applies a reloaded config at once, except QueueSize and Concurrency, which apply on restart
// (the queue and the workers are made once).
func (s *Shadower) Update(cfg Config) {
	cfg = cfg.withFallbacks()
	s.cfg.Store(&cfg)
}

// Submit queues a job without ever blocking. It returns false, and counts the job as dropped, when the
// queue is full or the Shadower is closed.
func (s *Shadower) Submit(j Job) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if !s.closed {
		select {
		case s.queue <- j:
			return true
		default:
		}
	}
	s.record(j.Route, OutcomeDropped)
	return false
}

// Close stops accepting jobs and waits for queued and running jobs within ctx. When ctx ends first, it
// cancels the running jobs, lets the workers count the queued ones as dropped and returns ctx's error
// without waiting further.
func (s *Shadower) Close(ctx context.Context) error {
	s.mu.Lock()
	if !s.closed {
		s.closed = true
		close(s.queue)
	}
	s.mu.Unlock()
	done := make(chan struct{})
	go func() { s.workers.Wait(); close(done) }()
	select {
	case <-done:
		s.cancel()
		return nil
	case <-ctx.Done():
		s.cancel() // running jobs see a cancelled context and finish on their own; queued ones are dropped
		return ctx.Err()
	}
}

func (s *Shadower) work() {
	defer s.workers.Done()
	for j := range s.queue {
		if s.base.Err() != nil {
			s.record(j.Route, OutcomeDropped)
			continue
		}
		s.process(j)
	}
}

func (s *Shadower) process(j Job) {
	cfg := s.config()
	ctx, cancel := context.WithTimeout(s.base, cfg.Timeout.Std())
	status, body, err := runSafely(ctx, j.Run)
	cancel()
	if err != nil {
		s.recordError(j, err)
		body = nil
	} else {
		s.recordCompare(j, cfg, status, body)
	}
	if j.Cleanup != nil {
		cctx, ccancel := context.WithTimeout(s.base, cfg.Timeout.Std())
		defer ccancel()
		if err := cleanupSafely(cctx, j.Cleanup, body); err != nil {
			s.log.Warn("shadow cleanup failed", zap.String("route", j.Route), zap.Error(err))
		}
	}
}

// runSafely turns a panic in the other path into an error: a shadow job must never take the process down.
func runSafely(ctx context.Context, run func(context.Context) (int, []byte, error)) (status int, body []byte, err error) {
	if run == nil {
		return 0, nil, errors.New("job has no Run")
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("shadow run panicked: %v", r)
		}
	}()
	status, body, err = run(ctx)
	if err == nil && ctx.Err() != nil {
		err = ctx.Err() // an answer after the deadline is not trusted as complete
	}
	return status, body, err
}

func cleanupSafely(ctx context.Context, f func(context.Context, []byte), body []byte) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("cleanup panicked: %v", r)
		}
	}()
	f(ctx, body)
	return nil
}
