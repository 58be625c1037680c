package translate

import (
	"fmt"
	"strings"
	"testing"
)

// Heavy answers of the rest of the legacy surface (issue 11: the same
// discipline for every endpoint the surface adds), each next to the
// json.Valid baseline on the same bytes (benchTransform).

// respondReleased runs a route's response transform as the proxy does: on a
// Context whose answer buffers are released once the answer is used.
func respondReleased(route string, c *Context, m Message) error {
	_, err := legacyPath.Response(route, c, m)
	c.Release()
	return err
}

// parseRunOf is a PROCESSED parse run with chunks × blocks, new block types included.
func parseRunOf(chunks, blocks int) []byte {
	types := []string{"text", "heading", "table", "key_value", "footer", "figure", "table_cell", "page_number"}
	var b strings.Builder
	b.WriteString(`{"object":"parse_run","id":"pr_bench","file":{"object":"file","id":"file_bench","name":"big.pdf"},"status":"PROCESSED",` +
		`"failureReason":null,"output":{"chunks":[`)
	for c := 0; c < chunks; c++ {
		if c > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"object":"chunk","type":"page","content":"Page %d of the statement, with a table of charges and totals.",`+
			`"metadata":{"pageRange":{"start":%d,"end":%d},"avgOcrConfidence":0.97,"minOcrConfidence":null},"blocks":[`, c+1, c+1, c+1)
		for k := 0; k < blocks; k++ {
			if k > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"object":"block","id":"blk_%d_%d","type":%q,"content":"Line %d: Consulting services 12.00 h x 150.00",`+
				`"details":{"type":"text_details"},"metadata":{"page":{"number":%d,"width":612,"height":792},"avgOcrConfidence":null},`+
				`"polygon":[{"x":10,"y":%d},{"x":600,"y":%d},{"x":600,"y":%d},{"x":10,"y":%d}],`+
				`"boundingBox":{"left":10,"right":600,"top":%d,"bottom":%d},"parentBlockId":null}`,
				c, k, types[k%len(types)], k, c+1, k*20, k*20, k*20+18, k*20+18, k*20, k*20+18)
		}
		b.WriteString(`]}`)
	}
	b.WriteString(`]},"metrics":{"processingTimeMs":5120,"pageCount":` + fmt.Sprint(chunks) + `},` +
		`"config":{"target":"markdown","chunkingStrategy":{"type":"page"},"blockOptions":{"text":{"agentic":{"enabled":true}}}},` +
		`"usage":{"credits":12}}`)
	return []byte(b.String())
}

// fileWithPages is a 2026-02-09 File_ with page contents and sections.
func fileWithPages(pages int) []byte {
	var p, s []string
	for i := 1; i <= pages; i++ {
		text := strings.Repeat(fmt.Sprintf("Row %d, amount 12.50; ", i), 20)
		p = append(p, fmt.Sprintf(`{"pageNumber":%d,"pageHeight":792,"pageWidth":612,"markdown":%q,"html":%q}`, i, text, "<p>"+text+"</p>"))
		s = append(s, fmt.Sprintf(`{"startPageNumber":%d,"endPageNumber":%d,"markdown":%q}`, i, i, text))
	}
	return []byte(`{"object":"file","id":"file_big","name":"ledger.pdf","type":"PDF","presignedUrl":"https://x/y","parentFileId":null,` +
		`"contents":{"rawText":"ledger","pages":[` + strings.Join(p, ",") + `],"sections":[` + strings.Join(s, ",") + `]},` +
		`"metadata":{"pageCount":` + fmt.Sprint(pages) + `},"createdAt":"2026-11-28T17:54:45.868Z","updatedAt":"2026-11-28T17:54:45.868Z"}`)
}

func BenchmarkSurfaceParseRun2000Chunks(b *testing.B) {
	in := parseRunOf(2000, 8)
	benchTransform(b, in, func(in []byte) error {
		err := respondReleased(RouteParse, &Context{}, One(in))
		return err
	})
}

func BenchmarkSurfaceFileGet200Pages(b *testing.B) {
	in := fileWithPages(200)
	benchTransform(b, in, func(in []byte) error {
		err := respondReleased(RouteFileGet, &Context{}, One(in))
		return err
	})
}

// fileList is a 2026-02-09 file list page of n summaries.
func fileList(n int) []byte {
	items := make([]string, n)
	for i := range items {
		items[i] = fmt.Sprintf(`{"object":"file","id":"file_%d","name":"doc-%d.pdf","type":"PDF","parentFileId":null,`+
			`"metadata":{"pageCount":%d},"createdAt":"2026-11-28T17:54:45.868Z","updatedAt":"2026-11-28T17:54:45.868Z"}`, i, i, i%9+1)
	}
	return []byte(`{"object":"list","data":[` + strings.Join(items, ",") + `],"nextPageToken":"tok"}`)
}

func BenchmarkSurfaceFileList100(b *testing.B) {
	in := fileList(100)
	benchTransform(b, in, func(in []byte) error {
		err := respondReleased(RouteFileList, &Context{}, One(in))
		return err
	})
}

// evalItemBodies is a 2026-02-09 item list of n summaries and the n full
// items the proxy fetches for it (D6).
func evalItemBodies(n int) (list []byte, details [][]byte) {
	summaries := make([]string, n)
	for i := range summaries {
		summaries[i] = fmt.Sprintf(`{"object":"evaluation_set_item","id":"ev_item_%d","file":{"object":"file","id":"file_%d","name":"d.pdf"},"createdBy":null}`, i, i)
		details = append(details, []byte(fmt.Sprintf(`{"object":"evaluation_set_item","id":"ev_item_%d","evaluationSetId":"ev_set_1","file":{"id":"file_%d"},`+
			`"expectedOutput":{"value":{"invoice_number":"INV-%04d","total":%d.50,"lines":[{"sku":"A","qty":2},{"sku":"B","qty":1}]}},"createdBy":null}`, i, i, i, i)))
	}
	return []byte(`{"object":"list","data":[` + strings.Join(summaries, ",") + `],"nextPageToken":null}`), details
}

// The item list arrives as the list and one full item per entry (D6): the
// benchmark measures the bytes of all of them.
func BenchmarkSurfaceEvaluationItems100(b *testing.B) {
	list, details := evalItemBodies(100)
	bodies := append([][]byte{list}, details...)
	joined := []byte("[" + string(list))
	for _, d := range details {
		joined = append(append(joined, ','), d...)
	}
	joined = append(joined, ']')
	b.Logf("%d bytes in %d bodies", len(joined)-len(bodies)-1, len(bodies))
	benchTransform(b, joined, func([]byte) error {
		err := respondReleased(RouteEvaluationItemList, &Context{Vars: map[string]string{"id": "ev_set_1"}}, Message{Bodies: bodies})
		return err
	})
}
