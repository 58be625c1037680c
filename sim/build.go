package sim

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"path"
	"strings"
	"time"
)

// fileTypes maps extensions to FileType (N§4.5); anything else is null.
var fileTypes = map[string]string{
	".pdf": "PDF", ".txt": "TXT", ".csv": "CSV", ".png": "IMG", ".jpg": "IMG", ".jpeg": "IMG",
	".docx": "DOCX", ".xlsx": "EXCEL", ".xml": "XML", ".html": "HTML",
}

func typeOf(name string) string {
	return fileTypes[strings.ToLower(path.Ext(name))]
}

// urlName is the last path segment of a URL, unescaped; "" when there is none.
func urlName(raw string) string {
	p := raw
	if u, err := url.Parse(raw); err == nil {
		p = u.Path
	} else if i := strings.IndexAny(raw, "?#"); i >= 0 {
		p = raw[:i]
	}
	seg := p[strings.LastIndex(p, "/")+1:]
	if un, err := url.PathUnescape(seg); err == nil {
		seg = un
	}
	return seg
}

// inputFile turns a validated file input into the run's file. The sim must
// hold s.mu (textSeq).
func (s *Sim) inputFile(f fileInput, now time.Time) *simFile {
	sf := &simFile{id: newID("file_", 22), created: now, pageCount: 3}
	switch {
	case f.isText:
		s.textSeq++
		sf.name, sf.typ, sf.pageCount = fmt.Sprintf("text-%d.txt", s.textSeq), "TXT", 1
		if f.hasName && f.name != "" {
			sf.name = f.name
		}
	case f.id != "":
		sf.id, sf.name, sf.typ = f.id, f.id+".pdf", "PDF"
	default:
		sf.name = urlName(f.url)
		if f.hasName && f.name != "" {
			sf.name = f.name
		}
		if sf.name == "" {
			sf.name = "file"
		}
		sf.typ = typeOf(sf.name)
		if sf.typ == "" {
			sf.typ = typeOf(urlName(f.url))
		}
	}
	return sf
}

// versionID is stable per workflow and version, like a real published version.
func versionID(workflowID, version string) string {
	sum := sha256.Sum256([]byte(workflowID + "\x00" + version))
	return "workflow_version_" + hex.EncodeToString(sum[:10])
}

// newRunLocked builds a run from a validated input; the caller stores it.
func (s *Sim) newRunLocked(in createInput, now time.Time, batchID string) *run {
	r := &run{
		id: newID("workflow_run_", 20), workflowID: in.workflowID, version: in.version,
		created: now, metadata: in.metadata, batchID: batchID, priority: in.priority,
		script: scriptFor(in.workflowID), versionID: versionID(in.workflowID, in.version),
		parseRunID: newID("pr_", 20), classifyRunID: newID("clr_", 20), splitRunID: newID("splr_", 20),
		extractRunID: newID("exr_", 20), mergeRunID: newID("exr_", 20), condRunID: newID("exr_", 20),
		classifyID: "invoice", classifyType: "invoice", classifyConf: 0.97,
		extractValue: defaultExtractValue, condValue: defaultCondValue,
	}
	if r.metadata == nil {
		r.metadata = map[string]json.RawMessage{}
	}
	for i := range r.stepIDs {
		r.stepIDs[i] = newID("workflow_step_run_", 20)
	}
	if in.file != nil {
		r.files = []*simFile{s.inputFile(*in.file, now)}
	}
	for _, f := range in.pkg {
		r.files = append(r.files, s.inputFile(f, now))
	}
	r.pkg = len(in.pkg) > 0
	if len(r.files) == 0 { // cannot happen after validation; keeps rendering total
		r.files = []*simFile{{id: newID("file_", 22), name: "file", created: now}}
	}
	r.name = r.files[0].name
	if in.runName != "" {
		r.name = in.runName
	}
	r.splits = defaultSplits()
	s.applyOutputs(r, in.outputs)
	applyLegacyOutputs(r, in.legacyOutputs)
	r.materializeSplits(now)
	r.corrections = map[int]*correction{}
	if r.script.reviewed {
		r.corrections[stepExtract] = scriptedReview(r.extractValue)
	}
	return r
}

func defaultSplits() []split {
	return []split{
		{id: "split_1", classificationID: "invoice", typ: "invoice", observation: "Pages 1-2 form a single invoice.",
			identifier: "INV-0042", start: 1, end: 2, name: "Invoice INV-0042"},
		{id: "split_2", classificationID: "other", typ: "other", observation: "Page 3 is a remittance slip.",
			identifier: "", start: 3, end: 3},
	}
}

// applyOutputs honours create `outputs` for the sim's own processors.
func (s *Sim) applyOutputs(r *run, outs []providedOutput) {
	for _, o := range outs {
		switch o.processorID {
		case ClassifierID:
			r.classifyID, r.classifyType, r.classifyConf = field(o.output, "id").Str, field(o.output, "type").Str, 1
		case SplitterID:
			r.splits = r.splits[:0]
			for i, sp := range field(o.output, "splits").Array() {
				r.splits = append(r.splits, split{
					id: fmt.Sprintf("split_%d", i+1), classificationID: field(sp, "classificationId").Str,
					typ: field(sp, "type").Str, start: int(field(sp, "startPage").Num), end: int(field(sp, "endPage").Num),
				})
			}
		case ExtractorID, CondExtractorID:
			v := json.RawMessage(emptyObject)
			if val := field(o.output, "value"); val.IsObject() {
				v = json.RawMessage(val.Raw)
			}
			if o.processorID == ExtractorID {
				r.extractValue = v
			} else {
				r.condValue = v
			}
		}
	}
}

// materializeSplits creates the sub-file each split produced.
func (r *run) materializeSplits(now time.Time) {
	parent := r.files[0]
	ext := path.Ext(parent.name)
	base := strings.TrimSuffix(parent.name, ext)
	for i := range r.splits {
		sp := &r.splits[i]
		sp.file = &simFile{
			id: newID("file_", 22), name: fmt.Sprintf("%s (%d-%d)%s", base, sp.start, sp.end, ext),
			typ: parent.typ, parent: parent.id, pageCount: sp.end - sp.start + 1, parentSplit: sp, created: now,
		}
	}
}

// applyLegacyOutputs honours legacy provided outputs for the sim's processors
// (dp_ or new ids); they keep what the legacy shapes carry (split ids,
// observations, classifier confidence).
func applyLegacyOutputs(r *run, outs []legacyOutput) {
	for _, o := range outs {
		switch o.processorID {
		case ClassifierID, LegacyClassifierID:
			r.classifyID, r.classifyType, r.classifyConf = o.classifyID, o.classifyTyp, o.confidence
		case SplitterID, LegacySplitterID:
			r.splits = append([]split(nil), o.splits...)
		case ExtractorID, LegacyExtractorID:
			r.extractValue = o.value
		case CondExtractorID, LegacyCondExtractorID:
			r.condValue = o.value
		}
	}
}
