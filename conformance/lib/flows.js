"use strict";
// Shared test flows: waiting for runs, catching typed SDK errors, and auditing
// every upstream request the proxy sent against the new SDK's request types.

const assert = require("node:assert/strict");
const { poll } = require("./harness");
const { assertNew, assertLegacy } = require("./expect");
const { newValidators } = require("./schemas");

const FINAL = new Set(["PROCESSED", "FAILED", "CANCELLED", "NEEDS_REVIEW", "REJECTED"]);

/** waitLegacyFinal polls legacy get until the run is final; returns the last get response. */
function waitLegacyFinal(legacy, id, boundMs = 15000) {
  return poll(() => legacy.workflowRun.get(id), (r) => FINAL.has(r.workflowRun.status), { boundMs });
}

/** waitSimFinal polls the simulator (new SDK) until the run is final. */
function waitSimFinal(newSim, id, boundMs = 15000) {
  return poll(() => newSim.workflowRuns.retrieve(id), (r) => FINAL.has(r.status), { boundMs });
}

/**
 * rejects awaits p, requires it to fail with an error of class cls and the given
 * status, and returns the error (with its parsed body).
 */
async function rejects(p, cls, status, what) {
  let err;
  try {
    await p;
  } catch (e) {
    err = e;
  }
  assert.ok(err, `${what}: expected ${cls.name} ${status}, but the call succeeded`);
  assert.ok(err instanceof cls, `${what}: expected ${cls.name}, got ${err?.constructor?.name}: ${err?.message}`);
  assert.equal(err.statusCode, status, `${what}: status (body ${JSON.stringify(err.body)})`);
  return err;
}

/** expectLegacyErrorBody checks the legacy {success:false, error} envelope, strictly typed. */
function expectLegacyErrorBody(body, type = "Error_") {
  assert.equal(typeof body, "object", `error body must be JSON, got ${JSON.stringify(body)}`);
  assertLegacy(type, body);
  assert.equal(body.success, false, "error body success");
  assert.equal(typeof body.error, "string", "error body .error");
  assert.ok(body.error.length > 0, "error body .error must not be empty");
}

/** DIRECT_HEADER marks requests the suite sends straight to the simulator. */
const DIRECT_HEADER = "x-conformance-direct";

const LIST_PARAMS = new Set(["status", "workflowId", "batchId", "fileNameContains", "sortBy", "sortDir", "nextPageToken", "maxPageSize"]);

function header(h, name) {
  const k = Object.keys(h ?? {}).find((x) => x.toLowerCase() === name.toLowerCase());
  return k ? h[k] : undefined;
}

function isProbe(r) {
  return r.Method === "GET" && r.Path === "/" && !r.Query;
}

// Every 2026-02-09 endpoint the proxy may call, with the new SDK's request type
// for its body and for its query (a Fern request type holds both; header
// fields are never query keys). ":" matches one path segment; the first
// matching row wins, so literal segments come before ids.
const ID = ":";
const UPSTREAM = [
  ["POST", ["workflow_runs"], { body: "WorkflowRunsCreateRequest" }],
  ["GET", ["workflow_runs"], { listParams: LIST_PARAMS }],
  ["POST", ["workflow_runs", "batch"], { body: "WorkflowRunsCreateBatchRequest" }],
  ["GET", ["workflow_runs", ID], {}],
  ["DELETE", ["workflow_runs", ID], {}],
  ["POST", ["workflow_runs", ID], { body: "WorkflowRunsUpdateRequest" }],
  ["POST", ["workflow_runs", ID, "cancel"], {}],
  ["GET", ["files"], { query: "FilesListRequest" }],
  ["POST", ["files", "upload"], { upload: "FilesUploadRequest" }],
  ["GET", ["files", ID], { query: "FilesRetrieveRequest" }],
  ["DELETE", ["files", ID], {}],
  ["POST", ["parse"], { body: "ParseRequest", query: "ParseRequest" }],
  ["POST", ["parse_runs"], { body: "ParseRunsCreateRequest" }],
  ["GET", ["parse_runs", ID], { query: "ParseRunsRetrieveRequest" }],
  ["DELETE", ["parse_runs", ID], {}],
  ["GET", ["processor_runs"], { query: "ProcessorRunListRequest" }],
  ["POST", ["processor_runs"], { body: "ProcessorRunCreateRequest" }],
  ["GET", ["processor_runs", ID], {}],
  ["DELETE", ["processor_runs", ID], {}],
  ["POST", ["processor_runs", ID, "cancel"], {}],
  ["GET", ["batch_processor_runs", ID], {}],
  ["GET", ["processors"], { query: "ProcessorListRequest" }],
  ["POST", ["processors"], { body: "ProcessorCreateRequest" }],
  ["POST", ["processors", ID], { body: "ProcessorUpdateRequest" }],
  ["POST", ["processors", ID, "publish"], { body: "ProcessorVersionCreateRequest" }],
  ["GET", ["processors", ID, "versions"], {}],
  ["GET", ["processors", ID, "versions", ID], {}],
  ["GET", ["evaluation_sets"], { query: "EvaluationSetsListRequest" }],
  ["POST", ["evaluation_sets"], { body: "EvaluationSetsCreateRequest" }],
  ["GET", ["evaluation_sets", ID], {}],
  ["GET", ["evaluation_sets", ID, "items"], { query: "EvaluationSetItemsListRequest" }],
  ["POST", ["evaluation_sets", ID, "items"], { body: "EvaluationSetItemsCreateRequest" }],
  ["GET", ["evaluation_sets", ID, "items", ID], {}],
  ["POST", ["evaluation_sets", ID, "items", ID], { body: "EvaluationSetItemsUpdateRequest" }],
  ["DELETE", ["evaluation_sets", ID, "items", ID], {}],
  ["POST", ["workflows"], { body: "WorkflowsCreateRequest" }],
];

