package translate

// API version header values.
const (
	LegacyVersion = "2025-04-21"
	NewVersion    = "2026-02-09"
)

// Legacy objects that lossy paths are relative to.
const (
	objRun     = "WorkflowRun"        // a full legacy WorkflowRun
	objSummary = "WorkflowRunSummary" // a list item
	objBody    = "Body"               // the whole answer, success or error
)

// legacyStep is the move from 2025-04-21 to 2026-02-09 for the workflow-run
// family (docs/spec/mapping.md).
var legacyStep = &Step{
	From:      LegacyVersion,
	To:        NewVersion,
	Endpoints: legacyEndpoints,
	Objects: func() map[string]map[string]string {
		objs := map[string]map[string]string{
			objRun:     {RouteGet: "workflowRun.", RouteUpdate: "workflowRun.", RouteCancel: "workflowRun.", RouteCreate: "workflowRuns.#."},
			objSummary: {RouteList: "workflowRuns.#."},
			objBody:    {},
		}
		for route := range legacyEndpoints {
			objs[objBody][route] = "" // error bodies of every route
		}
		for obj, at := range surfaceObjects {
			objs[obj] = at
		}
		objs[objEvent] = map[string]string{}
		for _, e := range legacyEvents {
			objs[objEvent][EventRoute(e.New)] = ""
		}
		return objs
	}(),
	Changes: append(append(legacyChanges, surfaceChanges...), eventChanges...),
}

var runRoutes = []string{RouteCreate, RouteGet, RouteUpdate, RouteCancel}

var allRoutes = []string{RouteCreate, RouteList, RouteGet, RouteUpdate, RouteDelete, RouteCancel, RouteBatch, RouteCorrectOutputs}

