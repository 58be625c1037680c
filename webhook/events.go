package webhook

import (
	"fmt"
	"strings"

	"github.com/extend-compat-proxy/extend-compat-proxy/translate"
)

// EventChange is one row of the S§9.3 table: how a 2026-02-09 event
// type becomes a 2025-04-21 one. The list is data so that it can be folded
// into the version-change registry and a changelog generated from it.
type EventChange struct {
	// New is the 2026-02-09 eventType.
	New string
	// Legacy is the 2025-04-21 eventType emitted; "" means the event has no
	// legacy counterpart and is dropped (counted).
	Legacy string
	// Payload names the payload transform (the payload* constants).
	Payload string
	// Arg is the transform's argument: the run type or processor kind.
	Arg string
	// Description says what changes, for the changelog.
	Description string
	// Lossy lists the paths of the legacy event (shadow path syntax,
	// "payload."-prefixed) that cannot be carried over faithfully.
	Lossy []string
}

// Payload transforms.
const (
	payloadWorkflowRun      = "workflow_run"
	payloadStepRun          = "step_run"
	payloadProcessorRun     = "processor_run"
	payloadParserRunStatus  = "parser_run_status"
	payloadWorkflow         = "workflow"
	payloadProcessor        = "processor"
	payloadProcessorVersion = "processor_version"
	payloadNone             = ""
)

// EventChanges is the S§9.3 table, one entry per 2026-02-09 event type,
// read from the version registry (translate.LegacyEvents; each row is
// documented by a Change there, with its golden pairs in testdata/golden).
var EventChanges = buildEventChanges()

func buildEventChanges() []EventChange {
	var out []EventChange
	for _, e := range translate.LegacyEvents() {
		c, _ := translate.EventChange(e.New)
		out = append(out, EventChange{New: e.New, Legacy: e.Legacy, Payload: e.Payload, Arg: e.Arg,
			Description: c.Description, Lossy: e.Lossy})
	}
	return out
}

// LegacyEventTypes are the 17 values of the 0.0.12 WebhookEventEventType.
var LegacyEventTypes = []string{"workflow_run.completed", "workflow_run.failed", "workflow_run.needs_review",
	"workflow_run.rejected", "workflow_run.step_run.processed", "workflow.created", "workflow.deployed",
	"workflow.deleted", "processor_run.processed", "processor_run.failed", "processor.created",
	"processor.updated", "processor.deleted", "processor.draft.updated", "processor.version.published",
	"parser_run.processed", "parser_run.failed"}

// IsLegacyEventType reports whether t is a 2025-04-21 event type.
func IsLegacyEventType(t string) bool {
	for _, l := range LegacyEventTypes {
		if l == t {
			return true
		}
	}
	return false
}

var changeByNew = func() map[string]*EventChange {
	m := make(map[string]*EventChange, len(EventChanges))
	for i := range EventChanges {
		m[EventChanges[i].New] = &EventChanges[i]
	}
	return m
}()

// LookupChange returns the S§9.3 row of a 2026-02-09 event type, nil if unknown.
func LookupChange(newType string) *EventChange { return changeByNew[newType] }

// EventTable renders EventChanges as the markdown table in README.md between
// the "webhook-events:begin" and "webhook-events:end" markers.
func EventTable() string {
	var b strings.Builder
	b.WriteString("| 2026-02-09 event | 2025-04-21 event delivered | What changes | Lossy paths |\n|---|---|---|---|\n")
	for _, c := range EventChanges {
		legacy := "(dropped)"
		if c.Legacy != "" {
			legacy = "`" + c.Legacy + "`"
		}
		lossy := make([]string, len(c.Lossy))
		for i, p := range c.Lossy {
			lossy[i] = "`" + strings.TrimPrefix(p, "payload.") + "`"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", c.New, legacy, strings.ReplaceAll(c.Description, "|", "\\|"),
			strings.Join(lossy, ", "))
	}
	return b.String()
}
