package sim

import (
	"encoding/json"
	"net/http"
	"strings"
)

// fileListQuery validates GET /files (same keys in both versions).
func fileListQuery(req *http.Request) (pageQuery, string, *apiError) {
	v := req.URL.Query()
	name := v.Get("nameContains")
	q, err := parsePage(v, nil, name)
	return q, name, err
}

func (s *Sim) filePageLocked(q pageQuery, name string) ([]*storedFile, string) {
	var match []*storedFile
	for _, f := range s.allFilesLocked() {
		if name == "" || strings.Contains(f.name, name) {
			match = append(match, f)
		}
	}
	return pageOf(q, match, func(f *storedFile) (string, uint64) { return fmtTime(f.created), f.seq })
}

func (s *Sim) fileList(req *http.Request, _ []byte) (int, []byte, *apiError) {
	q, name, err := fileListQuery(req)
	if err != nil {
		return 0, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	page, next := s.filePageLocked(q, name)
	out := struct {
		Object        string     `json:"object"`
		Data          []fileJSON `json:"data"`
		NextPageToken string     `json:"nextPageToken,omitempty"`
	}{Object: "list", Data: make([]fileJSON, 0, len(page)), NextPageToken: next}
	for _, f := range page {
		out.Data = append(out.Data, f.summary())
	}
	return marshal(out)
}

func (s *Sim) legacyFileList(req *http.Request, _ []byte) (int, []byte, *apiError) {
	q, name, err := fileListQuery(req)
	if err != nil {
		return 0, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	page, next := s.filePageLocked(q, name)
	out := struct {
		Success       bool                 `json:"success"`
		Files         []legacyFullFileJSON `json:"files"`
		NextPageToken string               `json:"nextPageToken,omitempty"`
	}{Success: true, Files: make([]legacyFullFileJSON, 0, len(page)), NextPageToken: next}
	for _, f := range page {
		out.Files = append(out.Files, f.legacy(contentFlags{}, s.fileParsedLocked(f.id)))
	}
	return marshal(out)
}

// fileFlags validates the rawText/markdown/html switches.
func fileFlags(req *http.Request) (contentFlags, *apiError) {
	v := req.URL.Query()
	var c contentFlags
	var err *apiError
	if c.rawText, err = queryBool(v, "rawText"); err != nil {
		return c, err
	}
	if c.markdown, err = queryBool(v, "markdown"); err != nil {
		return c, err
	}
	c.html, err = queryBool(v, "html")
	return c, err
}

// withFile finds the path's file under mu and renders it.
func (s *Sim) withFile(req *http.Request, render func(*storedFile, contentFlags) any) (int, []byte, *apiError) {
	c, err := fileFlags(req)
	if err != nil {
		return 0, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id := pathID(req, "id")
	f, ok := s.fileLocked(id)
	if !ok {
		return 0, nil, notFound("File %s not found.", id)
	}
	return marshal(render(f, c))
}

func (s *Sim) fileGet(req *http.Request, _ []byte) (int, []byte, *apiError) {
	return s.withFile(req, func(f *storedFile, c contentFlags) any { return f.full(c, true) })
}

func (s *Sim) legacyFileGet(req *http.Request, _ []byte) (int, []byte, *apiError) {
	return s.withFile(req, func(f *storedFile, c contentFlags) any {
		return struct {
			Success bool               `json:"success"`
			File    legacyFullFileJSON `json:"file"`
		}{true, f.legacy(c, s.fileParsedLocked(f.id))}
	})
}

func (s *Sim) removeFile(req *http.Request) (string, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := pathID(req, "id")
	if !s.deleteFileLocked(id) {
		return "", notFound("File %s not found.", id)
	}
	return id, nil
}

func (s *Sim) fileDelete(req *http.Request, _ []byte) (int, []byte, *apiError) {
	id, err := s.removeFile(req)
	if err != nil {
		return 0, nil, err
	}
	return marshal(idJSON{ID: id})
}

func (s *Sim) legacyFileDelete(req *http.Request, _ []byte) (int, []byte, *apiError) {
	id, err := s.removeFile(req)
	if err != nil {
		return 0, nil, err
	}
	return marshal(struct {
		Success bool   `json:"success"`
		FileID  string `json:"fileId"`
		Message string `json:"message"`
	}{true, id, fileDeleteMessage})
}

// idJSON is the 2026 delete answer {id}.
type idJSON struct {
	ID string `json:"id"`
}

func (s *Sim) fileUpload(req *http.Request, _ []byte) (int, []byte, *apiError) {
	convert, err := queryBool(req.URL.Query(), "convertToPdf")
	if err != nil {
		return 0, nil, err
	}
	f, err := s.receiveUpload(req, false)
	if err != nil {
		return 0, nil, err
	}
	if convert && f.typ != "PDF" {
		f.name, f.typ = strings.TrimSuffix(f.name, extOf(f.name))+".pdf", "PDF"
	}
	s.storeFile(f)
	return marshal(f.full(contentFlags{}, false))
}

func (s *Sim) legacyFileUpload(req *http.Request, _ []byte) (int, []byte, *apiError) {
	f, err := s.receiveUpload(req, true)
	if err != nil {
		return 0, nil, err
	}
	s.storeFile(f)
	return marshal(struct {
		Success bool               `json:"success"`
		File    legacyFullFileJSON `json:"file"`
	}{true, f.legacy(contentFlags{}, false)})
}

func (s *Sim) storeFile(f *storedFile) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f.seq = s.st.nextSeq()
	f.created = s.opt.Now()
	s.st.files.add(f.id, f, s.opt.MaxRuns)
}

// uploadNote is what the request log keeps of a streamed upload instead of its bytes.
type uploadNote struct {
	Multipart bool   `json:"multipart"`
	FileName  string `json:"fileName,omitempty"`
	Size      int64  `json:"size"`
	Password  bool   `json:"password,omitempty"`
}

func noteUpload(req *http.Request, n uploadNote) {
	if p, ok := req.Context().Value(streamKey{}).(*json.RawMessage); ok {
		*p = mustJSON(n)
	}
}
