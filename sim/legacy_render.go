package sim

import (
	"bytes"
	"encoding/json"
	"time"
)

// The legacy renderer works from the run model directly (not from the new
// JSON), so that it is an independent second implementation for
// differential tests of the proxy's translation.

// processorSteps are the steps a legacy run lists in `outputs`, in step order.
var processorSteps = []int{stepClassify, stepSplit, stepExtract, stepMerge, stepCond}

// procRunID is the new id of the processor run behind step i.
func (r *run) procRunID(i int) string {
	switch i {
	case stepClassify:
		return r.classifyRunID
	case stepSplit:
		return r.splitRunID
	case stepExtract:
		return r.extractRunID
	case stepMerge:
		return r.mergeRunID
	case stepCond:
		return r.condRunID
	}
	return ""
}

// outputStep finds the processor step an outputId (legacy dpr_ or new id) names.
func (r *run) outputStep(outputID string) (int, bool) {
	for _, i := range processorSteps {
		id := r.procRunID(i)
		if outputID == id || outputID == legacyAlias(id, "dpr_") {
			return i, true
		}
	}
	return 0, false
}

func legacyFile(f *simFile, usage *legacyCredits) legacyFileJSON {
	nf := renderFile(f)
	return legacyFileJSON{Object: "file", ID: f.id, Name: f.name, Type: f.typ, ParentFileID: f.parent,
		Metadata: nf.Metadata, CreatedAt: nf.CreatedAt, UpdatedAt: nf.UpdatedAt, Usage: usage}
}

func legacyFiles(fs []*simFile) []legacyFileJSON {
	out := make([]legacyFileJSON, 0, len(fs))
	for _, f := range fs {
		out = append(out, legacyFile(f, nil))
	}
	return out
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func legacyRunURL(r *run) string {
	return "https://dashboard.extend.ai/workflows/" + r.workflowID + "?workflowRunId=" + r.id
}

// renderLegacyRun builds the legacy WorkflowRun of r at now.
func (s *Sim) renderLegacyRun(r *run, now time.Time) legacyRunJSON {
	tl := s.timelineAt(r, now)
	by, at, note, reviewed := reviewFields(r, tl)
	out := legacyRunJSON{
		Object: "workflow_run", ID: r.id, Name: r.name, URL: legacyRunURL(r), Status: tl.status, Metadata: r.metadata,
		BatchID: r.batchID, InitialRunAt: fmtTime(r.created), ReviewedBy: deref(by), Reviewed: reviewed,
		RejectionNote: deref(note), ReviewedAt: deref(at), StartTime: deref(optTime(tl.start)), EndTime: deref(optTime(tl.end)),
		Outputs:  []legacyProcRunJSON{},
		StepRuns: []legacyStepRunJSON{},
		Workflow: legacyWorkflowJSON{Object: "workflow", ID: r.workflowID, Version: r.version, Name: workflowName(r.workflowID)},
	}
	if out.Metadata == nil {
		out.Metadata = map[string]json.RawMessage{}
	}
	for k, f := range r.files {
		var usage *legacyCredits // parse credits belong to the parsed (first) file
		if k == 0 && tl.steps > stepParse && tl.stepStatus(stepParse) == stProcessed {
			usage = &legacyCredits{Credits: creditsParse}
		}
		out.Files = append(out.Files, legacyFile(f, usage))
	}
	if tl.status == stFailed {
		out.FailureReason, out.FailureMessage = "FAILED_TO_PROCESS_FILE", failureMessage
	}
	for _, i := range processorSteps {
		if i < tl.steps {
			out.Outputs = append(out.Outputs, s.legacyOutput(r, tl, i))
		}
	}
	for _, i := range []int{stepRules, stepExternal} {
		if i < tl.steps {
			out.StepRuns = append(out.StepRuns, legacyStepRun(r, tl, i))
		}
	}
	if tl.final {
		out.Usage = &legacyCredits{Credits: s.runUsage(r, tl).Credits}
	}
	return out
}

// legacyProcessor is the identity of a step's processor in legacy terms.
func legacyProcessor(i int) (id, versionID, name, typ string, config json.RawMessage, credits float64) {
	switch i {
	case stepClassify:
		return LegacyClassifierID, legacyAlias(classifierVersion.ID, "dpv_"), classifier.Name, "CLASSIFY", legacyClassifyConfig, creditsClassify
	case stepSplit:
		return LegacySplitterID, legacyAlias(splitterVersion.ID, "dpv_"), splitter.Name, "SPLITTER", legacySplitConfig, creditsSplit
	case stepExtract:
		return LegacyExtractorID, legacyAlias(extractorVersion.ID, "dpv_"), extractor.Name, "EXTRACT", legacyExtractConfig, creditsExtract
	case stepCond:
		return LegacyCondExtractorID, legacyAlias(condExtractorVersion.ID, "dpv_"), condExtractor.Name, "EXTRACT", legacyCondConfig, creditsCond
	}
	// MERGE_EXTRACT runs an inline config: no processor of its own.
	return "", "", stepNames[stepMerge], "EXTRACT", legacyMergeConfig, 0
}

func (s *Sim) legacyOutput(r *run, tl timeline, i int) legacyProcRunJSON {
	pid, pvid, name, typ, config, credits := legacyProcessor(i)
	runID := legacyAlias(r.procRunID(i), "dpr_")
	p := legacyProcRunJSON{
		Object: "document_processor_run", ID: runID, ProcessorID: pid, ProcessorVersionID: pvid, ProcessorName: name,
		Status: tl.stepStatus(i), Edits: map[string]editJSON{}, Type: typ, Config: config,
		Files: legacyFiles(r.stepFiles(i)), MergedProcessors: []legacyMergedJSON{},
		URL: "https://dashboard.extend.ai/processors/" + pid + "/runs/" + runID,
	}
	if pid == "" {
		p.URL = "https://dashboard.extend.ai/processor-runs/" + runID
	}
	if i == stepMerge {
		for _, m := range mergedExtractors {
			p.MergedProcessors = append(p.MergedProcessors, legacyMergedJSON{
				ProcessorID: legacyAlias(m.ID, "dp_"), ProcessorVersionID: legacyAlias(m.VersionID, "dpv_"), ProcessorName: m.Name})
		}
	}
	if p.Status == stFailed {
		p.FailureReason, p.FailureMessage = "FAILED_TO_PROCESS_FILE", failureMessage
	}
	if p.Status != stProcessed {
		return p // output stays null: there is none yet
	}
	p.Usage = &legacyCredits{Credits: credits}
	initial, reviewedOut := legacyOutputs(r, i)
	p.Output, p.InitialOutput = initial, initial
	if reviewedOut != nil {
		p.Output, p.ReviewedOutput, p.Reviewed, p.Edited = reviewedOut, reviewedOut, true, true
		if corr := r.corrections[i]; corr != nil && corr.edits != nil {
			p.Edits, p.Edited = corr.edits, len(corr.edits) > 0
		}
	}
	return p
}

// legacyOutputs are the initial and (if reviewed) reviewed outputs of step i.
func legacyOutputs(r *run, i int) (initial, reviewed json.RawMessage) {
	corr := r.corrections[i]
	switch i {
	case stepClassify:
		initial = mustJSON(r.classifyOutput())
		if corr != nil && corr.classify != nil {
			reviewed = mustJSON(corr.classify)
		}
	case stepSplit:
		initial = mustJSON(splitOutputJSON{Splits: splitsJSON(r.splits)})
		if corr != nil && corr.splits != nil {
			reviewed = mustJSON(splitOutputJSON{Splits: splitsJSON(corr.splits)})
		}
	default:
		meta := json.RawMessage(emptyObject)
		if i == stepExtract && bytes.Equal(r.extractValue, defaultExtractValue) {
			meta = legacyExtractMeta
		}
		initial = mustJSON(extractOutputJSON{Value: r.extractValueAt(i), Metadata: meta})
		if corr != nil && corr.value != nil {
			reviewed = mustJSON(extractOutputJSON{Value: corr.value, Metadata: meta})
		}
	}
	return initial, reviewed
}

// mustJSON marshals the sim's own types, which cannot fail; null otherwise.
func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		return json.RawMessage("null")
	}
	return b
}

