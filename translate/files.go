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
	w := openObj(b)
	w.str("object", "file")
	w.reqStr("id", f.Get("id"))
	w.reqStr("name", f.Get("name"))
	w.optEnum("type", f.Get("type"), legacyFileTypes...)
	w.optStr("presignedUrl", f.Get("presignedUrl"))
	w.optStr("parentFileId", f.Get("parentFileId"))
	if c := f.Get("contents"); c.IsObject() {
		w.key("contents")
		w.b = appendFileContents(w.b, c)
	}
	w.key("metadata")
	w.b = appendFileMetadata(w.b, f.Get("metadata"))
	w.reqStr("createdAt", f.Get("createdAt"))
	w.reqStr("updatedAt", f.Get("updatedAt"))
	return w.close()
}

// appendFileContents projects FileContents; markdown is the sections'
// markdown joined by a blank line (D4), an approximation of the legacy text.
func appendFileContents(b []byte, c gjson.Result) []byte {
	w := openObj(b)
	w.optStr("rawText", c.Get("rawText"))
	if secs := c.Get("sections"); secs.IsArray() {
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
	if pages := c.Get("pages"); pages.IsArray() {
		w.key("pages")
		w.b = appendArray(w.b, pages, func(b []byte, p gjson.Result) ([]byte, bool) {
			if !p.IsObject() {
				return b, false
			}
			pw := openObj(b)
			pw.optNum("pageNumber", p.Get("pageNumber"))
			pw.optNum("pageHeight", p.Get("pageHeight"))
			pw.optNum("pageWidth", p.Get("pageWidth"))
			pw.optStr("markdown", p.Get("markdown"))
			pw.optStr("html", p.Get("html"))
			return pw.close(), true
		})
	}
	if sheets := c.Get("sheets"); sheets.IsArray() {
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
