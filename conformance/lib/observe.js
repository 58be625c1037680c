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
  const key = route(args.method, args.url);
  if (!key) return null;
  const where = `${side} ${args.method} ${new URL(args.url).pathname}`;
  let type;
  let body;
  if (res.ok) {
    type = (side === "legacy" ? LEGACY_OK : NEW_OK)[key];
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

/** validatingFetcher wraps the SDK's own fetcher so every workflow-run response is schema-checked into sink. */
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