/** upstreamEndpoint returns the UPSTREAM row a recorded request matches, or undefined. */
function upstreamEndpoint(method, seg) {
  return UPSTREAM.find(([m, pat]) => m === method && pat.length === seg.length && pat.every((p, i) => p === ID || p === seg[i]));
}

// queryValue reads a query string value as the request type declares it: the
// first of string, number, boolean that validates.
function queryProblem(type, key, raw) {
  if (key.toLowerCase() === "x-extend-workspace-id") return `${key} is a header, not a query parameter`;
  const v = newValidators();
  const props = v.doc.definitions[type]?.properties ?? {};
  if (!(key in props)) return `query parameter ${key} is not a ${type} field`;
  const candidates = [raw, Number(raw), raw === "true" ? true : raw === "false" ? false : undefined];
  for (const c of candidates) {
    if (c === undefined || Number.isNaN(c)) continue;
    const errs = v.validate(type, { [key]: c }).filter((e) => !e.includes("must have required property"));
    if (!errs.length) return null;
  }
  return `query parameter ${key}=${raw} does not validate as ${type}.${key}`;
}

/** auditUpstream validates every recorded upstream request against the 2026-02-09 request types. */
function auditUpstream(all) {
  // Requests the tests sent straight to the simulator are tagged; they are not the proxy's.
  // The proxy's readiness probe (an unauthenticated body-less GET /, server/server.go) is not a
  // translated call; it is excluded here but must never carry credentials or a body.
  const probes = all.filter(isProbe);
  for (const p of probes) {
    assert.ok(!header(p.Header, "authorization") && !p.Body, `readiness probe must carry no credentials or body: ${JSON.stringify(p)}`);
  }
  const requests = all.filter((r) => !header(r.Header, DIRECT_HEADER) && !isProbe(r));
  assert.ok(requests.length > 0, "no upstream request was recorded");
  const problems = [];
  for (const r of requests) {
    const where = `${r.Method} ${r.Path}${r.Query ? `?${r.Query}` : ""}`;
    const check = (fn) => {
      try {
        fn();
      } catch (e) {
        problems.push(`${where}: ${e.message.split("\n+ actual - expected")[0].split("\n").slice(0, 8).join("\n")}`);
      }
    };
    check(() => assert.deepEqual(header(r.Header, "x-extend-api-version"), ["2026-02-09"], "x-extend-api-version"));
    // The suite's deliberate token-less call is the only one allowed to arrive without credentials.
    if (r.Status !== 401) check(() => assert.ok(header(r.Header, "authorization"), "Authorization forwarded"));
    // Segments of the path as sent: an encoded id ("a%2Fb") is one segment.
    const seg = (r.RawPath ?? r.Path).split("/").filter(Boolean);
    const ep = upstreamEndpoint(r.Method, seg);
    if (!ep) {
      problems.push(`${where}: not a 2026-02-09 endpoint the proxy may call`);
      continue;
    }
    const { body, query, listParams, upload } = ep[2];
    if (upload) {
      // The sim records a streamed upload as a summary of its multipart parts.
      check(() => assert.equal(r.Body?.multipart, true, "an upload is sent as multipart/form-data"));
      check(() => assertNew(upload, r.Body?.password ? { password: "x" } : {}));
    } else if (body) check(() => assertNew(body, r.Body));
    else check(() => assert.ok(r.Body === null || r.Body === undefined, "no body expected"));
    for (const k of new URLSearchParams(r.Query ?? "").keys()) {
      if (listParams) check(() => assert.ok(listParams.has(k), `list query parameter ${k} is not a WorkflowRunsListRequest field`));
      else if (!query) problems.push(`${where}: query parameter ${k} on an endpoint that takes none`);
      else {
        const bad = queryProblem(query, k, new URLSearchParams(r.Query).get(k));
        if (bad) problems.push(`${where}: ${bad}`);
      }
    }
  }
  assert.deepEqual(problems, [], `upstream requests that violate the new SDK's request types:\n${problems.join("\n")}`);
}

/** upstreamCreates returns the recorded upstream create calls (POST /workflow_runs). */
function upstreamCreates(requests) {
  return requests.filter((r) => r.Method === "POST" && r.Path === "/workflow_runs");
}

module.exports = { upstreamEndpoint, UPSTREAM, waitLegacyFinal, waitSimFinal, rejects, expectLegacyErrorBody, auditUpstream, upstreamCreates, header, FINAL, DIRECT_HEADER };
