package sim

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"path"
	"strings"
	"unicode/utf8"
)

// streamKey carries, to an upload handler, where to put the request log's
// summary of a body the recorder did not read (record.go).
type streamKey struct{}

// streamed reports whether a request's body is left to its handler to
// stream instead of being read into memory by the recorder.
func streamed(r *http.Request) bool {
	return r.Method == http.MethodPost && r.URL.Path == "/files/upload"
}

func extOf(name string) string { return path.Ext(name) }

var pdfPageMark = []byte("/Type /Page")

// receiveUpload streams a multipart/form-data upload: the part "file" is
// counted, scanned for PDF page marks and, for text files, its head is kept;
// nothing else of it is held. 2026-02-09 also takes a "password" part.
func (s *Sim) receiveUpload(req *http.Request, legacy bool) (*storedFile, *apiError) {
	mt, params, err := mime.ParseMediaType(req.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		return nil, badRequest("Content-Type must be multipart/form-data with a boundary")
	}
	mr := multipart.NewReader(http.MaxBytesReader(nil, req.Body, s.opt.MaxUploadBytes), params["boundary"])
	var f *storedFile
	note := uploadNote{Multipart: true}
	defer func() { noteUpload(req, note) }()
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, uploadError(err)
		}
		switch {
		case part.FormName() == "file" && f == nil:
			if f, err = readFilePart(part); err != nil {
				return nil, uploadError(err)
			}
			note.FileName, note.Size = f.name, f.size
		case part.FormName() == "password" && !legacy:
			if _, err := io.Copy(io.Discard, io.LimitReader(part, 1024)); err != nil {
				return nil, uploadError(err)
			}
			note.Password = true
		default:
			return nil, badRequest("unexpected multipart part %q (expected one part \"file\")", part.FormName())
		}
	}
	if f == nil {
		return nil, badRequest("multipart part \"file\" is required")
	}
	if f.size == 0 {
		return nil, badRequest("the uploaded file %q is empty", f.name)
	}
	f.hasPassword = note.Password
	return f, nil
}

// uploadError maps a body read failure: over the limit is 413.
func uploadError(err error) *apiError {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return &apiError{status: http.StatusRequestEntityTooLarge, code: codeInvalid,
			message: fmt.Sprintf("uploaded file too large (limit %d bytes)", tooBig.Limit)}
	}
	return badRequest("malformed multipart body: %v", err)
}

// readFilePart consumes one file part in fixed-size chunks.
func readFilePart(part *multipart.Part) (*storedFile, error) {
	name := path.Base(strings.ReplaceAll(part.FileName(), "\\", "/"))
	if name == "." || name == "/" || name == "" {
		name = "upload"
	}
	f := &storedFile{id: newID("file_", 22), name: name, typ: typeOf(name)}
	keepText := f.typ == "TXT" || f.typ == "CSV" || f.typ == "HTML" || f.typ == "XML"
	var head bytes.Buffer
	pages := 0
	// window is the carried tail of the previous chunk plus this one, so a
	// page mark split across two reads is counted once; all buffers are reused.
	buf := make([]byte, 32<<10)
	window := make([]byte, 0, len(buf)+len(pdfPageMark))
	carry := make([]byte, 0, len(pdfPageMark))
	for {
		n, err := part.Read(buf)
		if n > 0 {
			f.size += int64(n)
			window = append(append(window[:0], carry...), buf[:n]...)
			pages += bytes.Count(window, pdfPageMark) // carry is shorter than a mark: nothing counted twice
			carry = append(carry[:0], window[max(0, len(window)-len(pdfPageMark)+1):]...)
			if keepText && head.Len() < maxKeptText {
				head.Write(buf[:min(n, maxKeptText-head.Len())])
			}
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	f.pageCount = max(pages, 1)
	if keepText {
		f.text = strings.ToValidUTF8(head.String(), string(utf8.RuneError))
	}
	return f, nil
}
