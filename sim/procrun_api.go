package sim

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/tidwall/gjson"
)

// procRunJSON is ProcessorRun (legacy) / LegacyProcessorRun (2026): the
// same keys; files differ (2026 File_ vs legacy File_).
type procRunJSON struct {
	Object             string              `json:"object"`
	ID                 string              `json:"id"`
	ProcessorID        string              `json:"processorId"`
	ProcessorVersionID string              `json:"processorVersionId"`
	ProcessorName      string              `json:"processorName"`
	Status             string              `json:"status"`
	Output             any                 `json:"output"`
	FailureReason      string              `json:"failureReason,omitempty"`
	FailureMessage     string              `json:"failureMessage,omitempty"`
	Metadata           json.RawMessage     `json:"metadata,omitempty"`
	Reviewed           bool                `json:"reviewed"`
	Edited             bool                `json:"edited"`
	Edits              map[string]editJSON `json:"edits"`
	Type               string              `json:"type"`
	Config             json.RawMessage     `json:"config"`
	InitialOutput      any                 `json:"initialOutput,omitempty"`
	Files              any                 `json:"files"`
	MergedProcessors   []legacyMergedJSON  `json:"mergedProcessors"`
	URL                string              `json:"url"`
	Usage              *legacyCredits      `json:"usage,omitempty"`
}

var procFileContents = contentFlags{rawText: true, markdown: true}

// renderProcRun renders r in the version's shape. Until it is processed its
// output is {} (an empty fields-array output: the type requires one).
func (s *Sim) renderProcRun(r *procRun, now time.Time, legacy bool) procRunJSON {
	st := s.procStatus(r, now)
	out := procRunJSON{Object: "document_processor_run", ID: r.id, ProcessorID: r.proc.id, ProcessorVersionID: r.version.id,
		ProcessorName: r.proc.name, Status: st, Output: map[string]any{}, Metadata: r.metadata, Edits: map[string]editJSON{},
		Type: r.proc.typ, Config: renderConfig(&procVersion{config: r.config, legacyCfg: r.legacyCfg}, legacy),
		MergedProcessors: []legacyMergedJSON{}, URL: "https://dashboard.extend.ai/processors/" + r.proc.id + "/runs/" + r.id}
	if legacy {
		out.Files = []legacyFullFileJSON{r.file.legacy(procFileContents, false)}
	} else {
		out.Files = []fullFileJSON{r.file.full(procFileContents, true)}
	}
	switch st {
	case stFailed:
		out.FailureReason, out.FailureMessage = "FAILED_TO_PROCESS_FILE", failureMessage
	case stProcessed:
		out.Output = r.output(legacy)
		out.InitialOutput = out.Output
		out.Usage = &legacyCredits{Credits: float64(r.file.pageCount)}
	}
	return out
}

func procRunEnvelope(v procRunJSON) (int, []byte, *apiError) {
	return marshal(struct {
		Success      bool        `json:"success"`
		ProcessorRun procRunJSON `json:"processorRun"`
	}{true, v})
}

// procRunInput is a validated POST /processor_runs body.
type procRunInput struct {
	processorID, version, rawText string
	file                          parseInput
	sync                          bool
	priority                      float64
	metadata, config              gjson.Result
}

func parseProcRunCreate(body []byte) (procRunInput, *apiError) {
	var in procRunInput
	root, err := parseObject(body)
	if err != nil {
		return in, err
	}
	if err := checkKeys("body", root, "processorId", "version", "file", "rawText", "sync", "priority", "metadata", "config"); err != nil {
		return in, err
	}
	if in.processorID, err = reqString(root, "processorId", "body"); err != nil {
		return in, err
	}
	if in.version, _, err = optString(root, "version", "body"); err != nil {
		return in, err
	}
	if in.rawText, _, err = optString(root, "rawText", "body"); err != nil {
		return in, err
	}
	f := field(root, "file")
	if f.Exists() == (in.rawText != "") {
		return in, badRequest("exactly one of file or rawText is required")
	}
	if f.Exists() {
		if in.file, err = parseLegacyParseRequest([]byte(`{"file":` + f.Raw + `}`)); err != nil {
			return in, err
		}
	}
	if in.sync, err = optBool(root, "sync", "body"); err != nil {
		return in, err
	}
	if p := field(root, "priority"); p.Exists() {
		if p.Type != gjson.Number || p.Num < 1 || p.Num > 100 {
			return in, badRequest("priority must be a number from 1 to 100")
		}
		in.priority = p.Num
	}
	if in.metadata = field(root, "metadata"); in.metadata.Exists() && !in.metadata.IsObject() {
		return in, badRequest("metadata must be an object")
	}
	in.config = field(root, "config")
	return in, nil
}

