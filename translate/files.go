package translate

import (
	"github.com/tidwall/gjson"
)

// Messages of the legacy delete answers (S§1.2, the 0.0.18 wire fixtures).
const (
	fileDeletedMessage = "File data has been successfully deleted."
)

// appendSurfaceFile writes a legacy File_ from a 2026-02-09 File_ or
// FileSummary (S§7.0, FS→LF): nulls left out, contents.markdown
// rebuilt from the sections (D4), pages[].rawText and usage gone.
func appendSurfaceFile(b []byte, f gjson.Result) []byte {
	m := members(f, "id", "name", "type", "presignedUrl", "parentFileId", "contents", "metadata", "createdAt", "updatedAt")
	w := openObj(b)
	w.str("object", "file")
	w.reqStr("id", m[0])
	w.reqStr("name", m[1])
	w.optEnum("type", m[2], legacyFileTypes...)
	w.optStr("presignedUrl", m[3])
	w.optStr("parentFileId", m[4])
	if m[5].IsObject() {
		w.key("contents")
		w.b = appendFileContents(w.b, m[5])
	}
	w.key("metadata")
	w.b = appendFileMetadata(w.b, m[6])
	w.reqStr("createdAt", m[7])
	w.reqStr("updatedAt", m[8])
	return w.close()
}

// appendFileContents projects FileContents; markdown is the sections'
// markdown joined by a blank line (D4), an approximation of the legacy text.
func appendFileContents(b []byte, c gjson.Result) []byte {
	m := members(c, "rawText", "sections", "pages", "sheets")
	w := openObj(b)
	w.optStr("rawText", m[0])
	if secs := m[1]; secs.IsArray() {
		var md []byte
		n := 0
		secs.ForEach(func(_, s gjson.Result) bool {
			if m := s.Get("markdown"); m.Type == gjson.String {
				if n > 0 {
					md = append(md, "\n\n"...)
				}
				md = append(md, m.Str...)
				n++
			}
			return true
		})
		if n > 0 {
			w.str("markdown", string(md))
		}
	}
	if pages := m[2]; pages.IsArray() {
		w.key("pages")
		w.b = appendArray(w.b, pages, func(b []byte, p gjson.Result) ([]byte, bool) {
			if !p.IsObject() {
				return b, false
			}
			pm := members(p, "pageNumber", "pageHeight", "pageWidth", "markdown", "html")
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
		w.b = appendArray(w.b, sheets, func(b []byte, s gjson.Result) ([]byte, bool) {
			if !s.IsObject() {
				return b, false
			}
			sw := openObj(b)
			sw.reqStr("sheetName", s.Get("sheetName"))
			sw.optStr("rawText", s.Get("rawText"))
			return sw.close(), true
		})
	}
	return w.close()
}

// appendFileMetadata keeps pageCount and parentSplit, the legacy FileMetadata.
func appendFileMetadata(b []byte, md gjson.Result) []byte {
	mw := openObj(b)
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
	return mw.close()
}

// appendLegacyWorkflow writes the legacy Workflow from a 2026-02-09 one: the
// version is the draft version's (S§6), "draft" when there is none.
func appendLegacyWorkflow(b []byte, wf gjson.Result) []byte {
	w := openObj(b)
	w.str("object", "workflow")
	w.reqStr("id", wf.Get("id"))
	if v := wf.Get("draftVersion.version"); v.Type == gjson.String {
		w.raw("version", v.Raw)
	} else {
		w.str("version", "draft")
	}
	w.reqStr("name", wf.Get("name"))
	return w.close()
}
