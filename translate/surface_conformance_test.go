package translate

import (
	"errors"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/tidwall/gjson"
)

// Regression tests for mismatches the Node conformance suite found between
// the proxy's answers and the legacy SDK's closed types or the simulator's
// own legacy rendering (conformance/test/proxy-surface.test.js).

// TestParseAnswersCarryNoObjectMember: 0.0.12 declares object only inside
// parserRun.get's union; the bare ParserRun of parse and the ParserRunStatus
// of parseAsync are closed types without it.
func TestParseAnswersCarryNoObjectMember(t *testing.T) {
	for _, tc := range []struct {
		route, in, object string
	}{
		{RouteParse, "testdata/parse_response.new.json", ""},
		{RouteParseAsync, "testdata/parse_async_response.new.json", ""},
		{RouteParserRunGet, "testdata/parse_response.new.json", "parser_run"},
		{RouteParserRunGet, "testdata/parse_async_response.new.json", "parser_run_status"},
	} {
		in, err := os.ReadFile(tc.in)
		must(t, err)
		out, err := legacyPath.Response(tc.route, &Context{Report: &Report{}}, One(in))
		must(t, err)
		obj := gjson.GetBytes(out.Body(), "object")
		if tc.route == RouteParserRunGet {
			obj = gjson.GetBytes(out.Body(), "parserRun.object")
		}
		if obj.String() != tc.object || obj.Exists() != (tc.object != "") {
			t.Errorf("%s of %s: object = %s, want %q", tc.route, tc.in, obj.Raw, tc.object)
		}
	}
}

// TestAgenticRoundTripLeavesNoEmptyContainers: agenticOcrEnabled goes out as
// parser.blockOptions.text.agentic; read back, the containers the proxy made
// for it must not stay behind as {"blockOptions":{"text":{}}}, which the
// simulator's legacy rendering (and the vendor's) never shows. Block options
// that hold something else are kept.
func TestAgenticRoundTripLeavesNoEmptyContainers(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`{"parser":{"target":"markdown","blockOptions":{"text":{"agentic":{"enabled":true}}}}}`,
			`{"parser":{"target":"markdown","advancedOptions":{"agenticOcrEnabled":true}}}`},
		{`{"parser":{"blockOptions":{"text":{"agentic":{"enabled":false},"x":1},"tables":{}}}}`,
			`{"parser":{"blockOptions":{"text":{"x":1},"tables":{}},"advancedOptions":{"agenticOcrEnabled":false}}}`},
		{`{"parser":{"blockOptions":{"text":{"agentic":{"enabled":true}},"tables":{"y":2}}}}`,
			`{"parser":{"blockOptions":{"tables":{"y":2}},"advancedOptions":{"agenticOcrEnabled":true}}}`},
	} {
		d, cfg, ok := parseDoc([]byte(tc.in))
		if !ok {
			t.Fatalf("invalid case %s", tc.in)
		}
		got := d.appendSurfaceConfig(nil, cfg)
		d.free()
		if canonical(t, got) != canonical(t, []byte(tc.want)) {
			t.Errorf("config %s\n got %s\nwant %s", tc.in, got, tc.want)
		}
	}
}

// TestSurfaceRequestsCheckedBeforeUpstream: bodies and page sizes the
// 2026-02-09 request types do not allow are refused with a 400 naming the
// field, instead of being forwarded for the upstream to refuse.
func TestSurfaceRequestsCheckedBeforeUpstream(t *testing.T) {
	bad := []struct{ route, body, field string }{
		{RouteProcessorRunCreate, `{"file":{"fileUrl":"u"}}`, "processorId"},
		{RouteProcessorRunCreate, `{"processorId":5}`, "processorId"},
		{RouteProcessorRunCreate, `{"processorId":"ex_1","sync":"yes"}`, "sync"},
		{RouteProcessorRunCreate, `{"processorId":"ex_1","file":{"fileId":3}}`, "file.fileId"},
		{RouteProcessorRunCreate, `{"processorId":"ex_1","file":"u"}`, "file"},
		{RouteProcessorRunCreate, `{"processorId":"ex_1","priority":"high"}`, "priority"},
		{RouteProcessorCreate, `{"type":"EXTRACT"}`, "name"},
		{RouteProcessorCreate, `{"name":["x"],"type":"EXTRACT"}`, "name"},
		{RouteProcessorCreate, `{"name":"x","type":"MAGIC"}`, "type"},
		{RouteProcessorCreate, `{"name":"","type":"EXTRACT"}`, "name"},
		{RouteProcessorUpdate, `{"name":3}`, "name"},
		{RouteProcessorUpdate, `{"config":[]}`, "config"},
		{RouteProcessorVersionCreate, `{"description":"x"}`, "releaseType"},
		{RouteProcessorVersionCreate, `{"releaseType":"huge"}`, "releaseType"},
		{RouteWorkflowCreate, `{}`, "name"},
		{RouteWorkflowCreate, `{"name":1}`, "name"},
		{RouteWorkflowCreate, `[]`, ""},
	}
	for _, tc := range bad {
		_, err := legacyPath.Request(tc.route, &Context{Report: &Report{}}, One([]byte(tc.body)))
		var re *RequestError
		if !errors.As(err, &re) || re.Field != tc.field || !errors.Is(err, ErrInvalidRequest) {
			t.Errorf("%s %s: err %v, want a RequestError on %q", tc.route, tc.body, err, tc.field)
		}
	}
	good := []struct{ route, body string }{
		{RouteProcessorRunCreate, `{"processorId":"ex_1","file":{"fileUrl":"u","fileName":"a.pdf"},"sync":true,"priority":5,"metadata":{},"version":null}`},
		{RouteProcessorCreate, `{"name":"x","type":"SPLITTER","config":{"type":"SPLITTER"}}`},
		{RouteProcessorUpdate, `{}`},
		{RouteProcessorVersionCreate, `{"releaseType":"minor","description":"d"}`},
		{RouteWorkflowCreate, `{"name":"w"}`},
	}
	for _, tc := range good {
		if _, err := legacyPath.Request(tc.route, &Context{Report: &Report{}}, One([]byte(tc.body))); err != nil {
			t.Errorf("%s %s: %v", tc.route, tc.body, err)
		}
	}
	for _, route := range []string{RouteFileList, RouteProcessorRunList, RouteProcessorList, RouteEvaluationSetList, RouteEvaluationItemList} {
		for _, v := range []string{"lots", "0", "-1", "1.5"} {
			_, err := legacyPath.Request(route, &Context{Report: &Report{}}, Message{Query: url.Values{"maxPageSize": {v}}})
			var re *RequestError
			if !errors.As(err, &re) || re.Field != "maxPageSize" || !strings.Contains(re.Message, "positive integer") {
				t.Errorf("%s maxPageSize=%s: err %v", route, v, err)
			}
		}
		out, err := legacyPath.Request(route, &Context{Report: &Report{}}, Message{Query: url.Values{"maxPageSize": {"7"}, "nextPageToken": {"t"}}})
		if err != nil || out.Query.Get("maxPageSize") != "7" || out.Query.Get("nextPageToken") != "t" {
			t.Errorf("%s: a good page query gives %v, %v", route, out.Query, err)
		}
	}
}

