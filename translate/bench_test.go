package translate

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/tidwall/gjson"
)

func readTestdata(b *testing.B, name string) []byte {
	b.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		b.Fatal(err)
	}
	return data
}

// BenchmarkRunResponseSmall translates a fresh PROCESSING run (N§3.1 example).
func BenchmarkRunResponseSmall(b *testing.B) {
	in := []byte(gjson.GetBytes(readTestdata(b, "create_response.new.json"), "0").Raw)
	rc := RunContext{ReceivedAt: time.Now()}
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := runResponse(in, rc, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRunResponseLarge translates the N§11 run (all 8 step types) and a
// list page of 100 summaries.
func BenchmarkRunResponseLarge(b *testing.B) {
	b.Run("n11_run", func(b *testing.B) {
		in := readTestdata(b, "get_full.new.json")
		b.SetBytes(int64(len(in)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := runResponse(in, RunContext{}, Options{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("list_100_summaries", func(b *testing.B) {
		item := gjson.GetBytes(readTestdata(b, "list.new.json"), "data.0").Raw
		var buf bytes.Buffer
		buf.WriteString(`{"object":"list","data":[`)
		for i := range 100 {
			if i > 0 {
				buf.WriteByte(',')
			}
			buf.WriteString(item)
		}
		buf.WriteString(`],"nextPageToken":"t"}`)
		in := buf.Bytes()
		b.SetBytes(int64(len(in)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := listResponseBody(in, Options{}, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkCreateRequests50Files fans out a create at the 50-file limit,
// every file with a classifier override.
func BenchmarkCreateRequests50Files(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString(`{"workflowId":"workflow_Hq2Rz8KpLm4vN7sT1aWc","version":"3","priority":20,"metadata":{"tenant":"northwind"},"files":[`)
	for i := range 50 {
		if i > 0 {
			buf.WriteByte(',')
		}
		n := strconv.Itoa(i)
		buf.WriteString(`{"fileUrl":"https://files.example.org/inbox/` + n + `.pdf?sig=4f9c","fileName":"` + n +
			`.pdf","outputs":[{"processorId":"cl_Mm1Nn3Bb5Vv7Cc9Xx1Zz","output":{"id":"invoice","type":"invoice","confidence":1}}]}`)
	}
	buf.WriteString(`]}`)
	in := buf.Bytes()
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := createRequests(in, Options{}, nil); err != nil {
			b.Fatal(err)
		}
	}
}
