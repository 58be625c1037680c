package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"github.com/tidwall/gjson"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// deliveryArgs is one stored event to deliver. Destination and EventID are
// unique together: a vendor duplicate is stored and delivered once.
type deliveryArgs struct {
	Destination string          `json:"destination" river:"unique"`
	EventID     string          `json:"eventId" river:"unique"`
	Source      string          `json:"source"`     // sourceNew or sourceLegacy
	EventType   string          `json:"eventType"`  // as received
	LegacyType  string          `json:"legacyType"` // as delivered
	Event       json.RawMessage `json:"event"`      // the inbound event, signed-URL payload resolved
}

// Kind names the River job kind.
func (deliveryArgs) Kind() string { return "webhook_delivery" }

// droppedArgs records an event accepted but not delivered (unknown type,
// mode, filter), so drops are counted in the store like everything else.
type droppedArgs struct {
	Destination string `json:"destination" river:"unique"`
	EventID     string `json:"eventId" river:"unique"`
	EventType   string `json:"eventType"`
	Reason      string `json:"reason"`
}

// Kind names the River job kind.
func (droppedArgs) Kind() string { return "webhook_dropped" }

// MaxRetryAfter caps a receiver's Retry-After.
const MaxRetryAfter = time.Hour

// deliveryWorker delivers one event per job. River retries a returned error
// at NextRetry; a river.JobCancel error makes the event dead at once.
type deliveryWorker struct {
	river.WorkerDefaults[deliveryArgs]
	r *Relay
	// retryAfter carries a receiver's Retry-After from Work to NextRetry,
	// which River calls right after Work on the same worker, by job id.
	retryAfter sync.Map
}

// deliveryError is a failed attempt; its text is what the admin page shows.
type deliveryError struct {
	status int
	msg    string
}

func (e *deliveryError) Error() string {
	if e.status == 0 {
		return e.msg
	}
	return fmt.Sprintf("HTTP %d: %s", e.status, e.msg)
}

// Timeout bounds a whole job: the delivery plus a payload completion, each
// bounded by the destination timeout.
func (w *deliveryWorker) Timeout(job *river.Job[deliveryArgs]) time.Duration {
	if d := w.r.dests[job.Args.Destination]; d != nil {
		return 2*d.Timeout.Std() + time.Second
	}
	return time.Minute
}

// Work translates (for 2026 events) and delivers one event.
func (w *deliveryWorker) Work(ctx context.Context, job *river.Job[deliveryArgs]) error {
	a := job.Args
	d := w.r.dests[a.Destination]
	if d == nil {
		return river.JobCancel(errors.New("destination is no longer configured"))
	}
	body, err := w.r.legacyBody(ctx, d, a, job.ID)
	if errors.Is(err, errUntranslatable) {
		w.r.m.failed(d.Name, a.LegacyType, "untranslatable")
		w.r.logDelivery(zap.WarnLevel, "webhook dead: untranslatable payload", d, a, zap.Error(err))
		return river.JobCancel(err)
	}
	if err != nil {
		w.r.m.failed(d.Name, a.LegacyType, "completion")
		w.r.logDelivery(zap.WarnLevel, "webhook payload completion failed; will retry", d, a, zap.Error(err))
		return err
	}
	status, retryAfter, err := w.r.post(ctx, d, body)
	switch {
	case err == nil && status >= 200 && status < 300:
		w.r.m.delivered(d.Name, a.LegacyType, time.Since(job.CreatedAt))
		w.r.logDelivery(zap.DebugLevel, "webhook delivered", d, a, zap.Int("attempt", job.Attempt), zap.Int("status", status))
		return nil
	case err != nil:
		w.r.m.failed(d.Name, a.LegacyType, "network")
		err = &deliveryError{msg: err.Error()}
	case status == http.StatusGone:
		w.r.m.failed(d.Name, a.LegacyType, "gone")
		err = &deliveryError{status: status, msg: "receiver answered 410 Gone: event dead"}
		w.r.logDelivery(zap.WarnLevel, "webhook dead", d, a, zap.Int("attempt", job.Attempt), zap.Error(err))
		return river.JobCancel(err)
	default:
		w.r.m.failed(d.Name, a.LegacyType, strconv.Itoa(status))
		if retryAfter > 0 {
			w.retryAfter.Store(job.ID, retryAfter)
		}
		err = &deliveryError{status: status, msg: http.StatusText(status)}
	}
	msg := "webhook delivery failed; will retry"
	if job.Attempt >= job.MaxAttempts {
		msg = "webhook dead after its last retry"
	}
	w.r.logDelivery(zap.WarnLevel, msg, d, a, zap.Int("attempt", job.Attempt), zap.Error(err))
	return err
}

