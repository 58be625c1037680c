package sim

import (
	"net/http"
	"strings"
	"testing"

	"github.com/tidwall/gjson"
)

func TestFileUploadBothVersions(t *testing.T) {
	e := newEnv(t, Options{})
	up := e.upload(newVersion, "notes.txt", "Hello from the sim.\nSecond line.", nil).mustStatus(t, 200).json
	checkNewFile(t, "upload", up)
	if up.Get("presignedUrl").Type != gjson.Null || up.Get("contents").Type != gjson.Null || up.Get("type").String() != "TXT" ||
		!strings.HasPrefix(up.Get("id").String(), "file_") || up.Get("name").String() != "notes.txt" {
		t.Errorf("2026 upload: %s", up.Raw)
	}
	lup := e.upload(legacyVersion, "scan.pdf", "%PDF-1.7\n1 0 obj <</Type /Page>>\n2 0 obj <</Type /Page>>\n", nil).mustStatus(t, 200).json
	exactKeys(t, "legacy upload", lup, []string{"success", "file"}, nil)
	checkLegacyFile(t, "legacy upload.file", lup.Get("file"))
	lf := lup.Get("file")
	if lf.Get("type").String() != "PDF" || lf.Get("metadata.pageCount").Int() != 2 || lf.Get("presignedUrl").String() == "" {
		t.Errorf("legacy upload: %s", lf.Raw)
	}
	// state is shared: each version reads the other's upload
	got := e.do("GET", "/files/"+lf.Get("id").String(), "").mustStatus(t, 200).json
	checkNewFile(t, "get", got)
	if got.Get("name").String() != "scan.pdf" || got.Get("presignedUrl").String() == "" {
		t.Errorf("2026 get of a legacy upload: %s", got.Raw)
	}
	lg := e.legacy("GET", "/files/"+up.Get("id").String()+"?rawText=true&markdown=true&html=true", "").mustStatus(t, 200).json
	checkLegacyFile(t, "legacy get", lg.Get("file"))
	if !strings.HasPrefix(lg.Get("file.contents.rawText").String(), "Hello from the sim.") ||
		lg.Get("file.contents.pages.0.rawText").String() == "" || lg.Get("file.contents.markdown").String() == "" {
		t.Errorf("legacy contents: %s", lg.Get("file.contents").Raw)
	}
}

func TestFileContentsMarkdownRebuildsFromSections(t *testing.T) {
	e := newEnv(t, Options{})
	id := e.upload(newVersion, "two.pdf", "%PDF /Type /Page /Type /Page", nil).mustStatus(t, 200).json.Get("id").String()
	n := e.do("GET", "/files/"+id+"?markdown=true&rawText=true", "").mustStatus(t, 200).json
	checkNewFile(t, "get", n)
	if n.Get("contents.pages.0.rawText").Exists() || n.Get("contents.markdown").Exists() || n.Get("contents.sections.#").Int() != 2 {
		t.Fatalf("2026 contents: %s", n.Get("contents").Raw)
	}
	var parts []string
	for _, s := range n.Get("contents.sections.#.markdown").Array() {
		parts = append(parts, s.String())
	}
	l := e.legacy("GET", "/files/"+id+"?markdown=true", "").mustStatus(t, 200).json
	if want := strings.Join(parts, "\n\n"); l.Get("file.contents.markdown").String() != want {
		t.Errorf("legacy markdown %q, want the sections joined %q", l.Get("file.contents.markdown"), want)
	}
	if e.do("GET", "/files/"+id, "").json.Get("contents").Type != gjson.Null || e.legacy("GET", "/files/"+id, "").json.Get("file.contents").Exists() {
		t.Errorf("contents without flags")
	}
}

