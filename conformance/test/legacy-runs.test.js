"use strict";
// The real extend-ai@0.0.12 client, pointed at the proxy: get, list (filters,
// sort, two pages), update, delete, cancel, batch, the removed correct-outputs
// endpoint, scripted final states and errors for unknown ids.

const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const { startStack, uid, Legacy, poll } = require("../lib/harness");
const { assertLegacy, assertNew, expectLegacyRun, expectLegacySummary } = require("../lib/expect");
const { waitLegacyFinal, waitSimFinal, rejects, expectLegacyErrorBody, auditUpstream } = require("../lib/flows");

const T = { timeout: 30000 };
let stack;

// Bounded: a cold `go build` (when PROXY_BIN is unset) plus the 15 s health wait.
before(async () => {
  stack = await startStack();
}, { timeout: 180000 });
after(async () => {
  await stack?.stop();
}, { timeout: 15000 });

async function createOne(workflowId, fileName = "doc.pdf", extra = {}) {
  const res = await stack.legacy.workflowRun.create({ workflowId, files: [{ fileUrl: `https://f.example.org/${fileName}`, fileName }], ...extra });
  return res.workflowRuns[0];
}

test("get: final runs for scripted outcomes match the simulator field by field", T, () =>
  stack.guard(async () => {
    const cases = {
      _fail: "FAILED", _review: "NEEDS_REVIEW", _reviewed: "PROCESSED", _reject: "REJECTED", "": "PROCESSED",
    };
    const ids = {};
    for (const suffix of Object.keys(cases)) ids[suffix] = (await createOne(`workflow_${uid()}${suffix}`, `s${suffix || "_ok"}.pdf`)).id;
    for (const [suffix, status] of Object.entries(cases)) {
      const got = await waitLegacyFinal(stack.legacy, ids[suffix]);
      assertLegacy("WorkflowRunGetResponse", got);
      const run = got.workflowRun;
      assert.equal(run.status, status, `${suffix} status`);
      const sim = await stack.newSim.workflowRuns.retrieve(run.id);
      assertNew("WorkflowRun", sim);
      expectLegacyRun(run, sim);
      if (suffix === "_fail") {
        assert.ok(run.failureReason && run.failureMessage, "failureReason/failureMessage");
        assert.ok(run.outputs.some((o) => o.status === "FAILED" && o.output === null), "failed extract has output null");
      }
      if (suffix === "_reviewed") {
        assert.equal(run.reviewed, true);
        assert.ok(run.reviewedBy && run.reviewedAt, "reviewedBy/reviewedAt");
        assert.ok(run.outputs.some((o) => o.reviewed && o.reviewedOutput && o.initialOutput), "reviewed extract output");
      }
      if (suffix === "_reject") assert.ok(run.rejectionNote, "rejectionNote");
    }
  }),
);

test("get: a package run and an untyped file, created with the new SDK, read through the legacy client", T, () =>
  stack.guard(async () => {
    const pkg = await stack.newSim.workflowRuns.create({
      workflow: { id: `workflow_pkg_${uid()}` },
      package: { files: [{ url: "https://f.example.org/p/one.pdf" }, { id: "file_PkgTwo0000000000" }, { url: "https://f.example.org/p/three.zip" }] },
    });
    const zip = await createOne(`workflow_zip_${uid()}`, "archive.zip");
    for (const id of [pkg.id, zip.id]) {
      const got = await waitLegacyFinal(stack.legacy, id);
      assertLegacy("WorkflowRunGetResponse", got);
      const sim = await stack.newSim.workflowRuns.retrieve(id);
      expectLegacyRun(got.workflowRun, sim);
    }
    const z = (await stack.legacy.workflowRun.get(zip.id)).workflowRun;
    assert.ok(!("type" in z.files[0]), "a file type outside the legacy enum is left out");
    const p = (await stack.legacy.workflowRun.get(pkg.id)).workflowRun;
    assert.equal(p.files.length, 3);
    assert.equal(p.name, "one.pdf");
  }),
);

