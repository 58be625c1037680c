package translate

import (
	"github.com/tidwall/gjson"
)

// Messages of the legacy delete answers (S§1.2, the 0.0.18 wire fixtures).
const (
	fileDeletedMessage = "File data has been successfully deleted."
)

// Keys read in one pass from each object of a file.
var (
	surfaceFileKeys = []string{"id", "name", "type", "presignedUrl", "parentFileId", "contents", "metadata", "createdAt", "updatedAt"}
	fileContentKeys = []string{"rawText", "sections", "pages", "sheets"}
	pageKeys        = []string{"pageNumber", "pageHeight", "pageWidth", "markdown", "html"}
	sheetKeys       = []string{"sheetName", "rawText"}
	fileMetaKeys    = []string{"pageCount", "parentSplit"}
	parentSplitKeys = []string{"id", "type", "identifier", "startPage", "endPage"}
)

// appendSurfaceFile writes a legacy File_ from a 2026-02-09 File_ or
// FileSummary (S§7.0, FS→LF): nulls left out, contents.markdown
// rebuilt from the sections (D4), pages[].rawText and usage gone.
func (d *doc) appendSurfaceFile(b []byte, f gjson.Result) []byte {
	var m [9]gjson.Result
	d.pick(f, surfaceFileKeys, m[:])
	w := openObj(b)
	w.str("object", "file")
	w.reqStr("id", m[0])
	w.reqStr("name", m[1])
	w.optEnum("type", m[2], legacyFileTypes...)
	w.optStr("presignedUrl", m[3])
	w.optStr("parentFileId", m[4])
	if m[5].IsObject() {
		w.key("contents")
		w.b = d.appendFileContents(w.b, m[5])
	}
	w.key("metadata")
	w.b = d.appendFileMetadata(w.b, m[6])
	w.reqStr("createdAt", m[7])
	w.reqStr("updatedAt", m[8])
	return w.close()
}

// appendFileContents projects FileContents; markdown is the sections'
// markdown joined by a blank line (D4), an approximation of the legacy text.
func (d *doc) appendFileContents(b []byte, c gjson.Result) []byte {
	var m [4]gjson.Result
	d.pick(c, fileContentKeys, m[:])
	w := openObj(b)
	w.optStr("rawText", m[0])
	if m[1].IsArray() {
		d.writeMarkdown(&w, m[1])
	}
	if pages := m[2]; pages.IsArray() {
		w.key("pages")
		w.b = d.appendArray(w.b, pages, func(b []byte, p gjson.Result) ([]byte, bool) {
			if !p.IsObject() {
				return b, false
			}
			var pm [5]gjson.Result
			d.pick(p, pageKeys, pm[:])
			pw := openObj(b)
			pw.optNum("pageNumber", pm[0])
			pw.optNum("pageHeight", pm[1])
			pw.optNum("pageWidth", pm[2])
			pw.optStr("markdown", pm[3])
			pw.optStr("html", pm[4])
			return pw.close(), true
		})
	}
	if sheets := m[3]; sheets.IsArray() {
		w.key("sheets")
		w.b = d.appendArray(w.b, sheets, func(b []byte, s gjson.Result) ([]byte, bool) {
			if !s.IsObject() {
				return b, false
			}
			var sm [2]gjson.Result
			d.pick(s, sheetKeys, sm[:])
			sw := openObj(b)
			sw.reqStr("sheetName", sm[0])
			sw.optStr("rawText", sm[1])
			return sw.close(), true
		})
	}
	return w.close()
}

// writeMarkdown writes "markdown": the string markdown of every section,
// joined by a blank line, escaped piece by piece straight into the answer
// (a blank line between pieces keeps that the same as escaping the joined
// text); no such section, no member.
func (d *doc) writeMarkdown(w *obj, secs gjson.Result) {
	mark, first := len(w.b), w.first
	w.key("markdown")
	w.b = append(w.b, '"')
	n := 0
	d.each(secs, func(_ string, s gjson.Result) bool {
		if md := d.get(s, "markdown"); md.Type == gjson.String {
			if n > 0 {
				w.b = append(w.b, `\n\n`...)
			}
			at := len(w.b)
			w.b = appendString(w.b, md.Str)
			// Drop the quotes appendString put around the piece.
			w.b = append(w.b[:at], w.b[at+1:len(w.b)-1]...)
			n++
		}
		return true
	})
	if n == 0 {
		w.b, w.first = w.b[:mark], first
		return
	}
	w.b = append(w.b, '"')
}

// appendFileMetadata keeps pageCount and parentSplit, the legacy FileMetadata.
func (d *doc) appendFileMetadata(b []byte, md gjson.Result) []byte {
	var m [2]gjson.Result
	d.pick(md, fileMetaKeys, m[:])
	mw := openObj(b)
	mw.optNum("pageCount", m[0])
	if ps := m[1]; ps.IsObject() {
		var pm [5]gjson.Result
		d.pick(ps, parentSplitKeys, pm[:])
		mw.key("parentSplit")
		pw := openObj(mw.b)
		pw.reqStr("id", pm[0])
		pw.reqStr("type", pm[1])
		pw.reqStr("identifier", pm[2])
		pw.optNum("startPage", pm[3])
		pw.optNum("endPage", pm[4])
		mw.b = pw.close()
	}
	return mw.close()
}

// appendLegacyWorkflow writes the legacy Workflow from a 2026-02-09 one: the
// version is the draft version's (S§6), "draft" when there is none.
func (d *doc) appendLegacyWorkflow(b []byte, wf gjson.Result) []byte {
	var m [3]gjson.Result
	d.pick(wf, workflowKeys, m[:])
	w := openObj(b)
	w.str("object", "workflow")
	w.reqStr("id", m[0])
	if v := d.pathVia(wf, m[2], pathDraftVersion); v.Type == gjson.String {
		w.raw("version", v.Raw)
	} else {
		w.str("version", "draft")
	}
	w.reqStr("name", m[1])
	return w.close()
}

var workflowKeys = []string{"id", "name", "draftVersion"}
