package sim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// stepCtx is what every step renderer needs: the step's status and times.
type stepCtx struct {
	r        *run
	i        int
	status   string
	from, to time.Time
}

func (c stepCtx) done() bool { return c.status == stProcessed }

func (c stepCtx) created() string { return fmtTime(c.from) }

// updated is the end time once the step is over, else its start.
func (c stepCtx) updated() string {
	if c.status == stProcessing {
		return fmtTime(c.from)
	}
	return fmtTime(c.to)
}

// usage is the processor run's own usage, set only when it finished.
func (c stepCtx) usage(credits float64) *usageJSON {
	if !c.done() {
		return nil
	}
	return &usageJSON{Credits: credits, TotalCredits: credits}
}

// renderSteps lists the step runs visible at tl, in execution order.
func (s *Sim) renderSteps(r *run, tl timeline) []stepRunJSON {
	out := make([]stepRunJSON, 0, tl.steps)
	for i := 0; i < tl.steps; i++ {
		from, to := s.stepBounds(r, tl.start, i)
		c := stepCtx{r: r, i: i, status: tl.stepStatus(i), from: from, to: to}
		out = append(out, stepRunJSON{
			StepType: stepTypes[i], Object: "workflow_step_run", ID: r.stepIDs[i], WorkflowRunID: r.id,
			Status: c.status, Files: renderFiles(r.stepFiles(i)),
			Step:   stepJSON{Object: "workflow_step", ID: stepIDs[i], Name: stepNames[i], Type: stepTypes[i]},
			Result: c.result(),
		})
	}
	return out
}

// stepFiles are the files a step worked on: steps after the split work on
// the first split's sub-file.
func (r *run) stepFiles(i int) []*simFile {
	if i > stepSplit && !r.pkg && len(r.splits) > 0 && r.splits[0].file != nil {
		return []*simFile{r.splits[0].file}
	}
	return r.files
}

// runFile is the processor run's `file`: null for package runs.
func (r *run) runFile(i int) *fileJSON {
	if r.pkg {
		return nil
	}
	f := renderFile(r.stepFiles(i)[0])
	return &f
}

func (c stepCtx) result() any {
	switch c.i {
	case stepParse:
		return parseResultJSON{ParseRun: c.parseRun()}
	case stepClassify:
		return classifyResultJSON{ClassifyRun: c.classifyRun()}
	case stepSplit:
		return splitResultJSON{SplitRun: c.splitRun()}
	case stepExtract:
		return extractResultJSON{ExtractRun: c.extractRun()}
	case stepMerge:
		return mergeResultJSON{MergedExtractors: mergedExtractors, ExtractRun: c.mergeRun()}
	case stepCond:
		return extractResultJSON{ExtractRun: c.condRun()}
	}
	if !c.done() {
		return nil // rule and external steps have no run to show until they finish
	}
	if c.i == stepRules {
		return rulesResultJSON{Rules: rules, AllPassed: false}
	}
	var ext externalResultJSON
	ext.Response.Status, ext.Response.Data = 200, externalData
	return ext
}

func (c stepCtx) parseRun() parseRunJSON {
	p := parseRunJSON{
		Object: "parse_run", ID: c.r.parseRunID, File: renderFile(c.r.files[0]), Status: c.status,
		Config: parseConfig, Output: nil, Usage: c.usage(creditsParse),
	}
	if c.status == stCancelled {
		p.Status = stFailed // ParseRunStatus has no CANCELLED
		p.FailureReason, p.FailureMessage = strPtr("INTERNAL_ERROR"), strPtr("The workflow run was cancelled.")
	}
	if c.done() {
		p.Output = parseOutput
		p.Metrics = &metricsJSON{ProcessingTimeMs: int(c.to.Sub(c.from) / time.Millisecond), PageCount: c.r.files[0].pageCount}
	}
	return p
}

func (c stepCtx) classifyRun() classifyRunJSON {
	cr := classifyRunJSON{
		Object: "classify_run", ID: c.r.classifyRunID, Status: c.status, Classifier: &classifier,
		ClassifierVersion: &classifierVersion, Config: classifyConfig, File: c.r.runFile(c.i),
		ParseRunID: strPtr(c.r.parseRunID), DashboardURL: "https://dashboard.extend.ai/classifiers/" + ClassifierID + "/runs/" + c.r.classifyRunID,
		Usage: c.usage(creditsClassify), CreatedAt: c.created(), UpdatedAt: c.updated(),
	}
	if c.done() {
		cr.Output = c.r.classifyOutput()
		if corr := c.r.corrections[c.i]; corr != nil && corr.classify != nil {
			cr.InitialOutput, cr.ReviewedOutput, cr.Output = cr.Output, corr.classify, corr.classify
			cr.Reviewed, cr.Edited = true, true
		}
	}
	return cr
}

func (c stepCtx) splitRun() splitRunJSON {
	sr := splitRunJSON{
		Object: "split_run", ID: c.r.splitRunID, Status: c.status, Splitter: &splitter,
		SplitterVersion: &splitterVersion, Config: splitConfig, File: c.r.runFile(c.i),
		ParseRunID: strPtr(c.r.parseRunID), DashboardURL: "https://dashboard.extend.ai/splitters/" + SplitterID + "/runs/" + c.r.splitRunID,
		Usage: c.usage(creditsSplit), CreatedAt: c.created(), UpdatedAt: c.updated(),
	}
	if c.done() {
		sr.Output = &splitOutputJSON{Splits: splitsJSON(c.r.splits)}
		if corr := c.r.corrections[c.i]; corr != nil && corr.splits != nil {
			reviewed := &splitOutputJSON{Splits: splitsJSON(corr.splits)}
			sr.InitialOutput, sr.ReviewedOutput, sr.Output = sr.Output, reviewed, reviewed
			sr.Reviewed, sr.Edited = true, true
		}
	}
	return sr
}

