package translate

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/tidwall/gjson"
)

// BenchmarkRatioSplit splits the response transforms whose goals are not
// met (BENCHMARKS.md, "Fifth pass") into their two parts, each next to
// json.Valid on the whole input so the ratios add up in units of its time:
//
//	part=index    parseDoc of every body (what BenchmarkRatioIndex measures)
//	part=writers  the writers alone, on docs indexed once before the loop:
//	              the ratio the transform would reach with an index pass
//	              that cost nothing
//
// With t the time of json.Valid, translate takes t/x_index + t/x_writers
// (up to cache effects), so a faster index can move the transform's ratio at
// most to the writers' one.
func BenchmarkRatioSplit(b *testing.B) {
	run20 := readTestdata(b, "perf/run-20kb.new.json")
	fresh := []byte(gjson.GetBytes(readTestdata(b, "create_response.new.json"), "0").Raw)
	var compact bytes.Buffer // the same run without the fixture's indentation
	if err := json.Compact(&compact, fresh); err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		runs [][]byte
	}{
		{"body=run_20kb", [][]byte{run20}},
		{"body=run_217kb", [][]byte{readTestdata(b, "perf/run-217kb.new.json")}},
		{"body=50_fresh_runs", repeatBody(fresh, 50)},
		{"body=50_fresh_runs_compact", repeatBody(compact.Bytes(), 50)},
		{"body=50_runs_20kb", repeatBody(run20, 50)},
	} {
		in := c.runs[0]
		if len(c.runs) > 1 { // as BenchmarkRatioCreateResponse's baseline
			in = jsonArray(c.runs)
		}
		b.Run(c.name+"/part=index", func(b *testing.B) {
			benchTransform(b, in, func([]byte) error {
				for _, raw := range c.runs {
					d, _, err := parseResponse(raw)
					if err != nil {
						return err
					}
					d.free()
				}
				return nil
			})
		})
		b.Run(c.name+"/part=writers", func(b *testing.B) {
			docs := make([]*doc, len(c.runs))
			roots := make([]gjson.Result, len(c.runs))
			for i, raw := range c.runs {
				d, root, err := parseResponse(raw)
				if err != nil {
					b.Fatal(err)
				}
				docs[i], roots[i] = d, root
			}
			rc := RunContext{ReceivedAt: time.Unix(1, 0), Now: time.Unix(0, 0)}
			sb := getBuf()
			benchTransform(b, in, func([]byte) error {
				out := sb.b[:0]
				for i, d := range docs {
					var err error
					if out, err = appendLegacyRun(out, d, roots[i], rc, Options{}); err != nil {
						return err
					}
				}
				sb.b = out
				return nil
			})
			putBuf(sb)
			for _, d := range docs {
				d.free()
			}
		})
	}
}
