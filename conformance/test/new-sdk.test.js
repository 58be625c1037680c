"use strict";
// The real extend-ai@1.17.0 client from the other side: pointed straight at the
// simulator (every response validates against the new SDK's declared types),
// and pointed at the proxy with x-extend-api-version 2026-02-09 (pass-through,
// unchanged).

const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const { startStack, uid, New } = require("../lib/harness");
const { assertNew } = require("../lib/expect");
const { rejects, auditUpstream, header } = require("../lib/flows");

const T = { timeout: 30000 };
let stack;

// Bounded: a cold `go build` (when PROXY_BIN is unset) plus the 15 s health wait.
before(async () => {
  stack = await startStack();
}, { timeout: 180000 });
after(async () => {
  await stack?.stop();
}, { timeout: 15000 });

const POLL = { maxWaitMs: 15000, initialDelayMs: 100, maxDelayMs: 300, jitterFraction: 0 };

// lifecycle exercises every workflow-run method of the new SDK through client c.
async function lifecycle(c, label) {
  const wf = `workflow_invoice_${uid()}`;
  const created = await c.workflowRuns.create({
    workflow: { id: wf, version: "4" },
    file: { url: "https://f.example.org/new/inv-1.pdf", name: "inv-1.pdf" },
    metadata: { src: label },
    priority: 10,
  });
  assertNew("WorkflowRun", created);
  assert.equal(created.workflow.id, wf);
  assert.equal(created.workflowVersion.version, "4");
  assert.deepEqual(created.metadata, { src: label });

  const done = await c.workflowRuns.createAndPoll(
    { workflow: { id: wf }, file: { text: "Invoice #1\nTotal 10 USD" } },
    POLL,
  );
  assertNew("WorkflowRun", done);
  assert.equal(done.status, "PROCESSED");
  const types = done.stepRuns.map((s) => s.stepType);
  for (const t of ["PARSE", "CLASSIFY", "SPLIT", "EXTRACT", "MERGE_EXTRACT", "CONDITIONAL_EXTRACT", "RULE_VALIDATION", "EXTERNAL_DATA_VALIDATION"]) {
    assert.ok(types.includes(t), `${label}: step type ${t} present in ${types}`);
  }

  const got = await c.workflowRuns.retrieve(created.id);
  assertNew("WorkflowRun", got);
  assert.equal(got.id, created.id);

  const upd = await c.workflowRuns.update(created.id, { name: "ignored", metadata: { extra: 1 } });
  assertNew("WorkflowRun", upd);
  assert.deepEqual(upd.metadata, { src: label, extra: 1 });
  assert.ok(!("name" in upd), "name is accepted but never returned");

  const page1 = await c.workflowRuns.list({ workflowId: wf, maxPageSize: 1, sortBy: "createdAt", sortDir: "asc" });
  assertNew("WorkflowRunsListResponse", page1);
  assert.equal(page1.object, "list");
  assert.equal(page1.data.length, 1);
  assert.equal(page1.data[0].id, created.id);
  const page2 = await c.workflowRuns.list({ workflowId: wf, maxPageSize: 1, sortBy: "createdAt", sortDir: "asc", nextPageToken: page1.nextPageToken });
  assertNew("WorkflowRunsListResponse", page2);
  assert.equal(page2.data[0].id, done.id);
  assert.ok(!page2.nextPageToken, "no further page");

  const slow = await c.workflowRuns.create({ workflow: { id: `workflow_${uid()}_slow` }, file: { id: "file_Abc123" } });
  const cancelled = await c.workflowRuns.cancel(slow.id);
  assertNew("WorkflowRun", cancelled);
  assert.equal(cancelled.status, "CANCELLED");
  assert.equal(cancelled.files[0].name, "file_Abc123.pdf");

  const batch = await c.workflowRuns.createBatch({
    workflow: { id: wf },
    inputs: [{ file: { url: "https://f.example.org/b1.csv" }, metadata: { i: 1 } }, { file: { text: "two" } }],
  });
  assertNew("WorkflowRunsCreateBatchResponse", batch);
  const inBatch = await c.workflowRuns.list({ batchId: batch.batchId });
  assertNew("WorkflowRunsListResponse", inBatch);
  assert.equal(inBatch.data.length, 2);
  for (const s of inBatch.data) {
    const r = await c.workflowRuns.retrieve(s.id);
    assertNew("WorkflowRun", r);
    assert.equal(r.batchId, batch.batchId);
  }

  const del = await c.workflowRuns.delete(created.id);
  assertNew("WorkflowRunsDeleteResponse", del);
  assert.deepEqual(del, { id: created.id });
  const nf = await rejects(c.workflowRuns.retrieve(created.id), New.Extend.NotFoundError, 404, `${label} retrieve deleted`);
  assertNew("ApiError", nf.body);

  const bad = await rejects(
    c.workflowRuns.create({ workflow: { id: `workflow_${uid()}_badcreate` }, file: { url: "https://f.example.org/x.pdf" } }),
    New.Extend.BadRequestError, 400, `${label} _badcreate`,
  );
  assertNew("ApiError", bad.body);
  assert.equal(bad.body.code, "INVALID_REQUEST");
  return { created, done };
}

