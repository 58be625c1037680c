package webhook

import (
	"context"
	"encoding/json"
	"errors"
	"html/template"
	"io"
	"net/http"
	"time"

	"github.com/tidwall/gjson"
)

// AdminHandler serves, for the admin listener only: GET /admin/webhooks.json,
// GET /admin/webhooks (the same as a page) and POST /admin/webhooks/redrive.
func (r *Relay) AdminHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /admin/webhooks.json", r.serveStatsJSON)
	mux.HandleFunc("GET /admin/webhooks", r.serveStatsPage)
	mux.HandleFunc("POST /admin/webhooks/redrive", r.serveRedrive)
	return mux
}

func (r *Relay) serveStatsJSON(w http.ResponseWriter, req *http.Request) {
	ctx, cancel := context.WithTimeout(req.Context(), 10*time.Second)
	defer cancel()
	stats, err := r.Stats(ctx)
	if err != nil {
		writeError(w, http.StatusServiceUnavailable, "the webhook store is unavailable")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(map[string]any{"destinations": stats})
}

type redriveRequest struct {
	Destination string `json:"destination"`
	EventID     string `json:"eventId"`
	Since       string `json:"since"`
}

func (r *Relay) serveRedrive(w http.ResponseWriter, req *http.Request) {
	var rr redriveRequest
	body, err := io.ReadAll(io.LimitReader(req.Body, 64<<10))
	if err != nil || json.Unmarshal(body, &rr) != nil {
		writeError(w, http.StatusBadRequest, `body must be {"destination","eventId"} or {"destination","since"}`)
		return
	}
	var since time.Time
	if rr.Since != "" {
		if since, err = time.Parse(time.RFC3339, rr.Since); err != nil {
			writeError(w, http.StatusBadRequest, "since must be an RFC 3339 time")
			return
		}
	}
	if r.dests[rr.Destination] == nil {
		writeError(w, http.StatusNotFound, "unknown webhook destination")
		return
	}
	n, err := r.Redrive(req.Context(), rr.Destination, rr.EventID, since)
	if errors.Is(err, ErrRedriveRequest) {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if err != nil {
		writeError(w, http.StatusServiceUnavailable, "the webhook store is unavailable")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]int{"requeued": n})
}

var statsPage = template.Must(template.New("webhooks").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Webhook relay</title><link rel="icon" href="data:,">
<style>body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:1.5em}
td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}.dead{color:#b00;font-weight:bold}</style></head>
<body><h1>Webhook relay</h1>
{{range .}}<section class="destination" data-name="{{.Name}}"><h2>{{.Name}} <small>({{.Mode}})</small></h2>
<table class="counts"><tr><th>received</th><th>delivered</th><th>pending</th><th>retrying</th><th>dead</th>
<th>dropped</th><th>oldest pending (s)</th></tr><tr><td class="received">{{.Received}}</td>
<td class="delivered">{{.Delivered}}</td><td class="pending">{{.Pending}}</td><td class="retrying">{{.Retrying}}</td>
<td class="dead{{if .Dead}} dead{{end}}">{{.Dead}}</td><td class="dropped">{{.Dropped}}</td>
<td class="oldest">{{printf "%.0f" .OldestPendingSeconds}}</td></tr></table>
<h3>Last errors</h3>{{if .LastErrors}}<table class="errors"><tr><th>at</th><th>eventId</th><th>eventType</th>
<th>attempt</th><th>status</th><th>error</th></tr>{{range .LastErrors}}<tr><td>{{.At.Format "2006-01-02 15:04:05Z07:00"}}</td>
<td class="eventId">{{.EventID}}</td><td>{{.EventType}}</td><td>{{.Attempt}}</td><td>{{.Status}}</td>
<td class="error">{{.Error}}</td></tr>{{end}}</table>{{else}}<p class="no-errors">none</p>{{end}}
</section>{{else}}<p>No destinations configured.</p>{{end}}
<p>Re-drive dead events: <code>POST /admin/webhooks/redrive {"destination":"…","eventId":"…"}</code>
or <code>{"destination":"…","since":"RFC 3339"}</code>.</p></body></html>`))

func (r *Relay) serveStatsPage(w http.ResponseWriter, req *http.Request) {
	ctx, cancel := context.WithTimeout(req.Context(), 10*time.Second)
	defer cancel()
	stats, err := r.Stats(ctx)
	if err != nil {
		http.Error(w, "the webhook store is unavailable", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_ = statsPage.Execute(w, stats)
}

// servePayload answers GET /webhooks/payloads/{token}: the legacy payload of
// a stored event, for receivers of payloadFormat url.
func (r *Relay) servePayload(w http.ResponseWriter, req *http.Request, tok string) {
	if req.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		writeError(w, http.StatusMethodNotAllowed, "use GET")
		return
	}
	d, id, err := r.checkPayloadToken(tok, time.Now())
	if err != nil {
		writeError(w, http.StatusNotFound, err.Error())
		return
	}
	row, err := r.st.q.Get(req.Context(), id)
	if err != nil {
		writeError(w, http.StatusNotFound, errBadToken.Error())
		return
	}
	var a deliveryArgs
	if json.Unmarshal(row.EncodedArgs, &a) != nil || a.Destination != d.Name {
		writeError(w, http.StatusNotFound, errBadToken.Error())
		return
	}
	payload, err := r.legacyPayloadOf(req.Context(), d, a)
	if err != nil {
		writeError(w, http.StatusBadGateway, "the payload could not be built")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(stringify(gjson.ParseBytes(payload)))
}
