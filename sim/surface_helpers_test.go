package sim

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/tidwall/gjson"
)

// exactKeys asserts obj has every required key and no key outside
// required+optional: the declared type, closed.
func exactKeys(t *testing.T, where string, obj gjson.Result, required, optional []string) {
	t.Helper()
	requireKeys(t, where, obj, required...)
	obj.ForEach(func(k, _ gjson.Result) bool {
		if !slices.Contains(required, k.String()) && !slices.Contains(optional, k.String()) {
			t.Errorf("%s: undeclared key %q in %s", where, k.String(), obj.Raw)
		}
		return true
	})
}

// noNulls asserts a legacy body carries no null anywhere.
func noNulls(t *testing.T, where string, v gjson.Result) {
	t.Helper()
	if strings.Contains(v.Raw, "null") {
		v.ForEach(func(k, c gjson.Result) bool {
			if c.Type == gjson.Null {
				t.Errorf("%s.%s is null in a legacy body", where, k.String())
			} else if c.IsObject() || c.IsArray() {
				noNulls(t, where+"."+k.String(), c)
			}
			return true
		})
	}
}

// upload sends a multipart upload with the given parts (name → content;
// "file" is sent as a file part named fileName).
func (e *env) upload(version, fileName, content string, extra map[string]string) resp {
	e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if fileName != "" {
		fw, _ := mw.CreateFormFile("file", fileName)
		_, _ = fw.Write([]byte(content))
	}
	for k, v := range extra {
		_ = mw.WriteField(k, v)
	}
	_ = mw.Close()
	req, _ := http.NewRequest("POST", e.srv.URL+"/files/upload", &buf)
	req.Header.Set("Authorization", "Bearer sk_test_secret")
	req.Header.Set("x-extend-api-version", version)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return e.send(req)
}

// uploadID uploads a file in 2026-02-09 and returns its id.
func (e *env) uploadID(name, content string) string {
	e.t.Helper()
	return e.upload(newVersion, name, content, nil).mustStatus(e.t, 200).json.Get("id").String()
}

var (
	newFileKeys        = []string{"object", "id", "name", "type", "presignedUrl", "parentFileId", "contents", "metadata", "createdAt", "updatedAt"}
	legacyFileRequired = []string{"object", "id", "name", "metadata", "createdAt", "updatedAt"}
	legacyFileOptional = []string{"type", "presignedUrl", "parentFileId", "contents", "usage"}
	newContentsKeys    = []string{"rawText", "pages", "sections", "sheets"}
	legacyContentsKeys = []string{"rawText", "markdown", "pages", "sheets"}
	newPageKeys        = []string{"pageNumber", "pageHeight", "pageWidth", "markdown", "html"}
	legacyPageKeys     = []string{"pageNumber", "pageHeight", "pageWidth", "rawText", "markdown", "html"}
	fileMetaOptional   = []string{"pageCount", "parentSplit"}
)

// checkNewFile asserts the 2026 File_ shape.
func checkNewFile(t *testing.T, where string, f gjson.Result) {
	t.Helper()
	exactKeys(t, where, f, newFileKeys, nil)
	exactKeys(t, where+".metadata", f.Get("metadata"), nil, fileMetaOptional)
	if c := f.Get("contents"); c.Type != gjson.Null {
		exactKeys(t, where+".contents", c, nil, newContentsKeys)
		for _, p := range c.Get("pages").Array() {
			exactKeys(t, where+".contents.pages[]", p, []string{"pageNumber"}, newPageKeys)
		}
		for _, s := range c.Get("sections").Array() {
			exactKeys(t, where+".contents.sections[]", s, []string{"startPageNumber", "endPageNumber", "markdown"}, nil)
		}
	}
}

// checkLegacyFile asserts the legacy File_ shape (no nulls, closed).
func checkLegacyFile(t *testing.T, where string, f gjson.Result) {
	t.Helper()
	exactKeys(t, where, f, legacyFileRequired, legacyFileOptional)
	noNulls(t, where, f)
	exactKeys(t, where+".metadata", f.Get("metadata"), nil, fileMetaOptional)
	if c := f.Get("contents"); c.Exists() {
		exactKeys(t, where+".contents", c, nil, legacyContentsKeys)
		for _, p := range c.Get("pages").Array() {
			exactKeys(t, where+".contents.pages[]", p, []string{"pageNumber"}, legacyPageKeys)
		}
	}
	if u := f.Get("usage"); u.Exists() {
		exactKeys(t, where+".usage", u, []string{"credits"}, nil)
	}
}
