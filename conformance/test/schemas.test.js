"use strict";
// Self-test of the schemas generated from the SDKs' .d.ts files: they accept
// well-typed bodies and reject the mistakes the suite must catch (extra keys,
// nulls, wrong types, closed-enum violations on the legacy side; open enums
// accepted on the new side).

const { test } = require("node:test");
const assert = require("node:assert/strict");
const { legacyValidators, newValidators } = require("../lib/schemas");

const file = { object: "file", id: "file_1", name: "a.pdf", type: "PDF", metadata: { pageCount: 1 }, createdAt: "2025-06-02T14:11:07.412Z", updatedAt: "2025-06-02T14:11:07.412Z" };
const legacyRun = () => ({
  object: "workflow_run", id: "workflow_run_1", name: "a.pdf", url: "https://dashboard.extend.ai/x", status: "PROCESSED",
  metadata: { k: null }, files: [file], initialRunAt: "2025-06-02T14:11:07.530Z", reviewed: false,
  outputs: [{
    object: "document_processor_run", id: "clr_1", processorId: "cl_1", processorVersionId: "clv_1", processorName: "C",
    status: "PROCESSED", output: { id: "invoice", type: "invoice", confidence: 0.9, insights: [{ type: "reasoning", content: "x" }] },
    reviewed: false, edited: false, edits: {}, type: "CLASSIFY",
    config: { type: "CLASSIFY", classifications: [{ id: "invoice", type: "invoice", description: "d" }] },
    files: [file], mergedProcessors: [], url: "https://dashboard.extend.ai/y",
  }],
  stepRuns: [
    { object: "workflow_step_run", id: "wsr_1", status: "PROCESSED", step: { object: "workflow_step", id: "s", name: "n", type: "RULE_VALIDATION" }, output: { rules: [{ name: "r", valid: true, validArray: ["true"] }] } },
    { object: "workflow_step_run", id: "wsr_2", status: "PROCESSED", step: { object: "workflow_step", id: "s2", name: "n2", type: "EXTERNAL_DATA_VALIDATION" }, output: { vendorKnown: true } },
  ],
  workflow: { object: "workflow", id: "workflow_1", version: "3", name: "W" },
});

test("legacy schemas: a well-typed get response validates", () => {
  const v = legacyValidators();
  assert.deepEqual(v.validate("WorkflowRunGetResponse", { success: true, workflowRun: legacyRun() }), []);
});

test("legacy schemas: ProcessorRun.output may be null, nothing else may", () => {
  const v = legacyValidators();
  const r = legacyRun();
  r.outputs[0].output = null;
  assert.deepEqual(v.validate("WorkflowRunGetResponse", { success: true, workflowRun: r }), []);
  const r2 = legacyRun();
  r2.batchId = null;
  assert.notDeepEqual(v.validate("WorkflowRunGetResponse", { success: true, workflowRun: r2 }), []);
});

test("legacy schemas: strict projection rejects undeclared keys, closed enums, wrong types", () => {
  const v = legacyValidators();
  const mutations = [
    (r) => { r.dashboardUrl = "x"; },
    (r) => { r.files[0].parentFileId = null; },
    (r) => { r.files[0].type = "ZIP"; },
    (r) => { r.status = "WAITING"; },
    (r) => { r.outputs[0].type = "SPLIT"; },
    (r) => { r.stepRuns[0].output.rules[0].validArray = [true]; },
    (r) => { r.workflow.createdAt = "2025-01-01T00:00:00Z"; },
    (r) => { delete r.initialRunAt; },
    (r) => { r.reviewed = "false"; },
  ];
  for (const m of mutations) {
    const r = legacyRun();
    m(r);
    assert.notDeepEqual(v.validate("WorkflowRunGetResponse", { success: true, workflowRun: r }), [], `accepted: ${m}`);
  }
  assert.notDeepEqual(v.validate("StepRunOutputStrict", { rules: [], allPassed: true }), []);
  assert.notDeepEqual(v.validate("Error_", { success: false, error: "x", code: "NOT_FOUND" }), []);
  assert.deepEqual(v.validate("BadRequestErrorBody", { success: false, error: "x", code: "CORRUPT_FILE" }), []);
});

test("new schemas: open enums accept unknown values; requests are strict", () => {
  const v = newValidators();
  const summary = {
    object: "workflow_run", id: "workflow_run_1", status: "SOMETHING_NEW", workflow: { object: "workflow", id: "workflow_1", name: "W" },
  };
  const errs = v.validate("WorkflowRunsListResponse", { object: "list", data: [summary] });
  assert.ok(!errs.some((e) => e.includes("/data/0/status")), `status must be an open enum: ${errs.join("\n")}`);
  assert.deepEqual(v.validate("WorkflowRunsCreateRequest", { workflow: { id: "workflow_1" }, file: { text: "t" } }), []);
  assert.notDeepEqual(v.validate("WorkflowRunsCreateRequest", { workflowId: "workflow_1" }), []);
  assert.notDeepEqual(v.validate("WorkflowRunsCreateRequest", { workflow: { id: "w" }, file: { fileUrl: "u" } }), []);
  assert.deepEqual(v.validate("WorkflowRunsCreateBatchRequest", { workflow: { id: "w" }, inputs: [{ file: { id: "file_1" } }] }), []);
  assert.deepEqual(v.validate("ApiError", { code: "NOT_FOUND", message: "m", retryable: false, requestId: "r" }), []);
});

test("validating fetcher: maps endpoints to their declared types and flags mismatches", () => {
  const { check } = require("../lib/observe");
  const u = (p) => `http://127.0.0.1:1${p}`;
  assert.match(check("legacy", { method: "GET", url: u("/workflow_runs") }, { ok: true, body: { object: "list", data: [] } }), /WorkflowRunListResponse/);
  assert.equal(check("legacy", { method: "GET", url: u("/workflow_runs") }, { ok: true, body: { success: true, workflowRuns: [] } }), null);
  assert.equal(check("legacy", { method: "DELETE", url: u("/workflow_runs/workflow_run_1") }, { ok: true, body: { success: true, workflowRunId: "workflow_run_1", message: "m" } }), null);
  assert.match(check("legacy", { method: "POST", url: u("/workflow_runs/batch") }, { ok: true, body: { batchId: "b" } }), /BatchWorkflowRunCreateResponse/);
  assert.match(
    check("legacy", { method: "GET", url: u("/workflow_runs/x") }, { ok: false, error: { reason: "status-code", statusCode: 404, body: { code: "NOT_FOUND", message: "m", retryable: false } } }),
    /Error_/,
  );
  assert.match(check("legacy", { method: "GET", url: u("/workflow_runs/x") }, { ok: false, error: { reason: "non-json", statusCode: 502, rawBody: "<html>" } }), /not JSON/);
  assert.equal(check("new", { method: "POST", url: u("/workflow_runs/batch") }, { ok: true, body: { batchId: "b" } }), null);
  assert.match(check("new", { method: "POST", url: u("/workflow_runs/x/cancel") }, { ok: true, body: { success: true } }), /WorkflowRun/);
});
