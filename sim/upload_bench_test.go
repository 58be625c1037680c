package sim

import (
	"io"
	"mime/multipart"
	"net/http/httptest"
	"runtime"
	"testing"
)

// multipartStream returns a body that generates an upload of size bytes on
// the fly, so neither side holds the file.
func multipartStream(size int) (io.Reader, string) {
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		fw, _ := mw.CreateFormFile("file", "big.pdf")
		chunk := make([]byte, 64<<10)
		copy(chunk, "%PDF-1.7 /Type /Page ")
		for left := size; left > 0; left -= len(chunk) {
			if _, err := fw.Write(chunk[:min(left, len(chunk))]); err != nil {
				pw.CloseWithError(err)
				return
			}
		}
		pw.CloseWithError(mw.Close())
	}()
	return pr, mw.FormDataContentType()
}

func serveUpload(s *Sim, size int) *httptest.ResponseRecorder {
	body, ct := multipartStream(size)
	req := httptest.NewRequest("POST", "http://sim/files/upload", body)
	req.Header.Set("Authorization", "Bearer k")
	req.Header.Set(versionHeader, newVersion)
	req.Header.Set("Content-Type", ct)
	w := httptest.NewRecorder()
	s.ServeHTTP(w, req)
	return w
}

// TestUploadStreams: a 48 MB upload is received in fixed-size chunks; the
// sim allocates a small fraction of it (a buffered upload would allocate
// more than its size). Memory, not time, is asserted.
func TestUploadStreams(t *testing.T) {
	s := New(Options{})
	const size = 48 << 20
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	w := serveUpload(s, size)
	runtime.ReadMemStats(&after)
	if w.Code != 200 {
		t.Fatalf("upload: %d %s", w.Code, w.Body)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > size/4 {
		t.Errorf("a %d-byte upload allocated %d bytes: it is being buffered", size, alloc)
	}
	if n := s.st.files.all()[0].pageCount; n != size/(64<<10) {
		t.Errorf("page marks counted across chunks: %d, want %d", n, size/(64<<10))
	}
}

// BenchmarkUpload reports throughput and allocation per 8 MB upload.
func BenchmarkUpload(b *testing.B) {
	s := New(Options{MaxRuns: 100})
	const size = 8 << 20
	b.SetBytes(size)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if w := serveUpload(s, size); w.Code != 200 {
			b.Fatalf("upload: %d", w.Code)
		}
	}
}