test("new SDK straight at the simulator: create, poll, retrieve, list, update, cancel, delete, batch", T, () =>
  stack.guard(async () => {
    await lifecycle(stack.simClient(), "sim");
  }),
);

test("simulator responses validate at every stage and for every scripted outcome", T, () =>
  stack.guard(async () => {
    const c = stack.newSim;
    const created = await c.workflowRuns.create({ workflow: { id: `workflow_${uid()}` }, file: { url: "https://f.example.org/stages.pdf" } });
    const seen = new Set();
    for (let run = created; ; ) {
      assertNew("WorkflowRun", run);
      seen.add(`${run.status}/${run.stepRuns.length}`);
      if (run.status === "PROCESSED") break;
      assert.ok(["PENDING", "PROCESSING"].includes(run.status), `unexpected status ${run.status}`);
      await new Promise((r) => setTimeout(r, 50));
      run = await c.workflowRuns.retrieve(created.id);
    }
    assert.ok(seen.size >= 2, `observed several stages: ${[...seen]}`);
    const outcomes = { _fail: "FAILED", _review: "NEEDS_REVIEW", _reviewed: "PROCESSED", _reject: "REJECTED" };
    await Promise.all(Object.entries(outcomes).map(async ([suffix, status]) => {
      const wf = `workflow_${uid()}${suffix}`;
      const run = await c.workflowRuns.createAndPoll({ workflow: { id: wf }, file: { text: suffix } }, POLL);
      assertNew("WorkflowRun", run);
      assert.equal(run.status, status, suffix);
      const list = await c.workflowRuns.list({ workflowId: wf });
      assertNew("WorkflowRunsListResponse", list);
      assert.deepEqual(list.data.map((r) => r.id), [run.id]);
    }));
    const all = await c.workflowRuns.list({ maxPageSize: 100 });
    assertNew("WorkflowRunsListResponse", all);
    for (const status of ["FAILED", "NEEDS_REVIEW", "REJECTED", "PROCESSED"]) {
      const l = await c.workflowRuns.list({ status });
      assertNew("WorkflowRunsListResponse", l);
      assert.ok(l.data.every((r) => r.status === status), `status filter ${status}`);
    }
  }),
);

