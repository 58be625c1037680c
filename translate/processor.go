package translate

import "github.com/tidwall/gjson"

// procKind describes how one new processor step type maps to a legacy
// ProcessorRun (mapping §4.5.1).
type procKind struct {
	legacyType string   // EXTRACT, CLASSIFY or SPLITTER
	runPath    string   // path of the run object inside the step run
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
	pFile
	pFiles
	pDashboardURL
	pUsage
	pSummary
	pVersion
)

var runCommonKeys = []string{"id", "status", "output", "initialOutput", "reviewedOutput",
	"failureReason", "failureMessage", "metadata", "reviewed", "edited", "edits", "config",
	"file", "files", "dashboardUrl", "usage"}

func kindKeys(summary, version string) []string {
	return append(append([]string(nil), runCommonKeys...), summary, version)
}

var (
	extractKind  = procKind{"EXTRACT", "result.extractRun", kindKeys("extractor", "extractorVersion")}
	classifyKind = procKind{"CLASSIFY", "result.classifyRun", kindKeys("classifier", "classifierVersion")}
	splitKind    = procKind{"SPLITTER", "result.splitRun", kindKeys("splitter", "splitterVersion")}
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

// stepKind reads a step run's variant: stepType, then step.type, then the
// keys of result (SDKs before 1.13.0 had no discriminator, mapping §6 #1).
func stepKind(sr gjson.Result) string {
	if t := sr.Get("stepType"); t.Type == gjson.String && t.Str != "" {
		return t.Str
	}
	if t := sr.Get("step.type"); t.Type == gjson.String && t.Str != "" {
		return t.Str
	}
	res := sr.Get("result")
	for _, k := range [...][2]string{{"parseRun", "PARSE"}, {"mergedExtractors", "MERGE_EXTRACT"},
		{"extractRun", "EXTRACT"}, {"classifyRun", "CLASSIFY"}, {"splitRun", "SPLIT"},
		{"rules", "RULE_VALIDATION"}, {"response", "EXTERNAL_DATA_VALIDATION"}} {
		if res.Get(k[0]).Exists() {
			return k[1]
		}
	}
	return ""
}

// isValidationKind reports the step types that stay in legacy stepRuns.
func isValidationKind(k string) bool {
	return k == "RULE_VALIDATION" || k == "EXTERNAL_DATA_VALIDATION"
}

// appendOutputs rebuilds legacy outputs[] from stepRuns, in step order ([silent]).
func (st *state) appendOutputs(b []byte, stepRuns gjson.Result) []byte {
	b = append(b, '[')
	n, i := 0, -1
	stepRuns.ForEach(func(_, sr gjson.Result) bool {
		i++
		kind := stepKind(sr)
		pk := processorKinds[kind]
		if pk == nil {
			if kind != "PARSE" && !isValidationKind(kind) {
				st.rep.unmapped("stepRuns[" + itoa(i) + "]")
			}
			return true
		}
		run := sr.Get(pk.runPath)
		if !run.IsObject() {
			return true // no run, no id to build an entry from
		}
		if n > 0 {
			b = append(b, ',')
		}
		n++
		b = st.appendProcessorRun(b, sr, run, kind, pk)
		return true
	})
	return append(b, ']')
}

// appendProcessorRun writes one legacy ProcessorRun (mapping §4.5.2).
func (st *state) appendProcessorRun(b []byte, sr, run gjson.Result, kind string, pk *procKind) []byte {
	f := pick(run, pk.keys)
	fieldsCfg := f[pConfig].Get("fields").IsArray()
	w := openObj(b)
	w.str("object", "document_processor_run")
	w.reqStr("id", f[pID])
	st.processorID(&w, "processorId", f[pSummary].Get("id"))
	w.reqStr("processorVersionId", f[pVersion].Get("id"))
	if name := f[pSummary].Get("name"); name.Type == gjson.String {
		w.raw("processorName", name.Raw)
	} else {
		w.reqStr("processorName", sr.Get("step.name"))
	}
	w.reqStr("status", f[pStatus])
	w.key("output")
	w.b = appendOutput(w.b, f[pOutput], pk.legacyType, fieldsCfg)
	w.optStr("failureReason", f[pFailureReason])
	w.optStr("failureMessage", f[pFailureMessage])
	w.optObj("metadata", f[pMetadata])
	w.reqBool("reviewed", f[pReviewed])
	w.reqBool("edited", f[pEdited])
	w.key("edits")
	w.b = appendEdits(w.b, f[pEdits])
	w.str("type", pk.legacyType)
	w.key("config")
	w.b = appendConfig(w.b, f[pConfig], pk.legacyType)
	initial := f[pInitialOutput]
	if absent(initial) && f[pReviewed].Type != gjson.True {
		initial = f[pOutput] // unreviewed: the final output is the initial one (N§6.1)
	}
	if !absent(initial) {
		w.key("initialOutput")
		w.b = appendOutput(w.b, initial, pk.legacyType, fieldsCfg)
	}
	if ro := f[pReviewedOutput]; !absent(ro) {
		w.key("reviewedOutput")
		w.b = appendOutput(w.b, ro, pk.legacyType, fieldsCfg)
	}
	w.key("files")
	w.b = appendRunFiles(w.b, f[pFile], f[pFiles], sr.Get("files"))
	w.key("mergedProcessors")
	w.b = st.appendMerged(w.b, sr, kind)
	w.reqStr("url", f[pDashboardURL])
	writeCredits(&w, f[pUsage])
	return w.close()
}

// appendRunFiles: [R.file] when set, else R.files (package runs), else the
// step run's files; for steps after a split this is the sub-file.
func appendRunFiles(b []byte, file, files, stepFiles gjson.Result) []byte {
	if file.IsObject() {
		b = append(b, '[')
		b, _ = appendLegacyFile(b, file)
		return append(b, ']')
	}
	if files.IsArray() {
		return appendArray(b, files, appendLegacyFile)
	}
	return appendArray(b, stepFiles, appendLegacyFile)
}

// appendMerged writes mergedProcessors: the merged extractors of a
// MERGE_EXTRACT step, [] for every other type.
func (st *state) appendMerged(b []byte, sr gjson.Result, kind string) []byte {
	if kind != "MERGE_EXTRACT" {
		return append(b, "[]"...)
	}
	return appendArray(b, sr.Get("result.mergedExtractors"), func(b []byte, m gjson.Result) ([]byte, bool) {
		if !m.IsObject() {
			return b, false
		}
		w := openObj(b)
		st.processorID(&w, "processorId", m.Get("id"))
		w.reqStr("processorVersionId", m.Get("versionId"))
		w.reqStr("processorName", m.Get("name"))
		return w.close(), true
	})
}

// appendEdits copies ExtractRun edits without null entries; {} when there
// are none (classify and split runs have no edits at all).
func appendEdits(b []byte, edits gjson.Result) []byte {
	w := openObj(b)
	if !edits.IsObject() {
		return w.close()
	}
	edits.ForEach(func(k, e gjson.Result) bool {
		if !e.IsObject() {
			return true
		}
		w.key(k.Str)
		ew := openObj(w.b)
		ew.optAny("originalValue", e.Get("originalValue"))
		ew.optAny("editedValue", e.Get("editedValue"))
		ew.optStr("notes", e.Get("notes"))
		ew.optNum("page", e.Get("page"))
		ew.optStr("fieldType", e.Get("fieldType"))
		w.b = ew.close()
		return true
	})
	return w.close()
}

// legacyFileTypes is the closed legacy FileType enum.
var legacyFileTypes = []string{"PDF", "CSV", "IMG", "TXT", "DOCX", "EXCEL", "XML", "HTML"}

// appendLegacyFile writes legacyFile(FileSummary) (mapping §4.2); presignedUrl,
// contents and usage have no source and are left out.
func appendLegacyFile(b []byte, f gjson.Result) ([]byte, bool) {
	if !f.IsObject() {
		return b, false
	}
	w := openObj(b)
	w.str("object", "file")
	w.reqStr("id", f.Get("id"))
	w.reqStr("name", f.Get("name"))
	w.optEnum("type", f.Get("type"), legacyFileTypes...)
	w.optStr("parentFileId", f.Get("parentFileId"))
	w.key("metadata")
	md := f.Get("metadata")
	mw := openObj(w.b)
	mw.optNum("pageCount", md.Get("pageCount"))
	if ps := md.Get("parentSplit"); ps.IsObject() {
		mw.key("parentSplit")
		pw := openObj(mw.b)
		pw.reqStr("id", ps.Get("id"))
		pw.reqStr("type", ps.Get("type"))
		pw.reqStr("identifier", ps.Get("identifier"))
		pw.optNum("startPage", ps.Get("startPage"))
		pw.optNum("endPage", ps.Get("endPage"))
		mw.b = pw.close()
	}
	w.b = mw.close()
	w.reqStr("createdAt", f.Get("createdAt"))
	w.reqStr("updatedAt", f.Get("updatedAt"))
	return w.close(), true
}
