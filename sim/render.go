package sim

import (
	"encoding/json"
	"time"
)

// Fixed timestamps of the simulated workflow and processors (they predate any run).
var (
	workflowCreated = "2025-03-11T10:00:00.000Z"
	workflowUpdated = "2025-05-20T16:45:12.000Z"
	reviewerEmail   = "reviewer@northwind.example"
	rejectionNote   = "Vendor is not on the approved vendor list."
	failureMessage  = "The file could not be processed: the extractor could not read page 2."
)

// createdByJSON is the CreatedBy union (N§4.3).
type createdByJSON struct {
	Type  string `json:"type"`
	Email string `json:"email,omitempty"`
	Name  string `json:"name,omitempty"`
}

type workflowJSON struct {
	Object    string         `json:"object"`
	ID        string         `json:"id"`
	Name      string         `json:"name"`
	CreatedAt string         `json:"createdAt"`
	UpdatedAt string         `json:"updatedAt"`
	CreatedBy *createdByJSON `json:"createdBy"`
}

type workflowVersionJSON struct {
	Object    string         `json:"object"`
	ID        string         `json:"id"`
	Version   string         `json:"version"`
	Name      *string        `json:"name"`
	CreatedAt string         `json:"createdAt"`
	CreatedBy *createdByJSON `json:"createdBy"`
}

type parentSplitJSON struct {
	ID         string `json:"id"`
	Type       string `json:"type"`
	Identifier string `json:"identifier"`
	StartPage  int    `json:"startPage"`
	EndPage    int    `json:"endPage"`
}

type fileMetaJSON struct {
	PageCount   *int             `json:"pageCount,omitempty"`
	ParentSplit *parentSplitJSON `json:"parentSplit,omitempty"`
}

// fileJSON is FileSummary (N§4.5).
type fileJSON struct {
	Object       string       `json:"object"`
	ID           string       `json:"id"`
	Name         string       `json:"name"`
	Type         *string      `json:"type"`
	ParentFileID *string      `json:"parentFileId"`
	Metadata     fileMetaJSON `json:"metadata"`
	CreatedAt    string       `json:"createdAt"`
	UpdatedAt    string       `json:"updatedAt"`
}

type chargeJSON struct {
	Product  string  `json:"product"`
	Unit     string  `json:"unit"`
	Quantity float64 `json:"quantity"`
	Credits  float64 `json:"credits"`
}

type breakdownJSON struct {
	Object  string       `json:"object"`
	ID      string       `json:"id"`
	Credits float64      `json:"credits"`
	Charges []chargeJSON `json:"charges,omitempty"`
}

// usageJSON is RunUsage; Breakdown is omitted for RunUsageSummary.
type usageJSON struct {
	Credits      float64          `json:"credits"`
	TotalCredits float64          `json:"totalCredits"`
	Breakdown    *[]breakdownJSON `json:"breakdown,omitempty"`
}

// workflowRunJSON is WorkflowRun (N§4.1); every key is always present.
type workflowRunJSON struct {
	Object         string                     `json:"object"`
	ID             string                     `json:"id"`
	Workflow       workflowJSON               `json:"workflow"`
	WorkflowVer    workflowVersionJSON        `json:"workflowVersion"`
	DashboardURL   string                     `json:"dashboardUrl"`
	Status         string                     `json:"status"`
	Metadata       map[string]json.RawMessage `json:"metadata"`
	BatchID        *string                    `json:"batchId"`
	Files          []fileJSON                 `json:"files"`
	FailureReason  *string                    `json:"failureReason"`
	FailureMessage *string                    `json:"failureMessage"`
	InitialRunAt   *string                    `json:"initialRunAt"`
	ReviewedByUser *string                    `json:"reviewedByUser"`
	Reviewed       bool                       `json:"reviewed"`
	RejectionNote  *string                    `json:"rejectionNote"`
	ReviewedAt     *string                    `json:"reviewedAt"`
	StartTime      *string                    `json:"startTime"`
	EndTime        *string                    `json:"endTime"`
	StepRuns       []stepRunJSON              `json:"stepRuns"`
	Usage          *usageJSON                 `json:"usage"`
}

// workflowRunSummaryJSON is WorkflowRunSummary (N§4.2).
type workflowRunSummaryJSON struct {
	Object         string              `json:"object"`
	ID             string              `json:"id"`
	Status         string              `json:"status"`
	Workflow       workflowJSON        `json:"workflow"`
	WorkflowVer    workflowVersionJSON `json:"workflowVersion"`
	DashboardURL   string              `json:"dashboardUrl"`
	ReviewedByUser *string             `json:"reviewedByUser"`
	ReviewedAt     *string             `json:"reviewedAt"`
	InitialRunAt   *string             `json:"initialRunAt"`
	StartTime      *string             `json:"startTime"`
	EndTime        *string             `json:"endTime"`
	BatchID        *string             `json:"batchId"`
	RejectionNote  *string             `json:"rejectionNote"`
	Files          []fileJSON          `json:"files"`
	CreatedAt      string              `json:"createdAt"`
	UpdatedAt      string              `json:"updatedAt"`
	Usage          *usageJSON          `json:"usage"`
}

