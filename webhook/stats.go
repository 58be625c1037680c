package webhook

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/riverqueue/river/rivertype"
)

// DestinationStats is one destination on /admin/webhooks.json. Counts come
// from the store, so they cover every replica; delivered and dropped events
// are counted while kept (CompletedRetention).
type DestinationStats struct {
	Name                 string      `json:"name"`
	Mode                 string      `json:"mode"`
	Received             int64       `json:"received"`
	Delivered            int64       `json:"delivered"`
	Pending              int64       `json:"pending"`
	Retrying             int64       `json:"retrying"`
	Dead                 int64       `json:"dead"`
	Dropped              int64       `json:"dropped"`
	OldestPendingSeconds float64     `json:"oldestPendingSeconds"`
	LastErrors           []LastError `json:"lastErrors"`
}

// LastError is one failed attempt, without payload.
type LastError struct {
	EventID   string    `json:"eventId"`
	EventType string    `json:"eventType"`
	Attempt   int       `json:"attempt"`
	Status    int       `json:"status"` // HTTP status, 0 for network errors and dead-on-arrival payloads
	Error     string    `json:"error"`
	At        time.Time `json:"at"`
}

// lastErrorsShown bounds lastErrors per destination.
const lastErrorsShown = 10

// Stats reads every destination's counts from the store.
func (r *Relay) Stats(ctx context.Context) ([]DestinationStats, error) {
	out := make([]DestinationStats, 0, len(r.order))
	for _, name := range r.order {
		s := DestinationStats{Name: name, Mode: r.dests[name].Mode, LastErrors: []LastError{}}
		if err := r.counts(ctx, &s); err != nil {
			return nil, err
		}
		if err := r.lastErrors(ctx, &s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

func (r *Relay) counts(ctx context.Context, s *DestinationStats) error {
	rows, err := r.st.db.QueryContext(ctx, r.st.dialect.q(`SELECT kind, state,
		CASE WHEN attempt > 1 THEN 2 WHEN attempt = 1 THEN 1 ELSE 0 END, count(*) FROM river_job WHERE queue = $1 GROUP BY 1, 2, 3`),
		queueName(s.Name))
	if err != nil {
		return fmt.Errorf("webhook stats: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind, state string
		var tried int // attempts made: 0, 1, or 2 for more
		var n int64
		if err := rows.Scan(&kind, &state, &tried, &n); err != nil {
			return fmt.Errorf("webhook stats: %w", err)
		}
		s.add(kind, rivertype.JobState(state), tried, n)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("webhook stats: %w", err)
	}
	q := fmt.Sprintf(`SELECT coalesce(max(%s), 0) FROM river_job WHERE queue = $1 AND kind = 'webhook_delivery'
		AND state IN ('available', 'scheduled', 'retryable', 'running', 'pending')`,
		fmt.Sprintf(r.st.dialect.age, "created_at"))
	return r.st.db.QueryRowContext(ctx, r.st.dialect.q(q), queueName(s.Name)).Scan(&s.OldestPendingSeconds)
}

// add counts n jobs of one kind and state.
// A job running its first attempt is pending; one that failed before is retrying.
func (s *DestinationStats) add(kind string, state rivertype.JobState, tried int, n int64) {
	if kind == (droppedArgs{}).Kind() {
		s.Dropped += n
		s.Received += n
		return
	}
	if kind != (deliveryArgs{}).Kind() {
		return
	}
	s.Received += n
	switch state {
	case rivertype.JobStateCompleted:
		s.Delivered += n
	case rivertype.JobStateDiscarded, rivertype.JobStateCancelled:
		s.Dead += n
	case rivertype.JobStateRetryable:
		s.Retrying += n
	case rivertype.JobStateRunning:
		if tried > 1 {
			s.Retrying += n
		} else {
			s.Pending += n
		}
	default:
		if tried > 0 {
			s.Retrying += n
		} else {
			s.Pending += n
		}
	}
}

func (r *Relay) lastErrors(ctx context.Context, s *DestinationStats) error {
	d := r.st.dialect
	q := fmt.Sprintf(`SELECT %s, %s, %s FROM river_job WHERE queue = $1 AND kind = 'webhook_delivery' AND %s
		ORDER BY attempted_at DESC LIMIT %d`, fmt.Sprintf(d.args, "eventId"), fmt.Sprintf(d.args, "legacyType"),
		d.errorsText, d.hasErrors, lastErrorsShown)
	rows, err := r.st.db.QueryContext(ctx, d.q(q), queueName(s.Name))
	if err != nil {
		return fmt.Errorf("webhook stats: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, typ, errs string
		if err := rows.Scan(&id, &typ, &errs); err != nil {
			return fmt.Errorf("webhook stats: %w", err)
		}
		var list []rivertype.AttemptError
		if json.Unmarshal([]byte(errs), &list) != nil || len(list) == 0 {
			continue
		}
		last := list[len(list)-1]
		// River prefixes the reason of a cancelled (dead at once) job.
		last.Error = strings.TrimPrefix(last.Error, "JobCancelError: ")
		s.LastErrors = append(s.LastErrors, LastError{EventID: id, EventType: typ, Attempt: last.Attempt,
			Status: statusOf(last.Error), Error: last.Error, At: last.At.UTC()})
	}
	sort.SliceStable(s.LastErrors, func(i, j int) bool { return s.LastErrors[i].At.After(s.LastErrors[j].At) })
	return rows.Err()
}

// statusOf reads the HTTP status back from a deliveryError's text ("HTTP 500: ...").
func statusOf(msg string) int {
	rest, ok := strings.CutPrefix(msg, "HTTP ")
	if !ok || len(rest) < 3 {
		return 0
	}
	n, _ := strconv.Atoi(rest[:3])
	return n
}

// ErrRedriveRequest is a redrive request that names no destination or no selector.
var ErrRedriveRequest = fmt.Errorf("redrive needs a known destination and eventId or since")

// Redrive re-queues dead events of a destination: the one with eventID, or
// every one received at or after since. It returns how many were re-queued.
func (r *Relay) Redrive(ctx context.Context, destination, eventID string, since time.Time) (int, error) {
	if r.dests[destination] == nil || (eventID == "" && since.IsZero()) {
		return 0, ErrRedriveRequest
	}
	d := r.st.dialect
	q := `SELECT id FROM river_job WHERE queue = $1 AND kind = 'webhook_delivery'
		AND state IN ('discarded', 'cancelled') AND `
	arg := any(eventID)
	if eventID != "" {
		q += fmt.Sprintf(d.args, "eventId") + ` = $2`
	} else {
		q += d.since
		arg = d.timeArg(since)
	}
	rows, err := r.st.db.QueryContext(ctx, d.q(q+` ORDER BY id LIMIT 100000`), queueName(destination), arg)
	if err != nil {
		return 0, fmt.Errorf("redrive: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, fmt.Errorf("redrive: %w", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	n := 0
	for _, id := range ids {
		if err := r.st.q.Retry(ctx, id); err != nil {
			return n, fmt.Errorf("redrive: %w", err)
		}
		n++
	}
	return n, nil
}
