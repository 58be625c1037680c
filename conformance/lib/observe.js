"use strict";
// Validating fetchers: every response either SDK receives during the suite is
// checked against the type that SDK declares for that endpoint, without the
// tests having to remember to do it. Violations are collected and asserted
// after each test (Stack.guard).

const legacyCore = require("extend-legacy/core");
const newCore = require("extend-new/core");
const { legacyValidators, newValidators } = require("./schemas");

// route classifies a workflow-run URL path into an endpoint key.
function route(method, url) {
  const seg = new URL(url).pathname.split("/").filter(Boolean);
  if (seg[0] !== "workflow_runs") return null;
  if (seg.length === 1) return method === "POST" ? "create" : method === "GET" ? "list" : null;
  if (seg.length === 2 && seg[1] === "batch" && method === "POST") return "batch";
  if (seg.length === 2) return { GET: "get", POST: "update", DELETE: "delete" }[method] ?? null;
  if (seg.length === 3 && seg[2] === "cancel" && method === "POST") return "cancel";
  if (seg.length === 4 && seg[2] === "outputs" && method === "POST") return "outputs";
  return null;
}

// The rest of the legacy surface: "METHOD /path" (":" = one id segment) → the 0.0.12 response type.
const LEGACY_SURFACE = {
  "GET /files": "FileListResponse",
  "POST /files/upload": "FileUploadResponse",
  "GET /files/:": "FileGetResponse",
  "DELETE /files/:": "FileDeleteResponse",
  "POST /parse": "ParserRun",
  "POST /parse/async": "ParserRunStatus",
  "GET /parser_runs/:": "ParserRunGetResponse",
  "DELETE /parser_runs/:": "ParserRunDeleteResponse",
  "GET /processor_runs": "ProcessorRunListResponse",
  "POST /processor_runs": "ProcessorRunCreateResponse",
  "GET /processor_runs/:": "ProcessorRunGetResponse",
  "DELETE /processor_runs/:": "ProcessorRunDeleteResponse",
  "POST /processor_runs/:/cancel": "ProcessorRunCancelResponse",
  "GET /batch_processor_runs/:": "BatchProcessorRunGetResponse",
  "GET /processors": "ListProcessorsResponse",
  "POST /processors": "ProcessorCreateResponse",
  "POST /processors/:": "ProcessorUpdateResponse",
  "GET /processors/:/versions": "ProcessorVersionListResponse",
  "GET /processors/:/versions/:": "ProcessorVersionGetResponse",
  "POST /processors/:/publish": "ProcessorVersionCreateResponse",
  "POST /workflows": "WorkflowCreateResponse",
  "GET /evaluation_sets": "EvaluationSetListResponse",
  "POST /evaluation_sets": "EvaluationSetCreateResponse",
  "GET /evaluation_sets/:": "EvaluationSetGetResponse",
  "GET /evaluation_sets/:/items": "EvaluationSetItemListResponse",
  "POST /evaluation_set_items": "EvaluationSetItemCreateResponse",
  "POST /evaluation_set_items/bulk": "EvaluationSetItemCreateBatchResponse",
  "POST /evaluation_set_items/:": "EvaluationSetItemUpdateResponse",
  "DELETE /evaluation_set_items/:": "EvaluationSetItemDeleteResponse",
};

// surfaceType returns the legacy response type of a surface call, or undefined.
function surfaceType(method, url) {
  const seg = new URL(url).pathname.split("/").filter(Boolean);
  const literal = LEGACY_SURFACE[`${method} /${seg.join("/")}`];
  if (literal) return literal;
  // Literal segments win ("bulk", "upload"); otherwise the second and fourth segments are ids.
  const shaped = seg.map((s, i) => (i % 2 === 1 ? ":" : s));
  return LEGACY_SURFACE[`${method} /${shaped.join("/")}`];
}

const LEGACY_OK = {
  create: "WorkflowRunCreateResponse",
  list: "WorkflowRunListResponse",
  get: "WorkflowRunGetResponse",
  update: "WorkflowRunUpdateResponse",
  delete: "WorkflowRunDeleteResponse",
  cancel: "WorkflowRunCancelResponse",
  batch: "BatchWorkflowRunCreateResponse",
  outputs: "WorkflowRunOutputUpdateResponse",
};

const NEW_OK = {
  create: "WorkflowRun",
  list: "WorkflowRunsListResponse",
  get: "WorkflowRun",
  update: "WorkflowRun",
  delete: "WorkflowRunsDeleteResponse",
  cancel: "WorkflowRun",
  batch: "WorkflowRunsCreateBatchResponse",
};

// check validates one exchange and returns a violation string, or null.
function check(side, args, res) {
  const surface = side === "legacy" ? surfaceType(args.method, args.url) : undefined;
  const key = surface ? "surface" : route(args.method, args.url);
  if (!key) return null;
  const where = `${side} ${args.method} ${new URL(args.url).pathname}`;
  let type;
  let body;
  if (res.ok) {
    type = surface ?? (side === "legacy" ? LEGACY_OK : NEW_OK)[key];
    body = res.body;
  } else if (res.error.reason === "status-code") {
    type = side === "legacy" ? (res.error.statusCode === 400 ? "BadRequestErrorBody" : "Error_") : "ApiError";
    body = res.error.body;
  } else if (res.error.reason === "non-json") {
    return `${where}: ${res.error.statusCode} error body is not JSON: ${String(res.error.rawBody).slice(0, 200)}`;
  } else {
    return null; // timeouts and transport errors are the tests' business
  }
  if (!type) return `${where}: no declared response type`;
  const errs = (side === "legacy" ? legacyValidators() : newValidators()).validate(type, body);
  return errs.length ? `${where} (${res.ok ? 200 : res.error.statusCode}) violates ${type}:\n  ${errs.slice(0, 10).join("\n  ")}` : null;
}

/** validatingFetcher wraps the SDK's own fetcher so every workflow-run response (and, for the legacy SDK, every response of the rest of its surface) is schema-checked into sink. */
function validatingFetcher(side, sink) {
  const base = side === "legacy" ? legacyCore.fetcher : newCore.fetcher;
  return async (args) => {
    const res = await base(args);
    const v = check(side, args, res);
    if (v) sink.push(v);
    return res;
  };
}

module.exports = { validatingFetcher, check };
