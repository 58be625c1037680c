package sim

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// WebhookEndpoint is one endpoint the simulator sends the events of its runs
// to, like an Extend webhook endpoint pinned to one API version.
type WebhookEndpoint struct {
	// URL receives POSTed events.
	URL string `yaml:"url" json:"url"`
	// Secret signs them (x-extend-request-signature).
	Secret string `yaml:"secret" json:"-"`
	// APIVersion is 2026-02-09 (default) or 2025-04-21: the event names and payloads sent.
	APIVersion string `yaml:"apiVersion" json:"apiVersion"`
	// PayloadFormat is json (default) or url: payloads larger than
	// URLThresholdBytes are sent as a signed URL the receiver fetches.
	PayloadFormat string `yaml:"payloadFormat" json:"payloadFormat"`
	// URLThresholdBytes is the payload size above which url format applies; 0 = always.
	URLThresholdBytes int `yaml:"urlThresholdBytes" json:"urlThresholdBytes"`
}

// ValidateWebhooks reports every problem of the simulator.webhooks list.
func ValidateWebhooks(eps []WebhookEndpoint) []string {
	var p []string
	for i, e := range eps {
		at := fmt.Sprintf("simulator.webhooks[%d]", i)
		if u, err := url.Parse(e.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			p = append(p, fmt.Sprintf("%s.url: %q must be an http(s) URL", at, e.URL))
		}
		if e.Secret == "" {
			p = append(p, at+".secret: must be set")
		}
		if e.APIVersion != "" && e.APIVersion != newVersion && e.APIVersion != legacyVersion {
			p = append(p, fmt.Sprintf("%s.apiVersion: %q must be %s or %s", at, e.APIVersion, newVersion, legacyVersion))
		}
		if e.PayloadFormat != "" && e.PayloadFormat != "json" && e.PayloadFormat != "url" {
			p = append(p, fmt.Sprintf("%s.payloadFormat: %q must be json or url", at, e.PayloadFormat))
		}
		if e.URLThresholdBytes < 0 {
			p = append(p, at+".urlThresholdBytes: must not be negative")
		}
	}
	return p
}

// WebhookRetry is the simulator's delivery schedule (compressed from the vendor's):
// the delay before each attempt.
var WebhookRetry = []time.Duration{0, 500 * time.Millisecond, 2 * time.Second, 5 * time.Second, 15 * time.Second, 30 * time.Second}

// WebhookSender watches the simulator's runs and sends an event when a run
// reaches a final status (workflow_run.*) or finishes a step
// (workflow_run.step_run.processed), to every endpoint in its version.
type WebhookSender struct {
	s        *Sim
	eps      []WebhookEndpoint
	client   *http.Client
	mu       sync.Mutex
	base     string                // where GET /webhook_payloads/{token} is served
	sent     map[string]uint64     // run id → bit set of events already sent
	payloads map[string]signedData // token → payload for url format
	stop     context.CancelFunc
	wg       sync.WaitGroup
}

type signedData struct {
	body    []byte
	expires time.Time
}

// StartWebhooks starts sending to eps every interval (0 means 50ms). Close stops it.
func (s *Sim) StartWebhooks(eps []WebhookEndpoint, interval time.Duration) *WebhookSender {
	if interval <= 0 {
		interval = 50 * time.Millisecond
	}
	ctx, cancel := context.WithCancel(context.Background())
	w := &WebhookSender{s: s, eps: eps, client: &http.Client{Timeout: 30 * time.Second},
		sent: map[string]uint64{}, payloads: map[string]signedData{}, stop: cancel}
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				for _, ev := range w.scan() {
					w.dispatch(ctx, ev)
				}
			}
		}
	}()
	return w
}

// SetPayloadBase sets the base URL of the simulator, for signed payload URLs.
func (w *WebhookSender) SetPayloadBase(base string) {
	w.mu.Lock()
	w.base = strings.TrimRight(base, "/")
	w.mu.Unlock()
}

