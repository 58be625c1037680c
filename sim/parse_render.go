package sim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Parse output: one set of blocks per page, including 2026 block types
// (header, key_value, page_number, footer) that a 2025-04-21 server reports
// as plain text (legacy BlockType has five values).

type bboxJSON struct {
	Left   *float64 `json:"left"`
	Top    *float64 `json:"top"`
	Right  *float64 `json:"right"`
	Bottom *float64 `json:"bottom"`
}

// legacyBBoxJSON is the legacy BlockBoundingBox: every side optional.
type legacyBBoxJSON struct {
	Left   *float64 `json:"left,omitempty"`
	Top    *float64 `json:"top,omitempty"`
	Right  *float64 `json:"right,omitempty"`
	Bottom *float64 `json:"bottom,omitempty"`
}

type pointJSON struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
}

type blockPageJSON struct {
	Number int `json:"number"`
	Width  int `json:"width,omitempty"`
	Height int `json:"height,omitempty"`
}

type blockMetaJSON struct {
	Page blockPageJSON `json:"page"`
}

type blockJSON struct {
	Object      string          `json:"object"`
	ID          string          `json:"id"`
	Type        string          `json:"type"`
	Content     string          `json:"content"`
	Details     json.RawMessage `json:"details"`
	Metadata    blockMetaJSON   `json:"metadata"`
	Polygon     []pointJSON     `json:"polygon"`
	BoundingBox any             `json:"boundingBox"`
}

type chunkJSON struct {
	Object   string `json:"object"`
	Type     string `json:"type"`
	Content  string `json:"content"`
	Metadata struct {
		PageRange struct {
			Start int `json:"start"`
			End   int `json:"end"`
		} `json:"pageRange"`
	} `json:"metadata"`
	Blocks []blockJSON `json:"blocks"`
}

// simBlock is one block of a page before it is rendered in a version.
type simBlock struct {
	typ, content      string
	details           string // 2026 details
	top, bottom       float64
	noHorizontalSides bool // left/right unknown (null in 2026, absent in legacy)
}

// legacyBlockTypes are the 0.0.12 BlockType values.
var legacyBlockTypes = map[string]bool{"text": true, "heading": true, "section_heading": true, "table": true, "figure": true}

func pageBlocks(f *storedFile, n int) []simBlock {
	bs := []simBlock{
		{typ: "header", content: "Northwind Traders - Accounts Payable", details: `{"type":"text_details"}`, top: 20, bottom: 40},
		{typ: "heading", content: fmt.Sprintf("Page %d", n), details: `{}`, top: 60, bottom: 90},
		{typ: "text", content: f.pageText(n), details: `{"type":"text_details"}`, top: 100, bottom: 220},
		{typ: "key_value", content: fmt.Sprintf("Invoice number: INV-%04d", 40+n), details: `{"type":"key_value_details"}`, top: 230, bottom: 250},
		{typ: "table", content: "| Item | Amount |\n|---|---|\n| Consulting | 1,250.00 |", details: `{"type":"table_details","rowCount":2,"columnCount":2}`, top: 260, bottom: 340},
	}
	if n == 1 {
		bs = append(bs, simBlock{typ: "figure", content: "Northwind Traders logo", details: `{"type":"figure_details","figureType":"logo"}`, top: 350, bottom: 420})
	}
	return append(bs,
		simBlock{typ: "page_number", content: fmt.Sprint(n), details: `{}`, top: 740, bottom: 752, noHorizontalSides: true},
		simBlock{typ: "footer", content: "Confidential", details: `{"type":"text_details"}`, top: 760, bottom: 780})
}

// renderBlock renders b in 2026 (legacy false) or legacy shape.
func renderBlock(runID string, n, k int, b simBlock, legacy bool) blockJSON {
	left, right := 72.0, 540.0
	out := blockJSON{Object: "block", ID: fmt.Sprintf("blk_%s_%d_%d", strings.TrimPrefix(runID, "pr_"), n, k),
		Type: b.typ, Content: b.content, Details: json.RawMessage(b.details),
		Metadata: blockMetaJSON{Page: blockPageJSON{Number: n, Width: pageWidth, Height: pageHeight}},
		Polygon:  []pointJSON{{left, b.top}, {right, b.top}, {right, b.bottom}, {left, b.bottom}}}
	top, bottom := b.top, b.bottom
	bb := bboxJSON{Left: &left, Top: &top, Right: &right, Bottom: &bottom}
	if b.noHorizontalSides {
		bb.Left, bb.Right = nil, nil
	}
	out.BoundingBox = bb
	if legacy {
		out.BoundingBox = legacyBBoxJSON(bb)
		if !legacyBlockTypes[b.typ] {
			out.Type = "text"
		}
		if b.details == `{"type":"text_details"}` || b.details == `{"type":"key_value_details"}` {
			out.Details = json.RawMessage(`{}`) // no such details in 0.0.12
		}
	}
	return out
}

