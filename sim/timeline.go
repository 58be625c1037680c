package sim

import "time"

// Run and step statuses.
const (
	stPending     = "PENDING"
	stProcessing  = "PROCESSING"
	stProcessed   = "PROCESSED"
	stFailed      = "FAILED"
	stNeedsReview = "NEEDS_REVIEW"
	stRejected    = "REJECTED"
	stCancelled   = "CANCELLED"
)

// Step types in the order the default workflow runs them.
const (
	stepParse = iota
	stepClassify
	stepSplit
	stepExtract
	stepMerge
	stepCond
	stepRules
	stepExternal
	stepCount
)

var stepTypes = [stepCount]string{
	"PARSE", "CLASSIFY", "SPLIT", "EXTRACT", "MERGE_EXTRACT", "CONDITIONAL_EXTRACT",
	"RULE_VALIDATION", "EXTERNAL_DATA_VALIDATION",
}

// timeline is a run's state at one instant, derived lazily from its creation
// time and the options: no goroutine ever moves a run forward.
type timeline struct {
	status     string
	start      time.Time // when the run left PENDING; zero while PENDING
	end        time.Time // final or cancel time; zero while running
	steps      int       // step runs visible (started)
	done       int       // step runs finished
	stepStatus func(i int) string
	updated    time.Time
	final      bool // status is terminal (not PENDING/PROCESSING)
}

// processFor is how long r stays PROCESSING.
func (s *Sim) processFor(r *run) time.Duration {
	if r.script.slow {
		return slowProcessFor
	}
	return s.opt.ProcessFor
}

// stepTotal is the number of steps r runs: a failing run stops at EXTRACT.
func (r *run) stepTotal() int {
	if r.script.fail {
		return stepExtract + 1
	}
	return stepCount
}

// stepBounds is when step i starts and ends; the PROCESSING time is split evenly.
func (s *Sim) stepBounds(r *run, start time.Time, i int) (time.Time, time.Time) {
	d := s.processFor(r) / time.Duration(r.stepTotal())
	from := start.Add(d * time.Duration(i))
	to := from.Add(d)
	if i == r.stepTotal()-1 {
		to = start.Add(s.processFor(r)) // no rounding gap before the final status
	}
	return from, to
}

// finalStatus is the status a run reaches when its steps are over.
func (r *run) finalStatus() string {
	switch {
	case r.script.fail:
		return stFailed
	case r.script.reject:
		return stRejected
	case r.script.review:
		return stNeedsReview
	}
	return stProcessed
}

// timelineAt computes r's state at now.
func (s *Sim) timelineAt(r *run, now time.Time) timeline {
	eff := now
	if !r.cancelled.IsZero() && r.cancelled.Before(now) {
		eff = r.cancelled
	}
	tl := timeline{status: stPending, updated: latest(r.created, r.touched)}
	tl.stepStatus = func(int) string { return stProcessed }
	start := r.created.Add(s.opt.PendingFor)
	end := start.Add(s.processFor(r))
	if eff.Before(start) {
		if !r.cancelled.IsZero() && !now.Before(r.cancelled) {
			tl.status, tl.end, tl.final = stCancelled, r.cancelled, true
			tl.updated = latest(tl.updated, r.cancelled)
		}
		return tl
	}
	tl.start = start
	tl.updated = latest(tl.updated, start)
	if !eff.Before(end) {
		tl.status, tl.end, tl.final = r.finalStatus(), end, true
		tl.steps, tl.done = r.stepTotal(), r.stepTotal()
		tl.updated = latest(tl.updated, end)
		if r.script.fail {
			tl.stepStatus = func(i int) string { return failedAt(i, stepExtract) }
		}
		return tl
	}
	s.processingAt(r, &tl, eff, now)
	return tl
}

// processingAt fills tl for a run that is (or was, when cancelled) PROCESSING at eff.
func (s *Sim) processingAt(r *run, tl *timeline, eff, now time.Time) {
	start := tl.start
	tl.status = stProcessing
	for i := 0; i < r.stepTotal(); i++ {
		from, to := s.stepBounds(r, start, i)
		if !eff.Before(from) {
			tl.steps = i + 1
		}
		if !eff.Before(to) {
			tl.done = i + 1
			tl.updated = latest(tl.updated, to)
		}
	}
	running := stProcessing
	if !r.cancelled.IsZero() && !now.Before(r.cancelled) {
		tl.status, tl.end, tl.final, running = stCancelled, r.cancelled, true, stCancelled
		tl.updated = latest(tl.updated, r.cancelled)
	}
	done := tl.done
	tl.stepStatus = func(i int) string {
		if i < done {
			return stProcessed
		}
		return running
	}
}

func failedAt(i, failing int) string {
	if i == failing {
		return stFailed
	}
	return stProcessed
}

func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// fmtTime renders RFC 3339 UTC with milliseconds, like the spec examples.
func fmtTime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

// optTime renders a nullable timestamp.
func optTime(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := fmtTime(t)
	return &s
}