test("list: filters, sort and two pages", T, () =>
  stack.guard(async () => {
    const wf = `workflow_list_${uid()}`;
    const created = await stack.legacy.workflowRun.create({
      workflowId: wf,
      files: ["alpha-1.pdf", "beta-2.pdf", "alpha-3.pdf"].map((n) => ({ fileUrl: `https://f.example.org/${n}`, fileName: n })),
    });
    const failed = await createOne(`${wf}_fail`, "alpha-failed.pdf");
    for (const r of [...created.workflowRuns, failed]) await waitSimFinal(stack.newSim, r.id);

    const query = { workflowId: wf, sortBy: "createdAt", sortDir: "asc", maxPageSize: 2 };
    await stack.resetRequests();
    const p1 = await stack.legacy.workflowRun.list(query);
    assertLegacy("WorkflowRunListResponse", p1);
    assert.equal(p1.success, true);
    assert.equal(p1.workflowRuns.length, 2);
    assert.equal(typeof p1.nextPageToken, "string", "first page has a nextPageToken");
    const p2 = await stack.legacy.workflowRun.list({ ...query, nextPageToken: p1.nextPageToken });
    assertLegacy("WorkflowRunListResponse", p2);
    assert.equal(p2.workflowRuns.length, 1);
    assert.ok(!("nextPageToken" in p2), "last page has no nextPageToken");

    const s1 = await stack.newSim.workflowRuns.list(query);
    const s2 = await stack.newSim.workflowRuns.list({ ...query, nextPageToken: s1.nextPageToken });
    const simAll = [...s1.data, ...s2.data];
    const legacyAll = [...p1.workflowRuns, ...p2.workflowRuns];
    assert.deepEqual(legacyAll.map((r) => r.id), simAll.map((r) => r.id), "same runs in the same order as the sim");
    assert.deepEqual(new Set(legacyAll.map((r) => r.id)), new Set(created.workflowRuns.map((r) => r.id)));
    legacyAll.forEach((r, i) => expectLegacySummary(r, simAll[i]));
    const times = legacyAll.map((r) => Date.parse(r.createdAt));
    assert.deepEqual(times, [...times].sort((a, b) => a - b), "ascending createdAt");

    const lists = (await stack.requests()).filter((r) => r.Method === "GET" && r.Path === "/workflow_runs");
    assert.equal(lists.length, 2);
    const q = new URLSearchParams(lists[1].Query);
    assert.equal(q.get("workflowId"), wf);
    assert.equal(q.get("nextPageToken"), p1.nextPageToken, "page token passed through unchanged");
    assert.equal(q.get("maxPageSize"), "2");

    const desc = await stack.legacy.workflowRun.list({ workflowId: wf, sortBy: "updatedAt", sortDir: "desc" });
    const sdesc = await stack.newSim.workflowRuns.list({ workflowId: wf, sortBy: "updatedAt", sortDir: "desc" });
    assert.deepEqual(desc.workflowRuns.map((r) => r.id), sdesc.data.map((r) => r.id), "updatedAt desc order");

    const byName = await stack.legacy.workflowRun.list({ fileNameContains: "alpha-", workflowId: wf });
    assert.equal(byName.workflowRuns.length, 2, "fileNameContains filter");
    const byStatus = await stack.legacy.workflowRun.list({ status: "FAILED", workflowId: `${wf}_fail` });
    assertLegacy("WorkflowRunListResponse", byStatus);
    assert.deepEqual(byStatus.workflowRuns.map((r) => r.id), [failed.id], "status filter");
    const none = await stack.legacy.workflowRun.list({ status: "FAILED", workflowId: wf });
    assert.deepEqual(none.workflowRuns, []);
    const defaults = await stack.legacy.workflowRun.list();
    assertLegacy("WorkflowRunListResponse", defaults);
    assert.ok(defaults.workflowRuns.length > 0);
  }),
);

