package sim

import (
	"encoding/json"
	"strings"
)

// finalEvent is the event a final run status sends, in both versions.
type finalEvent struct {
	bit                 uint
	newType, legacyType string // legacyType "" = no 2025-04-21 event
}

var finalEvents = map[string]finalEvent{
	stProcessed:   {0, "workflow_run.completed", "workflow_run.completed"},
	stFailed:      {1, "workflow_run.failed", "workflow_run.failed"},
	stNeedsReview: {2, "workflow_run.needs_review", "workflow_run.needs_review"},
	stRejected:    {3, "workflow_run.rejected", "workflow_run.rejected"},
	stCancelled:   {4, "workflow_run.cancelled", ""},
}

// stepBit is the sent-bit of step i's step_run.processed event.
func stepBit(i int) uint64 { return 1 << (8 + uint(i)) }

// scan returns the events that became due since the last scan. Only the
// sender's goroutine calls it, so w.sent needs no lock of its own.
func (w *WebhookSender) scan() []simEvent {
	s := w.s
	now := s.opt.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	for id := range w.sent {
		if _, ok := s.runs[id]; !ok {
			delete(w.sent, id)
		}
	}
	var out []simEvent
	for id, r := range s.runs {
		tl := s.timelineAt(r, now)
		if tl.status == stPending {
			continue
		}
		bits := w.sent[id]
		var legacy legacyRunJSON
		rendered := false
		for i := 0; i < tl.done && i < tl.steps; i++ {
			if bits&stepBit(i) != 0 || tl.stepStatus(i) != stProcessed {
				continue
			}
			if !rendered {
				legacy, rendered = s.renderLegacyRun(r, now), true
			}
			bits |= stepBit(i)
			out = append(out, w.stepEvent(r, tl, i, legacy))
		}
		if fe, ok := finalEvents[tl.status]; ok && tl.final && bits&(1<<fe.bit) == 0 {
			bits |= 1 << fe.bit
			ev := simEvent{key: id + "_" + strings.ReplaceAll(fe.newType, ".", "_"), newType: fe.newType,
				legacyType: fe.legacyType, newPayloadID: id}
			ev.newPayload, _ = json.Marshal(s.renderRun(r, now))
			if fe.legacyType != "" {
				ev.legacyPayld, _ = json.Marshal(s.renderLegacyRun(r, now))
			}
			out = append(out, ev)
		}
		w.sent[id] = bits
	}
	return out
}

// stepEvent is workflow_run.step_run.processed for step i: the 2026 StepRun,
// and for the two validation steps the legacy StepRun (legacy has no others).
func (w *WebhookSender) stepEvent(r *run, tl timeline, i int, legacy legacyRunJSON) simEvent {
	steps := w.s.renderSteps(r, tl)
	ev := simEvent{key: r.stepIDs[i] + "_step_run_processed", newType: "workflow_run.step_run.processed",
		legacyType: "workflow_run.step_run.processed", newPayloadID: r.stepIDs[i]}
	ev.newPayload, _ = json.Marshal(steps[i])
	for _, ls := range legacy.StepRuns {
		if ls.ID == r.stepIDs[i] {
			ev.legacyPayld, _ = json.Marshal(ls)
		}
	}
	return ev
}