var legacyChanges = []Change{
	// Requests (mapping §3).
	{Name: "create-fan-out", Tag: TagDerived, Routes: []string{RouteCreate},
		Description: "A create with several files or raw texts becomes one upstream run per input (files first, then raw texts); the response lists the runs in input order, and a failure rolls back the runs already created.",
		Lossy:       []string{objRun + ":batchId"},
		Golden:      []string{"create_one", "create_many", "create_example", "create_response"}},
	{Name: "create-validation", Tag: TagDirect, Routes: []string{RouteCreate, RouteBatch},
		Description: "Create requests are validated before any run is started (workflowId, files or rawTexts, at most 50 files, fileUrl or fileId, JSON types), so a bad request never creates some of its runs.",
		Golden:      []string{"create_invalid"}},
	{Name: "raw-texts-not-counted", Tag: TagSilent, Routes: []string{RouteCreate},
		Description: "rawTexts do not count toward the 50-file limit (configurable).",
		Golden:      []string{"create_example"}},
	{Name: "workflow-version-latest", Tag: TagSilent, Routes: []string{RouteCreate, RouteBatch},
		Description: `A workflow version of "latest" or "" is sent as no version, which runs the latest published version or the draft.`,
		Golden:      []string{"create_latest"}},
	{Name: "file-id-wins", Tag: TagLossy, Routes: []string{RouteCreate, RouteBatch},
		Description: "When a file has both fileId and fileUrl, the fileId is used and the URL ignored; a file given by id loses its fileName.",
		Lossy:       []string{objRun + ":name"},
		Reports:     []string{"files.#.fileUrl", "files.#.fileName", "inputs.#.file.fileUrl", "inputs.#.file.fileName"},
		Golden:      []string{"create_many"}},
	{Name: "provided-outputs", Tag: TagLossy, Routes: []string{RouteCreate},
		Description: "Predetermined outputs are converted to the new shapes: classifier confidence, split id/observation/identifier and fields-array type/confidence/page are dropped; a fields-array output becomes {value:{field: value}}.",
		Lossy: []string{objRun + ":outputs.#.output.splits.#.id", objRun + ":outputs.#.output.splits.#.observation",
			objRun + ":outputs.#.output.splits.#.identifier", objRun + ":outputs.#.initialOutput.splits.#.id",
			objRun + ":outputs.#.initialOutput.splits.#.observation", objRun + ":outputs.#.initialOutput.splits.#.identifier",
			objRun + ":outputs.#.output.confidence", objRun + ":outputs.#.initialOutput.confidence"},
		Reports: []string{"files.#.outputs.#.output.confidence", "files.#.outputs.#.output.splits.#.id",
			"files.#.outputs.#.output.splits.#.observation", "files.#.outputs.#.output.splits.#.identifier",
			"files.#.outputs.#.output.*.type", "files.#.outputs.#.output.*.confidence",
			"files.#.outputs.#.output.*.page"},
		Golden: []string{"create_many"}},
	{Name: "fields-array-missing-value", Tag: TagSilent, Routes: []string{RouteCreate},
		Description: "A fields-array entry without a value is sent as null, so the schema-shaped value keeps every field.",
		Golden:      []string{"create_many"}},
	{Name: "processor-ids", Tag: TagSilent, Routes: []string{RouteCreate, RouteGet, RouteUpdate, RouteCancel},
		Description: "Processor and processor-run ids are passed through (ex_/cl_/spl_ instead of dp_, exr_/clr_/splr_ instead of dpr_); an optional alias table maps legacy processor ids forward and new ids back.",
		Lossy: []string{objRun + ":outputs.#.id", objRun + ":outputs.#.processorId", objRun + ":outputs.#.processorVersionId",
			objRun + ":outputs.#.mergedProcessors"},
		Golden: []string{"create_many", "get_reviewed"}},
	{Name: "unknown-request-fields", Tag: TagSilent, Routes: []string{RouteCreate, RouteBatch, RouteUpdate},
		Description: "Unknown request fields are ignored and reported (or refused with 400 when configured, on every route with a body).",
		Golden:      []string{"create_unknown_fields"}},
	{Name: "null-as-absent", Tag: TagSilent, Routes: []string{RouteCreate, RouteBatch, RouteUpdate},
		Description: "A null optional request field is treated as not sent.",
		Golden:      []string{"create_unknown_fields"}},
	{Name: "batch-request", Tag: TagSilent, Routes: []string{RouteBatch},
		Description: "Batch inputs keep file, metadata and secrets; rawText becomes a text file; when both file and rawText are sent, file wins; no priority is sent (90 in both versions).",
		Reports:     []string{"inputs.#.rawText"},
		Golden:      []string{"batch"}},
	{Name: "update-name-echo", Tag: TagLossy, Routes: []string{RouteUpdate, RouteGet, RouteCancel, RouteCreate},
		Description: "The run name can still be set, but the new API never returns it: the update response echoes the name sent, other responses use the first file's name.",
		Lossy:       []string{objRun + ":name"},
		Golden:      []string{"update", "update_response"}},
	// Responses (mapping §4).
	{Name: "envelopes", Tag: TagDerived, Routes: []string{RouteCreate, RouteList, RouteGet, RouteUpdate, RouteDelete, RouteCancel, RouteBatch},
		Description: "Responses get back success:true and their legacy wrappers (workflowRun, workflowRuns, workflowRunId/message for delete, batchId for batch).",
		Golden:      []string{"get_full", "create_response", "delete", "batch_response"}},
	{Name: "no-nulls", Tag: TagDirect, Routes: runRoutes,
		Description: "Null values are left out instead of being sent as null; a processor run's output is the one exception and stays null until it is processed.",
		Golden:      []string{"get_failed", "cancel"}},
	{Name: "strict-projection", Tag: TagDirect, Routes: []string{RouteCreate, RouteList, RouteGet, RouteUpdate, RouteCancel},
		Description: "Only the fields the 2025-04-21 types declare are returned; fields new in 2026-02-09 are dropped.",
		Golden:      []string{"get_full", "list"}},
	{Name: "url-from-dashboard-url", Tag: TagDirect, Routes: runRoutes,
		Description: "url is the new dashboardUrl, whose format differs from the legacy dashboard link.",
		Lossy:       []string{objRun + ":url", objRun + ":outputs.#.url"},
		Golden:      []string{"get_full"}},
	{Name: "initial-run-at", Tag: TagLossy, Routes: []string{RouteCreate, RouteGet, RouteUpdate, RouteCancel, RouteList},
		Description: "initialRunAt, null upstream until a run starts, falls back to startTime, the time the proxy received the create, the file's createdAt, then the current time; a list item of a run not yet started has none.",
		Lossy:       []string{objRun + ":initialRunAt", objSummary + ":initialRunAt"},
		Reports:     []string{"initialRunAt"},
		Golden:      []string{"create_response"}},
	{Name: "reviewed-by", Tag: TagDirect, Routes: runRoutes,
		Description: "reviewedBy is read from the new reviewedByUser.",
		Golden:      []string{"get_reviewed"}},
	{Name: "workflow-version", Tag: TagDerived, Routes: runRoutes,
		Description: "workflow.version comes from the new workflowVersion.version.",
		Golden:      []string{"get_full"}},
	{Name: "usage-credits", Tag: TagLossy, Routes: []string{RouteCreate, RouteGet, RouteUpdate, RouteCancel, RouteList},
		Description: "usage keeps only credits; totalCredits and breakdown are dropped, and per-file parsing credits are no longer available.",
		Lossy:       []string{objRun + ":files.#.usage", objSummary + ":usage"},
		Golden:      []string{"get_full", "list"}},
	{Name: "file-projection", Tag: TagLossy, Routes: runRoutes,
		Description: "Files lose presignedUrl, contents and usage; a file type outside PDF/CSV/IMG/TXT/DOCX/EXCEL/XML/HTML is left out; metadata keeps pageCount and parentSplit.",
		Lossy: []string{objRun + ":files.#.presignedUrl", objRun + ":files.#.contents", objRun + ":files.#.usage",
			objRun + ":files.#.type", objRun + ":outputs.#.files"},
		Golden: []string{"get_full"}},
	{Name: "outputs-from-step-runs", Tag: TagDerived, Routes: runRoutes,
		Description: "outputs are rebuilt from step runs in step order: extract, merge-extract and conditional-extract become EXTRACT, classify CLASSIFY, split SPLITTER; parse and unknown steps are dropped.",
		Reports:     []string{"stepRuns.#"},
		Golden:      []string{"get_full"}},
	{Name: "processor-run-fields", Tag: TagLossy, Routes: runRoutes,
		Description: "Processor runs from inline configs have empty processorId/processorVersionId and the step's name; merged extractors become mergedProcessors; edits without a value are dropped.",
		Lossy: []string{objRun + ":outputs.#.processorName", objRun + ":outputs.#.edits", objRun + ":outputs.#.mergedProcessors",
			objRun + ":outputs.#.processorId", objRun + ":outputs.#.processorVersionId"},
		Golden: []string{"get_full", "get_reviewed"}},
	{Name: "initial-output", Tag: TagDerived, Routes: runRoutes,
		Description: "initialOutput is the run's output when it was not reviewed (the new API fills initialOutput only after review).",
		Lossy:       []string{objRun + ":outputs.#.initialOutput"},
		Golden:      []string{"get_full", "get_reviewed"}},
	{Name: "extract-output-metadata", Tag: TagLossy, Routes: runRoutes,
		Description: "Citation pages become page numbers; citation fileId, reviewAgentScore and insights other than reasoning are dropped.",
		Lossy:       []string{objRun + ":outputs.#.output.metadata"},
		Golden:      []string{"get_full"}},
	{Name: "config-conversion", Tag: TagLossy, Routes: runRoutes,
		Description: "Processor configs get their type tag; parseConfig becomes parser (agenticOcrEnabled from the agentic text option); new-only options and enum values legacy does not know are dropped; splitMethod basic_precision becomes low_latency.",
		Lossy:       []string{objRun + ":outputs.#.config"},
		Golden:      []string{"get_full"}},
	{Name: "validation-step-runs", Tag: TagLossy, Routes: runRoutes,
		Description: "stepRuns keep only rule and external-data validation steps; WAITING becomes PENDING; allPassed and the external endpoint's HTTP status are dropped.",
		Lossy:       []string{objRun + ":stepRuns.#.step.id"},
		Golden:      []string{"get_full", "get_needs_review"}},
	{Name: "valid-array-strings", Tag: TagSilent, Routes: runRoutes,
		Description: `Rule validArray booleans are sent as "true"/"false" strings, as the legacy type declares (configurable).`,
		Lossy:       []string{objRun + ":stepRuns.#.output.rules.#.validArray"},
		Golden:      []string{"get_full", "get_needs_review"}},
	{Name: "open-enums", Tag: TagDirect, Routes: runRoutes,
		Description: "Values outside a legacy closed enum are dropped when the field is optional and passed through when it is required.",
		Golden:      []string{"get_full"}},
	{Name: "list-summaries", Tag: TagDerived, Routes: []string{RouteList},
		Description: "List items are rebuilt as legacy summaries (workflowId, workflowName, workflowVersionId); the page token is passed through both ways.",
		Reports:     []string{"data.#"},
		Golden:      []string{"list"}},
	{Name: "list-query", Tag: TagDirect, Routes: []string{RouteList},
		Description: "List query parameters keep their names; empty values are dropped and unknown ones forwarded.",
		Golden:      []string{"list_query"}},
	{Name: "error-bodies", Tag: TagDerived, Routes: allRoutes,
		Description: "Errors become {success:false, error}: the API message plus its requestId; code only for the four legacy 400 codes; non-JSON bodies give their text (at most 1 KiB) or the reason phrase.",
		Lossy:       []string{objBody + ":error"},
		Golden:      []string{"error_404", "error_400_code", "error_400_other_code", "error_502_text", "error_503_empty"}},
	{Name: "delete-message", Tag: TagDerived, Routes: []string{RouteDelete},
		Description: "Delete answers with the fixed message \"Workflow run data has been successfully deleted.\".",
		Golden:      []string{"delete"}},
	{Name: "correct-outputs-removed", Tag: TagDerived, Routes: []string{RouteCorrectOutputs},
		Description: "Correcting a run's outputs was removed: the call is still validated (401, 400, 404 as before), then answered 410 Gone with a message pointing to human review; nothing is retried or faked.",
		Golden:      []string{"correct_outputs"}},
}