func strPtr(s string) *string { return &s }

// nullable renders "" as null.
func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func renderWorkflow(r *run) workflowJSON {
	return workflowJSON{
		Object: "workflow", ID: r.workflowID, Name: workflowName(r.workflowID),
		CreatedAt: workflowCreated, UpdatedAt: workflowUpdated,
		CreatedBy: &createdByJSON{Type: "user", Email: "ops-admin@northwind.example"},
	}
}

func renderVersion(r *run) workflowVersionJSON {
	var name *string
	if r.version != "draft" {
		name = strPtr("Version " + r.version)
	}
	return workflowVersionJSON{
		Object: "workflow_version", ID: r.versionID, Version: r.version, Name: name,
		CreatedAt: workflowUpdated, CreatedBy: nil,
	}
}

func renderFile(f *simFile) fileJSON {
	fj := fileJSON{
		Object: "file", ID: f.id, Name: f.name, Type: nullable(f.typ), ParentFileID: nullable(f.parent),
		CreatedAt: fmtTime(f.created), UpdatedAt: fmtTime(f.created),
	}
	if f.pageCount > 0 {
		pc := f.pageCount
		fj.Metadata.PageCount = &pc
	}
	if sp := f.parentSplit; sp != nil {
		fj.Metadata.ParentSplit = &parentSplitJSON{ID: sp.id, Type: sp.typ, Identifier: sp.identifier, StartPage: sp.start, EndPage: sp.end}
	}
	return fj
}

func renderFiles(fs []*simFile) []fileJSON {
	out := make([]fileJSON, 0, len(fs))
	for _, f := range fs {
		out = append(out, renderFile(f))
	}
	return out
}

// initialRunAt is the creation time, shown once the run has started (N§4.1:
// "when the run was created … null until the run has started").
func initialRunAt(r *run, tl timeline) *string {
	if tl.start.IsZero() {
		return nil
	}
	return optTime(r.created)
}

func dashboardURL(r *run) string { return "https://dashboard.extend.ai/workflows/" + r.id }

// reviewFields are the review/rejection keys of a run at a timeline.
func reviewFields(r *run, tl timeline) (by, at, note *string, reviewed bool) {
	if !tl.final || tl.status == stCancelled {
		return nil, nil, nil, false
	}
	switch {
	case r.script.reviewed:
		return strPtr(reviewerEmail), optTime(tl.end), nil, true
	case r.script.reject:
		return strPtr(reviewerEmail), optTime(tl.end), strPtr(rejectionNote), false
	}
	return nil, nil, nil, false
}

// renderRun builds the WorkflowRun of r at now.
func (s *Sim) renderRun(r *run, now time.Time) workflowRunJSON {
	tl := s.timelineAt(r, now)
	by, at, note, reviewed := reviewFields(r, tl)
	out := workflowRunJSON{
		Object: "workflow_run", ID: r.id, Workflow: renderWorkflow(r), WorkflowVer: renderVersion(r),
		DashboardURL: dashboardURL(r), Status: tl.status, Metadata: r.metadata, BatchID: nullable(r.batchID),
		Files: renderFiles(r.files), InitialRunAt: initialRunAt(r, tl), ReviewedByUser: by, Reviewed: reviewed,
		RejectionNote: note, ReviewedAt: at, StartTime: optTime(tl.start), EndTime: optTime(tl.end),
		StepRuns: s.renderSteps(r, tl),
	}
	if out.Metadata == nil {
		out.Metadata = map[string]json.RawMessage{}
	}
	if tl.status == stFailed {
		out.FailureReason, out.FailureMessage = strPtr("FAILED_TO_PROCESS_FILE"), strPtr(failureMessage)
	}
	if tl.final {
		u := s.runUsage(r, tl)
		out.Usage = &u
	}
	return out
}

// renderSummary builds the WorkflowRunSummary of r at now.
func (s *Sim) renderSummary(r *run, now time.Time) workflowRunSummaryJSON {
	tl := s.timelineAt(r, now)
	by, at, note, _ := reviewFields(r, tl)
	out := workflowRunSummaryJSON{
		Object: "workflow_run", ID: r.id, Status: tl.status, Workflow: renderWorkflow(r), WorkflowVer: renderVersion(r),
		DashboardURL: dashboardURL(r), ReviewedByUser: by, ReviewedAt: at, InitialRunAt: initialRunAt(r, tl),
		StartTime: optTime(tl.start), EndTime: optTime(tl.end), BatchID: nullable(r.batchID), RejectionNote: note,
		Files: renderFiles(r.files), CreatedAt: fmtTime(r.created), UpdatedAt: fmtTime(tl.updated),
	}
	if tl.final {
		u := s.runUsage(r, tl)
		out.Usage = &usageJSON{Credits: u.Credits, TotalCredits: u.TotalCredits}
	}
	return out
}
