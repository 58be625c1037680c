package server

import (
	"context"
	"time"

	"go.uber.org/zap"
)

// probeInterval is how often the upstream is probed; a variable so tests can shorten it.
var probeInterval = 5 * time.Second

// AdminPaths lists what the admin listener serves (admin: whether it is
// enabled), for the startup log; /healthz and /readyz are on the client
// listener as well.
func AdminPaths(admin bool) []string {
	if !admin {
		return []string{"/healthz", "/readyz"}
	}
	return []string{"/metrics", "/healthz", "/readyz", "/admin/rollout", "/admin/rollout/reset",
		"/admin/shadow", "/admin/shadow.json"}
}

// probeState remembers the last probe outcome, so only transitions are logged.
type probeState struct {
	known     bool
	failing   bool
	failingAt time.Time
}

// startProbe refreshes upstream reachability every probeInterval, so readiness
// reflects the upstream even without traffic, and logs when the upstream
// stops answering (warn) and when it answers again (info).
func (s *Server) startProbe() {
	ctx, cancel := context.WithCancel(context.Background())
	s.stopProb = cancel
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		t := time.NewTicker(probeInterval)
		defer t.Stop()
		var st probeState
		for {
			err := s.Proxy.Probe(ctx)
			if ctx.Err() != nil {
				return
			}
			s.noteProbe(&st, err, time.Now())
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
}

func (s *Server) noteProbe(st *probeState, err error, now time.Time) {
	failing := err != nil
	if st.known && failing == st.failing {
		return
	}
	wasKnown := st.known
	st.known, st.failing = true, failing
	switch {
	case failing:
		st.failingAt = now
		s.log.Warn("upstream probe failing: the upstream cannot be reached; /readyz turns not-ready once nothing has answered for "+ReadyWindow.String(),
			zap.String("upstream", s.Proxy.UpstreamURL()), zap.Error(err))
	case wasKnown:
		s.log.Info("upstream probe recovered: the upstream answers again",
			zap.String("upstream", s.Proxy.UpstreamURL()), zap.Duration("failing_for", now.Sub(st.failingAt)))
	}
}
