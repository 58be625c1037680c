package translate

import "github.com/tidwall/gjson"

// procKind describes how one new processor step type maps to a legacy
// ProcessorRun (mapping §4.5.1).
type procKind struct {
	legacyType string   // EXTRACT, CLASSIFY or SPLITTER
	runKey     string   // key of the run object inside the step run's result
	keys       []string // keys read from the run object, see the p* indexes
}

// Indexes into procKind.keys; the last two differ per kind.
const (
	pID = iota
	pStatus
	pOutput
	pInitialOutput
	pReviewedOutput
	pFailureReason
	pFailureMessage
	pMetadata
	pReviewed
	pEdited
	pEdits
	pConfig
	pSummary
	pVersion
	pFile
	pFiles
	pDashboardURL
	pUsage
	procKeyCount
)

// kindKeys lists the keys read from a processor run in the order an
// ExtractRun has them (pick compares the key it expects next in place).
func kindKeys(summary, version string) []string {
	return []string{"id", "status", "output", "initialOutput", "reviewedOutput",
		"failureReason", "failureMessage", "metadata", "reviewed", "edited", "edits", "config",
		summary, version, "file", "files", "dashboardUrl", "usage"}
}

var (
	extractKind  = procKind{"EXTRACT", "extractRun", kindKeys("extractor", "extractorVersion")}
	classifyKind = procKind{"CLASSIFY", "classifyRun", kindKeys("classifier", "classifierVersion")}
	splitKind    = procKind{"SPLITTER", "splitRun", kindKeys("splitter", "splitterVersion")}
)

// processorKinds: EXTRACT, MERGE_EXTRACT and CONDITIONAL_EXTRACT all become a
// legacy EXTRACT; SPLIT is spelled SPLITTER in legacy; PARSE and unknown
// types have no legacy counterpart and are dropped.
var processorKinds = map[string]*procKind{
	"EXTRACT":             &extractKind,
	"MERGE_EXTRACT":       &extractKind,
	"CONDITIONAL_EXTRACT": &extractKind,
	"CLASSIFY":            &classifyKind,
	"SPLIT":               &splitKind,
}

// stepRun holds the members of one step run, read in one pass.
type stepRun struct {
	f   [srKeyCount]gjson.Result // see the s* indexes
	res [len(resultKinds)]gjson.Result
}

// Indexes into stepRunKeys.
const (
	sID = iota
	sStatus
	sFiles
	sStep
	sResult
	sStepType
	srKeyCount
)

// stepRunKeys are in the order the API writes them (pick compares the key
// it expects next in place).
var stepRunKeys = []string{"id", "status", "files", "step", "result", "stepType"}

// resultKinds are the keys of result that tell a step type apart, in the
// order they are tried, and resultKeys the same keys as a pick list.
var (
	resultKinds = [...][2]string{{"parseRun", "PARSE"}, {"mergedExtractors", "MERGE_EXTRACT"},
		{"extractRun", "EXTRACT"}, {"classifyRun", "CLASSIFY"}, {"splitRun", "SPLIT"},
		{"rules", "RULE_VALIDATION"}, {"response", "EXTERNAL_DATA_VALIDATION"}}
	resultKeys = func() []string {
		k := make([]string, len(resultKinds))
		for i, rk := range resultKinds {
			k[i] = rk[0]
		}
		return k
	}()
)

// readStepRun reads the members of sr and of its result that the writers use.
func (d *doc) readStepRun(sr gjson.Result, out *stepRun) {
	d.pick(sr, stepRunKeys, out.f[:])
	d.pick(out.f[sResult], resultKeys, out.res[:])
}

// member returns result.<key> of the step run.
func (s *stepRun) member(key string) gjson.Result {
	for i, rk := range resultKinds {
		if rk[0] == key {
			return s.res[i]
		}
	}
	return gjson.Result{}
}

// stepKind reads a step run's variant: stepType, then step.type, then the
// keys of result (SDKs before 1.13.0 had no discriminator, mapping §6 #1).
func (d *doc) stepKind(s *stepRun) string {
	if t := s.f[sStepType]; t.Type == gjson.String && t.Str != "" {
		return t.Str
	}
	if t := d.get(s.f[sStep], "type"); t.Type == gjson.String && t.Str != "" {
		return t.Str
	}
	for i, rk := range resultKinds {
		if s.res[i].Exists() {
			return rk[1]
		}
	}
	return ""
}

