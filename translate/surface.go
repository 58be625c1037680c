package translate

import "github.com/tidwall/gjson"

// Route names of the rest of the legacy surface: resource.method, as the
// legacy SDK names them (S§10).
const (
	RouteProcessorRunList       = "processorRun.list"
	RouteProcessorRunCreate     = "processorRun.create"
	RouteProcessorRunGet        = "processorRun.get"
	RouteProcessorRunDelete     = "processorRun.delete"
	RouteProcessorRunCancel     = "processorRun.cancel"
	RouteBatchProcessorRunGet   = "batchProcessorRun.get"
	RouteProcessorList          = "processor.list"
	RouteProcessorCreate        = "processor.create"
	RouteProcessorUpdate        = "processor.update"
	RouteProcessorVersionGet    = "processorVersion.get"
	RouteProcessorVersionList   = "processorVersion.list"
	RouteProcessorVersionCreate = "processorVersion.create"
	RouteWorkflowCreate         = "workflow.create"
	RouteFileList               = "file.list"
	RouteFileGet                = "file.get"
	RouteFileDelete             = "file.delete"
	RouteFileUpload             = "file.upload"
	RouteParse                  = "parse"
	RouteParseAsync             = "parseAsync"
	RouteParserRunGet           = "parserRun.get"
	RouteParserRunDelete        = "parserRun.delete"
	RouteEvaluationSetList      = "evaluationSet.list"
	RouteEvaluationSetCreate    = "evaluationSet.create"
	RouteEvaluationSetGet       = "evaluationSet.get"
	RouteEvaluationItemList     = "evaluationSetItem.list"
	RouteEvaluationItemCreate   = "evaluationSetItem.create"
	RouteEvaluationItemUpdate   = "evaluationSetItem.update"
	RouteEvaluationItemDelete   = "evaluationSetItem.delete"
	RouteEvaluationItemBatch    = "evaluationSetItem.createBatch"
)

// evalItemLookup finds an item's evaluation set (D6).
var evalItemLookup = &Lookup{Var: "evaluationSetId", Key: "id", Parents: "/evaluation_sets",
	Children: "/evaluation_sets/{parent}/items", What: "Evaluation set item"}