// chunks builds the output chunks by the config's chunking strategy.
func (pr *parseRun) chunks(legacy bool) []chunkJSON {
	typ := decodeString(pr.config, "chunkingStrategy.type", "page")
	var pages [][]int
	if typ == "document" {
		var all []int
		for n := 1; n <= pr.file.pageCount; n++ {
			all = append(all, n)
		}
		pages = [][]int{all}
	} else {
		for n := 1; n <= pr.file.pageCount; n++ {
			pages = append(pages, []int{n})
		}
	}
	out := make([]chunkJSON, 0, len(pages))
	for _, ns := range pages {
		c := chunkJSON{Object: "chunk", Type: typ}
		c.Metadata.PageRange.Start, c.Metadata.PageRange.End = ns[0], ns[len(ns)-1]
		var contents []string
		for _, n := range ns {
			for k, b := range pageBlocks(pr.file, n) {
				c.Blocks = append(c.Blocks, renderBlock(pr.id, n, k, b, legacy))
				contents = append(contents, b.content)
			}
		}
		c.Content = strings.Join(contents, "\n\n")
		out = append(out, c)
	}
	return out
}

func decodeString(raw json.RawMessage, path, def string) string {
	m, _ := decode(raw).(map[string]any)
	for _, k := range strings.Split(path, ".") {
		switch v := m[k].(type) {
		case map[string]any:
			m = v
		case string:
			return v
		default:
			return def
		}
	}
	return def
}

// processingMs is the simulated processing time.
func (s *Sim) processingMs(pr *parseRun) int {
	if pr.sync {
		return 1200
	}
	return int(s.opt.ProcessFor / time.Millisecond)
}

// parseRunJSON is defined in procruns.go (the workflow's PARSE step uses it too).
func (s *Sim) renderParseRun(pr *parseRun, now time.Time, asURL bool) parseRunJSON {
	st := s.parseStatus(pr, now)
	out := parseRunJSON{Object: "parse_run", ID: pr.id, File: pr.file.summary(), Status: st, Metadata: pr.metadata,
		Output: json.RawMessage("null"), Config: pr.config}
	if out.Metadata == nil {
		out.Metadata = json.RawMessage("null")
	}
	switch st {
	case stFailed:
		out.FailureReason, out.FailureMessage = strPtr("FAILED_TO_PROCESS_FILE"), strPtr("The file could not be parsed: it is password protected.")
		out.Metrics = &metricsJSON{ProcessingTimeMs: s.processingMs(pr), PageCount: 0}
	case stProcessed:
		out.Metrics = &metricsJSON{ProcessingTimeMs: s.processingMs(pr), PageCount: pr.file.pageCount}
		out.Usage = &usageJSON{Credits: float64(pr.file.pageCount), TotalCredits: float64(pr.file.pageCount)}
		if asURL {
			out.OutputURL = strPtr("https://files.extend.example/parse_runs/" + pr.id + "/output.json?X-Amz-Signature=sim")
		} else {
			out.Output = mustJSON(struct {
				Chunks []chunkJSON `json:"chunks"`
			}{pr.chunks(false)})
		}
	}
	return out
}

// legacyParserRunJSON is the legacy ParserRun; Object is set only by
// parserRun.get, whose union declares it (0.0.12's ParserRun does not).
type legacyParserRunJSON struct {
	Object        string          `json:"object,omitempty"`
	ID            string          `json:"id"`
	FileID        string          `json:"fileId"`
	Chunks        []chunkJSON     `json:"chunks"`
	Status        string          `json:"status"`
	FailureReason string          `json:"failureReason,omitempty"`
	Metrics       metricsJSON     `json:"metrics"`
	Config        json.RawMessage `json:"config"`
	Usage         *legacyCredits  `json:"usage,omitempty"`
}

// legacyParserStatusJSON is the legacy ParserRunStatus.
type legacyParserStatusJSON struct {
	Object        string `json:"object,omitempty"`
	ID            string `json:"id"`
	Status        string `json:"status"`
	FailureReason string `json:"failureReason,omitempty"`
}

func (pr *parseRun) legacyConfig() json.RawMessage {
	if pr.legacyCfg != nil {
		return mustJSON(project(decode(pr.legacyCfg), legacyParseKeys))
	}
	return newParseToLegacy(pr.config)
}