test("update: name echoed, metadata merged", T, () =>
  stack.guard(async () => {
    const run = await createOne(`workflow_upd_${uid()}`, "upd.pdf", { metadata: { a: 1, keep: "x" } });
    await waitSimFinal(stack.newSim, run.id);
    await stack.resetRequests();
    const res = await stack.legacy.workflowRun.update(run.id, { name: "Renamed run", metadata: { a: 2, b: true } });
    assertLegacy("WorkflowRunUpdateResponse", res);
    assert.equal(res.success, true);
    assert.equal(res.workflowRun.name, "Renamed run");
    assert.deepEqual(res.workflowRun.metadata, { a: 2, keep: "x", b: true });
    const sim = await stack.newSim.workflowRuns.retrieve(run.id);
    expectLegacyRun(res.workflowRun, sim, { name: "Renamed run" });
    const [up] = (await stack.requests()).filter((r) => r.Method === "POST" && r.Path === `/workflow_runs/${run.id}`);
    assert.deepEqual(up.Body, { name: "Renamed run", metadata: { a: 2, b: true } });
    const noName = await stack.legacy.workflowRun.update(run.id, { metadata: { c: 3 } });
    assertLegacy("WorkflowRunUpdateResponse", noName);
    assert.deepEqual(noName.workflowRun.metadata, { a: 2, keep: "x", b: true, c: 3 });
  }),
);

test("delete: legacy envelope, then get → NotFoundError", T, () =>
  stack.guard(async () => {
    const run = await createOne(`workflow_del_${uid()}`);
    const before = await stack.runCount();
    const res = await stack.legacy.workflowRun.delete(run.id);
    assertLegacy("WorkflowRunDeleteResponse", res);
    assert.equal(res.success, true);
    assert.equal(res.workflowRunId, run.id);
    assert.equal(typeof res.message, "string");
    assert.equal(await stack.runCount(), before - 1);
    const e = await rejects(stack.legacy.workflowRun.get(run.id), Legacy.Extend.NotFoundError, 404, "get after delete");
    expectLegacyErrorBody(e.body);
  }),
);

test("cancel: a _slow run becomes CANCELLED; cancelling a finished run → 400", T, () =>
  stack.guard(async () => {
    const run = await createOne(`workflow_${uid()}_slow`);
    await poll(() => stack.newSim.workflowRuns.retrieve(run.id), (r) => r.status === "PROCESSING");
    const res = await stack.legacy.workflowRun.cancel(run.id);
    assertLegacy("WorkflowRunCancelResponse", res);
    assert.equal(res.success, true);
    assert.ok(["CANCELLED", "CANCELLING"].includes(res.workflowRun.status), `status ${res.workflowRun.status}`);
    const sim = await stack.newSim.workflowRuns.retrieve(run.id);
    assert.equal(sim.status, "CANCELLED");
    expectLegacyRun(res.workflowRun, sim);

    const after = await stack.legacy.workflowRun.get(run.id);
    expectLegacyRun(after.workflowRun, await stack.newSim.workflowRuns.retrieve(run.id));

    // A default run cancelled half-way: finished step runs keep their outputs, the rest are CANCELLED.
    // On a loaded machine the run can finish between the poll and the cancel; then try a fresh run.
    let mid;
    let midRes;
    for (let attempt = 0; attempt < 3 && !midRes; attempt++) {
      mid = await createOne(`workflow_mid_${uid()}`);
      await poll(() => stack.newSim.workflowRuns.retrieve(mid.id), (r) => r.status !== "PENDING" && r.stepRuns.length >= 2);
      midRes = await stack.legacy.workflowRun.cancel(mid.id).catch((e) => {
        if (e instanceof Legacy.Extend.BadRequestError) return null;
        throw e;
      });
    }
    assert.ok(midRes, "a run could be cancelled half-way");
    assertLegacy("WorkflowRunCancelResponse", midRes);
    const midGet = await stack.legacy.workflowRun.get(mid.id);
    assertLegacy("WorkflowRunGetResponse", midGet);
    assert.equal(midGet.workflowRun.status, "CANCELLED");
    expectLegacyRun(midGet.workflowRun, await stack.newSim.workflowRuns.retrieve(mid.id));
    const cancelledList = await stack.legacy.workflowRun.list({ status: "CANCELLED", workflowId: mid.workflow.id });
    assert.deepEqual(cancelledList.workflowRuns.map((r) => r.id), [mid.id]);

    const done = await createOne(`workflow_fin_${uid()}`);
    await waitSimFinal(stack.newSim, done.id);
    const e = await rejects(stack.legacy.workflowRun.cancel(done.id), Legacy.Extend.BadRequestError, 400, "cancel finished");
    expectLegacyErrorBody(e.body, "BadRequestErrorBody");
  }),
);