// surfaceEndpoints are the methods beyond workflow runs (S§4, S§6, S§7).
var surfaceEndpoints = map[string]Endpoint{
	// Processor family: still served by 2026-02-09 with legacy envelopes (S§4).
	RouteProcessorRunList: {Class: "a", Request: checkedPage(nil), Response: noNulls, Method: "GET", Path: "/processor_runs"},
	RouteProcessorRunCreate: {Class: "b", Request: checked(processorRunCreateShape, sanitizeProcessorRequest), Response: envelopeOf("processorRun", (*doc).appendSurfaceProcessorRun),
		Method: "POST", Path: "/processor_runs"},
	RouteProcessorRunGet:      {Class: "b", Response: envelopeOf("processorRun", (*doc).appendSurfaceProcessorRun), Method: "GET", Path: "/processor_runs/{id}"},
	RouteProcessorRunDelete:   {Class: "a", Response: noNulls, Method: "DELETE", Path: "/processor_runs/{id}"},
	RouteProcessorRunCancel:   {Class: "b", Response: envelopeOf("processorRun", (*doc).appendSurfaceProcessorRun), Method: "POST", Path: "/processor_runs/{id}/cancel"},
	RouteBatchProcessorRunGet: {Class: "a", Response: noNulls, Method: "GET", Path: "/batch_processor_runs/{id}"},
	RouteProcessorList:        {Class: "b", Request: checkedPage(nil), Response: noNulls, Method: "GET", Path: "/processors"},
	RouteProcessorCreate:      {Class: "b", Request: checked(processorCreateShape, sanitizeProcessorRequest), Response: legacyShapes, Method: "POST", Path: "/processors"},
	RouteProcessorUpdate:      {Class: "b", Request: checked(processorUpdateShape, sanitizeProcessorRequest), Response: legacyShapes, Method: "POST", Path: "/processors/{id}"},
	RouteProcessorVersionGet: {Class: "a", Response: legacyShapes, Method: "GET",
		Path: "/processors/{processorId}/versions/{processorVersionId}"},
	RouteProcessorVersionList:   {Class: "a", Response: legacyShapes, Method: "GET", Path: "/processors/{id}/versions"},
	RouteProcessorVersionCreate: {Class: "b", Request: checked(processorVersionCreateShape, sanitizeProcessorRequest), Response: legacyShapes, Method: "POST", Path: "/processors/{id}/publish"},
	// Workflows (S§6).
	RouteWorkflowCreate: {Class: "b", Request: checked(workflowCreateShape, nil), Response: envelope("workflow", (*doc).appendLegacyWorkflow), Method: "POST", Path: "/workflows"},
	// Files (S§7).
	RouteFileList:   {Class: "b", Request: checkedPage(nil), Response: listEnvelope("files", (*doc).appendSurfaceFile), Method: "GET", Path: "/files"},
	RouteFileGet:    {Class: "b", Response: envelope("file", (*doc).appendSurfaceFile), Method: "GET", Path: "/files/{id}"},
	RouteFileDelete: {Class: "b", Response: deleted("fileId", fileDeletedMessage), Method: "DELETE", Path: "/files/{id}"},
	RouteFileUpload: {Class: "b", Response: envelope("file", (*doc).appendSurfaceFile), Method: "POST", Path: "/files/upload", Serve: ServeStream},
	// Parse (S§2, S§3).
	RouteParse: {Class: "c", Request: parseRequestT, Response: parseResponseT, Method: "POST", Path: "/parse",
		Serve: ServePoll, PollPath: "/parse_runs/{id}", Settled: parseSettled},
	RouteParseAsync: {Class: "c", Request: parseRequestT, Response: parseAsyncResponse, Method: "POST", Path: "/parse/async",
		UpstreamPath: "/parse_runs"},
	RouteParserRunGet: {Class: "c", Response: parserRunGetResponse, Method: "GET", Path: "/parser_runs/{id}",
		UpstreamPath: "/parse_runs/{id}"},
	RouteParserRunDelete: {Class: "c", Response: deleted("parserRunId", parserRunDeletedMessage), Method: "DELETE",
		Path: "/parser_runs/{id}", UpstreamPath: "/parse_runs/{id}"},
	// Evaluation sets and items (S§8).
	RouteEvaluationSetList: {Class: "b", Request: checkedPage(evalSetListRequest), Response: listEnvelope("evaluationSets", (*doc).appendLegacyEvaluationSet),
		Method: "GET", Path: "/evaluation_sets"},
	RouteEvaluationSetCreate: {Class: "b", Request: evalSetCreateRequest, Response: envelope("evaluationSet", (*doc).appendLegacyEvaluationSet),
		Method: "POST", Path: "/evaluation_sets"},
	RouteEvaluationSetGet: {Class: "b", Response: envelope("evaluationSet", (*doc).appendLegacyEvaluationSet), Method: "GET", Path: "/evaluation_sets/{id}"},
	RouteEvaluationItemList: {Class: "b", Request: checkedPage(nil), Response: evalItemListResponse, Method: "GET", Path: "/evaluation_sets/{id}/items",
		Expand: &Expand{Path: "/evaluation_sets/{id}/items/{item}", IDs: evaluationItemIDs,
			Skip: func(o Options) bool { return o.NoEvaluationItemDetails }}},
	RouteEvaluationItemCreate: {Class: "c", Request: evalItemCreateRequest, Response: evalItemCreatedResponse, Method: "POST",
		Path: "/evaluation_set_items", UpstreamPath: "/evaluation_sets/{evaluationSetId}/items"},
	RouteEvaluationItemBatch: {Class: "c", Request: evalItemBatchRequest, Response: evalItemsCreatedResponse, Method: "POST",
		Path: "/evaluation_set_items/bulk", UpstreamPath: "/evaluation_sets/{evaluationSetId}/items"},
	RouteEvaluationItemUpdate: {Class: "c", Request: evalItemUpdateRequest, Response: evalItemResponse, Method: "POST",
		Path: "/evaluation_set_items/{id}", UpstreamPath: "/evaluation_sets/{evaluationSetId}/items/{id}", Lookup: evalItemLookup},
	RouteEvaluationItemDelete: {Class: "c", Response: deleted("evaluationSetItemId", evaluationItemDeletedMessage), Method: "DELETE",
		Path: "/evaluation_set_items/{id}", UpstreamPath: "/evaluation_sets/{evaluationSetId}/items/{id}", Lookup: evalItemLookup},
}

// withSurface adds the surface endpoints and the webhook event routes (no
// HTTP path, no transforms here: package webhook delivers them) to the
// workflow-run ones.
func withSurface(m map[string]Endpoint) map[string]Endpoint {
	for k, v := range surfaceEndpoints {
		m[k] = v
	}
	for _, e := range legacyEvents {
		m[EventRoute(e.New)] = Endpoint{Class: "event"}
	}
	return m
}

// envelopeOf writes a processor-family answer: every member copied with N0,
// the one named key through write.
func envelopeOf(key string, write func(d *doc, b []byte, v gjson.Result) []byte) Transform {
	return func(c *Context, m Message) (Message, error) {
		return surfaceAnswer(c, m, func(b []byte, d *doc, root gjson.Result) ([]byte, error) {
			w := openObj(b)
			d.each(root, func(k string, v gjson.Result) bool {
				if v.Type == gjson.Null {
					return true
				}
				w.key(k)
				if k == key && v.IsObject() {
					w.b = write(d, w.b, v)
				} else {
					w.b = d.appendNoNulls(w.b, v)
				}
				return true
			})
			return w.close(), nil
		})
	}
}

// legacyShapes is the response transform of processors and their versions.
func legacyShapes(c *Context, m Message) (Message, error) {
	return surfaceAnswer(c, m, func(b []byte, d *doc, root gjson.Result) ([]byte, error) {
		return d.appendLegacyShapes(b, root), nil
	})
}
