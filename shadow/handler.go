package shadow

import (
	_ "embed"
	"encoding/json"
	"net/http"
	"strings"
)

//go:embed page.html
var page []byte

// Handler serves GET /admin/shadow.json ({"shadow": Report, "rollout": rollout()}) and GET /admin/shadow
// (a self-contained HTML page that renders the JSON). It matches on the path's last element, so it can be
// mounted under any prefix. rollout may be nil; its result must be JSON-marshalable.
func (s *Shadower) Handler(rollout func() any) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		h := w.Header()
		h.Set("Cache-Control", "no-store")
		h.Set("X-Content-Type-Options", "nosniff")
		switch p := strings.TrimSuffix(r.URL.Path, "/"); {
		case strings.HasSuffix(p, "/shadow.json"):
			s.serveJSON(w, rollout)
		case strings.HasSuffix(p, "/shadow"):
			h.Set("Content-Type", "text/html; charset=utf-8")
			h.Set("Content-Security-Policy", "default-src 'none'; script-src 'unsafe-inline'; "+
				"style-src 'unsafe-inline'; connect-src 'self'; img-src data:; base-uri 'none'; frame-ancestors 'none'")
			_, _ = w.Write(page)
		default:
			http.NotFound(w, r)
		}
	})
}

func (s *Shadower) serveJSON(w http.ResponseWriter, rollout func() any) {
	var ro any
	if rollout != nil {
		ro = rollout()
	}
	doc := map[string]any{"shadow": s.Report(), "rollout": ro}
	s.addSections(doc)
	body, err := json.Marshal(doc)
	if err != nil {
		// Only the rollout value can fail to marshal; serve the shadow report and say why.
		body, err = json.Marshal(map[string]any{"shadow": s.Report(), "rollout": nil, "rolloutError": err.Error()})
		if err != nil {
			http.Error(w, "report failed", http.StatusInternalServerError)
			return
		}
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(body)
}
