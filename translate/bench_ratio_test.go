package translate

import (
	"bytes"
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/tidwall/gjson"
)

// The benchmarks in this file run every heavy transform next to two
// baselines on the very same bytes, as sub-benchmarks named impl=…, so one
// run shows the ratio (and `benchstat -col /impl` prints it as a column):
//
//	impl=translate    the transform, b.SetBytes(len(input)), allocations reported
//	impl=json_valid   encoding/json.Valid, the yardstick (target: translate ≥ 2×)
//	impl=gjson_valid  gjson.ValidBytes, the edge check every transform runs once
//
// impl=translate also reports x_json_valid: its throughput divided by that of
// json.Valid run right after it for the same number of iterations, both
// measured in process CPU time (getrusage) rather than on the clock, so the
// ratio holds even on a shared, noisy machine.
//
// It also reports x_json_valid_il, the same ratio with the two run call by
// call in turn, each call timed on the clock: a burst of load from others
// then falls on both sides alike instead of on one phase. It spread about a
// third as much as x_json_valid between runs (2026-12-02: 20 KB run
// 1.58–1.69 against 1.59–2.03, 7–9 runs each), so it is the one to compare
// two builds with. It reads lower for the larger transforms (each call
// starts with the other's branch history and cache lines), and the issue's
// goals were set and reported in x_json_valid.

// benchTransform runs fn and the two baselines over in.
func benchTransform(b *testing.B, in []byte, fn func([]byte) error) {
	b.Run("impl=translate", func(b *testing.B) {
		b.SetBytes(int64(len(in)))
		b.ReportAllocs()
		n := 0
		start := cpuNow()
		for b.Loop() {
			if err := fn(in); err != nil {
				b.Fatal(err)
			}
			n++
		}
		spent := cpuNow() - start
		vstart := cpuNow()
		for range n {
			if !json.Valid(in) {
				b.Fatal("baseline input is not valid JSON")
			}
		}
		b.ReportMetric(float64(cpuNow()-vstart)/float64(max(spent, 1)), "x_json_valid")
		// x_json_valid_il (see the file comment): the two called in turn.
		var tt, tv time.Duration
		for range n {
			t0 := time.Now()
			if err := fn(in); err != nil {
				b.Fatal(err)
			}
			t1 := time.Now()
			json.Valid(in)
			tt, tv = tt+t1.Sub(t0), tv+time.Since(t1)
		}
		b.ReportMetric(float64(tv)/float64(max(tt, 1)), "x_json_valid_il")
	})
	b.Run("impl=json_valid", func(b *testing.B) {
		b.SetBytes(int64(len(in)))
		for b.Loop() {
			json.Valid(in)
		}
	})
	b.Run("impl=gjson_valid", func(b *testing.B) {
		b.SetBytes(int64(len(in)))
		for b.Loop() {
			gjson.ValidBytes(in)
		}
	})
}

// repeatBody returns n copies of body, each in memory of its own as n
// upstream answers would be.
func repeatBody(body []byte, n int) [][]byte {
	out := make([][]byte, n)
	for i := range out {
		out[i] = bytes.Clone(body)
	}
	return out
}

// jsonArray joins bodies into one JSON array: what the baselines of a
// transform over several bodies validate, the same bytes.
func jsonArray(bodies [][]byte) []byte {
	return append(append([]byte{'['}, bytes.Join(bodies, []byte{','})...), ']')
}

// repeatArray builds `prefix item,item,… suffix` with n copies of item.
func repeatArray(prefix, item, suffix string, n int) []byte {
	var buf bytes.Buffer
	buf.WriteString(prefix)
	for i := range n {
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.WriteString(item)
	}
	buf.WriteString(suffix)
	return buf.Bytes()
}

// BenchmarkRatioRunResponse: get/update/cancel on the small PROCESSING run,
// the N§11 run with all 8 step types, and the two perf fixtures of issue 11.
//
// The response benchmarks call the transforms as the proxy does: on a
// Context whose pooled answer buffers are released once the answer is used.
func BenchmarkRatioRunResponse(b *testing.B) {
	run := func(in []byte) error {
		c := &Context{Now: time.Unix(0, 0)}
		_, err := runResponseT(c, One(in))
		c.Release()
		return err
	}
	small := []byte(gjson.GetBytes(readTestdata(b, "create_response.new.json"), "0").Raw)
	b.Run("body=small", func(b *testing.B) { benchTransform(b, small, run) })
	b.Run("body=n11_full", func(b *testing.B) { benchTransform(b, readTestdata(b, "get_full.new.json"), run) })
	b.Run("body=run_20kb", func(b *testing.B) { benchTransform(b, readTestdata(b, "perf/run-20kb.new.json"), run) })
	b.Run("body=run_217kb", func(b *testing.B) { benchTransform(b, readTestdata(b, "perf/run-217kb.new.json"), run) })
}