test("simulator rejects malformed new requests with ApiError 400", T, () =>
  stack.guard(async () => {
    const c = stack.newSim;
    const cases = {
      "no workflow": {},
      "file and package": { workflow: { id: "workflow_x" }, file: { id: "file_1" }, package: { files: [{ id: "file_1" }, { id: "file_2" }] } },
      "neither file nor package": { workflow: { id: "workflow_x" } },
      "file with a non-string url": { workflow: { id: "workflow_x" }, file: { url: 1 } },
      "metadata over 10 KB": { workflow: { id: "workflow_x" }, file: { text: "t" }, metadata: { big: "x".repeat(11 * 1024) } },
      "outputs not an array": { workflow: { id: "workflow_x" }, file: { text: "t" }, outputs: { processorId: "ex_1" } },
    };
    for (const [what, body] of Object.entries(cases)) {
      const e = await rejects(c.workflowRuns.create(body), New.Extend.BadRequestError, 400, what);
      assertNew("ApiError", e.body);
    }
    const e = await rejects(c.workflowRuns.createBatch({ workflow: { id: "workflow_x" }, inputs: [] }), New.Extend.BadRequestError, 400, "empty batch");
    assertNew("ApiError", e.body);
    const many = Array.from({ length: 1001 }, (_, i) => ({ file: { text: `t${i}` } }));
    assertNew("ApiError", (await rejects(c.workflowRuns.createBatch({ workflow: { id: "workflow_x" }, inputs: many }), New.Extend.BadRequestError, 400, "1001 inputs")).body);
    for (const q of [{ maxPageSize: 0 }, { maxPageSize: 101 }, { nextPageToken: "%%%" }]) {
      assertNew("ApiError", (await rejects(c.workflowRuns.list(q), New.Extend.BadRequestError, 400, `list ${JSON.stringify(q)}`)).body);
    }
    const wf = `workflow_tok_${uid()}`;
    await c.workflowRuns.createBatch({ workflow: { id: wf }, inputs: [{ file: { text: "1" } }, { file: { text: "2" } }] });
    const p1 = await c.workflowRuns.list({ workflowId: wf, maxPageSize: 1 });
    assert.ok(p1.nextPageToken, "a second page exists");
    const mismatch = await rejects(
      c.workflowRuns.list({ workflowId: `${wf}_other`, maxPageSize: 1, nextPageToken: p1.nextPageToken }),
      New.Extend.BadRequestError, 400, "token used with other filters",
    );
    assertNew("ApiError", mismatch.body);
    const nf = await rejects(c.workflowRuns.update("workflow_run_nope", { metadata: {} }), New.Extend.NotFoundError, 404, "update unknown");
    assertNew("ApiError", nf.body);
    const direct = { "x-conformance-direct": "1" };
    const noAuth = new New.ExtendClient({ token: "", baseUrl: stack.simUrl, maxRetries: 0, headers: direct });
    await rejects(noAuth.workflowRuns.list(), New.Extend.UnauthorizedError, 401, "no token").catch(async (err) => {
      // The SDK may refuse an empty token before sending; a raw request proves the sim's 401.
      const r = await fetch(`${stack.simUrl}/workflow_runs`, { headers: { ...direct, "x-extend-api-version": "2026-02-09" } });
      assert.equal(r.status, 401, `sim without Authorization (${err.message.split("\n")[0]})`);
      assertNew("ApiError", await r.json());
    });
  }),
);

test("new SDK pointed at the proxy (x-extend-api-version 2026-02-09) works unchanged", T, () =>
  stack.guard(async () => {
    await stack.resetRequests();
    const { created } = await lifecycle(stack.newProxy, "proxy");
    const seen = await stack.requests();
    assert.ok(seen.length > 0, "requests reached the simulator");
    for (const r of seen) {
      assert.deepEqual(header(r.Header, "x-extend-api-version"), ["2026-02-09"], `${r.Method} ${r.Path} version header`);
    }
    const [first] = seen.filter((r) => r.Method === "POST" && r.Path === "/workflow_runs");
    assert.deepEqual(first.Body, {
      workflow: { id: created.workflow.id, version: "4" },
      file: { url: "https://f.example.org/new/inv-1.pdf", name: "inv-1.pdf" },
      metadata: { src: "proxy" },
      priority: 10,
    }, "body forwarded unchanged");
    const viaProxy = await stack.newProxy.workflowRuns.list({ maxPageSize: 5 });
    const direct = await stack.newSim.workflowRuns.list({ maxPageSize: 5 });
    assert.deepEqual(viaProxy, direct, "list through the proxy = list from the sim");
    const some = direct.data.find((r) => r.status === "PROCESSED");
    if (some) assert.deepEqual(await stack.newProxy.workflowRuns.retrieve(some.id), await stack.newSim.workflowRuns.retrieve(some.id));
    const raw = await fetch(`${stack.proxyUrl}/workflow_runs/${created.id}`, {
      headers: { authorization: "Bearer test-token", "x-extend-api-version": "2026-02-09" },
    });
    assert.equal(raw.status, 404);
    assertNew("ApiError", await raw.json());
  }),
);

test("pass-through keeps upstream errors as they are: 429 with Retry-After, 500 ApiError", T, () =>
  stack.guard(async () => {
    const file = { url: "https://f.example.org/e.pdf" };
    const rl = await rejects(
      stack.newProxy.workflowRuns.create({ workflow: { id: `workflow_${uid()}_err429_1` }, file }),
      New.Extend.TooManyRequestsError, 429, "429 through the proxy",
    );
    assertNew("ApiError", rl.body);
    assert.equal(rl.rawResponse?.headers?.get("retry-after"), "1");
    const ise = await rejects(
      stack.newProxy.workflowRuns.create({ workflow: { id: `workflow_${uid()}_err5xx_1` }, file }),
      New.Extend.InternalServerError, 500, "500 through the proxy",
    );
    assertNew("ApiError", ise.body);
    assert.equal(ise.body.retryable, true);
  }),
);

test("every request the proxy forwarded validates against the new SDK's request types", T, () =>
  stack.guard(async () => auditUpstream(await stack.allRequests())),
);
