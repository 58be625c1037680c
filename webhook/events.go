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

var (
	workflowRunLossy      = translate.WebhookLossyPaths(payloadWorkflowRun)
	processorRunLossy     = translate.WebhookLossyPaths(payloadProcessorRun)
	processorLossy        = translate.WebhookLossyPaths(payloadProcessor)
	processorVersionLossy = translate.WebhookLossyPaths(payloadProcessorVersion)
)

// EventChanges is the S§9.3 table, one entry per 2026-02-09 event type.
var EventChanges = buildEventChanges()

func buildEventChanges() []EventChange {
	var c []EventChange
	for _, s := range []string{"completed", "failed", "needs_review", "rejected"} {
		c = append(c, EventChange{New: "workflow_run." + s, Legacy: "workflow_run." + s, Payload: payloadWorkflowRun,
			Description: "2026 WorkflowRun becomes the legacy WorkflowRun (outputs rebuilt from typed stepRuns)",
			Lossy:       workflowRunLossy})
	}
	c = append(c,
		EventChange{New: "workflow_run.cancelled", Payload: payloadWorkflowRun,
			Description: "no legacy event: dropped, or workflow_run.failed with status CANCELLED (cancelledAs)"},
		EventChange{New: "workflow_run.step_run.processed", Legacy: "workflow_run.step_run.processed",
			Payload: payloadStepRun, Description: "2026 StepRun becomes the legacy StepRun (validation step " +
				"types), or the parent legacy WorkflowRun (stepRunPayload/stepRunOthers: run)",
			Lossy: translate.WebhookLossyPaths(payloadStepRun)})
	runs := []struct{ fam, typ string }{{"extract_run", "EXTRACT"}, {"classify_run", "CLASSIFY"}, {"split_run", "SPLIT"}}
	for _, r := range runs {
		for _, s := range []string{"processed", "failed"} {
			c = append(c, EventChange{New: r.fam + "." + s, Legacy: "processor_run." + s, Payload: payloadProcessorRun,
				Arg: r.typ, Description: "renamed; " + r.fam + " becomes the legacy ProcessorRun of type " +
					legacyRunType(r.typ), Lossy: processorRunLossy})
		}
	}
	for _, s := range []string{"processed", "failed"} {
		c = append(c, EventChange{New: "parse_run." + s, Legacy: "parser_run." + s, Payload: payloadParserRunStatus,
			Description: "renamed; ParseRunStatus becomes the 0.0.12 ParserRunStatus {id, status, failureReason} (object, failureMessage and metadata dropped)"})
	}
	for _, fam := range []string{"batch_processor_run", "batch_parse_run", "edit_run"} {
		for _, s := range []string{"processed", "failed"} {
			c = append(c, EventChange{New: fam + "." + s, Description: "new in 2026-02-09: no legacy event, dropped"})
		}
	}
	for _, s := range []string{"created", "deployed", "deleted"} {
		ch := EventChange{New: "workflow." + s, Legacy: "workflow." + s, Payload: payloadWorkflow,
			Description: "2026 Workflow becomes {object, id, version: draftVersion.version, name}"}
		if s == "deployed" {
			ch.Lossy = translate.WebhookLossyPaths(payloadWorkflow) // the deployed version is not in the payload
		}
		c = append(c, ch)
	}
	for _, kind := range []string{"extractor", "classifier", "splitter"} {
		for _, s := range []string{"created", "updated", "deleted", "draft.updated"} {
			c = append(c, EventChange{New: kind + "." + s, Legacy: "processor." + s, Payload: payloadProcessor, Arg: kind,
				Description: "renamed; " + kind + " becomes the legacy Processor", Lossy: processorLossy})
		}
		c = append(c, EventChange{New: kind + ".version.published", Legacy: "processor.version.published",
			Payload: payloadProcessorVersion, Arg: kind,
			Description: "renamed; " + kind + " version becomes the legacy ProcessorVersion", Lossy: processorVersionLossy})
	}
	return c
}

func legacyRunType(t string) string {
	if t == "SPLIT" {
		return "SPLITTER"
	}
	return t
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