// BenchmarkRatioCreateResponse: a 50-file create answered by 50 fresh runs
// (the usual create answer) and by 50 finished 20 KB runs (worst case).
func BenchmarkRatioCreateResponse(b *testing.B) {
	for _, c := range []struct{ name, run string }{
		{"body=50_fresh_runs", gjson.GetBytes(readTestdata(b, "create_response.new.json"), "0").Raw},
		{"body=50_runs_20kb", string(readTestdata(b, "perf/run-20kb.new.json"))},
	} {
		runs := repeatBody([]byte(c.run), 50)
		joined := jsonArray(runs)
		rc := RunContext{ReceivedAt: time.Unix(1, 0)}
		b.Run(c.name, func(b *testing.B) {
			benchTransform(b, joined, func([]byte) error {
				c := &Context{ReceivedAt: rc.ReceivedAt}
				_, err := createResponse(c, Message{Bodies: runs})
				c.Release()
				return err
			})
		})
	}
}

// BenchmarkRatioListResponse: list pages of 100 and 1,000 summaries.
func BenchmarkRatioListResponse(b *testing.B) {
	item := gjson.GetBytes(readTestdata(b, "list.new.json"), "data.0").Raw
	list := func(in []byte) error {
		c := &Context{}
		_, err := listResponse(c, One(in))
		c.Release()
		return err
	}
	for _, n := range []int{100, 1000} {
		in := repeatArray(`{"object":"list","data":[`, item, `],"nextPageToken":"t"}`, n)
		b.Run("body=list_"+strconv.Itoa(n), func(b *testing.B) { benchTransform(b, in, list) })
	}
}

// BenchmarkRatioSmallResponses: delete, batch and error bodies, which are
// tiny; the per-call cost is what matters here.
func BenchmarkRatioSmallResponses(b *testing.B) {
	b.Run("body=delete", func(b *testing.B) {
		benchTransform(b, readTestdata(b, "delete.new.json"), func(in []byte) error {
			_, err := deleteResponse(in)
			return err
		})
	})
	b.Run("body=batch", func(b *testing.B) {
		benchTransform(b, readTestdata(b, "batch_response.new.json"), func(in []byte) error {
			_, err := batchResponse(in)
			return err
		})
	})
	b.Run("body=error_400", func(b *testing.B) {
		benchTransform(b, readTestdata(b, "error_400_code.new.json"), func(in []byte) error {
			errorBody(400, "application/json", in)
			return nil
		})
	})
}

// BenchmarkRatioRequests: the request transforms at their limits: a create
// with 50 files each carrying an output override, and a 1,000-input batch.
func BenchmarkRatioRequests(b *testing.B) {
	create, batch := requestBenchBodies()
	b.Run("body=create_50_files", func(b *testing.B) {
		benchTransform(b, create, func(in []byte) error {
			_, err := createRequests(in, Options{}, nil)
			return err
		})
	})
	b.Run("body=batch_1000_inputs", func(b *testing.B) {
		benchTransform(b, batch, func(in []byte) error {
			_, _, err := batchRequestBody(in, Options{}, nil)
			return err
		})
	})
}

// requestBenchBodies are the create (50 files, each with a classifier
// override) and the batch (1,000 inputs) of the request benchmarks.
func requestBenchBodies() (create, batch []byte) {
	file := `{"fileUrl":"https://files.example.org/inbox/1.pdf?sig=4f9c","fileName":"1.pdf",` +
		`"outputs":[{"processorId":"cl_Mm1Nn3Bb5Vv7Cc9Xx1Zz","output":{"id":"invoice","type":"invoice","confidence":1}}]}`
	create = repeatArray(`{"workflowId":"workflow_Hq2Rz8KpLm4vN7sT1aWc","version":"3","priority":20,"metadata":{"tenant":"northwind"},"files":[`,
		file, `]}`, 50)
	input := `{"file":{"fileUrl":"https://files.example.org/bulk/0001.pdf","fileName":"0001.pdf"},"metadata":{"row":1}}`
	batch = repeatArray(`{"workflowId":"workflow_Hq2Rz8KpLm4vN7sT1aWc","version":"draft","inputs":[`, input, `]}`, 1000)
	return create, batch
}