func (s *Sim) procRunCreate(_ *http.Request, body []byte, legacy bool) (int, []byte, *apiError) {
	in, err := parseProcRunCreate(body)
	if err != nil {
		return 0, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p, err := s.processorLocked(in.processorID)
	if err != nil {
		return 0, nil, err
	}
	pv, err := p.version(in.version)
	if err != nil {
		return 0, nil, err
	}
	r := &procRun{seq: s.st.nextSeq(), id: newID(procRunPrefix[p.typ], 20), proc: p, version: pv, config: pv.config,
		legacyCfg: pv.legacyCfg, priority: in.priority, created: s.opt.Now(), sync: in.sync}
	if in.config.Exists() {
		if err := checkProcessorConfig(in.config, p.typ, legacy); err != nil {
			return 0, nil, err
		}
		r.config, r.legacyCfg = storeConfig(in.config, legacy)
	}
	if in.metadata.Exists() {
		r.metadata = json.RawMessage(in.metadata.Raw)
	}
	if r.file, err = s.runInputFileLocked(in); err != nil {
		return 0, nil, err
	}
	r.fail = strings.Contains(r.file.name+in.file.url, "_fail")
	s.st.procRuns.add(r.id, r, s.opt.MaxRuns)
	return procRunEnvelope(s.renderProcRun(r, s.opt.Now(), legacy))
}

// runInputFileLocked resolves a run's file: an existing id, or a new file
// of the files API for a URL or raw text.
func (s *Sim) runInputFileLocked(in procRunInput) (*storedFile, *apiError) {
	now := s.opt.Now()
	if in.file.fileID != "" {
		f, ok := s.fileLocked(in.file.fileID)
		if !ok {
			return nil, notFound("File %s not found.", in.file.fileID)
		}
		return f, nil
	}
	f := &storedFile{id: newID("file_", 22), created: now, seq: s.st.nextSeq(), pageCount: 2}
	if in.rawText != "" {
		s.textSeq++
		f.name, f.typ, f.pageCount = "text-"+itoa(s.textSeq)+".txt", "TXT", 1
		f.text, f.size = truncate(in.rawText, maxKeptText), int64(len(in.rawText))
	} else {
		f.name = in.file.name
		if f.name == "" {
			f.name = urlName(in.file.url)
		}
		f.typ = typeOf(f.name)
	}
	s.st.files.add(f.id, f, s.opt.MaxRuns)
	return f, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}

func (s *Sim) procRunLookup(req *http.Request) (*procRun, *apiError) {
	id := pathID(req, "id")
	r, ok := s.st.procRuns.get(id)
	if !ok {
		return nil, notFound("Processor run %s not found.", id)
	}
	return r, nil
}

func (s *Sim) procRunGet(req *http.Request, _ []byte, legacy bool) (int, []byte, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, err := s.procRunLookup(req)
	if err != nil {
		return 0, nil, err
	}
	return procRunEnvelope(s.renderProcRun(r, s.opt.Now(), legacy))
}

func (s *Sim) procRunCancel(req *http.Request, _ []byte, legacy bool) (int, []byte, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, err := s.procRunLookup(req)
	if err != nil {
		return 0, nil, err
	}
	now := s.opt.Now()
	if st := s.procStatus(r, now); st != stPending && st != stProcessing {
		return 0, nil, badRequest("Processor run %s cannot be cancelled in status %s.", r.id, st)
	}
	r.cancelledAt = now
	return procRunEnvelope(s.renderProcRun(r, now, legacy))
}

func (s *Sim) procRunDelete(req *http.Request, _ []byte, _ bool) (int, []byte, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := pathID(req, "id")
	if !s.st.procRuns.del(id) {
		return 0, nil, notFound("Processor run %s not found.", id)
	}
	return marshal(struct {
		Success bool   `json:"success"`
		RunID   string `json:"documentProcessorRunId"`
		Message string `json:"message"`
	}{true, id, procRunDeleteMessage})
}

type procRunSummaryJSON struct {
	ID                 string         `json:"id"`
	Status             string         `json:"status"`
	ProcessorID        string         `json:"processorId"`
	ProcessorName      string         `json:"processorName"`
	ProcessorVersionID string         `json:"processorVersionId"`
	Type               string         `json:"type"`
	CreatedAt          string         `json:"createdAt"`
	UpdatedAt          string         `json:"updatedAt"`
	Usage              *legacyCredits `json:"usage,omitempty"`
}

var (
	procStatuses = []string{stPending, stProcessing, stProcessed, stFailed, stCancelled}
	procSources  = []string{"ADMIN", "BATCH_PROCESSOR_RUN", "PLAYGROUND", "WORKFLOW_CONFIGURATION", "WORKFLOW_RUN", "STUDIO", "API"}
)

// procRunList serves GET /processor_runs (identical in both versions, S§4.1).
// Every run here was made through the API: source API, no source id.
func (s *Sim) procRunList(req *http.Request, _ []byte, _ bool) (int, []byte, *apiError) {
	v := req.URL.Query()
	st, pid, typ, src := v.Get("status"), v.Get("processorId"), v.Get("processorType"), v.Get("source")
	name, srcID := v.Get("fileNameContains"), v.Get("sourceId")
	switch {
	case st != "" && !slices.Contains(procStatuses, st):
		return 0, nil, badRequest("status must be one of %s (got %q)", strings.Join(procStatuses, ", "), st)
	case typ != "" && !slices.Contains(processorTypes, typ):
		return 0, nil, badRequest("processorType must be EXTRACT, CLASSIFY or SPLITTER (got %q)", typ)
	case src != "" && !slices.Contains(procSources, src):
		return 0, nil, badRequest("source must be one of %s (got %q)", strings.Join(procSources, ", "), src)
	}
	q, err := parsePage(v, []string{"createdAt", "updatedAt"}, st, pid, typ, src, name, srcID)
	if err != nil {
		return 0, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.opt.Now()
	var match []*procRun
	for _, r := range s.st.procRuns.all() {
		if (st == "" || s.procStatus(r, now) == st) && (pid == "" || r.proc.id == pid) && (typ == "" || r.proc.typ == typ) &&
			(src == "" || src == "API") && srcID == "" && strings.Contains(r.file.name, name) {
			match = append(match, r)
		}
	}
	page, next := pageOf(q, match, func(r *procRun) (string, uint64) {
		if q.sortBy == "updatedAt" {
			return fmtTime(s.procUpdated(r, now)), r.seq
		}
		return fmtTime(r.created), r.seq
	})
	out := struct {
		Success       bool                 `json:"success"`
		ProcessorRuns []procRunSummaryJSON `json:"processorRuns"`
		NextPageToken string               `json:"nextPageToken,omitempty"`
	}{Success: true, ProcessorRuns: []procRunSummaryJSON{}, NextPageToken: next}
	for _, r := range page {
		sum := procRunSummaryJSON{ID: r.id, Status: s.procStatus(r, now), ProcessorID: r.proc.id, ProcessorName: r.proc.name,
			ProcessorVersionID: r.version.id, Type: r.proc.typ, CreatedAt: fmtTime(r.created), UpdatedAt: fmtTime(s.procUpdated(r, now))}
		if sum.Status == stProcessed {
			sum.Usage = &legacyCredits{Credits: float64(r.file.pageCount)}
		}
		out.ProcessorRuns = append(out.ProcessorRuns, sum)
	}
	return marshal(out)
}

// batchRunJSON is BatchProcessorRun (LegacyBatchProcessorRun in 2026).
type batchRunJSON struct {
	Object             string `json:"object"`
	ID                 string `json:"id"`
	ProcessorID        string `json:"processorId"`
	ProcessorVersionID string `json:"processorVersionId"`
	ProcessorName      string `json:"processorName"`
	Metrics            struct {
		NumFiles int `json:"numFiles"`
		NumPages int `json:"numPages"`
	} `json:"metrics"`
	Status   string `json:"status"`
	Source   string `json:"source"`
	SourceID string `json:"sourceId"`
	RunCount int    `json:"runCount"`
	Options  struct {
		FuzzyMatchFields []string `json:"fuzzyMatchFields"`
		ExcludeFields    []string `json:"excludeFields"`
	} `json:"options"`
	CreatedAt string `json:"createdAt"`
	UpdatedAt string `json:"updatedAt"`
}

// batchRunGet serves GET /batch_processor_runs/{id} (identical in both versions, S§4.2).
func (s *Sim) batchRunGet(req *http.Request, _ []byte, _ bool) (int, []byte, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := pathID(req, "id")
	b, ok := s.st.batchRuns.get(id)
	if !ok {
		return 0, nil, notFound("Batch processor run %s not found.", id)
	}
	out := batchRunJSON{Object: "batch_processor_run", ID: b.id, ProcessorID: b.proc.id, ProcessorVersionID: b.version.id,
		ProcessorName: b.proc.name, Status: stProcessed, Source: "EVAL_SET", SourceID: "evs_Seed1Seed2Seed3Seed4", RunCount: 12,
		CreatedAt: fmtTime(b.created), UpdatedAt: fmtTime(b.updated)}
	out.Metrics.NumFiles, out.Metrics.NumPages = 12, 31
	out.Options.FuzzyMatchFields, out.Options.ExcludeFields = []string{"vendor_name"}, []string{"tax_id"}
	return marshal(struct {
		Success bool         `json:"success"`
		Run     batchRunJSON `json:"batchProcessorRun"`
	}{true, out})
}