// renderLegacyParserRun renders a finished run as a legacy ParserRun.
func (s *Sim) renderLegacyParserRun(pr *parseRun, now time.Time) legacyParserRunJSON {
	out := legacyParserRunJSON{ID: pr.id, FileID: pr.file.id, Chunks: []chunkJSON{}, Status: s.parseStatus(pr, now),
		Config: pr.legacyConfig(), Metrics: metricsJSON{ProcessingTimeMs: s.processingMs(pr)}}
	if out.Status == stFailed {
		out.FailureReason = "FAILED_TO_PROCESS_FILE"
		return out
	}
	out.Chunks = pr.chunks(true)
	out.Metrics.PageCount = pr.file.pageCount
	out.Usage = &legacyCredits{Credits: float64(pr.file.pageCount)}
	return out
}

// legacyStatus is the legacy ParserRunStatus: there is no PENDING.
func (s *Sim) legacyStatus(pr *parseRun, now time.Time) legacyParserStatusJSON {
	out := legacyParserStatusJSON{ID: pr.id, Status: s.parseStatus(pr, now)}
	switch out.Status {
	case stPending:
		out.Status = stProcessing
	case stFailed:
		out.FailureReason = "FAILED_TO_PROCESS_FILE"
	}
	return out
}

func (s *Sim) parseSync(req *http.Request, body []byte) (int, []byte, *apiError) {
	return s.parseStart(req, body, true)
}

func (s *Sim) parseCreate(req *http.Request, body []byte) (int, []byte, *apiError) {
	return s.parseStart(req, body, false)
}

// parseStart serves POST /parse (sync; a file named with "_async" answers
// PENDING, as the vendor's example does) and POST /parse_runs.
func (s *Sim) parseStart(req *http.Request, body []byte, sync bool) (int, []byte, *apiError) {
	asURL, err := responseTypeURL(req)
	if err != nil {
		return 0, nil, err
	}
	in, err := parseParseRequest(body)
	if err != nil {
		return 0, nil, err
	}
	if strings.Contains(in.name+in.url, "_async") {
		sync = false
	}
	pr, err := s.startParse(in, sync)
	if err != nil {
		return 0, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return marshal(s.renderParseRun(pr, s.opt.Now(), asURL && sync))
}

func (s *Sim) parseGet(req *http.Request, _ []byte) (int, []byte, *apiError) {
	asURL, err := responseTypeURL(req)
	if err != nil {
		return 0, nil, err
	}
	return s.withParseRun(req, func(pr *parseRun, now time.Time) any { return s.renderParseRun(pr, now, asURL) })
}

func (s *Sim) parseDelete(req *http.Request, _ []byte) (int, []byte, *apiError) {
	id, err := s.removeParseRun(req)
	if err != nil {
		return 0, nil, err
	}
	return marshal(idJSON{ID: id})
}

func (s *Sim) legacyParse(req *http.Request, body []byte) (int, []byte, *apiError) {
	if _, err := responseTypeURL(req); err != nil {
		return 0, nil, err
	}
	in, err := parseLegacyParseRequest(body)
	if err != nil {
		return 0, nil, err
	}
	pr, err := s.startParse(in, true) // a legacy parse always waits for the result
	if err != nil {
		return 0, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return marshal(s.renderLegacyParserRun(pr, s.opt.Now()))
}

func (s *Sim) legacyParseAsync(_ *http.Request, body []byte) (int, []byte, *apiError) {
	in, err := parseLegacyParseRequest(body)
	if err != nil {
		return 0, nil, err
	}
	pr, err := s.startParse(in, false)
	if err != nil {
		return 0, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return marshal(s.legacyStatus(pr, s.opt.Now()))
}

func (s *Sim) legacyParserRunGet(req *http.Request, _ []byte) (int, []byte, *apiError) {
	if _, err := responseTypeURL(req); err != nil {
		return 0, nil, err
	}
	return s.withParseRun(req, func(pr *parseRun, now time.Time) any {
		var run any
		if st := s.parseStatus(pr, now); st == stPending || st == stProcessing {
			ls := s.legacyStatus(pr, now)
			ls.Object = "parser_run_status"
			run = ls
		} else {
			lr := s.renderLegacyParserRun(pr, now)
			lr.Object = "parser_run"
			run = lr
		}
		return struct {
			Success   bool `json:"success"`
			ParserRun any  `json:"parserRun"`
		}{true, run}
	})
}

func (s *Sim) legacyParserRunDelete(req *http.Request, _ []byte) (int, []byte, *apiError) {
	id, err := s.removeParseRun(req)
	if err != nil {
		return 0, nil, err
	}
	return marshal(struct {
		Success     bool   `json:"success"`
		ParserRunID string `json:"parserRunId"`
		Message     string `json:"message"`
	}{true, id, parserRunDeleteMessage})
}
