package translate

// Legacy objects of the wider surface that lossy paths are relative to.
const (
	objProcessorRun = "ProcessorRun"
	objFile         = "File"
	objParserRun    = "ParserRun"
	objEvalItem     = "EvaluationSetItem"
)

// surfaceObjects places them in each route's answer.
var surfaceObjects = map[string]map[string]string{
	objProcessorRun: {RouteProcessorRunCreate: "processorRun.", RouteProcessorRunGet: "processorRun.", RouteProcessorRunCancel: "processorRun."},
	objFile: {RouteFileGet: "file.", RouteFileUpload: "file.", RouteFileList: "files.#.",
		RouteProcessorRunCreate: "processorRun.files.#.", RouteProcessorRunGet: "processorRun.files.#.", RouteProcessorRunCancel: "processorRun.files.#."},
	objParserRun: {RouteParse: "", RouteParserRunGet: "parserRun."},
	objEvalItem: {RouteEvaluationItemCreate: "evaluationSetItem.", RouteEvaluationItemUpdate: "evaluationSetItem.",
		RouteEvaluationItemList: "evaluationSetItems.#.", RouteEvaluationItemBatch: "evaluationSetItems.#."},
}

var processorRunRoutes = []string{RouteProcessorRunCreate, RouteProcessorRunGet, RouteProcessorRunCancel}

var forwardedRoutes = []string{RouteProcessorRunList, RouteProcessorRunDelete, RouteBatchProcessorRunGet, RouteProcessorList,
	RouteProcessorVersionGet, RouteProcessorVersionList}

var configRequestRoutes = []string{RouteProcessorRunCreate, RouteProcessorCreate, RouteProcessorUpdate, RouteProcessorVersionCreate}

