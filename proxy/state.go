package proxy

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/extend-compat-proxy/extend-compat-proxy/translate"
)

// Modes a request can be served in; they label logs and metrics.
const (
	modeTranslate   = "translated"
	modePassthrough = "passthrough"
	modeLocal       = "local" // answered by the proxy itself (health, removed endpoint)
)

// reqState is what one request accumulates for its access log line and metrics.
type reqState struct {
	id            string
	route         string
	mode          string
	fanout        int
	upstreamCalls atomic.Int32
	mu            sync.Mutex
	unmapped      []string
	synthesized   []string
	unknown       []string
	omittedFields int // field paths beyond maxLoggedFields, counted only
	errMsg        string
	tenant        string      // rollout fingerprint of the API key, never the key
	reason        string      // why the mode was chosen
	body          *clientBody // the client's body, to tell its read failures from upstream ones
	// translationFailed marks an upstream answer the translator could not handle.
	translationFailed bool
}

type stateKey struct{}

func withState(ctx context.Context, st *reqState) context.Context {
	return context.WithValue(ctx, stateKey{}, st)
}

// stateFrom never returns nil, so code paths outside a request (probes, tests) work.
func stateFrom(ctx context.Context) *reqState {
	if st, ok := ctx.Value(stateKey{}).(*reqState); ok {
		return st
	}
	return &reqState{}
}

func (s *reqState) addUpstreamCall() { s.upstreamCalls.Add(1) }

func (s *reqState) note(rep *translate.Report) {
	if len(rep.Unmapped) == 0 && len(rep.Synthesized) == 0 && len(rep.Unknown) == 0 {
		return
	}
	s.mu.Lock()
	s.unmapped = s.keepFields(s.unmapped, rep.Unmapped)
	s.synthesized = s.keepFields(s.synthesized, rep.Synthesized)
	s.unknown = s.keepFields(s.unknown, rep.Unknown)
	s.mu.Unlock()
}

// Bounds of the field paths one access log line carries: a client chooses
// the keys it sends, so neither their number nor their length may grow the
// line without limit (the rest is counted in fields_omitted).
const (
	maxLoggedFields = 50
	maxFieldLen     = 200
)

// keepFields appends src to dst within the bounds; s.mu is held.
func (s *reqState) keepFields(dst, src []string) []string {
	for _, f := range src {
		if len(dst) >= maxLoggedFields {
			s.omittedFields++
			continue
		}
		if len(f) > maxFieldLen {
			f = strings.ToValidUTF8(f[:maxFieldLen], "") + "…"
		}
		dst = append(dst, f)
	}
	return dst
}

// requestID honours a sane incoming X-Request-Id or makes a new one.
func requestID(r *http.Request) string {
	if v := r.Header.Get("X-Request-Id"); v != "" && len(v) <= 128 && printableASCII(v) {
		return v
	}
	return newRequestID()
}

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return true
}
