package webhook

import (
	"context"
	"sort"
	"sync"
	"time"

	"github.com/tidwall/gjson"

	"github.com/extend-compat-proxy/extend-compat-proxy/shadow"
)

// Shadow mode compares, for one destination, each 2026-02-09 event translated
// to legacy with the 2025-04-21 event the vendor sent for the same thing
// (same legacy event type and payload id) within Options.ShadowWindow. Pairs
// are held in memory, per replica: send both endpoints of a destination to the same one.
const (
	shadowMaxPending = 10000 // pairs waiting for their other half; the oldest is counted unmatched
	shadowTopPaths   = 20
	shadowWorkers    = 4 // concurrent translations (a run may need a completion call)
)

// ShadowTypeReport is one legacy event type in /admin/shadow.json "webhooks".
type ShadowTypeReport struct {
	Match            int64              `json:"match"`
	Mismatch         int64              `json:"mismatch"`
	Unmatched        int64              `json:"unmatched"`
	UnmatchedLegacy  int64              `json:"unmatchedLegacy"` // legacy event without a translated one
	UnmatchedNew     int64              `json:"unmatchedNew"`    // translated event without a legacy one
	Untranslatable   int64              `json:"untranslatable"`
	TopPaths         []shadow.PathCount `json:"topPaths"`
	LossyPathsIgnore []string           `json:"lossyPaths"`
}

type shadowKey struct{ dest, legacyType, id string }

type shadowHalf struct {
	legacy, translated []byte // legacy event payloads; one of them nil while waiting
	at                 time.Time
}

// shadowBook pairs and compares; every map is bounded (keys are configured
// destinations, the 17 legacy types, at most shadowMaxPending pairs, and
// shadowTopPaths... paths per type after trimming).
type shadowBook struct {
	r       *Relay
	mu      sync.Mutex
	pending map[shadowKey]*shadowHalf
	types   map[string]*ShadowTypeReport
	paths   map[string]map[string]int64
	sem     chan struct{}
	wg      sync.WaitGroup
	ctx     context.Context
	cancel  context.CancelFunc
}

func newShadowBook(r *Relay) *shadowBook {
	ctx, cancel := context.WithCancel(context.Background())
	return &shadowBook{r: r, pending: map[shadowKey]*shadowHalf{}, types: map[string]*ShadowTypeReport{},
		paths: map[string]map[string]int64{}, sem: make(chan struct{}, shadowWorkers), ctx: ctx, cancel: cancel}
}

// legacyArrived records a delivered /legacy event of a shadow destination.
func (b *shadowBook) legacyArrived(d *dest, legacyType string, payload gjson.Result) {
	b.add(shadowKey{d.Name, legacyType, payload.Get("id").String()}, []byte(payload.Raw), nil)
}

// newArrived translates a 2026 event in the background and records it; a
// full translation pool skips the comparison (counted as unmatched later).
func (b *shadowBook) newArrived(d *dest, eventType, legacyType string, payload []byte) {
	select {
	case b.sem <- struct{}{}:
	default:
		return
	}
	b.wg.Add(1)
	go func() {
		defer b.wg.Done()
		defer func() { <-b.sem }()
		ctx, cancel := context.WithTimeout(b.ctx, d.Timeout.Std())
		defer cancel()
		a := deliveryArgs{Destination: d.Name, Source: sourceNew, EventType: eventType, LegacyType: legacyType,
			Event: []byte(`{"payload":` + string(payload) + `}`)}
		out, err := b.r.legacyPayloadOf(ctx, d, a)
		if err != nil {
			b.mu.Lock()
			b.typeLocked(legacyType).Untranslatable++
			b.mu.Unlock()
			b.r.m.shadowC.WithLabelValues(d.Name, legacyType, "untranslatable").Inc()
			return
		}
		b.add(shadowKey{d.Name, legacyType, gjson.GetBytes(out, "id").String()}, nil, out)
	}()
}

// add stores one half, or compares when the other half is there.
func (b *shadowBook) add(k shadowKey, legacy, translated []byte) {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := time.Now()
	b.expireLocked(now)
	h := b.pending[k]
	if h == nil || (legacy != nil && h.legacy != nil) || (translated != nil && h.translated != nil) {
		if h != nil { // a second copy of the same side: the first stays unmatched
			b.unmatchedLocked(k, h)
		}
		if len(b.pending) >= shadowMaxPending {
			b.evictOldestLocked()
		}
		b.pending[k] = &shadowHalf{legacy: legacy, translated: translated, at: now}
		return
	}
	delete(b.pending, k)
	if legacy == nil {
		legacy = h.legacy
	} else {
		translated = h.translated
	}
	b.compareLocked(k, legacy, translated)
}