func TestFileListDeleteAndRunFiles(t *testing.T) {
	e := newEnv(t, Options{})
	a := e.uploadID("alpha.txt", "a")
	e.clock.Advance(1)
	b := e.uploadID("beta.txt", "b")
	runID := e.create("workflow_x", "https://files.example.org/in/gamma-doc.pdf")
	runFile := e.do("GET", "/workflow_runs/"+runID, "").json.Get("files.0.id").String()
	list := e.do("GET", "/files?maxPageSize=1&nameContains=.txt&sortDir=asc", "").mustStatus(t, 200).json
	exactKeys(t, "list", list, []string{"object", "data", "nextPageToken"}, nil)
	for _, f := range list.Get("data").Array() {
		exactKeys(t, "list.data[]", f, fileKeys, nil)
	}
	p2 := e.do("GET", "/files?maxPageSize=1&nameContains=.txt&sortDir=asc&nextPageToken="+list.Get("nextPageToken").String(), "").mustStatus(t, 200).json
	if list.Get("data.0.id").String() != a || p2.Get("data.0.id").String() != b || p2.Get("nextPageToken").Exists() {
		t.Fatalf("pages: %s / %s", list.Raw, p2.Raw)
	}
	ll := e.legacy("GET", "/files?nameContains=gamma", "").mustStatus(t, 200).json
	exactKeys(t, "legacy list", ll, []string{"success", "files"}, []string{"nextPageToken"})
	// the run's input file and the two split sub-files it produced
	if ll.Get("files.#").Int() != 3 || !strings.Contains(ll.Get("files.#.id").Raw, runFile) {
		t.Fatalf("run file not listed: %s", ll.Raw)
	}
	for _, f := range ll.Get("files").Array() {
		checkLegacyFile(t, "legacy list.files[]", f)
	}
	assertAPIError(t, e.do("GET", "/files?maxPageSize=1&nameContains=beta&nextPageToken="+list.Get("nextPageToken").String(), ""), 400, codeInvalid)
	assertAPIError(t, e.do("GET", "/files?sortDir=up", ""), 400, codeInvalid)
	assertLegacyError(t, e.legacy("GET", "/files?maxPageSize=0", ""), 400)

	del := e.do("DELETE", "/files/"+a, "").mustStatus(t, 200).json
	exactKeys(t, "delete", del, []string{"id"}, nil)
	ld := e.legacy("DELETE", "/files/"+b, "").mustStatus(t, 200).json
	exactKeys(t, "legacy delete", ld, []string{"success", "fileId", "message"}, nil)
	if ld.Get("message").String() != fileDeleteMessage {
		t.Errorf("message %s", ld.Get("message"))
	}
	assertAPIError(t, e.do("GET", "/files/"+b, ""), 404, codeNotFound)
	assertLegacyError(t, e.legacy("GET", "/files/"+a, ""), 404)
	assertLegacyError(t, e.legacy("DELETE", "/files/"+a, ""), 404)
	e.do("DELETE", "/files/"+runFile, "").mustStatus(t, 200)
	assertAPIError(t, e.do("GET", "/files/"+runFile, ""), 404, codeNotFound)
}

func TestFileUploadRejects(t *testing.T) {
	e := newEnv(t, Options{MaxUploadBytes: 1024})
	assertAPIError(t, e.upload(newVersion, "big.pdf", strings.Repeat("x", 4096), nil), 413, codeInvalid)
	assertLegacyError(t, e.upload(legacyVersion, "big.pdf", strings.Repeat("x", 4096), nil), 413)
	assertAPIError(t, e.upload(newVersion, "", "", map[string]string{"note": "x"}), 400, codeInvalid)
	assertAPIError(t, e.upload(newVersion, "", "", nil), 400, codeInvalid)
	assertAPIError(t, e.upload(newVersion, "empty.txt", "", nil), 400, codeInvalid)
	// password is a 2026-02-09 part only
	e.upload(newVersion, "locked.pdf", "%PDF", map[string]string{"password": "s3cret"}).mustStatus(t, 200)
	assertLegacyError(t, e.upload(legacyVersion, "locked.pdf", "%PDF", map[string]string{"password": "s3cret"}), 400)
	assertAPIError(t, e.do("POST", "/files/upload", `{"file":"x"}`), 400, codeInvalid)
	req, _ := http.NewRequest("POST", e.srv.URL+"/files/upload?convertToPdf=maybe", strings.NewReader(""))
	req.Header.Set("Authorization", "Bearer k")
	req.Header.Set(versionHeader, newVersion)
	assertAPIError(t, e.send(req), 400, codeInvalid)
	if n := len(e.sim.st.files.all()); n != 1 {
		t.Errorf("%d files stored, want only the one good upload", n)
	}
}

func TestFileUploadIsRecordedWithoutItsBytes(t *testing.T) {
	e := newEnv(t, Options{})
	e.upload(newVersion, "rec.txt", strings.Repeat("z", 5000), nil).mustStatus(t, 200)
	reqs := e.sim.Requests()
	last := reqs[len(reqs)-1]
	b := gjson.ParseBytes(last.Body)
	if last.Path != "/files/upload" || b.Get("fileName").String() != "rec.txt" || b.Get("size").Int() != 5000 || strings.Contains(string(last.Body), "zzz") {
		t.Errorf("recorded upload %s", last.Body)
	}
}
