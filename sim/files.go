package sim

import (
	"fmt"
	"html"
	"net/url"
	"strings"
	"time"
)

// storedFile is one file of the files API: uploaded, or an input or split
// file of a workflow run (viewed through fileFromRun).
type storedFile struct {
	seq                uint64
	id, name, typ      string
	parent             string
	size               int64
	pageCount          int
	text               string // leading text of a text upload, bounded by maxKeptText
	created            time.Time
	parentSplit        *split
	hasPassword, isRun bool
}

const (
	maxUploadBytes = 64 << 20 // uploads stream; only this much is accepted
	maxKeptText    = 64 << 10 // text kept from a text upload for its contents
	pageWidth      = 612
	pageHeight     = 792
)

// fileFromRun views a run's file as a files-API file.
func fileFromRun(f *simFile) *storedFile {
	return &storedFile{id: f.id, name: f.name, typ: f.typ, parent: f.parent, pageCount: max(f.pageCount, 1),
		created: f.created, parentSplit: f.parentSplit, isRun: true}
}

// runFilesLocked lists the input and split files of live runs, once each.
func (s *Sim) runFilesLocked() []*storedFile {
	var out []*storedFile
	seen := map[string]bool{}
	add := func(f *simFile) {
		if f == nil || seen[f.id] || s.st.deletedRunFiles[f.id] {
			return
		}
		seen[f.id] = true
		sf := fileFromRun(f)
		out = append(out, sf)
	}
	for _, id := range s.order {
		r, ok := s.runs[id]
		if !ok {
			continue
		}
		for _, f := range r.files {
			add(f)
		}
		for i := range r.splits {
			add(r.splits[i].file)
		}
	}
	return out
}

// fileLocked finds a file by id: uploaded first, then the runs' files.
func (s *Sim) fileLocked(id string) (*storedFile, bool) {
	if f, ok := s.st.files.get(id); ok {
		return f, true
	}
	for _, f := range s.runFilesLocked() {
		if f.id == id {
			return f, true
		}
	}
	return nil, false
}

// allFilesLocked lists uploaded and run files (uploaded win on id clashes).
func (s *Sim) allFilesLocked() []*storedFile {
	out := s.st.files.all()
	for _, f := range s.runFilesLocked() {
		if _, dup := s.st.files.get(f.id); !dup {
			out = append(out, f)
		}
	}
	return out
}

// deleteFileLocked removes an uploaded file or hides a run's file.
func (s *Sim) deleteFileLocked(id string) bool {
	if s.st.files.del(id) {
		return true
	}
	if _, ok := s.fileLocked(id); ok {
		s.st.deletedRunFiles[id] = true
		return true
	}
	return false
}

// pageText is the simulated text of page n (1-based).
func (f *storedFile) pageText(n int) string {
	if n == 1 && f.text != "" {
		return f.text
	}
	return fmt.Sprintf("%s, page %d of %d. Invoice INV-%04d from Northwind Traders; total due 1,250.00 USD.",
		f.name, n, f.pageCount, 40+n)
}

func (f *storedFile) pageMarkdown(n int) string {
	return fmt.Sprintf("## Page %d\n\n%s", n, f.pageText(n))
}

func (f *storedFile) pageHTML(n int) string {
	return fmt.Sprintf("<h2>Page %d</h2><p>%s</p>", n, html.EscapeString(f.pageText(n)))
}

func (f *storedFile) rawText() string {
	parts := make([]string, 0, f.pageCount)
	for n := 1; n <= f.pageCount; n++ {
		parts = append(parts, f.pageText(n))
	}
	return strings.Join(parts, "\n\n")
}

// presignedURL is a stable, fake download link.
func (f *storedFile) presignedURL() string {
	return "https://files.extend.example/" + f.id + "/" + url.PathEscape(f.name) + "?X-Amz-Expires=900&X-Amz-Signature=sim"
}

// contentFlags are the rawText/markdown/html query switches of GET /files/{id}.
type contentFlags struct{ rawText, markdown, html bool }

func (c contentFlags) any() bool { return c.rawText || c.markdown || c.html }
