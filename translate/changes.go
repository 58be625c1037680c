package translate

// Change is one breaking change between 2025-04-21 and 2026-02-09 that this
// package absorbs, kept as data (Cadwyn style) so a changelog or the README's
// compatibility notes can be generated from it and tests can check it.
type Change struct {
	Name        string // short identifier
	Description string // what a legacy client sees, in user-facing words
	Tag         string // direct, derived, lossy or silent (mapping.md's tags)
}

// Change tags, as defined at the top of mapping.md.
const (
	TagDirect  = "direct"
	TagDerived = "derived"
	TagLossy   = "lossy"
	TagSilent  = "silent"
)

// Changes lists every rule group the transforms implement, one entry each.
var Changes = []Change{
	{"create-fan-out", "A create with several files or raw texts becomes one upstream run per input (files first, then raw texts); the response lists the runs in input order.", TagDerived},
	{"create-validation", "Create requests are validated before any run is started (workflowId, files or rawTexts, at most 50 files, fileUrl or fileId, JSON types), so a bad request never creates some of its runs.", TagDirect},
	{"raw-texts-not-counted", "rawTexts do not count toward the 50-file limit (configurable).", TagSilent},
	{"workflow-version-latest", `A workflow version of "latest" or "" is sent as no version, which runs the latest published version or the draft.`, TagSilent},
	{"file-id-wins", "When a file has both fileId and fileUrl, the fileId is used and the URL ignored; a file given by id loses its fileName.", TagLossy},
	{"provided-outputs", "Predetermined outputs are converted to the new shapes: classifier confidence, split id/observation/identifier and fields-array type/confidence/page are dropped; a fields-array output becomes {value:{field: value}}.", TagLossy},
	{"fields-array-missing-value", "A fields-array entry without a value is sent as null, so the schema-shaped value keeps every field.", TagSilent},
	{"processor-ids", "Processor ids are passed through (ex_/cl_/spl_ instead of dp_); an optional alias table maps legacy ids forward and new ids back.", TagSilent},
	{"unknown-request-fields", "Unknown request fields are ignored and reported (or refused with 400 when configured).", TagSilent},
	{"null-as-absent", "A null optional request field is treated as not sent.", TagSilent},
	{"batch-request", "Batch inputs keep file, metadata and secrets; rawText becomes a text file; when both file and rawText are sent, file wins; no priority is sent (90 in both versions).", TagSilent},
	{"update-name-echo", "The run name can still be set, but the new API never returns it: the update response echoes the name sent, other responses use the first file's name.", TagLossy},
	{"envelopes", "Responses get back success:true and their legacy wrappers (workflowRun, workflowRuns, workflowRunId/message for delete, batchId for batch).", TagDerived},
	{"no-nulls", "Null values are left out instead of being sent as null; a processor run's output is the one exception and stays null until it is processed.", TagDirect},
	{"strict-projection", "Only the fields the 2025-04-21 types declare are returned; fields new in 2026-02-09 are dropped.", TagDirect},
	{"url-from-dashboard-url", "url is the new dashboardUrl, whose format differs from the legacy dashboard link.", TagDirect},
	{"initial-run-at", "initialRunAt, null upstream until a run starts, falls back to startTime, the time the proxy received the create, the file's createdAt, then the current time.", TagLossy},
	{"reviewed-by", "reviewedBy is read from the new reviewedByUser.", TagDirect},
	{"workflow-version", "workflow.version comes from the new workflowVersion.version.", TagDerived},
	{"usage-credits", "usage keeps only credits; totalCredits and breakdown are dropped, and per-file parsing credits are no longer available.", TagLossy},
	{"file-projection", "Files lose presignedUrl, contents and usage; a file type outside PDF/CSV/IMG/TXT/DOCX/EXCEL/XML/HTML is left out; metadata keeps pageCount and parentSplit.", TagLossy},
	{"outputs-from-step-runs", "outputs are rebuilt from step runs in step order: extract, merge-extract and conditional-extract become EXTRACT, classify CLASSIFY, split SPLITTER; parse and unknown steps are dropped.", TagDerived},
	{"processor-run-fields", "Processor runs from inline configs have empty processorId/processorVersionId and the step's name; merged extractors become mergedProcessors; edits without a value are dropped.", TagLossy},
	{"initial-output", "initialOutput is the run's output when it was not reviewed (the new API fills initialOutput only after review).", TagDerived},
	{"extract-output-metadata", "Citation pages become page numbers; citation fileId, reviewAgentScore and insights other than reasoning are dropped.", TagLossy},
	{"config-conversion", "Processor configs get their type tag; parseConfig becomes parser (agenticOcrEnabled from the agentic text option); new-only options and enum values legacy does not know are dropped; splitMethod basic_precision becomes low_latency.", TagLossy},
	{"validation-step-runs", "stepRuns keep only rule and external-data validation steps; WAITING becomes PENDING; allPassed and the external endpoint's HTTP status are dropped.", TagLossy},
	{"valid-array-strings", `Rule validArray booleans are sent as "true"/"false" strings, as the legacy type declares (configurable).`, TagSilent},
	{"open-enums", "Values outside a legacy closed enum are dropped when the field is optional and passed through when it is required.", TagDirect},
	{"list-summaries", "List items are rebuilt as legacy summaries (workflowId, workflowName, workflowVersionId); the page token is passed through both ways.", TagDerived},
	{"list-query", "List query parameters keep their names; empty values are dropped and unknown ones forwarded.", TagDirect},
	{"error-bodies", "Errors become {success:false, error}: the API message plus its requestId; code only for the four legacy 400 codes; non-JSON bodies give their text (at most 1 KiB) or the reason phrase.", TagDerived},
	{"delete-message", "Delete answers with the fixed message \"Workflow run data has been successfully deleted.\".", TagDerived},
}