func (b *shadowBook) compareLocked(k shadowKey, legacy, translated []byte) {
	ch := lossyFor(k.legacyType)
	wrap := func(p []byte) []byte { return append(append([]byte(`{"payload":`), p...), '}') }
	diffs := shadow.Compare(wrap(legacy), wrap(translated), ch, []string{"payload.outputs", "payload.stepRuns"})
	t := b.typeLocked(k.legacyType)
	if len(diffs) == 0 {
		t.Match++
		b.r.m.shadowC.WithLabelValues(k.dest, k.legacyType, "match").Inc()
		return
	}
	t.Mismatch++
	b.r.m.shadowC.WithLabelValues(k.dest, k.legacyType, "mismatch").Inc()
	ps := b.paths[k.legacyType]
	if ps == nil {
		ps = map[string]int64{}
		b.paths[k.legacyType] = ps
	}
	for _, d := range diffs {
		if _, ok := ps[d.Path]; ok || len(ps) < 10*shadowTopPaths {
			ps[d.Path]++
		}
	}
}

// lossyFor is the union of the lossy paths of the rows emitting legacyType.
func lossyFor(legacyType string) []string {
	var out []string
	seen := map[string]bool{}
	for _, ch := range EventChanges {
		if ch.Legacy != legacyType {
			continue
		}
		for _, p := range ch.Lossy {
			if !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	return out
}

func (b *shadowBook) typeLocked(legacyType string) *ShadowTypeReport {
	t := b.types[legacyType]
	if t == nil {
		t = &ShadowTypeReport{}
		b.types[legacyType] = t
	}
	return t
}

func (b *shadowBook) unmatchedLocked(k shadowKey, h *shadowHalf) {
	t := b.typeLocked(k.legacyType)
	t.Unmatched++
	side := "unmatched_new"
	if h.legacy != nil {
		t.UnmatchedLegacy++
		side = "unmatched_legacy"
	} else {
		t.UnmatchedNew++
	}
	b.r.m.shadowC.WithLabelValues(k.dest, k.legacyType, side).Inc()
}

func (b *shadowBook) expireLocked(now time.Time) {
	for k, h := range b.pending {
		if now.Sub(h.at) > b.r.opt.ShadowWindow {
			delete(b.pending, k)
			b.unmatchedLocked(k, h)
		}
	}
}

func (b *shadowBook) evictOldestLocked() {
	var oldest shadowKey
	var at time.Time
	for k, h := range b.pending {
		if at.IsZero() || h.at.Before(at) {
			oldest, at = k, h.at
		}
	}
	b.unmatchedLocked(oldest, b.pending[oldest])
	delete(b.pending, oldest)
}

// Report returns the results per legacy event type (the "webhooks" member of /admin/shadow.json).
func (b *shadowBook) Report() map[string]ShadowTypeReport {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.expireLocked(time.Now())
	out := make(map[string]ShadowTypeReport, len(b.types))
	for typ, t := range b.types {
		r := *t
		r.TopPaths = []shadow.PathCount{}
		for p, n := range b.paths[typ] {
			r.TopPaths = append(r.TopPaths, shadow.PathCount{Path: p, Count: n})
		}
		sort.Slice(r.TopPaths, func(i, j int) bool {
			if r.TopPaths[i].Count != r.TopPaths[j].Count {
				return r.TopPaths[i].Count > r.TopPaths[j].Count
			}
			return r.TopPaths[i].Path < r.TopPaths[j].Path
		})
		if len(r.TopPaths) > shadowTopPaths {
			r.TopPaths = r.TopPaths[:shadowTopPaths]
		}
		r.LossyPathsIgnore = lossyFor(typ)
		out[typ] = r
	}
	return out
}

// close stops the background translations.
func (b *shadowBook) close() {
	b.cancel()
	b.wg.Wait()
}

// ShadowReport is the relay's shadow results per legacy event type.
func (r *Relay) ShadowReport() map[string]ShadowTypeReport { return r.shadow.Report() }
