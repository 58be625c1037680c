package webhook

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/tidwall/gjson"
	"go.uber.org/zap"
)

// storeTimeout bounds the insert behind an acknowledgement; past it the
// vendor gets 503 and retries.
const storeTimeout = 10 * time.Second

// ServeHTTP serves POST /webhooks/{name}, POST /webhooks/{name}/legacy and
// GET /webhooks/payloads/{token}; every other path under /webhooks/ is 404.
func (r *Relay) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	rest, ok := strings.CutPrefix(req.URL.Path, "/webhooks/")
	if !ok {
		writeError(w, http.StatusNotFound, "not found")
		return
	}
	if tok, ok := strings.CutPrefix(rest, "payloads/"); ok {
		r.servePayload(w, req, tok)
		return
	}
	name, source := rest, sourceNew
	if n, ok := strings.CutSuffix(rest, "/legacy"); ok {
		name, source = n, sourceLegacy
	}
	if strings.Contains(name, "/") || name == "" {
		writeError(w, http.StatusNotFound, "not found")
		return
	}
	if req.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeError(w, http.StatusMethodNotAllowed, "use POST")
		return
	}
	d := r.dests[name]
	if d == nil {
		writeError(w, http.StatusNotFound, "unknown webhook destination")
		return
	}
	r.receive(w, req, d, source)
}

// receive runs the checks in the documented order: size (413), signature
// and timestamp (401), content (400); then stores and acknowledges.
func (r *Relay) receive(w http.ResponseWriter, req *http.Request, d *dest, source string) {
	body, err := io.ReadAll(http.MaxBytesReader(w, req.Body, r.opt.Config.MaxBodyBytes))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		r.m.rejected(d.Name, "too_large")
		writeError(w, http.StatusRequestEntityTooLarge, "event body is larger than webhooks.maxBodyBytes")
		return
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, "could not read the event body")
		return
	}
	secrets := d.newSecrets
	if source == sourceLegacy {
		secrets = d.legacySecrets
	}
	if err := Verify(req.Header, body, secrets, r.opt.Config.Tolerance.Std(), time.Now()); err != nil {
		r.m.rejected(d.Name, "signature")
		writeError(w, http.StatusUnauthorized, err.Error())
		return
	}
	ev, msg := parseEvent(body)
	if msg != "" {
		r.m.rejected(d.Name, "not_an_event")
		writeError(w, http.StatusBadRequest, msg)
		return
	}
	if body, err = r.resolveSignedURL(req.Context(), body); err != nil {
		r.m.rejected(d.Name, "signed_url")
		writeError(w, http.StatusBadGateway, "could not fetch the signed-URL payload: "+err.Error())
		return
	}
	if err := r.store(req.Context(), d, source, ev, body); err != nil {
		r.log.Warn("webhook not stored", zap.String("destination", d.Name), zap.Error(err))
		writeError(w, http.StatusServiceUnavailable, "the event could not be stored; retry later")
		return
	}
	if ce := r.log.Check(zap.DebugLevel, "webhook received"); ce != nil {
		ce.Write(zap.String("destination", d.Name), zap.String("source", source),
			zap.String("eventId", ev.Get("eventId").Str), zap.String("eventType", ev.Get("eventType").Str))
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"received":true}` + "\n"))
}

// parseEvent checks the envelope: JSON object with string eventId and
// eventType and a payload. A message is returned for a 400.
func parseEvent(body []byte) (gjson.Result, string) {
	if !gjson.ValidBytes(body) {
		return gjson.Result{}, "the body is not JSON"
	}
	ev := gjson.ParseBytes(body)
	if !ev.IsObject() {
		return ev, "the body is not a JSON object"
	}
	if id := ev.Get("eventId"); id.Type != gjson.String || id.Str == "" {
		return ev, "eventId is missing or not a string"
	}
	if t := ev.Get("eventType"); t.Type != gjson.String || t.Str == "" {
		return ev, "eventType is missing or not a string"
	}
	if p := ev.Get("payload"); !p.Exists() || p.Type == gjson.Null {
		return ev, "payload is missing"
	}
	return ev, ""
}

// store inserts the event as a delivery or as a dropped record; a duplicate
// eventId for the destination is skipped by River's uniqueness.
func (r *Relay) store(ctx context.Context, d *dest, source string, ev gjson.Result, body []byte) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), storeTimeout)
	defer cancel()
	id, typ := ev.Get("eventId").Str, ev.Get("eventType").Str
	legacyType, drop := d.route(source, typ, gjson.GetBytes(body, "payload"))
	opts := &river.InsertOpts{Queue: queueName(d.Name), UniqueOpts: river.UniqueOpts{ByArgs: true}}
	if drop != "" {
		skipped, err := r.st.q.Insert(ctx, droppedArgs{Destination: d.Name, EventID: id, EventType: typ, Reason: drop}, opts)
		if err == nil && !skipped {
			r.m.dropped(d.Name, typ, drop)
			if d.Mode == ModeShadow && source == sourceNew && legacyType != "" {
				r.shadow.newArrived(d, typ, legacyType, []byte(gjson.GetBytes(body, "payload").Raw))
			}
		}
		return storeErr(err)
	}
	opts.MaxAttempts = len(d.Retry)
	if first := d.Retry[0].Std(); first > 0 {
		opts.ScheduledAt = time.Now().Add(first)
	}
	args := deliveryArgs{Destination: d.Name, EventID: id, Source: source, EventType: typ,
		LegacyType: legacyType, Event: json.RawMessage(body)}
	skipped, err := r.st.q.Insert(ctx, args, opts)
	if err == nil {
		r.m.received(d.Name, legacyType, skipped)
		if d.Mode == ModeShadow && !skipped {
			r.shadow.legacyArrived(d, legacyType, gjson.GetBytes(body, "payload"))
		}
	}
	return storeErr(err)
}

func storeErr(err error) error {
	if err != nil {
		return errors.Join(ErrStoreUnavailable, err)
	}
	return nil
}

// writeError answers {"error": msg}; messages never carry secrets.
func writeError(w http.ResponseWriter, status int, msg string) {
	b, _ := json.Marshal(map[string]string{"error": msg})
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}
