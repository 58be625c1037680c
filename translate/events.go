package translate

import "strings"

// Webhook events (S§9.3): each 2026-02-09 event type is a route of the
// registry without an HTTP path ("event:<type>"), documented by a Change
// like every other route; package webhook reads the rows below and
// delivers the legacy events. The payload writers are in webhook.go.

// Event is one row of the S§9.3 table: how a 2026-02-09 event type becomes a
// 2025-04-21 one.
type Event struct {
	// New is the 2026-02-09 eventType; Legacy the 2025-04-21 one delivered,
	// "" when the event has no legacy counterpart and is dropped (counted).
	New, Legacy string
	// Payload names the payload transform (workflow_run, step_run,
	// processor_run, parser_run_status, workflow, processor,
	// processor_version; "" for none) and Arg its argument (run type or
	// processor kind).
	Payload, Arg string
	// Lossy are the legacy event's paths ("payload."-prefixed) that cannot be
	// carried over faithfully.
	Lossy []string
}

// EventRoute names the registry route of a 2026-02-09 event type.
func EventRoute(newType string) string { return "event:" + newType }

// objEvent is the legacy event body, for lossy paths of event routes.
const objEvent = "Event"

// LegacyEvents lists the S§9.3 rows of the default registry.
func LegacyEvents() []Event { return legacyEvents }

// EventChange returns the change that documents a 2026-02-09 event type.
func EventChange(newType string) (Change, bool) {
	route := EventRoute(newType)
	for _, c := range Changes() {
		for _, r := range c.Routes {
			if r == route {
				return c, true
			}
		}
	}
	return Change{}, false
}

var legacyEvents = func() []Event {
	var ev []Event
	add := func(e Event) { ev = append(ev, e) }
	for _, s := range []string{"completed", "failed", "needs_review", "rejected"} {
		add(Event{New: "workflow_run." + s, Legacy: "workflow_run." + s, Payload: "workflow_run", Lossy: webhookLossyPaths("workflow_run")})
	}
	add(Event{New: "workflow_run.cancelled", Payload: "workflow_run"})
	add(Event{New: "workflow_run.step_run.processed", Legacy: "workflow_run.step_run.processed", Payload: "step_run",
		Lossy: webhookLossyPaths("step_run")})
	for _, r := range []struct{ fam, typ string }{{"extract_run", "EXTRACT"}, {"classify_run", "CLASSIFY"}, {"split_run", "SPLIT"}} {
		for _, s := range []string{"processed", "failed"} {
			add(Event{New: r.fam + "." + s, Legacy: "processor_run." + s, Payload: "processor_run", Arg: r.typ,
				Lossy: webhookLossyPaths("processor_run")})
		}
	}
	for _, s := range []string{"processed", "failed"} {
		add(Event{New: "parse_run." + s, Legacy: "parser_run." + s, Payload: "parser_run_status"})
	}
	for _, fam := range []string{"batch_processor_run", "batch_parse_run", "edit_run"} {
		for _, s := range []string{"processed", "failed"} {
			add(Event{New: fam + "." + s})
		}
	}
	for _, s := range []string{"created", "deployed", "deleted"} {
		e := Event{New: "workflow." + s, Legacy: "workflow." + s, Payload: "workflow"}
		if s == "deployed" {
			e.Lossy = webhookLossyPaths("workflow") // the deployed version is not in the payload
		}
		add(e)
	}
	for _, kind := range []string{"extractor", "classifier", "splitter"} {
		for _, s := range []string{"created", "updated", "deleted", "draft.updated"} {
			add(Event{New: kind + "." + s, Legacy: "processor." + s, Payload: "processor", Arg: kind, Lossy: webhookLossyPaths("processor")})
		}
		add(Event{New: kind + ".version.published", Legacy: "processor.version.published", Payload: "processor_version", Arg: kind,
			Lossy: webhookLossyPaths("processor_version")})
	}
	return ev
}()

// eventGolden names the webhook golden pairs of an event type
// (webhook/testdata/golden/<type with _>.{new,legacy}.json); a step run has
// one per kind of step.
func eventGolden(newType string) []string {
	if newType == "workflow_run.step_run.processed" {
		return []string{"webhook:step_run_rule_validation", "webhook:step_run_external_validation", "webhook:step_run_extract"}
	}
	return []string{"webhook:" + strings.ReplaceAll(newType, ".", "_")}
}

// eventFamily builds the change of a group of event types.
func eventFamily(name, tag, description string, match func(Event) bool) Change {
	c := Change{Name: name, Tag: tag, Description: description}
	seen := map[string]bool{}
	for _, e := range legacyEvents {
		if !match(e) {
			continue
		}
		c.Routes = append(c.Routes, EventRoute(e.New))
		c.Golden = append(c.Golden, eventGolden(e.New)...)
		for _, l := range e.Lossy {
			if !seen[l] {
				seen[l] = true
				c.Lossy = append(c.Lossy, objEvent+":"+l)
			}
		}
	}
	return c
}

func payloadIs(p string) func(Event) bool {
	return func(e Event) bool { return e.Payload == p && e.Legacy != "" }
}

// eventChanges document every S§9.3 row.
var eventChanges = []Change{
	eventFamily("webhook-workflow-run-events", TagDerived,
		"workflow_run.completed, failed, needs_review and rejected keep their names; the payload becomes the legacy WorkflowRun (outputs rebuilt from typed stepRuns), completed with one GET of the run when its step runs lack results.",
		payloadIs("workflow_run")),
	eventFamily("webhook-workflow-run-cancelled", TagSilent,
		"workflow_run.cancelled has no legacy event: dropped and counted, or delivered as workflow_run.failed with status CANCELLED (per destination, cancelledAs).",
		func(e Event) bool { return e.New == "workflow_run.cancelled" }),
	eventFamily("webhook-step-run-processed", TagSilent,
		"workflow_run.step_run.processed delivers the legacy StepRun of a rule or external-data validation step (stepRunPayload: step), or the parent legacy WorkflowRun (run); other step types are dropped unless stepRunOthers: run.",
		payloadIs("step_run")),
	eventFamily("webhook-processor-run-events", TagLossy,
		"extract_run, classify_run and split_run .processed/.failed become processor_run.processed/.failed with the legacy ProcessorRun (type EXTRACT, CLASSIFY or SPLITTER).",
		payloadIs("processor_run")),
	eventFamily("webhook-parse-run-events", TagDerived,
		"parse_run.processed/.failed become parser_run.processed/.failed with the 0.0.12 ParserRunStatus {id, status, failureReason}.",
		payloadIs("parser_run_status")),
	eventFamily("webhook-new-only-events", TagSilent,
		"batch_processor_run, batch_parse_run and edit_run events are new in 2026-02-09: no legacy receiver expects them; dropped and counted.",
		func(e Event) bool { return e.Payload == "" }),
	eventFamily("webhook-workflow-events", TagLossy,
		"workflow.created, deployed and deleted keep their names; the payload becomes {object, id, version: draftVersion.version, name} (the deployed version is not in the 2026 payload).",
		payloadIs("workflow")),
	eventFamily("webhook-processor-events", TagLossy,
		"extractor, classifier and splitter .created/.updated/.deleted/.draft.updated become processor.* with the legacy Processor; *.version.published becomes processor.version.published with the legacy ProcessorVersion.",
		func(e Event) bool { return e.Payload == "processor" || e.Payload == "processor_version" }),
}