// isValidationKind reports the step types that stay in legacy stepRuns.
func isValidationKind(k string) bool {
	return k == "RULE_VALIDATION" || k == "EXTERNAL_DATA_VALIDATION"
}

// noteStep remembers, for the first 64 step runs, which are not validation
// steps, so that appendLegacySteps can pass over them unread.
func (st *state) noteStep(i int, kind string) {
	if i < 64 {
		st.stepsSeen = i + 1
		if !isValidationKind(kind) {
			st.plainSteps |= 1 << i
		}
	}
}

// appendOutputs rebuilds legacy outputs[] from stepRuns, in step order ([silent]).
func (st *state) appendOutputs(b []byte, stepRuns gjson.Result) []byte {
	b = append(b, '[')
	n, i := 0, -1
	var s stepRun
	st.plainSteps, st.stepsSeen = 0, 0
	st.each(stepRuns, func(_ string, sr gjson.Result) bool {
		i++
		st.readStepRun(sr, &s)
		kind := st.stepKind(&s)
		st.noteStep(i, kind)
		pk := processorKinds[kind]
		if pk == nil {
			if kind != "PARSE" && !isValidationKind(kind) {
				st.rep.unmapped("stepRuns[" + itoa(i) + "]")
			}
			return true
		}
		run := s.member(pk.runKey)
		if !run.IsObject() {
			return true // no run, no id to build an entry from
		}
		if n > 0 {
			b = append(b, ',')
		}
		n++
		b = st.appendProcessorRun(b, &s, run, kind, pk)
		return true
	})
	return append(b, ']')
}

// appendProcessorRun writes one legacy ProcessorRun (mapping §4.5.2).
func (st *state) appendProcessorRun(b []byte, s *stepRun, run gjson.Result, kind string, pk *procKind) []byte {
	var fa [procKeyCount]gjson.Result
	f := fa[:]
	st.pick(run, pk.keys, f)
	fieldsCfg := st.get(f[pConfig], "fields").IsArray()
	w := openObj(b)
	w.str("object", "document_processor_run")
	w.reqStr("id", f[pID])
	var summary [2]gjson.Result
	st.pick(f[pSummary], idNameKeys, summary[:])
	st.processorID(&w, "processorId", summary[0])
	w.reqStr("processorVersionId", st.get(f[pVersion], "id"))
	if name := summary[1]; name.Type == gjson.String {
		w.raw("processorName", name.Raw)
	} else {
		w.reqStr("processorName", st.get(s.f[sStep], "name"))
	}
	w.reqStr("status", f[pStatus])
	w.key("output")
	outStart := len(w.b)
	w.b = st.appendOutput(w.b, f[pOutput], pk.legacyType, fieldsCfg)
	outEnd := len(w.b)
	w.optStr("failureReason", f[pFailureReason])
	w.optStr("failureMessage", f[pFailureMessage])
	w.optObj("metadata", f[pMetadata])
	w.reqBool("reviewed", f[pReviewed])
	w.reqBool("edited", f[pEdited])
	w.key("edits")
	w.b = st.appendEdits(w.b, f[pEdits])
	w.str("type", pk.legacyType)
	w.key("config")
	w.b = st.appendConfig(w.b, f[pConfig], pk.legacyType)
	st.writeInitialAndReviewed(&w, f, pk.legacyType, fieldsCfg, w.b[outStart:outEnd])
	w.key("files")
	w.b = st.appendRunFiles(w.b, f[pFile], f[pFiles], s.f[sFiles])
	w.key("mergedProcessors")
	w.b = st.appendMerged(w.b, s, kind)
	w.reqStr("url", f[pDashboardURL])
	writeCredits(&w, st.doc, f[pUsage])
	return w.close()
}

