// Package sim is an in-memory simulator of the Extend workflow-run API
// (2026-02-09, and the legacy 2025-04-21 surface over the same runs). It is a
// model written from the specs, independent of package translate, so that the
// proxy can be tested against it and differentially compared.
package sim

import (
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Processor ids the simulated default workflow uses. A create `outputs` entry
// whose processorId equals one of them replaces that processor's output.
const (
	ClassifierID     = "cl_Mm1Nn3Bb5Vv7Cc9Xx1Zz"
	SplitterID       = "spl_Qq3Ww5Ee7Rr9Tt1Yy3Uu"
	ExtractorID      = "ex_Ee4Rr6Tt8Yy0Uu2Ii4Oo"
	CondExtractorID  = "ex_Tx1Tx2Tx3Tx4Tx5Tx6Tx"
	LineExtractorID  = "ex_Li1Li2Li3Li4Li5Li6Li"
	defaultVersion   = "3"
	defaultPending   = 200 * time.Millisecond
	defaultProcess   = time.Second
	defaultMaxRuns   = 10000
	slowProcessFor   = time.Hour
	maxBodyBytes     = 16 << 20
	maxMetadataBytes = 10 * 1024
)

// Options configure a Sim; the zero value gives the documented defaults.
type Options struct {
	Now        func() time.Time // clock; nil = time.Now
	PendingFor time.Duration    // time a new run stays PENDING; 0 = 200ms
	ProcessFor time.Duration    // time from PROCESSING to the final status; 0 = 1s
	MaxRuns    int              // memory bound; oldest runs evicted; 0 = 10000
	// MaxRecorded bounds the request log (GET /_sim/requests); the oldest
	// entries are overwritten; 0 = 1000.
	MaxRecorded int
	// MaxUploadBytes bounds one streamed file upload; 0 = 64 MB.
	MaxUploadBytes int64
}

// Sim is the simulator; it implements http.Handler and is safe for concurrent use.
type Sim struct {
	opt     Options
	handler http.Handler

	mu       sync.Mutex
	runs     map[string]*run
	order    []string // run ids in creation order (may hold deleted ids; compacted lazily)
	seq      uint64
	creates  map[string]int // create calls per workflow id, for the _err scripts
	textSeq  int            // names generated text files text-<n>.txt
	requests ring           // request log, bounded
	st       *surfaceState  // files, parse runs, processors, evaluation sets, workflows
}

// New returns a simulator with the given options.
func New(o Options) *Sim {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.PendingFor <= 0 {
		o.PendingFor = defaultPending
	}
	if o.ProcessFor <= 0 {
		o.ProcessFor = defaultProcess
	}
	if o.MaxRuns <= 0 {
		o.MaxRuns = defaultMaxRuns
	}
	if o.MaxRecorded <= 0 {
		o.MaxRecorded = defaultMaxRecorded
	}
	if o.MaxUploadBytes <= 0 {
		o.MaxUploadBytes = maxUploadBytes
	}
	s := &Sim{opt: o, runs: map[string]*run{}, creates: map[string]int{}, requests: newRing(o.MaxRecorded), st: newSurfaceState()}
	s.handler = s.routes()
	return s
}

// RunCount reports the live (not deleted, not evicted) runs.
func (s *Sim) RunCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.runs)
}

// simFile is one file known to a run: an input file or a split sub-file.
type simFile struct {
	id, name    string
	typ         string // "" renders as null
	parent      string // parent file id for split sub-files
	pageCount   int
	parentSplit *split
	created     time.Time
}

// split is one split of the SPLIT step, with the sub-file it produced.
type split struct {
	id, classificationID, typ, observation, identifier, name string
	start, end                                               int
	file                                                     *simFile
}

// script is the behaviour forced by substrings of the workflow id.
type script struct {
	fail, review, reviewed, reject, slow bool
}

// run is the stored state of one workflow run; everything time-dependent is
// derived from it by timeline().
type run struct {
	seq        uint64
	id         string
	workflowID string
	version    string
	name       string // legacy run name: the file name, or the one set by an update
	created    time.Time
	touched    time.Time // last update call
	cancelled  time.Time // zero when never cancelled
	metadata   map[string]json.RawMessage
	batchID    string
	priority   float64
	files      []*simFile
	pkg        bool
	script     script

	parseRunID, classifyRunID, splitRunID, extractRunID, mergeRunID, condRunID string
	stepIDs                                                                    [stepCount]string
	versionID                                                                  string

	classifyID, classifyType string
	classifyConf             float64
	splits                   []split
	extractValue             json.RawMessage
	condValue                json.RawMessage
	corrections              map[int]*correction // human reviews by step index
}

const idAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// newID returns prefix followed by n random alphanumerics; collisions are
// negligible at the lengths used and checked where ids are keys.
func newID(prefix string, n int) string {
	var b strings.Builder
	b.Grow(len(prefix) + n)
	b.WriteString(prefix)
	for i := 0; i < n; i++ {
		b.WriteByte(idAlphabet[rand.IntN(len(idAlphabet))])
	}
	return b.String()
}

// workflowName follows the contract: invoice workflows are "AP Invoice Intake".
func workflowName(id string) string {
	if strings.Contains(id, "invoice") {
		return "AP Invoice Intake"
	}
	return "Workflow " + id
}

// scriptFor reads the behaviour substrings of a workflow id.
func scriptFor(workflowID string) script {
	sc := script{
		fail:   strings.Contains(workflowID, "_fail"),
		reject: strings.Contains(workflowID, "_reject"),
		slow:   strings.Contains(workflowID, "_slow"),
	}
	// "_reviewed" contains "_review", so it is checked first.
	if strings.Contains(workflowID, "_reviewed") {
		sc.reviewed = true
	} else if strings.Contains(workflowID, "_review") {
		sc.review = true
	}
	return sc
}

// addRunLocked stores r and evicts the oldest runs beyond MaxRuns.
func (s *Sim) addRunLocked(r *run) {
	for {
		if _, dup := s.runs[r.id]; !dup {
			break
		}
		r.id = newID("workflow_run_", 20)
	}
	s.seq++
	r.seq = s.seq
	s.runs[r.id] = r
	s.order = append(s.order, r.id)
	for len(s.runs) > s.opt.MaxRuns && len(s.order) > 0 {
		oldest := s.order[0]
		s.order = s.order[1:]
		delete(s.runs, oldest)
	}
	if len(s.order) > 2*len(s.runs)+64 {
		s.compactLocked()
	}
}

// compactLocked drops deleted ids from the creation order.
func (s *Sim) compactLocked() {
	kept := make([]string, 0, len(s.runs))
	for _, id := range s.order {
		if _, ok := s.runs[id]; ok {
			kept = append(kept, id)
		}
	}
	s.order = kept
}

// deleteRunLocked removes a run; it reports whether it existed.
func (s *Sim) deleteRunLocked(id string) bool {
	if _, ok := s.runs[id]; !ok {
		return false
	}
	delete(s.runs, id)
	if len(s.order) > 2*len(s.runs)+64 {
		s.compactLocked()
	}
	return true
}
