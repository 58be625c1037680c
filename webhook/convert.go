package webhook

import (
	"errors"
	"fmt"

	"github.com/tidwall/gjson"

	"github.com/extend-compat-proxy/extend-compat-proxy/translate"
)

// Event sources: which inbound endpoint an event came in on.
const (
	sourceNew    = "new"    // POST /webhooks/{name}: 2026-02-09
	sourceLegacy = "legacy" // POST /webhooks/{name}/legacy: 2025-04-21
)

// route decides, from the event type alone (and the step type), what happens
// to an inbound event at a destination: the legacy event type to deliver, or
// why it is dropped.
func (d *dest) route(source, eventType string, payload gjson.Result) (legacyType, drop string) {
	if source == sourceLegacy {
		if d.Mode == ModeTranslate {
			return "", "legacy endpoint in translate mode"
		}
		if !IsLegacyEventType(eventType) {
			return "", "unknown event type"
		}
		return d.subscribed(eventType)
	}
	if d.Mode == ModePassthrough {
		return "", "2026-02-09 endpoint in passthrough mode"
	}
	legacyType, drop = d.routeNew(eventType, payload)
	if d.Mode == ModeShadow && drop == "" {
		// Compared with the legacy event (shadow.go), never delivered.
		return legacyType, "2026-02-09 endpoint in shadow mode (compared, never delivered)"
	}
	return legacyType, drop
}

// routeNew routes a 2026-02-09 event as translate mode does.
func (d *dest) routeNew(eventType string, payload gjson.Result) (legacyType, drop string) {
	ch := LookupChange(eventType)
	switch {
	case ch == nil:
		return "", "unknown event type"
	case ch.New == "workflow_run.cancelled":
		if d.CancelledAs != "failed" {
			return "", "workflow_run.cancelled has no legacy event (cancelledAs: drop)"
		}
		return d.subscribed("workflow_run.failed")
	case ch.Legacy == "":
		return "", "no legacy event for " + eventType
	case ch.Payload == payloadStepRun && d.StepRunPayload == "step" && d.StepRunOthers == "drop":
		if t := stepType(payload); t != "RULE_VALIDATION" && t != "EXTERNAL_DATA_VALIDATION" {
			return "", "step type " + t + " has no legacy StepRun (stepRunOthers: drop)"
		}
	}
	return d.subscribed(ch.Legacy)
}

// subscribed applies the destination's events filter.
func (d *dest) subscribed(legacyType string) (string, string) {
	if len(d.events) > 0 && !d.events[legacyType] {
		return "", "not in the destination's events"
	}
	return legacyType, ""
}

// stepType reads a 2026 step run's discriminator, as translate does.
func stepType(sr gjson.Result) string {
	if t := sr.Get("stepType"); t.Type == gjson.String && t.Str != "" {
		return t.Str
	}
	return sr.Get("step.type").String()
}

// errUntranslatable marks a payload that can never become a legacy event
// (missing or malformed fields): retrying cannot help, the event is dead.
var errUntranslatable = errors.New("untranslatable payload")

// fetchRun completes a payload with GET /workflow_runs/{id}; nil when the
// relay has no upstream to ask.
type fetchRun func(id string) ([]byte, error)

// legacyPayload translates a 2026 payload for change ch into the legacy
// payload. It calls fetch for the parent run (stepRunPayload: run) and for a
// workflow run whose step runs lack their result objects.
func (d *dest) legacyPayload(ch *EventChange, payload []byte, o translate.Options, fetch fetchRun) ([]byte, error) {
	var out []byte
	var err error
	switch ch.Payload {
	case payloadWorkflowRun:
		if needsCompletion(payload) && fetch != nil {
			if payload, err = fetch(gjson.GetBytes(payload, "id").String()); err != nil {
				return nil, err
			}
		}
		out, err = translate.WebhookWorkflowRun(payload, o, nil)
		if err == nil && ch.New == "workflow_run.cancelled" {
			out, err = markFailed(out)
		}
	case payloadStepRun:
		out, err = d.stepRunPayload(payload, o, fetch)
	case payloadProcessorRun:
		out, err = translate.WebhookProcessorRun(payload, ch.Arg, o, nil)
	case payloadParserRunStatus:
		out, err = translate.WebhookParserRunStatus(payload)
	case payloadWorkflow:
		out, err = translate.WebhookWorkflow(payload)
	case payloadProcessor:
		out, err = translate.WebhookProcessor(payload, ch.Arg)
	case payloadProcessorVersion:
		out, err = translate.WebhookProcessorVersion(payload, ch.Arg)
	default:
		return nil, fmt.Errorf("%w: %s has no legacy payload", errUntranslatable, ch.New)
	}
	if errors.Is(err, translate.ErrInvalidResponse) {
		return nil, fmt.Errorf("%w: %v", errUntranslatable, err)
	}
	return out, err
}

// stepRunPayload: the legacy StepRun of a validation step, or the parent
// legacy WorkflowRun when the destination asks for it.
func (d *dest) stepRunPayload(payload []byte, o translate.Options, fetch fetchRun) ([]byte, error) {
	legacy, kind, err := translate.WebhookStepRun(payload, o, nil)
	if err != nil {
		return nil, err
	}
	if legacy != nil && d.StepRunPayload == "step" {
		return legacy, nil
	}
	if legacy == nil && d.StepRunPayload == "step" && d.StepRunOthers != "run" {
		return nil, fmt.Errorf("%w: step type %s has no legacy StepRun", errUntranslatable, kind)
	}
	runID := gjson.GetBytes(payload, "workflowRunId").String()
	if runID == "" {
		return nil, fmt.Errorf("%w: step run has no workflowRunId to fetch the parent run", errUntranslatable)
	}
	if fetch == nil {
		return nil, fmt.Errorf("%w: the parent run is needed but no upstream/apiKey is configured", errUntranslatable)
	}
	run, err := fetch(runID)
	if err != nil {
		return nil, err
	}
	return translate.WebhookWorkflowRun(run, o, nil)
}

// needsCompletion reports a workflow run with an extract, classify or split
// step run that carries no result object (D9: complete with one GET).
func needsCompletion(run []byte) bool {
	missing := false
	gjson.GetBytes(run, "stepRuns").ForEach(func(_, sr gjson.Result) bool {
		switch stepType(sr) {
		case "EXTRACT", "MERGE_EXTRACT", "CONDITIONAL_EXTRACT", "CLASSIFY", "SPLIT":
			if !sr.Get("result").IsObject() {
				missing = true
				return false
			}
		}
		return true
	})
	return missing
}

// markFailed sets status CANCELLED on a legacy run sent as workflow_run.failed
// (cancelledAs: failed); the legacy status enum has CANCELLED.
func markFailed(run []byte) ([]byte, error) {
	r := gjson.ParseBytes(run)
	st := r.Get("status")
	if st.Index == 0 {
		return run, nil
	}
	out := append([]byte(nil), run[:st.Index]...)
	out = append(out, `"CANCELLED"`...)
	return append(out, run[st.Index+len(st.Raw):]...), nil
}

// envelope builds the legacy event body as JSON.stringify would print it.
func envelope(eventID, eventType string, payload []byte) []byte {
	b := make([]byte, 0, len(payload)+len(eventID)+len(eventType)+48)
	b = append(b, `{"eventId":`...)
	b = appendJSString(b, eventID)
	b = append(b, `,"eventType":`...)
	b = appendJSString(b, eventType)
	b = append(b, `,"payload":`...)
	b = append(b, stringify(gjson.ParseBytes(payload))...)
	return append(b, '}')
}
