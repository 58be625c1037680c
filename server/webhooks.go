package server

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/extend-compat-proxy/extend-compat-proxy/translate"
	"github.com/extend-compat-proxy/extend-compat-proxy/webhook"
)

// openWebhooks starts the webhook relay when destinations are configured;
// nil, nil when there are none. Payloads are completed through upstream.
func (s *Server) openWebhooks(upstream *url.URL, reg prometheus.Registerer, o translate.Options) (*webhook.Relay, error) {
	if len(s.cfg.Webhooks.Destinations) == 0 {
		return nil, nil
	}
	r, err := webhook.New(context.Background(), webhook.Options{Config: s.cfg.Webhooks, Upstream: upstream,
		WorkspaceID: s.cfg.WorkspaceID, Logger: s.log.Named("webhooks"), Registerer: reg, Translate: o})
	if err != nil {
		return nil, err
	}
	if err := r.Start(context.Background()); err != nil {
		_ = r.Close(context.Background())
		return nil, err
	}
	return r, nil
}

// withWebhooks sends /webhooks/... to the relay and everything else to next,
// so the relay shares the main listener without touching the proxy's routes.
func withWebhooks(relay *webhook.Relay, next http.Handler) http.Handler {
	if relay == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/webhooks/") {
			relay.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// simHandler is the simulator, plus GET /webhook_payloads/{token} (signed
// payload URLs) when the simulator sends webhooks.
func (s *Server) simHandler() http.Handler {
	if len(s.cfg.Simulator.Webhooks) == 0 {
		return s.Sim
	}
	s.simHooks = s.Sim.StartWebhooks(s.cfg.Simulator.Webhooks, 0)
	hooks, simulator := s.simHooks, s.Sim
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/webhook_payloads/") {
			hooks.ServeHTTP(w, r)
			return
		}
		simulator.ServeHTTP(w, r)
	})
}

// startSimWebhooks tells the sender where the simulator listens.
func (s *Server) startSimWebhooks() {
	if s.simHooks != nil {
		s.simHooks.SetPayloadBase("http://" + s.addrs["sim"])
	}
}
