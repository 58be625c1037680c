"use strict";
// The simulator also serves the 2025-04-21 surface natively (sim/legacy.go, the
// reference side of shadow comparison). The real extend-ai@0.0.12 client pointed
// straight at it must get bodies that match its own declared types, just as it
// does through the proxy.

const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const { startStack, uid, Legacy, poll } = require("../lib/harness");
const { assertLegacy } = require("../lib/expect");
const { rejects, expectLegacyErrorBody, FINAL } = require("../lib/flows");
const { validatingFetcher } = require("../lib/observe");

const T = { timeout: 30000 };
let stack;
let sim; // legacy client straight at the simulator

// Bounded: a cold `go build` (when PROXY_BIN is unset) plus the 15 s health wait.
before(async () => {
  stack = await startStack();
  sim = new Legacy.ExtendClient({
    token: "test-token",
    baseUrl: stack.simUrl,
    headers: { "x-conformance-direct": "1" },
    fetcher: validatingFetcher("legacy", stack.violations),
  });
}, { timeout: 180000 });
after(async () => {
  await stack?.stop();
}, { timeout: 15000 });

test("legacy SDK straight at the simulator: every method's body matches the legacy types", T, () =>
  stack.guard(async () => {
    const wf = `workflow_invoice_${uid()}`;
    const created = await sim.workflowRun.create({
      workflowId: wf,
      files: [{ fileUrl: "https://f.example.org/s/one.pdf", fileName: "one.pdf" }, { fileId: "file_SimLegacy00000000" }],
      rawTexts: ["raw"],
      metadata: { k: 1 },
      priority: 5,
    });
    assertLegacy("WorkflowRunCreateResponse", created);
    assert.equal(created.workflowRuns.length, 3);
    const id = created.workflowRuns[0].id;
    const done = await poll(() => sim.workflowRun.get(id), (r) => FINAL.has(r.workflowRun.status));
    assertLegacy("WorkflowRunGetResponse", done);
    assert.deepEqual([...new Set(done.workflowRun.outputs.map((o) => o.type))].sort(), ["CLASSIFY", "EXTRACT", "SPLITTER"]);

    const p1 = await sim.workflowRun.list({ workflowId: wf, maxPageSize: 2, sortBy: "createdAt", sortDir: "asc" });
    assertLegacy("WorkflowRunListResponse", p1);
    const p2 = await sim.workflowRun.list({ workflowId: wf, maxPageSize: 2, sortBy: "createdAt", sortDir: "asc", nextPageToken: p1.nextPageToken });
    assertLegacy("WorkflowRunListResponse", p2);
    assert.equal(p1.workflowRuns.length + p2.workflowRuns.length, 3);

    const upd = await sim.workflowRun.update(id, { name: "n", metadata: { j: 2 } });
    assertLegacy("WorkflowRunUpdateResponse", upd);
    assert.deepEqual(upd.workflowRun.metadata, { k: 1, j: 2 });

    const slow = (await sim.workflowRun.create({ workflowId: `workflow_${uid()}_slow`, rawTexts: ["s"] })).workflowRuns[0];
    const cancelled = await sim.workflowRun.cancel(slow.id);
    assertLegacy("WorkflowRunCancelResponse", cancelled);

    const batch = await sim.batchWorkflowRun.create({ workflowId: wf, inputs: [{ rawText: "b1" }, { file: { fileUrl: "https://f.example.org/b2.pdf" } }] });
    assertLegacy("BatchWorkflowRunCreateResponse", batch);

    const del = await sim.workflowRun.delete(id);
    assertLegacy("WorkflowRunDeleteResponse", del);
    expectLegacyErrorBody((await rejects(sim.workflowRun.get(id), Legacy.Extend.NotFoundError, 404, "get deleted")).body);
    const bad = await rejects(
      sim.workflowRun.create({ workflowId: `workflow_${uid()}_badcreate`, rawTexts: ["x"] }),
      Legacy.Extend.BadRequestError, 400, "_badcreate",
    );
    expectLegacyErrorBody(bad.body, "BadRequestErrorBody");
  }),
);

test("legacy SDK straight at the simulator: scripted outcomes validate", T, () =>
  stack.guard(async () => {
    const want = { _fail: "FAILED", _review: "NEEDS_REVIEW", _reviewed: "PROCESSED", _reject: "REJECTED" };
    await Promise.all(Object.entries(want).map(async ([suffix, status]) => {
      const run = (await sim.workflowRun.create({ workflowId: `workflow_${uid()}${suffix}`, rawTexts: [suffix] })).workflowRuns[0];
      const done = await poll(() => sim.workflowRun.get(run.id), (r) => FINAL.has(r.workflowRun.status));
      assertLegacy("WorkflowRunGetResponse", done);
      assert.equal(done.workflowRun.status, status, suffix);
    }));
  }),
);