// Close stops scanning and waits for the deliveries in flight (they are cut short).
func (w *WebhookSender) Close() {
	w.stop()
	w.wg.Wait()
}

// simEvent is one event of one run, rendered in both versions.
type simEvent struct {
	key          string // stable per run and event: the eventId's stem
	newType      string
	legacyType   string // "" when the event has no 2025-04-21 counterpart
	newPayload   []byte
	legacyPayld  []byte
	newPayloadID string
}

// dispatch sends ev to every endpoint of a version that has it, each with
// its own retries.
func (w *WebhookSender) dispatch(ctx context.Context, ev simEvent) {
	for _, ep := range w.eps {
		typ, payload, tag := ev.newType, ev.newPayload, "n"
		if ep.APIVersion == legacyVersion {
			typ, payload, tag = ev.legacyType, ev.legacyPayld, "l"
		}
		if typ == "" || payload == nil {
			continue
		}
		payload = w.maybeURL(ep, payload, ev.newPayloadID)
		body, _ := json.Marshal(map[string]any{"eventId": "evt_" + tag + "_" + ev.key, "eventType": typ,
			"payload": json.RawMessage(payload)})
		w.wg.Add(1)
		go func(ep WebhookEndpoint) {
			defer w.wg.Done()
			w.send(ctx, ep, body)
		}(ep)
	}
}

// send POSTs body signed with the endpoint's secret, retrying like the
// vendor on anything but a 2xx.
func (w *WebhookSender) send(ctx context.Context, ep WebhookEndpoint, body []byte) {
	for _, d := range WebhookRetry {
		select {
		case <-ctx.Done():
			return
		case <-time.After(d):
		}
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, ep.URL, bytes.NewReader(body))
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		mac := hmac.New(sha256.New, []byte(ep.Secret))
		mac.Write([]byte("v0:" + ts + ":"))
		mac.Write(body)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("x-extend-request-timestamp", ts)
		req.Header.Set("x-extend-request-signature", hex.EncodeToString(mac.Sum(nil)))
		resp, err := w.client.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode/100 == 2 {
				return
			}
		}
	}
}

// maybeURL replaces a payload by a signed URL when the endpoint asks for it.
func (w *WebhookSender) maybeURL(ep WebhookEndpoint, payload []byte, id string) []byte {
	if ep.PayloadFormat != "url" || len(payload) <= ep.URLThresholdBytes {
		return payload
	}
	var raw [16]byte
	_, _ = rand.Read(raw[:])
	tok := hex.EncodeToString(raw[:])
	w.mu.Lock()
	now := time.Now()
	for k, v := range w.payloads { // expired payloads go; the map stays bounded by an hour of events
		if now.After(v.expires) {
			delete(w.payloads, k)
		}
	}
	w.payloads[tok] = signedData{body: payload, expires: now.Add(time.Hour)}
	link := w.base + "/webhook_payloads/" + tok
	w.mu.Unlock()
	if ep.APIVersion == legacyVersion {
		b, _ := json.Marshal(map[string]string{"data": link}) // the 2025-04-21 docs' shape
		return b
	}
	b, _ := json.Marshal(map[string]string{"object": "signed_data_url", "data": link, "id": id})
	return b
}

// ServeHTTP answers GET /webhook_payloads/{token} with a stored payload.
func (w *WebhookSender) ServeHTTP(rw http.ResponseWriter, req *http.Request) {
	tok := strings.TrimPrefix(req.URL.Path, "/webhook_payloads/")
	w.mu.Lock()
	p, ok := w.payloads[tok]
	w.mu.Unlock()
	if !ok || time.Now().After(p.expires) || req.Method != http.MethodGet {
		rw.Header().Set("Content-Type", "application/json")
		rw.WriteHeader(http.StatusNotFound)
		_, _ = rw.Write([]byte(`{"error":"unknown or expired payload URL"}`))
		return
	}
	rw.Header().Set("Content-Type", "application/json")
	_, _ = rw.Write(p.body)
}