// NextRetry applies the destination's schedule: attempt n (1-based, just
// failed) waits retry[n], plus up to 10% jitter; a longer Retry-After
// replaces that delay (capped at MaxRetryAfter) and uses up the entry.
func (w *deliveryWorker) NextRetry(job *river.Job[deliveryArgs]) time.Time {
	var sched []Duration
	if d := w.r.dests[job.Args.Destination]; d != nil {
		sched = d.Retry
	}
	delay := scheduledDelay(sched, job.Attempt, w.r.opt.Jitter())
	if v, ok := w.retryAfter.LoadAndDelete(job.ID); ok {
		if ra := min(v.(time.Duration), MaxRetryAfter); ra > delay {
			delay = ra
		}
	}
	return time.Now().Add(max(delay, time.Millisecond))
}

// scheduledDelay is retry[attempt] scaled by 1+0.1*jitter; past the end
// (an event re-driven after its schedule ran out) the last entry applies.
func scheduledDelay(sched []Duration, attempt int, jitter float64) time.Duration {
	if len(sched) == 0 {
		sched = DefaultRetry
	}
	base := sched[min(max(attempt, 0), len(sched)-1)].Std()
	return base + time.Duration(float64(base)*0.1*jitter)
}

// post sends one signed delivery; redirects are answers, not followed.
func (r *Relay) post(ctx context.Context, d *dest, body []byte) (status int, retryAfter time.Duration, err error) {
	ctx, cancel := context.WithTimeout(ctx, d.Timeout.Std())
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.URL, bytes.NewReader(body))
	if err != nil {
		return 0, 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "extend-compat-proxy-webhooks")
	SignHeaders(req.Header, d.secret, time.Now(), body)
	resp, err := r.client.Do(req)
	if err != nil {
		return 0, 0, errors.New(safeNetError(err))
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // lets the connection be reused
	return resp.StatusCode, parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()), nil
}

// safeNetError names the failure without the URL, which may hold a token.
func safeNetError(err error) string {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case errors.Is(err, context.Canceled):
		return "cancelled"
	}
	var ue interface{ Unwrap() error }
	if errors.As(err, &ue) && ue.Unwrap() != nil {
		return "network error: " + ue.Unwrap().Error()
	}
	return "network error"
}

// parseRetryAfter reads seconds or an HTTP date; 0 when absent or invalid.
func parseRetryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// legacyBody builds the body delivered for a stored event: the legacy event
// as JSON.stringify prints it, or the signed-URL shape for payloadFormat url.
func (r *Relay) legacyBody(ctx context.Context, d *dest, a deliveryArgs, jobID int64) ([]byte, error) {
	if d.PayloadFormat == "url" {
		return envelope(a.EventID, a.LegacyType, r.payloadURLObject(d, jobID)), nil
	}
	payload, err := r.legacyPayloadOf(ctx, d, a)
	if err != nil {
		return nil, err
	}
	return envelope(a.EventID, a.LegacyType, payload), nil
}

// legacyPayloadOf is the legacy payload of a stored event.
func (r *Relay) legacyPayloadOf(ctx context.Context, d *dest, a deliveryArgs) ([]byte, error) {
	ev := gjson.ParseBytes(a.Event)
	payload := []byte(ev.Get("payload").Raw)
	if a.Source == sourceLegacy {
		return payload, nil
	}
	ch := LookupChange(a.EventType)
	if ch == nil {
		return nil, fmt.Errorf("%w: unknown event type %s", errUntranslatable, a.EventType)
	}
	return d.legacyPayload(ch, payload, r.opt.Translate, r.fetcher(ctx, d.Timeout.Std()))
}

// logDelivery notes an attempt outcome without payloads or secrets.
func (r *Relay) logDelivery(lvl zapcore.Level, msg string, d *dest, a deliveryArgs, fields ...zap.Field) {
	if ce := r.log.Check(lvl, msg); ce != nil {
		ce.Write(append(fields, zap.String("destination", d.Name), zap.String("eventId", a.EventID),
			zap.String("eventType", a.LegacyType))...)
	}
}