// TestVersionAnswersCarryLegacyConfigs: processorVersion.get and .list are
// forwarded, but the configs inside them were written by 2026-02-09 and must
// read back in 0.0.12 terms like processor.create's, list items included
// (the version list once kept blockOptions.text.agentic).
func TestVersionAnswersCarryLegacyConfigs(t *testing.T) {
	cfg := `{"type":"EXTRACT","schema":{},"parser":{"target":"markdown","blockOptions":{"text":{"agentic":{"enabled":true}}}},"extra":null}`
	version := `{"object":"document_processor_version","id":"exv_1","version":"1.0","config":` + cfg + `}`
	want := `{"type":"EXTRACT","schema":{},"parser":{"target":"markdown","advancedOptions":{"agenticOcrEnabled":true}}}`
	for _, tc := range []struct{ route, body, at string }{
		{RouteProcessorVersionGet, `{"success":true,"version":` + version + `}`, "version.config"},
		{RouteProcessorVersionList, `{"success":true,"versions":[` + version + `,null,` + version + `]}`, "versions.2.config"},
		{RouteProcessorVersionList, `{"success":true,"versions":[` + version + `]}`, "versions.0.config"},
	} {
		out, err := legacyPath.Response(tc.route, &Context{Report: &Report{}}, One([]byte(tc.body)))
		must(t, err)
		if got := gjson.GetBytes(out.Body(), tc.at).Raw; canonical(t, []byte(got)) != canonical(t, []byte(want)) {
			t.Errorf("%s: %s = %s, want %s", tc.route, tc.at, got, want)
		}
	}
}

// FuzzSurfaceRequests: the request transforms of the methods beyond workflow
// runs are total over any body and page size: no panic, a refusal is always a
// RequestError (the client's 400), and an accepted body goes upstream as valid
// JSON.
func FuzzSurfaceRequests(f *testing.F) {
	f.Add(`{"processorId":"ex_1","file":{"fileUrl":"u"},"config":{"parser":{"advancedOptions":{"agenticOcrEnabled":true,"pageRanges":[{"end":2}]}}}}`, "10")
	f.Add(`{"name":"x","type":"EXTRACT","config":{"type":"EXTRACT"}}`, "lots")
	f.Add(`{"releaseType":"major","config":null}`, "")
	f.Add(`{"name":1}`, "-3")
	f.Add(`[1,{"a":`, "1e3")
	routes := []string{RouteProcessorRunCreate, RouteProcessorCreate, RouteProcessorUpdate, RouteProcessorVersionCreate,
		RouteWorkflowCreate, RouteParse, RouteParseAsync, RouteEvaluationSetCreate, RouteEvaluationItemCreate,
		RouteEvaluationItemBatch, RouteEvaluationItemUpdate}
	lists := []string{RouteFileList, RouteProcessorRunList, RouteProcessorList, RouteEvaluationSetList, RouteEvaluationItemList}
	f.Fuzz(func(t *testing.T, body, pageSize string) {
		for _, route := range routes {
			out, err := legacyPath.Request(route, &Context{Report: &Report{}}, One([]byte(body)))
			var re *RequestError
			if err != nil && !errors.As(err, &re) {
				t.Fatalf("%s %q: %T %v, want a RequestError", route, body, err, err)
			}
			if err == nil && !gjson.ValidBytes(out.Body()) {
				t.Fatalf("%s %q: upstream body %q is not JSON", route, body, out.Body())
			}
		}
		for _, route := range lists {
			_, err := legacyPath.Request(route, &Context{Report: &Report{}}, Message{Query: url.Values{"maxPageSize": {pageSize}}})
			var re *RequestError
			if err != nil && !errors.As(err, &re) {
				t.Fatalf("%s maxPageSize=%q: %T %v", route, pageSize, err, err)
			}
		}
	})
}
