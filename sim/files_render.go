package sim

import "strings"

// Wire shapes of files in both versions (N: File_, FileSummary; L: File_,
// surface spec S§7.0).

type filePageJSON struct {
	PageNumber int    `json:"pageNumber"`
	PageHeight int    `json:"pageHeight,omitempty"`
	PageWidth  int    `json:"pageWidth,omitempty"`
	RawText    string `json:"rawText,omitempty"` // legacy only
	Markdown   string `json:"markdown,omitempty"`
	HTML       string `json:"html,omitempty"`
}

type fileSectionJSON struct {
	StartPageNumber int    `json:"startPageNumber"`
	EndPageNumber   int    `json:"endPageNumber"`
	Markdown        string `json:"markdown"`
}

// fileContentsJSON is FileContents; Markdown is legacy only, Sections new only.
type fileContentsJSON struct {
	RawText  string            `json:"rawText,omitempty"`
	Markdown string            `json:"markdown,omitempty"`
	Pages    []filePageJSON    `json:"pages,omitempty"`
	Sections []fileSectionJSON `json:"sections,omitempty"`
}

// fullFileJSON is the 2026 File_: every key present, nullable ones null.
type fullFileJSON struct {
	Object       string            `json:"object"`
	ID           string            `json:"id"`
	Name         string            `json:"name"`
	Type         *string           `json:"type"`
	PresignedURL *string           `json:"presignedUrl"`
	ParentFileID *string           `json:"parentFileId"`
	Contents     *fileContentsJSON `json:"contents"`
	Metadata     fileMetaJSON      `json:"metadata"`
	CreatedAt    string            `json:"createdAt"`
	UpdatedAt    string            `json:"updatedAt"`
}

// legacyFullFileJSON is the legacy File_ with presignedUrl and contents.
type legacyFullFileJSON struct {
	Object       string            `json:"object"`
	ID           string            `json:"id"`
	Name         string            `json:"name"`
	Type         string            `json:"type,omitempty"`
	PresignedURL string            `json:"presignedUrl,omitempty"`
	ParentFileID string            `json:"parentFileId,omitempty"`
	Contents     *fileContentsJSON `json:"contents,omitempty"`
	Metadata     fileMetaJSON      `json:"metadata"`
	CreatedAt    string            `json:"createdAt"`
	UpdatedAt    string            `json:"updatedAt"`
	Usage        *legacyCredits    `json:"usage,omitempty"`
}

func (f *storedFile) meta() fileMetaJSON {
	var m fileMetaJSON
	if f.pageCount > 0 {
		pc := f.pageCount
		m.PageCount = &pc
	}
	if sp := f.parentSplit; sp != nil {
		m.ParentSplit = &parentSplitJSON{ID: sp.id, Type: sp.typ, Identifier: sp.identifier, StartPage: sp.start, EndPage: sp.end}
	}
	return m
}

// summary is the 2026 FileSummary.
func (f *storedFile) summary() fileJSON {
	return fileJSON{Object: "file", ID: f.id, Name: f.name, Type: nullable(f.typ), ParentFileID: nullable(f.parent),
		Metadata: f.meta(), CreatedAt: fmtTime(f.created), UpdatedAt: fmtTime(f.created)}
}

// newContents builds 2026 contents: markdown lives in pages and sections,
// pages carry no rawText (surface spec T16/T17).
func (f *storedFile) newContents(c contentFlags) *fileContentsJSON {
	if !c.any() {
		return nil
	}
	out := &fileContentsJSON{}
	if c.rawText {
		out.RawText = f.rawText()
	}
	for n := 1; n <= f.pageCount; n++ {
		p := filePageJSON{PageNumber: n, PageHeight: pageHeight, PageWidth: pageWidth}
		if c.markdown {
			p.Markdown = f.pageMarkdown(n)
			out.Sections = append(out.Sections, fileSectionJSON{StartPageNumber: n, EndPageNumber: n, Markdown: p.Markdown})
		}
		if c.html {
			p.HTML = f.pageHTML(n)
		}
		out.Pages = append(out.Pages, p)
	}
	return out
}

// legacyContents builds legacy contents: a whole-document markdown (the
// pages' markdown joined by a blank line) and per-page rawText.
func (f *storedFile) legacyContents(c contentFlags) *fileContentsJSON {
	if !c.any() {
		return nil
	}
	out := &fileContentsJSON{}
	if c.rawText {
		out.RawText = f.rawText()
	}
	var md []string
	for n := 1; n <= f.pageCount; n++ {
		p := filePageJSON{PageNumber: n, PageHeight: pageHeight, PageWidth: pageWidth}
		if c.rawText {
			p.RawText = f.pageText(n)
		}
		if c.markdown {
			p.Markdown = f.pageMarkdown(n)
			md = append(md, p.Markdown)
		}
		if c.html {
			p.HTML = f.pageHTML(n)
		}
		out.Pages = append(out.Pages, p)
	}
	out.Markdown = strings.Join(md, "\n\n")
	return out
}

// full is the 2026 File_; withURL false gives the upload answer's null link.
func (f *storedFile) full(c contentFlags, withURL bool) fullFileJSON {
	out := fullFileJSON{Object: "file", ID: f.id, Name: f.name, Type: nullable(f.typ), ParentFileID: nullable(f.parent),
		Contents: f.newContents(c), Metadata: f.meta(), CreatedAt: fmtTime(f.created), UpdatedAt: fmtTime(f.created)}
	if withURL {
		out.PresignedURL = strPtr(f.presignedURL())
	}
	return out
}

// legacy is the legacy File_; usage shows the parse credits of a parsed file.
func (f *storedFile) legacy(c contentFlags, parsed bool) legacyFullFileJSON {
	out := legacyFullFileJSON{Object: "file", ID: f.id, Name: f.name, Type: f.typ, PresignedURL: f.presignedURL(),
		ParentFileID: f.parent, Contents: f.legacyContents(c), Metadata: f.meta(), CreatedAt: fmtTime(f.created),
		UpdatedAt: fmtTime(f.created)}
	if parsed {
		out.Usage = &legacyCredits{Credits: float64(f.pageCount)}
	}
	return out
}

// fileDeleteMessage is the legacy confirmation (surface spec S§1.2).
const fileDeleteMessage = "File data has been successfully deleted."