// writeInitialAndReviewed writes initialOutput and reviewedOutput; written
// is the legacy form of output, already in the answer.
func (st *state) writeInitialAndReviewed(w *obj, f []gjson.Result, legacyType string, fieldsCfg bool, written []byte) {
	initial := f[pInitialOutput]
	if absent(initial) && f[pReviewed].Type != gjson.True {
		initial = f[pOutput] // unreviewed: the final output is the initial one (N§6.1)
	}
	if !absent(initial) {
		w.key("initialOutput")
		if initial.Index == f[pOutput].Index || initial.Raw == f[pOutput].Raw {
			// The same value (or equal bytes, typical of unreviewed runs): the
			// conversion is pure, so its legacy form is the one written already.
			w.b = append(w.b, written...)
		} else {
			w.b = st.appendOutput(w.b, initial, legacyType, fieldsCfg)
		}
	}
	if ro := f[pReviewedOutput]; !absent(ro) {
		w.key("reviewedOutput")
		w.b = st.appendOutput(w.b, ro, legacyType, fieldsCfg)
	}
}

// appendRunFiles: [R.file] when set, else R.files (package runs), else the
// step run's files; for steps after a split this is the sub-file.
func (d *doc) appendRunFiles(b []byte, file, files, stepFiles gjson.Result) []byte {
	if file.IsObject() {
		b = append(b, '[')
		b, _ = d.appendLegacyFile(b, file)
		return append(b, ']')
	}
	if files.IsArray() {
		return d.appendArray(b, files, d.appendLegacyFile)
	}
	return d.appendArray(b, stepFiles, d.appendLegacyFile)
}

// appendMerged writes mergedProcessors: the merged extractors of a
// MERGE_EXTRACT step, [] for every other type.
func (st *state) appendMerged(b []byte, s *stepRun, kind string) []byte {
	if kind != "MERGE_EXTRACT" {
		return append(b, "[]"...)
	}
	return st.appendArray(b, s.member("mergedExtractors"), func(b []byte, m gjson.Result) ([]byte, bool) {
		if !m.IsObject() {
			return b, false
		}
		var f [3]gjson.Result
		st.pick(m, mergedKeys, f[:])
		w := openObj(b)
		st.processorID(&w, "processorId", f[0])
		w.reqStr("processorVersionId", f[1])
		w.reqStr("processorName", f[2])
		return w.close(), true
	})
}

// Keys read from each object in one pass, in the order of the writes.
var (
	mergedKeys = []string{"id", "versionId", "name"}
	editKeys   = []string{"originalValue", "editedValue", "notes", "page", "fieldType"}
	fileKeys   = []string{"id", "name", "type", "parentFileId", "metadata", "createdAt", "updatedAt"}
)

// appendEdits copies ExtractRun edits without null entries; {} when there
// are none (classify and split runs have no edits at all).
func (d *doc) appendEdits(b []byte, edits gjson.Result) []byte {
	w := openObj(b)
	if !edits.IsObject() {
		return w.close()
	}
	d.each(edits, func(k string, e gjson.Result) bool {
		if !e.IsObject() {
			return true
		}
		var f [5]gjson.Result
		d.pick(e, editKeys, f[:])
		w.key(k)
		ew := openObj(w.b)
		ew.optAny("originalValue", f[0])
		ew.optAny("editedValue", f[1])
		ew.optStr("notes", f[2])
		ew.optNum("page", f[3])
		ew.optStr("fieldType", f[4])
		w.b = ew.close()
		return true
	})
	return w.close()
}

// legacyFileTypes is the closed legacy FileType enum.
var legacyFileTypes = []string{"PDF", "CSV", "IMG", "TXT", "DOCX", "EXCEL", "XML", "HTML"}

// appendLegacyFile writes legacyFile(FileSummary) (mapping §4.2); presignedUrl,
// contents and usage have no source and are left out.
func (d *doc) appendLegacyFile(b []byte, file gjson.Result) ([]byte, bool) {
	if !file.IsObject() {
		return b, false
	}
	var f [7]gjson.Result
	d.pick(file, fileKeys, f[:])
	w := openObj(b)
	w.str("object", "file")
	w.reqStr("id", f[0])
	w.reqStr("name", f[1])
	w.optEnum("type", f[2], legacyFileTypes...)
	w.optStr("parentFileId", f[3])
	w.key("metadata")
	w.b = d.appendFileMetadata(w.b, f[4])
	w.reqStr("createdAt", f[5])
	w.reqStr("updatedAt", f[6])
	return w.close(), true
}