// surfaceChanges are the changes of the methods beyond workflow runs (S§4, S§6, S§7).
var surfaceChanges = []Change{
	{Name: "processor-family-forwarded", Tag: TagDirect, Routes: forwardedRoutes,
		Description: "Processor-run list and delete, batch processor runs, the processor list and processor versions are still served by 2026-02-09 with their legacy envelopes: forwarded with the new version header, with null values left out (surface D1).",
		Golden:      []string{"processor_list"}},
	{Name: "processor-run-projection", Tag: TagDirect, Routes: processorRunRoutes,
		Description: "Processor runs keep exactly the 0.0.12 fields; nulls are left out except a run's output, which stays null until it is processed.",
		Golden:      []string{"processor_run_get"}},
	{Name: "processor-run-files", Tag: TagLossy, Routes: processorRunRoutes,
		Description: "Files inside processor runs come back in the legacy File shape: contents.markdown is rebuilt from the sections (an approximation), pages[].rawText and usage no longer exist.",
		Lossy:       []string{objFile + ":contents.markdown", objFile + ":contents.pages.#.rawText", objFile + ":usage"},
		Golden:      []string{"processor_run_get"}},
	{Name: "agentic-ocr", Tag: TagDerived, Routes: append(append([]string{}, configRequestRoutes...), RouteProcessorRunGet, RouteProcessorRunCancel,
		RouteProcessorVersionGet, RouteProcessorVersionList),
		Description: "parser.advancedOptions.agenticOcrEnabled: true is sent as parser.blockOptions.text.agentic {enabled: true} (false is dropped), and read back the same way in answers (runs, processors and their versions), without the emptied blockOptions left behind.",
		Golden:      []string{"processor_run_create", "processor_run_get", "processor_create"}},
	{Name: "surface-request-checks", Tag: TagDirect, Routes: append(append([]string{}, configRequestRoutes...), RouteWorkflowCreate,
		RouteFileList, RouteProcessorRunList, RouteProcessorList, RouteEvaluationSetList, RouteEvaluationItemList),
		Description: "Processor, processor-run, version and workflow creates and updates are checked against their 0.0.12 request types (required members, JSON types, closed enums) and list page sizes must be positive integers, before any upstream call: a bad request is a 400 naming the field and reaches nothing upstream.",
		Golden:      []string{"processor_create_invalid"}},
	{Name: "page-ranges-complete", Tag: TagSilent, Routes: configRequestRoutes,
		Description: "2026-02-09 requires start and end on every pageRanges item: a missing start is sent as 1; a missing end is refused with 400 naming the field, unless translate.openPageRangeEnd gives one.",
		Golden:      []string{"processor_run_create", "processor_run_open_range"}},
	{Name: "workflow-create-version", Tag: TagDerived, Routes: []string{RouteWorkflowCreate},
		Description: "workflow.create answers {success, workflow: {object, id, version, name}}; version is the draft version's (\"draft\").",
		Golden:      []string{"workflow_create"}},
	{Name: "file-envelopes", Tag: TagDerived, Routes: []string{RouteFileList, RouteFileGet, RouteFileDelete, RouteFileUpload},
		Description: "File answers get back success:true and their wrappers (file, files with nextPageToken); delete answers {fileId, message: \"File data has been successfully deleted.\"}.",
		Golden:      []string{"file_get", "file_list", "file_delete"}},
	{Name: "file-contents", Tag: TagLossy, Routes: []string{RouteFileList, RouteFileGet, RouteFileUpload},
		Description: "contents.markdown is rebuilt by joining the sections' markdown with a blank line; pages[].rawText and usage are gone; list items have no presignedUrl or contents; a file type outside the legacy enum is left out.",
		Lossy: []string{objFile + ":contents.markdown", objFile + ":contents.pages.#.rawText", objFile + ":usage",
			objFile + ":presignedUrl", objFile + ":contents", objFile + ":type"},
		Golden: []string{"file_get", "file_list"}},
	{Name: "parse-request", Tag: TagLossy, Routes: []string{RouteParse, RouteParseAsync},
		Description: "Parse requests send file {fileUrl, fileName} as {url, name} and {fileId} as {id} (a fileName sent with a fileId is dropped); agenticOcrEnabled and page ranges are readied as for processors.",
		Reports:     []string{"file.fileUrl", "file.fileName"},
		Golden:      []string{"parse_request"}},
	{Name: "parser-run-shape", Tag: TagDerived, Routes: []string{RouteParse, RouteParserRunGet},
		Description: "A parse run is answered as the legacy ParserRun: object parser_run, fileId from file.id, chunks from output.chunks ([] for a failed run), the config in legacy terms and usage with credits only; outputUrl, metadata and OCR output have no legacy field.",
		Lossy:       []string{objParserRun + ":config", objParserRun + ":usage"},
		Golden:      []string{"parse_response", "parse_failed"}},
	{Name: "parse-block-types", Tag: TagSilent, Routes: []string{RouteParse, RouteParserRunGet},
		Description: "Block types the legacy enum lacks (table_head, table_cell, key_value, page_number, barcode, formula, header, footer) become text (translate.parseBlockTypes: text, drop or passthrough), and details of a kind the legacy types lack (text, key-value, barcode, formula) become {}; parentBlockId and children are left out.",
		Lossy:       []string{objParserRun + ":chunks.#.blocks.#.type"},
		Reports:     []string{"chunks.#.blocks.#"},
		Golden:      []string{"parse_response"}},
	{Name: "parse-metrics", Tag: TagLossy, Routes: []string{RouteParse, RouteParserRunGet},
		Description: "A run without metrics gets {processingTimeMs: 0, pageCount: the last page its chunks cover, else 0}.",
		Lossy:       []string{objParserRun + ":metrics"},
		Reports:     []string{"metrics"},
		Golden:      []string{"parse_failed"}},
	{Name: "parse-status", Tag: TagDerived, Routes: []string{RouteParse, RouteParseAsync, RouteParserRunGet},
		Description: "PENDING reads as PROCESSING; parserRun.get answers a parser_run_status until the run is settled; parse waits for the result as it used to, polling the new run until it is PROCESSED or FAILED (504 if the request deadline passes first).",
		Golden:      []string{"parser_run_get_pending", "parse_async_response"}},
	{Name: "parse-paths", Tag: TagDirect, Routes: []string{RouteParseAsync, RouteParserRunGet, RouteParserRunDelete},
		Description: "/parse/async is now POST /parse_runs and /parser_runs/{id} is /parse_runs/{id}; delete answers {parserRunId, message: \"Parser run data has been successfully deleted.\"}.",
		Golden:      []string{"parser_run_delete"}},
	{Name: "evaluation-set-entity", Tag: TagDirect, Routes: []string{RouteEvaluationSetList, RouteEvaluationSetCreate, RouteEvaluationSetGet},
		Description: "Evaluation sets name their processor as entity: processorId is sent as entityId (query and body) and read back from entity.id.",
		Golden:      []string{"eval_set_create", "eval_set_get"}},
	{Name: "evaluation-item-paths", Tag: TagDerived,
		Routes:      []string{RouteEvaluationItemCreate, RouteEvaluationItemBatch, RouteEvaluationItemUpdate, RouteEvaluationItemDelete},
		Description: "Items moved under /evaluation_sets/{id}/items: create and createBatch take the set from the body; update and delete find an item's set among the ids the proxy has seen, else by scanning at most translate.evaluationScanLimit sets (404 when it is in none); delete answers {evaluationSetItemId, message}.",
		Golden:      []string{"eval_item_create", "eval_item_created", "eval_item_delete"}},
	{Name: "evaluation-item-outputs", Tag: TagLossy,
		Routes:      []string{RouteEvaluationItemCreate, RouteEvaluationItemBatch, RouteEvaluationItemUpdate, RouteEvaluationItemList},
		Description: "expectedOutput goes out as the new provided output (classifier confidence, split id/observation/identifier dropped, fields arrays become {value}) and comes back with split ids made up from their position and {value: {}} for an extract output without one.",
		Lossy:       []string{objEvalItem + ":expectedOutput.splits.#.id", objEvalItem + ":expectedOutput.splits.#.observation", objEvalItem + ":expectedOutput.splits.#.identifier", objEvalItem + ":expectedOutput.confidence"},
		Reports: []string{"expectedOutput.confidence", "expectedOutput.splits.#.id", "expectedOutput.splits.#.observation",
			"expectedOutput.splits.#.identifier", "expectedOutput.*.type", "expectedOutput.*.confidence", "expectedOutput.*.page",
			"items.#.expectedOutput.confidence", "items.#.expectedOutput.splits.#.id", "items.#.expectedOutput.splits.#.observation",
			"items.#.expectedOutput.splits.#.identifier"},
		Golden: []string{"eval_item_create", "eval_item_created"}},
	{Name: "evaluation-item-list-details", Tag: TagDerived, Routes: []string{RouteEvaluationItemList},
		Description: "Item lists no longer carry expectedOutput or evaluationSetId: the set comes from the path and each item's expectedOutput from a read of the item (bounded concurrency; translate.evaluationItemDetails: false skips the reads and leaves expectedOutput out); an item deleted between the list and its read is left out.",
		Lossy:       []string{objEvalItem + ":expectedOutput"},
		Reports:     []string{"evaluationSetItems.#.expectedOutput", "evaluationSetItems.#"},
		Golden:      []string{"eval_item_list"}},
}
