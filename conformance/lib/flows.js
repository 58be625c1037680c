"use strict";
// Shared test flows: waiting for runs, catching typed SDK errors, and auditing
// every upstream request the proxy sent against the new SDK's request types.

const assert = require("node:assert/strict");
const { poll } = require("./harness");
const { assertNew, assertLegacy } = require("./expect");

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
    if (seg[0] !== "workflow_runs") {
      problems.push(`${where}: unexpected upstream path`);
      continue;
    }
    const bodyIs = (type) => check(() => assertNew(type, r.Body));
    const noBody = () => check(() => assert.ok(r.Body === null || r.Body === undefined, "no body expected"));
    if (r.Method === "POST" && seg.length === 1) bodyIs("WorkflowRunsCreateRequest");
    else if (r.Method === "POST" && seg.length === 2 && seg[1] === "batch") bodyIs("WorkflowRunsCreateBatchRequest");
    else if (r.Method === "POST" && seg.length === 2) bodyIs("WorkflowRunsUpdateRequest");
    else if (r.Method === "POST" && seg.length === 3 && seg[2] === "cancel") noBody();
    else if ((r.Method === "GET" || r.Method === "DELETE") && seg.length <= 2) {
      noBody();
      if (seg.length === 1) {
        for (const k of new URLSearchParams(r.Query ?? "").keys()) {
          check(() => assert.ok(LIST_PARAMS.has(k), `list query parameter ${k} is not a WorkflowRunsListRequest field`));
        }
      }
    } else problems.push(`${where}: not a 2026-02-09 workflow-run endpoint`);
  }
  assert.deepEqual(problems, [], `upstream requests that violate the new SDK's request types:\n${problems.join("\n")}`);
}

/** upstreamCreates returns the recorded upstream create calls (POST /workflow_runs). */
function upstreamCreates(requests) {
  return requests.filter((r) => r.Method === "POST" && r.Path === "/workflow_runs");
}

module.exports = { waitLegacyFinal, waitSimFinal, rejects, expectLegacyErrorBody, auditUpstream, upstreamCreates, header, FINAL, DIRECT_HEADER };