test("unknown run ids → NotFoundError on get, update, delete, cancel", T, () =>
  stack.guard(async () => {
    const id = `workflow_run_doesNotExist${uid()}`;
    const calls = {
      get: () => stack.legacy.workflowRun.get(id),
      update: () => stack.legacy.workflowRun.update(id, { name: "x" }),
      delete: () => stack.legacy.workflowRun.delete(id),
      cancel: () => stack.legacy.workflowRun.cancel(id),
    };
    calls["get with an id that needs encoding"] = () => stack.legacy.workflowRun.get("workflow_run_a/b?c#d");
    for (const [what, call] of Object.entries(calls)) {
      const e = await rejects(call(), Legacy.Extend.NotFoundError, 404, what);
      expectLegacyErrorBody(e.body);
    }
  }),
);

test("missing token → UnauthorizedError with the legacy error body", T, () =>
  stack.guard(async () => {
    const anon = stack.legacyClient({ token: undefined });
    const e = await rejects(anon.workflowRun.list(), Legacy.Extend.UnauthorizedError, 401, "list without token");
    expectLegacyErrorBody(e.body);
  }),
);

test("batchWorkflowRun.create: batchId, runs share it, priority 90, upstream body", T, () =>
  stack.guard(async () => {
    const wf = `workflow_batch_${uid()}`;
    await stack.resetRequests();
    const inputs = [
      { file: { fileUrl: "https://f.example.org/bulk/0001.pdf", fileName: "0001.pdf" }, metadata: { row: 1 } },
      { file: { fileId: "file_Yt6Gb1Nq8Xw3Zr5Ld2Pk" }, metadata: { row: 2 }, secrets: { erpApiKey: "sk_placeholder" } },
      { rawText: "Invoice #77", metadata: { row: 3 } },
    ];
    const res = await stack.legacy.batchWorkflowRun.create({ workflowId: wf, version: "2", inputs });
    assertLegacy("BatchWorkflowRunCreateResponse", res);
    assert.equal(res.success, true);
    assert.equal(typeof res.batchId, "string");
    const [b] = (await stack.requests()).filter((r) => r.Method === "POST" && r.Path === "/workflow_runs/batch");
    assert.deepEqual(b.Body, {
      workflow: { id: wf, version: "2" },
      inputs: [
        { file: { url: "https://f.example.org/bulk/0001.pdf", name: "0001.pdf" }, metadata: { row: 1 } },
        // The simulator's request log redacts secret values (issue 12.2).
        { file: { id: "file_Yt6Gb1Nq8Xw3Zr5Ld2Pk" }, metadata: { row: 2 }, secrets: { erpApiKey: "REDACTED" } },
        { file: { text: "Invoice #77" }, metadata: { row: 3 } },
      ],
    });
    const list = await stack.legacy.workflowRun.list({ batchId: res.batchId });
    assertLegacy("WorkflowRunListResponse", list);
    assert.equal(list.workflowRuns.length, 3);
    for (const s of list.workflowRuns) {
      assert.equal(s.batchId, res.batchId);
      const got = await stack.legacy.workflowRun.get(s.id);
      assertLegacy("WorkflowRunGetResponse", got);
      assert.equal(got.workflowRun.batchId, res.batchId);
      assert.equal(got.workflowRun.workflow.version, "2");
    }
    const e = await rejects(
      stack.legacy.batchWorkflowRun.create({ workflowId: `workflow_${uid()}_badcreate`, inputs: [{ rawText: "x" }] }),
      Legacy.Extend.BadRequestError, 400, "batch _badcreate",
    );
    expectLegacyErrorBody(e.body, "BadRequestErrorBody");
    const nf = await rejects(
      stack.legacy.batchWorkflowRun.create({ workflowId: `nope_${uid()}`, inputs: [{ rawText: "x" }] }),
      Legacy.Extend.NotFoundError, 404, "batch unknown workflow",
    );
    expectLegacyErrorBody(nf.body);
  }),
);