// classifyOutput is the classifier's own output (same shape in both versions).
func (r *run) classifyOutput() *classifyOutputJSON {
	return &classifyOutputJSON{ID: r.classifyID, Type: r.classifyType, Confidence: r.classifyConf,
		Insights: []insightJSON{{Type: "reasoning", Content: "Header reads INVOICE and there is a total due."}}}
}

// splitsJSON renders splits (the same shape in both versions).
func splitsJSON(splits []split) []splitJSON {
	out := make([]splitJSON, 0, len(splits))
	for _, sp := range splits {
		fileID := ""
		if sp.file != nil {
			fileID = sp.file.id
		}
		out = append(out, splitJSON{ID: sp.id, ClassificationID: sp.classificationID, Type: sp.typ,
			Observation: sp.observation, Identifier: sp.identifier, StartPage: sp.start, EndPage: sp.end,
			Name: nullable(sp.name), FileID: fileID})
	}
	return out
}

// baseExtract fills what the three extract-run flavours share.
func (c stepCtx) baseExtract(id string, config []byte, credits float64) extractRunJSON {
	e := extractRunJSON{
		Object: "extract_run", ID: id, Status: c.status, Config: config, File: c.r.runFile(c.i),
		ParseRunID: strPtr(c.r.parseRunID), Usage: c.usage(credits), CreatedAt: c.created(), UpdatedAt: c.updated(),
	}
	if c.r.pkg {
		fs := renderFiles(c.r.files)
		e.Files = &fs
	}
	return e
}

func (c stepCtx) extractRun() extractRunJSON {
	e := c.baseExtract(c.r.extractRunID, extractConfig, creditsExtract)
	e.Extractor, e.ExtractorVersion = &extractor, &extractorVersion
	e.DashboardURL = "https://dashboard.extend.ai/extractors/" + ExtractorID + "/runs/" + c.r.extractRunID
	if c.status == stFailed {
		e.FailureReason, e.FailureMessage = strPtr("FAILED_TO_PROCESS_FILE"), strPtr(failureMessage)
		return e
	}
	meta := json.RawMessage(emptyObject)
	if bytes.Equal(c.r.extractValue, defaultExtractValue) { // field metadata only fits the default value
		meta = []byte(fmt.Sprintf(extractMetaFmt, c.r.stepFiles(c.i)[0].id))
	}
	c.fillExtract(&e, meta)
	return e
}

// fillExtract sets the outputs of a finished extract-like run, with its review if any.
func (c stepCtx) fillExtract(e *extractRunJSON, meta json.RawMessage) {
	if !c.done() {
		return
	}
	initial := &extractOutputJSON{Value: c.r.extractValueAt(c.i), Metadata: meta}
	e.Output = initial
	if corr := c.r.corrections[c.i]; corr != nil {
		reviewed := &extractOutputJSON{Value: corr.value, Metadata: meta}
		e.Output, e.InitialOutput, e.ReviewedOutput = reviewed, initial, reviewed
		e.Reviewed, e.Edited, e.Edits = true, len(corr.edits) > 0, corr.edits
		if !e.Edited {
			e.Edits = nil
		}
	}
}

func (c stepCtx) mergeRun() extractRunJSON {
	e := c.baseExtract(c.r.mergeRunID, mergeConfig, 0)
	e.ParseRunID = nil // inline config: no extractor, no parse run of its own
	e.DashboardURL = "https://dashboard.extend.ai/extract-runs/" + c.r.mergeRunID
	c.fillExtract(&e, emptyObject)
	return e
}

func (c stepCtx) condRun() extractRunJSON {
	e := c.baseExtract(c.r.condRunID, condConfig, creditsCond)
	e.Extractor, e.ExtractorVersion = &condExtractor, &condExtractorVersion
	e.DashboardURL = "https://dashboard.extend.ai/extractors/" + CondExtractorID + "/runs/" + c.r.condRunID
	c.fillExtract(&e, emptyObject)
	return e
}

// runUsage sums the finished processor runs, in creation order (N§4.6).
func (s *Sim) runUsage(r *run, tl timeline) usageJSON {
	list := []breakdownJSON{}
	add := func(i int, object, id string, credits float64, charges []chargeJSON) {
		if i < tl.steps && tl.stepStatus(i) == stProcessed {
			list = append(list, breakdownJSON{Object: object, ID: id, Credits: credits, Charges: charges})
		}
	}
	add(stepParse, "parse_run", r.parseRunID, creditsParse, nil)
	add(stepClassify, "classify_run", r.classifyRunID, creditsClassify, nil)
	add(stepSplit, "split_run", r.splitRunID, creditsSplit, nil)
	add(stepExtract, "extract_run", r.extractRunID, creditsExtract,
		[]chargeJSON{{Product: "extraction_performance", Unit: "page", Quantity: 2, Credits: creditsExtract}})
	add(stepCond, "extract_run", r.condRunID, creditsCond, nil)
	total := 0.0
	for _, b := range list {
		total += b.Credits
	}
	return usageJSON{Credits: total, TotalCredits: total, Breakdown: &list}
}
