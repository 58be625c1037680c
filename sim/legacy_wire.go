package sim

import (
	"encoding/json"
	"strings"
)

// Legacy (2025-04-21) processor ids of the simulated workflow. The legacy
// surface shows dp_/dpv_/dpr_ ids with the same suffix as the new ids, as a
// legacy server would; both forms are accepted on input.
const (
	LegacyClassifierID    = "dp_Mm1Nn3Bb5Vv7Cc9Xx1Zz"
	LegacySplitterID      = "dp_Qq3Ww5Ee7Rr9Tt1Yy3Uu"
	LegacyExtractorID     = "dp_Ee4Rr6Tt8Yy0Uu2Ii4Oo"
	LegacyCondExtractorID = "dp_Tx1Tx2Tx3Tx4Tx5Tx6Tx"
)

// LegacyProcessorAliases maps the legacy processor ids the sim shows to its
// new ids, in the form translate.Options.ProcessorAliases takes.
func LegacyProcessorAliases() map[string]string {
	return map[string]string{
		LegacyClassifierID:    ClassifierID,
		LegacySplitterID:      SplitterID,
		LegacyExtractorID:     ExtractorID,
		LegacyCondExtractorID: CondExtractorID,
	}
}

// legacyAlias swaps the prefix of a new id (ex_X, clr_X, …) for a legacy one.
func legacyAlias(id, prefix string) string {
	if id == "" {
		return ""
	}
	if i := strings.IndexByte(id, '_'); i >= 0 {
		return prefix + id[i+1:]
	}
	return prefix + id
}

type legacyCredits struct {
	Credits float64 `json:"credits"`
}

// legacyFileJSON is File_ (L§4.4): optional keys are left out, never null.
type legacyFileJSON struct {
	Object       string         `json:"object"`
	ID           string         `json:"id"`
	Name         string         `json:"name"`
	Type         string         `json:"type,omitempty"`
	ParentFileID string         `json:"parentFileId,omitempty"`
	Metadata     fileMetaJSON   `json:"metadata"`
	CreatedAt    string         `json:"createdAt"`
	UpdatedAt    string         `json:"updatedAt"`
	Usage        *legacyCredits `json:"usage,omitempty"`
}

type legacyWorkflowJSON struct {
	Object  string `json:"object"`
	ID      string `json:"id"`
	Version string `json:"version"`
	Name    string `json:"name"`
}

type legacyMergedJSON struct {
	ProcessorID        string `json:"processorId"`
	ProcessorVersionID string `json:"processorVersionId"`
	ProcessorName      string `json:"processorName"`
}

// legacyProcRunJSON is ProcessorRun (L§4.6). Output is null while the run
// has no output (the one null a legacy body carries; mapping.md §4.5.3).
type legacyProcRunJSON struct {
	Object             string              `json:"object"`
	ID                 string              `json:"id"`
	ProcessorID        string              `json:"processorId"`
	ProcessorVersionID string              `json:"processorVersionId"`
	ProcessorName      string              `json:"processorName"`
	Status             string              `json:"status"`
	Output             json.RawMessage     `json:"output"`
	FailureReason      string              `json:"failureReason,omitempty"`
	FailureMessage     string              `json:"failureMessage,omitempty"`
	Reviewed           bool                `json:"reviewed"`
	Edited             bool                `json:"edited"`
	Edits              map[string]editJSON `json:"edits"`
	Type               string              `json:"type"`
	Config             json.RawMessage     `json:"config"`
	InitialOutput      json.RawMessage     `json:"initialOutput,omitempty"`
	ReviewedOutput     json.RawMessage     `json:"reviewedOutput,omitempty"`
	Files              []legacyFileJSON    `json:"files"`
	MergedProcessors   []legacyMergedJSON  `json:"mergedProcessors"`
	URL                string              `json:"url"`
	Usage              *legacyCredits      `json:"usage,omitempty"`
}

type legacyStepJSON struct {
	Object string `json:"object"`
	ID     string `json:"id"`
	Name   string `json:"name"`
	Type   string `json:"type"`
}

type legacyStepRunJSON struct {
	Object string          `json:"object"`
	ID     string          `json:"id"`
	Status string          `json:"status"`
	Step   legacyStepJSON  `json:"step"`
	Output json.RawMessage `json:"output,omitempty"`
}