test("malformed batch, update and list requests → 400 BadRequestError", T, () =>
  stack.guard(async () => {
    const wf = `workflow_badbatch_${uid()}`;
    await stack.resetRequests();
    const local = {
      "input with neither file nor rawText": { workflowId: wf, inputs: [{ rawText: "ok" }, { metadata: { a: 1 } }] },
      "missing workflowId": { inputs: [{ rawText: "x" }] },
      "inputs not an array": { workflowId: wf, inputs: { rawText: "x" } },
    };
    for (const [what, body] of Object.entries(local)) {
      const e = await rejects(stack.legacy.batchWorkflowRun.create(body), Legacy.Extend.BadRequestError, 400, what);
      expectLegacyErrorBody(e.body, "BadRequestErrorBody");
    }
    const batches = (await stack.requests()).filter((r) => r.Path === "/workflow_runs/batch");
    assert.deepEqual(batches, [], "rejected before any upstream batch call");
    const empty = await rejects(stack.legacy.batchWorkflowRun.create({ workflowId: wf, inputs: [] }), Legacy.Extend.BadRequestError, 400, "empty inputs");
    expectLegacyErrorBody(empty.body, "BadRequestErrorBody");
    const tooMany = Array.from({ length: 1001 }, (_, i) => ({ rawText: `t${i}` }));
    const big = await rejects(stack.legacy.batchWorkflowRun.create({ workflowId: wf, inputs: tooMany }), Legacy.Extend.BadRequestError, 400, "1001 inputs");
    expectLegacyErrorBody(big.body, "BadRequestErrorBody");

    const run = await createOne(`workflow_badupd_${uid()}`);
    const headers = { authorization: "Bearer test-token", "content-type": "application/json", "x-extend-api-version": "2025-04-21" };
    for (const [path, body] of [[`/workflow_runs/${run.id}`, "{oops"], ["/workflow_runs/batch", "{oops"]]) {
      const r = await fetch(`${stack.proxyUrl}${path}`, { method: "POST", headers, body });
      assert.equal(r.status, 400, `malformed JSON to ${path}`);
      expectLegacyErrorBody(await r.json(), "BadRequestErrorBody");
    }
    for (const q of [{ maxPageSize: 0 }, { maxPageSize: 1000 }, { nextPageToken: "not-a-token" }, { sortBy: "name" }]) {
      const e = await rejects(stack.legacy.workflowRun.list(q), Legacy.Extend.BadRequestError, 400, `list ${JSON.stringify(q)}`);
      expectLegacyErrorBody(e.body, "BadRequestErrorBody");
    }
  }),
);

test("workflowRunOutput.update fails clearly: 410 with {success:false, error} saying it was removed", T, () =>
  stack.guard(async () => {
    const run = await createOne(`workflow_corr_${uid()}`);
    const got = await waitLegacyFinal(stack.legacy, run.id);
    const outputId = got.workflowRun.outputs.find((o) => o.type === "EXTRACT").id;
    await stack.resetRequests();
    const e = await rejects(
      stack.legacy.workflowRunOutput.update(run.id, outputId, { reviewedOutput: { value: { invoice_number: "X" } } }),
      Legacy.ExtendError, 410, "correct outputs",
    );
    expectLegacyErrorBody(e.body);
    assert.match(e.body.error, /removed/i);
    const writes = (await stack.requests()).filter((r) => r.Method !== "GET");
    assert.deepEqual(writes, [], "nothing written upstream");
  }),
);

test("every upstream request validates against the new SDK's request types", T, () =>
  stack.guard(async () => auditUpstream(await stack.allRequests())),
);