type legacyRuleJSON struct {
	Name          string   `json:"name"`
	Valid         bool     `json:"valid"`
	ValidArray    []string `json:"validArray,omitempty"`
	FailureReason string   `json:"failureReason,omitempty"`
	Error         string   `json:"error,omitempty"`
}

// legacyStepRun renders a validation step; validArray is string[] as the
// legacy type declares.
func legacyStepRun(r *run, tl timeline, i int) legacyStepRunJSON {
	sr := legacyStepRunJSON{Object: "workflow_step_run", ID: r.stepIDs[i], Status: tl.stepStatus(i),
		Step: legacyStepJSON{Object: "workflow_step", ID: stepIDs[i], Name: stepNames[i], Type: stepTypes[i]}}
	if sr.Status != stProcessed {
		return sr
	}
	if i == stepExternal {
		sr.Output = externalData
		return sr
	}
	var out struct {
		Rules []legacyRuleJSON `json:"rules"`
	}
	for _, rule := range rules {
		lr := legacyRuleJSON{Name: rule.Name, Valid: rule.Valid, FailureReason: rule.FailureReason, Error: rule.Error}
		for _, v := range rule.ValidArray {
			if v {
				lr.ValidArray = append(lr.ValidArray, "true")
			} else {
				lr.ValidArray = append(lr.ValidArray, "false")
			}
		}
		out.Rules = append(out.Rules, lr)
	}
	sr.Output = mustJSON(out)
	return sr
}

// renderLegacySummary builds the legacy WorkflowRunSummary of r at now.
func (s *Sim) renderLegacySummary(r *run, now time.Time) legacySummaryJSON {
	tl := s.timelineAt(r, now)
	by, at, note, _ := reviewFields(r, tl)
	out := legacySummaryJSON{
		ID: r.id, Status: tl.status, InitialRunAt: fmtTime(r.created), ReviewedByUser: deref(by), ReviewedAt: deref(at),
		StartTime: deref(optTime(tl.start)), EndTime: deref(optTime(tl.end)), WorkflowID: r.workflowID,
		WorkflowName: workflowName(r.workflowID), WorkflowVersionID: r.versionID, BatchID: r.batchID,
		RejectionNote: deref(note), CreatedAt: fmtTime(r.created), UpdatedAt: fmtTime(tl.updated),
	}
	if tl.final {
		out.Usage = &legacyCredits{Credits: s.runUsage(r, tl).Credits}
	}
	return out
}
