package sim

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/tidwall/gjson"
)

// parseRun is one parse run (N: ParseRun; L: ParserRun), sync or async.
type parseRun struct {
	seq       uint64
	id        string
	file      *storedFile
	config    json.RawMessage // 2026 form
	legacyCfg json.RawMessage // as a legacy caller sent it; nil when created in 2026-02-09
	metadata  json.RawMessage // nil renders as null
	created   time.Time
	sync      bool // finished when created
	fail      bool // the file's name or URL carries "_fail"
}

const parserRunDeleteMessage = "Parser run data has been successfully deleted."

// parseInput is a validated parse or parse-run create request.
type parseInput struct {
	fileID, url, name string
	config            json.RawMessage
	legacyCfg         json.RawMessage
	metadata          json.RawMessage
}

// parseParseRequest validates a 2026 ParseRequest / ParseRunsCreateRequest.
func parseParseRequest(body []byte) (parseInput, *apiError) {
	var in parseInput
	root, err := parseObject(body)
	if err != nil {
		return in, err
	}
	if err := checkKeys("body", root, "file", "config", "metadata", "dataRetention"); err != nil {
		return in, err
	}
	f := field(root, "file")
	if !f.IsObject() {
		return in, badRequest("file is required and must be an object ({url} or {id})")
	}
	if field(f, "id").Exists() {
		if err := checkKeys("file", f, "id"); err != nil {
			return in, err
		}
		if in.fileID, err = reqString(f, "id", "file"); err != nil {
			return in, err
		}
	} else {
		if err := checkKeys("file", f, "url", "name", "settings"); err != nil {
			return in, err
		}
		if in.url, err = reqString(f, "url", "file"); err != nil {
			return in, err
		}
		if in.name, _, err = optString(f, "name", "file"); err != nil {
			return in, err
		}
		if st := field(f, "settings"); st.Exists() {
			if err := checkTree("file.settings", st, keyTree{"password": nil}); err != nil {
				return in, err
			}
		}
	}
	if err := checkURL(in.url); err != nil {
		return in, err
	}
	return in, parseCommon(root, &in, false)
}

// parseCommon validates config, metadata and dataRetention.
func parseCommon(root gjson.Result, in *parseInput, legacy bool) *apiError {
	if c := field(root, "config"); c.Exists() {
		if err := checkParseConfig("config", c, legacy); err != nil {
			return err
		}
		in.config = json.RawMessage(c.Raw)
	} else {
		in.config = json.RawMessage(`{}`)
	}
	if legacy {
		in.legacyCfg = in.config
	}
	if md := field(root, "metadata"); md.Exists() {
		if !md.IsObject() {
			return badRequest("metadata must be an object")
		}
		in.metadata = json.RawMessage(md.Raw)
	}
	if dr := field(root, "dataRetention"); dr.Exists() {
		if err := checkTree("dataRetention", dr, keyTree{"mode": nil}); err != nil {
			return err
		}
	}
	return nil
}

func checkURL(u string) *apiError {
	if u != "" && !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
		return badRequest("file.url must be an http(s) URL")
	}
	return nil
}

// parseLegacyParseRequest validates a legacy ParseRequest / ParseAsyncRequest body.
func parseLegacyParseRequest(body []byte) (parseInput, *apiError) {
	var in parseInput
	root, err := parseObject(body)
	if err != nil {
		return in, err
	}
	if err := checkKeys("body", root, "file", "config"); err != nil {
		return in, err
	}
	f := field(root, "file")
	if !f.IsObject() {
		return in, badRequest("file is required and must be an object")
	}
	if err := checkKeys("file", f, "fileName", "fileUrl", "fileId"); err != nil {
		return in, err
	}
	if in.url, _, err = optString(f, "fileUrl", "file"); err != nil {
		return in, err
	}
	if in.fileID, _, err = optString(f, "fileId", "file"); err != nil {
		return in, err
	}
	if in.name, _, err = optString(f, "fileName", "file"); err != nil {
		return in, err
	}
	if (in.url == "") == (in.fileID == "") {
		return in, badRequest("file must have exactly one of fileUrl or fileId")
	}
	if err := checkURL(in.url); err != nil {
		return in, err
	}
	return in, parseCommon(root, &in, true)
}

// responseTypeURL validates the responseType query (json | url).
func responseTypeURL(req *http.Request) (bool, *apiError) {
	switch rt := req.URL.Query().Get("responseType"); rt {
	case "", "json":
		return false, nil
	case "url":
		return true, nil
	default:
		return false, badRequest("responseType must be json or url (got %q)", rt)
	}
}

// startParse resolves the file (a URL becomes a new file of the files API)
// and stores the run.
func (s *Sim) startParse(in parseInput, sync bool) (*parseRun, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.opt.Now()
	var f *storedFile
	if in.fileID != "" {
		var ok bool
		if f, ok = s.fileLocked(in.fileID); !ok {
			return nil, notFound("File %s not found.", in.fileID)
		}
	} else {
		name := in.name
		if name == "" {
			name = urlName(in.url)
		}
		if name == "" {
			name = "file"
		}
		f = &storedFile{id: newID("file_", 22), name: name, typ: typeOf(name), pageCount: 2, created: now,
			seq: s.st.nextSeq()}
		s.st.files.add(f.id, f, s.opt.MaxRuns)
	}
	cfg := in.config
	if in.legacyCfg != nil {
		cfg = legacyParseToNew(in.legacyCfg, f.pageCount)
	}
	pr := &parseRun{seq: s.st.nextSeq(), id: newID("pr_", 20), file: f, config: cfg, legacyCfg: in.legacyCfg,
		metadata: in.metadata, created: now, sync: sync, fail: strings.Contains(f.name+in.url, "_fail")}
	s.st.parseRuns.add(pr.id, pr, s.opt.MaxRuns)
	return pr, nil
}

// status of a parse run at now: a sync run is final at once; an async one
// follows the sim's PENDING → PROCESSING → final timeline.
func (s *Sim) parseStatus(pr *parseRun, now time.Time) string {
	final := stProcessed
	if pr.fail {
		final = stFailed
	}
	switch {
	case pr.sync:
		return final
	case now.Before(pr.created.Add(s.opt.PendingFor)):
		return stPending
	case now.Before(pr.created.Add(s.opt.PendingFor + s.opt.ProcessFor)):
		return stProcessing
	}
	return final
}

// fileParsedLocked reports whether a finished parse run read the file
// (the legacy File_ then shows its parse credits).
func (s *Sim) fileParsedLocked(id string) bool {
	now := s.opt.Now()
	for _, pr := range s.st.parseRuns.all() {
		if pr.file.id == id && s.parseStatus(pr, now) == stProcessed {
			return true
		}
	}
	return false
}

// withParseRun finds the path's parse run under mu and renders it.
func (s *Sim) withParseRun(req *http.Request, render func(*parseRun, time.Time) any) (int, []byte, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := pathID(req, "id")
	pr, ok := s.st.parseRuns.get(id)
	if !ok {
		return 0, nil, notFound("Parse run %s not found.", id)
	}
	return marshal(render(pr, s.opt.Now()))
}

func (s *Sim) removeParseRun(req *http.Request) (string, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := pathID(req, "id")
	if !s.st.parseRuns.del(id) {
		return "", notFound("Parse run %s not found.", id)
	}
	return id, nil
}
