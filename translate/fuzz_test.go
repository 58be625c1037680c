package translate

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/tidwall/gjson"
)

// seedGolden adds every testdata file matching pattern to the fuzz corpus,
// plus a few hostile inputs.
func seedGolden(f *testing.F, pattern string) {
	f.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", pattern))
	if err != nil {
		f.Fatal(err)
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{``, `null`, `{}`, `[]`, `{"a":`, "\xff", `{"id":"r","status":"s","stepRuns":[{"result":{"extractRun":{}}}]}`} {
		f.Add([]byte(s))
	}
}

// checkOutput is the fuzz property: an error is a clean value of the
// expected kind, and a success is valid JSON.
func checkOutput(t *testing.T, out []byte, err, kind error) {
	t.Helper()
	if err != nil {
		if !errors.Is(err, kind) {
			t.Fatalf("unexpected error kind: %v", err)
		}
		return
	}
	if !gjson.ValidBytes(out) {
		t.Fatalf("output is not valid JSON: %q", out)
	}
}

func FuzzCreateRequests(f *testing.F) {
	seedGolden(f, "create_*.legacy.json")
	f.Fuzz(func(t *testing.T, in []byte) {
		reqs, err := createRequests(in, Options{ProcessorAliases: testAliases}, &Report{})
		if err != nil {
			checkOutput(t, nil, err, ErrInvalidRequest)
			return
		}
		for _, r := range reqs {
			checkOutput(t, r, nil, ErrInvalidRequest)
		}
	})
}

func FuzzBatchRequest(f *testing.F) {
	seedGolden(f, "batch.legacy.json")
	f.Fuzz(func(t *testing.T, in []byte) {
		out, _, err := batchRequestBody(in, Options{}, &Report{})
		checkOutput(t, out, err, ErrInvalidRequest)
	})
}

func FuzzUpdateRequest(f *testing.F) {
	seedGolden(f, "update.legacy.json")
	f.Fuzz(func(t *testing.T, in []byte) {
		out, _, err := updateRequestBody(in, Options{}, &Report{})
		checkOutput(t, out, err, ErrInvalidRequest)
	})
}

func FuzzRunResponse(f *testing.F) {
	seedGolden(f, "*.new.json")
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, in []byte) {
		out, err := runResponse(in, RunContext{Now: now, Report: &Report{}}, Options{ProcessorAliases: testAliases})
		checkOutput(t, out, err, ErrInvalidResponse)
		out, err = createResponseBody([][]byte{in, in}, RunContext{ReceivedAt: now}, Options{})
		checkOutput(t, out, err, ErrInvalidResponse)
	})
}

func FuzzListResponse(f *testing.F) {
	seedGolden(f, "list.new.json")
	f.Fuzz(func(t *testing.T, in []byte) {
		out, err := listResponseBody(in, Options{}, &Report{})
		checkOutput(t, out, err, ErrInvalidResponse)
	})
}

func FuzzDeleteResponse(f *testing.F) {
	seedGolden(f, "delete.new.json")
	f.Fuzz(func(t *testing.T, in []byte) {
		out, err := deleteResponse(in)
		checkOutput(t, out, err, ErrInvalidResponse)
	})
}

func FuzzBatchResponse(f *testing.F) {
	seedGolden(f, "batch_response.new.json")
	f.Fuzz(func(t *testing.T, in []byte) {
		out, err := batchResponse(in)
		checkOutput(t, out, err, ErrInvalidResponse)
	})
}

func FuzzErrorBody(f *testing.F) {
	seedGolden(f, "error_*.new.*")
	f.Fuzz(func(t *testing.T, in []byte) {
		for _, status := range []int{400, 404, 502} {
			out := errorBody(status, "text/plain", in)
			if !gjson.ValidBytes(out) || gjson.GetBytes(out, "success").Type != gjson.False {
				t.Fatalf("errorBody(%d, %q) = %q", status, in, out)
			}
		}
	})
}
