package translate

import (
	"fmt"
	"strings"
	"testing"
)

// More heavy surface answers (issue 11), each next to json.Valid on the
// same bytes: a processor run with a large extraction output (N0 over every
// field's metadata, files, config), the evaluation set list, the processor
// run list (forwarded with N0) and a processor's version list (configs in
// legacy terms).

// processorRunWith is a PROCESSED extraction run of n fields, each with its
// metadata, citations and nulls, on files input files.
func processorRunWith(n, files int) []byte {
	var value, meta, fs []string
	for i := range n {
		value = append(value, fmt.Sprintf(`"field_%d":{"amount":%d.25,"currency":"EUR","note":null,"lines":[{"sku":"A-%d","qty":2},{"sku":"B","qty":null}]}`, i, i, i))
		meta = append(meta, fmt.Sprintf(`"field_%d":{"ocrConfidence":0.9%d,"logprobsConfidence":null,"reviewAgentScore":null,`+
			`"citations":[{"page":%d,"referenceText":"Total due %d.25 EUR","polygon":[{"x":1,"y":2},{"x":3,"y":4}],"pageWidth":612,"pageHeight":792}],`+
			`"insights":[{"type":"reasoning","content":"Read from the totals table on page %d."}]}`, i, i%9, i%7+1, i, i%7+1))
	}
	for i := range files {
		fs = append(fs, fmt.Sprintf(`{"object":"file","id":"file_%d","name":"invoice-%d.pdf","type":"PDF","presignedUrl":null,"parentFileId":null,`+
			`"metadata":{"pageCount":7},"createdAt":"2026-11-28T17:54:45.868Z","updatedAt":"2026-11-28T17:54:45.868Z"}`, i, i))
	}
	return []byte(`{"success":true,"processorRun":{"object":"document_processor_run","id":"exr_bench","processorId":"ex_1","processorVersionId":"exv_1",` +
		`"processorName":"Invoice Extractor","status":"PROCESSED","output":{"value":{` + strings.Join(value, ",") + `},"metadata":{` + strings.Join(meta, ",") + `}},` +
		`"failureReason":null,"failureMessage":null,"metadata":{"tenant":"northwind"},"reviewed":false,"edited":false,"edits":{},"type":"EXTRACT",` +
		`"config":{"type":"EXTRACT","schema":{"type":"object"},"parser":{"target":"markdown","blockOptions":{"text":{"agentic":{"enabled":true}}}}},` +
		`"initialOutput":null,"reviewedOutput":null,"files":[` + strings.Join(fs, ",") + `],"mergedProcessors":[],"url":"https://x/y","usage":{"credits":3}}}`)
}

func BenchmarkSurfaceProcessorRunBigOutput(b *testing.B) {
	in := processorRunWith(400, 20)
	benchTransform(b, in, func(in []byte) error {
		err := respondReleased(RouteProcessorRunGet, &Context{}, One(in))
		return err
	})
}

// listOf is a 2026-02-09 list page of n copies of item.
func listOf(item string, n int) []byte {
	return repeatArray(`{"object":"list","data":[`, item, `],"nextPageToken":"tok"}`, n)
}

func BenchmarkSurfaceEvaluationSetList100(b *testing.B) {
	in := listOf(`{"object":"evaluation_set","id":"ev_set_1","name":"Invoices Q3","description":"Golden invoices",`+
		`"entity":{"object":"extractor","id":"ex_1","name":"Invoice Extractor","createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z"},`+
		`"createdAt":"2026-11-01T10:00:00Z","updatedAt":"2026-11-02T10:00:00Z","createdBy":null}`, 100)
	benchTransform(b, in, func(in []byte) error {
		err := respondReleased(RouteEvaluationSetList, &Context{}, One(in))
		return err
	})
}

func BenchmarkSurfaceProcessorRunList100(b *testing.B) {
	run := string(processorRunWith(5, 1))
	run = run[len(`{"success":true,"processorRun":`) : len(run)-1]
	in := []byte(`{"success":true,"processorRuns":[` + strings.Repeat(run+",", 99) + run + `],"nextPageToken":null}`)
	benchTransform(b, in, func(in []byte) error {
		err := respondReleased(RouteProcessorRunList, &Context{}, One(in))
		return err
	})
}

func BenchmarkSurfaceProcessorVersionList50(b *testing.B) {
	version := `{"object":"document_processor_version","id":"exv_1","processorId":"ex_1","processorType":"EXTRACT","description":null,"version":"3",` +
		`"config":{"type":"EXTRACT","baseProcessor":"extraction_performance","schema":{"type":"object","properties":{"total":{"type":["number","null"]}}},` +
		`"advancedOptions":{"citationsEnabled":true,"pageRanges":[{"start":1,"end":3}]},"parser":{"target":"markdown",` +
		`"blockOptions":{"text":{"agentic":{"enabled":true}}},"advancedOptions":{"pageRotationEnabled":true}}},` +
		`"createdAt":"2026-01-02T10:00:00Z","updatedAt":"2026-02-01T10:00:00Z"}`
	in := []byte(`{"success":true,"versions":[` + strings.Repeat(version+",", 49) + version + `]}`)
	benchTransform(b, in, func(in []byte) error {
		err := respondReleased(RouteProcessorVersionList, &Context{}, One(in))
		return err
	})
}