// legacyRunJSON is WorkflowRun (L§4.1).
type legacyRunJSON struct {
	Object         string                     `json:"object"`
	ID             string                     `json:"id"`
	Name           string                     `json:"name"`
	URL            string                     `json:"url"`
	Status         string                     `json:"status"`
	Metadata       map[string]json.RawMessage `json:"metadata"`
	BatchID        string                     `json:"batchId,omitempty"`
	Files          []legacyFileJSON           `json:"files"`
	FailureReason  string                     `json:"failureReason,omitempty"`
	FailureMessage string                     `json:"failureMessage,omitempty"`
	InitialRunAt   string                     `json:"initialRunAt"`
	ReviewedBy     string                     `json:"reviewedBy,omitempty"`
	Reviewed       bool                       `json:"reviewed"`
	RejectionNote  string                     `json:"rejectionNote,omitempty"`
	ReviewedAt     string                     `json:"reviewedAt,omitempty"`
	StartTime      string                     `json:"startTime,omitempty"`
	EndTime        string                     `json:"endTime,omitempty"`
	Outputs        []legacyProcRunJSON        `json:"outputs"`
	StepRuns       []legacyStepRunJSON        `json:"stepRuns"`
	Workflow       legacyWorkflowJSON         `json:"workflow"`
	Usage          *legacyCredits             `json:"usage,omitempty"`
}

// legacySummaryJSON is WorkflowRunSummary (L§4.9).
type legacySummaryJSON struct {
	ID                string         `json:"id"`
	Status            string         `json:"status"`
	InitialRunAt      string         `json:"initialRunAt,omitempty"`
	ReviewedByUser    string         `json:"reviewedByUser,omitempty"`
	ReviewedAt        string         `json:"reviewedAt,omitempty"`
	StartTime         string         `json:"startTime,omitempty"`
	EndTime           string         `json:"endTime,omitempty"`
	WorkflowID        string         `json:"workflowId"`
	WorkflowName      string         `json:"workflowName"`
	WorkflowVersionID string         `json:"workflowVersionId"`
	BatchID           string         `json:"batchId,omitempty"`
	RejectionNote     string         `json:"rejectionNote,omitempty"`
	CreatedAt         string         `json:"createdAt"`
	UpdatedAt         string         `json:"updatedAt"`
	Usage             *legacyCredits `json:"usage,omitempty"`
}

// Legacy configs (L§4.10), tagged with the run type.
var (
	legacyClassifyConfig = json.RawMessage(`{"type":"CLASSIFY","baseProcessor":"classification_performance","classifications":[{"id":"invoice","type":"invoice","description":"A vendor invoice requesting payment."},{"id":"other","type":"other","description":"Anything else."}]}`)
	legacySplitConfig    = json.RawMessage(`{"type":"SPLITTER","splitClassifications":[{"id":"invoice","type":"invoice","description":"An invoice."},{"id":"other","type":"other","description":"Anything else."}],"advancedOptions":{"splitMethod":"high_precision"}}`)
	legacyExtractConfig  = json.RawMessage(`{"type":"EXTRACT","baseProcessor":"extraction_performance","baseVersion":"4.4.0","schema":{"type":"object","properties":{"invoice_number":{"type":["string","null"]},"vendor_name":{"type":["string","null"]},"total_due":{"type":"object","properties":{"amount":{"type":["number","null"]},"iso_4217_currency_code":{"type":["string","null"]}}}}},"advancedOptions":{"citationsEnabled":true},"parser":{"target":"markdown"}}`)
	legacyMergeConfig    = json.RawMessage(`{"type":"EXTRACT","schema":{"type":"object","properties":{"invoice_number":{"type":["string","null"]},"vendor_name":{"type":["string","null"]},"line_items":{"type":"array","items":{"type":"object"}}}}}`)
	legacyCondConfig     = json.RawMessage(`{"type":"EXTRACT","schema":{"type":"object","properties":{"tax_id":{"type":["string","null"]},"tax_amount":{"type":["number","null"]}}}}`)
	// Legacy citations carry page as a number and no fileId (L§4.7).
	legacyExtractMeta = json.RawMessage(`{"invoice_number":{"ocrConfidence":0.995,"logprobsConfidence":0.99,"citations":[{"page":1,"referenceText":"Invoice # INV-0042","polygon":[{"x":412.1,"y":88},{"x":540.6,"y":88},{"x":540.6,"y":101.5},{"x":412.1,"y":101.5}]}]},"vendor_name":{"logprobsConfidence":0.98},"total_due":{"logprobsConfidence":0.96}}`)
)
