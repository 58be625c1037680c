"use strict";
// The real extend-ai@0.0.12 client, pointed at the proxy, creating runs:
// one file, many files, rawTexts, version, metadata, priority, output overrides,
// rejected and malformed creates, and partial-failure rollback.

const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const { startStack, uid, Legacy } = require("../lib/harness");
const { assertLegacy, assertNew, expectLegacyRun, stepType } = require("../lib/expect");
const { waitLegacyFinal, rejects, expectLegacyErrorBody, auditUpstream, upstreamCreates, header } = require("../lib/flows");

const T = { timeout: 30000 };
let stack;

// Bounded: a cold `go build` (when PROXY_BIN is unset) plus the 15 s health wait.
before(async () => {
  stack = await startStack();
}, { timeout: 180000 });
after(async () => {
  await stack?.stop();
}, { timeout: 15000 });

// finalCompare waits for the run to finish, then checks the legacy get against the sim's run.
async function finalCompare(id, opts) {
  const got = await waitLegacyFinal(stack.legacy, id);
  assertLegacy("WorkflowRunGetResponse", got);
  assert.equal(got.success, true);
  const simRun = await stack.newSim.workflowRuns.retrieve(id);
  assertNew("WorkflowRun", simRun);
  expectLegacyRun(got.workflowRun, simRun, opts);
  return { legacyRun: got.workflowRun, simRun };
}

test("create with one file: typed response, upstream request, rebuilt outputs once PROCESSED", T, () =>
  stack.guard(async () => {
    const wf = `workflow_invoice_${uid()}`;
    await stack.resetRequests();
    const url = "https://files.example.org/inbox/acme-invoice-0042.pdf?sig=4f9c";
    const res = await stack.legacy.workflowRun.create({
      workflowId: wf,
      files: [{ fileUrl: url, fileName: "acme-invoice-0042.pdf" }],
      metadata: { tenant: "northwind", nested: { a: [1, 2] } },
    });
    assertLegacy("WorkflowRunCreateResponse", res);
    assert.equal(res.success, true);
    assert.equal(res.workflowRuns.length, 1);
    const run = res.workflowRuns[0];
    assert.ok(["PENDING", "PROCESSING"].includes(run.status), `fresh run status ${run.status}`);
    assert.equal(run.name, "acme-invoice-0042.pdf");
    assert.deepEqual(run.metadata, { tenant: "northwind", nested: { a: [1, 2] } });
    assert.deepEqual(run.workflow, { object: "workflow", id: wf, version: "3", name: "AP Invoice Intake" });
    assert.ok(!Number.isNaN(Date.parse(run.initialRunAt)), "initialRunAt is a timestamp");

    const simRun = await stack.newSim.workflowRuns.retrieve(run.id);
    assert.equal(run.url, simRun.dashboardUrl, "url = dashboardUrl");
    assert.equal(run.files[0].id, simRun.files[0].id);
    assert.equal(run.files[0].type, "PDF");

    const creates = upstreamCreates(await stack.requests());
    assert.equal(creates.length, 1, "exactly one upstream create");
    assert.deepEqual(creates[0].Body, {
      workflow: { id: wf },
      file: { url, name: "acme-invoice-0042.pdf" },
      metadata: { tenant: "northwind", nested: { a: [1, 2] } },
    });

    const { legacyRun, simRun: done } = await finalCompare(run.id);
    assert.equal(legacyRun.status, "PROCESSED");
    const types = legacyRun.outputs.map((o) => o.type);
    for (const t of ["CLASSIFY", "SPLITTER", "EXTRACT"]) assert.ok(types.includes(t), `outputs include ${t}: ${types}`);
    assert.ok(legacyRun.stepRuns.length >= 1, "validation step runs present");
    for (const s of legacyRun.stepRuns) assert.ok(["RULE_VALIDATION", "EXTERNAL_DATA_VALIDATION"].includes(s.step.type));
    const merge = done.stepRuns.find((s) => stepType(s) === "MERGE_EXTRACT");
    if (merge) {
      const o = legacyRun.outputs.find((x) => x.id === merge.result.extractRun.id);
      assert.equal(o.processorId, merge.result.extractRun.extractor?.id ?? "", "merge output processorId");
      assert.ok(o.mergedProcessors.length > 0, "merge output lists mergedProcessors");
    }
    const rule = legacyRun.stepRuns.find((s) => s.step.type === "RULE_VALIDATION");
    const arr = rule?.output?.rules?.find((r) => r.validArray);
    assert.ok(arr, "the sim's rule with validArray is present");
    for (const v of arr.validArray) assert.ok(v === "true" || v === "false", `validArray element ${JSON.stringify(v)}`);
  }),
);

test("create with many files and rawTexts: fan-out in input order, version, priority, metadata", T, () =>
  stack.guard(async () => {
    const wf = `workflow_many_${uid()}`;
    await stack.resetRequests();
    const files = [
      { fileUrl: "https://files.example.org/a/first.pdf", fileName: "01-first.pdf" },
      { fileId: "file_Second9Xw3Zr5Ld2Pk" },
      { fileUrl: "https://files.example.org/b/03-third.csv?x=1" },
      { fileUrl: "https://files.example.org/c/4.bin", fileName: "04-fourth.docx" },
      { fileId: "file_Fifth1Nq8Xw3Zr5Ld2", fileUrl: "https://files.example.org/ignored.pdf", fileName: "ignored.pdf" },
    ];
    const rawTexts = ["Invoice #77\nVendor: Globex\nTotal: 88.00 USD", "Second raw text"];
    const metadata = { tenant: "initech", n: 5 };
    const res = await stack.legacy.workflowRun.create({ workflowId: wf, files, rawTexts, version: "draft", priority: 7, metadata });
    assertLegacy("WorkflowRunCreateResponse", res);
    const runs = res.workflowRuns;
    assert.equal(runs.length, 7, "one run per file, then one per raw text");
    assert.equal(new Set(runs.map((r) => r.id)).size, 7, "distinct runs");
    const names = ["01-first.pdf", "file_Second9Xw3Zr5Ld2Pk.pdf", "03-third.csv", "04-fourth.docx", "file_Fifth1Nq8Xw3Zr5Ld2.pdf"];
    const types = ["PDF", "PDF", "CSV", "DOCX", "PDF", "TXT", "TXT"];
    for (const [k, r] of runs.entries()) {
      const s = await stack.newSim.workflowRuns.retrieve(r.id);
      if (k < names.length) assert.equal(s.files[0].name, names[k], `run ${k} is for input ${k}`);
      else assert.match(s.files[0].name, /\.txt$/, `run ${k} is a raw text`);
      assert.equal(r.name, s.files[0].name, `run ${k} name`);
      assert.equal(r.files[0].type, types[k], `run ${k} file type`);
      assert.deepEqual(r.workflow, { object: "workflow", id: wf, version: "draft", name: `Workflow ${wf}` });
      assert.deepEqual(r.metadata, metadata);
      assert.equal(r.url, s.dashboardUrl);
      assert.equal(s.workflowVersion.version, "draft");
    }

    const creates = upstreamCreates(await stack.requests());
    assert.equal(creates.length, 7);
    for (const c of creates) {
      assert.deepEqual(c.Body.workflow, { id: wf, version: "draft" });
      assert.equal(c.Body.priority, 7);
      assert.deepEqual(c.Body.metadata, metadata);
      assert.ok(!("secrets" in c.Body) && !("package" in c.Body) && !("outputs" in c.Body), "no secrets/package/outputs");
    }
    const sent = creates.map((c) => JSON.stringify(c.Body.file)).sort();
    const want = [
      { url: files[0].fileUrl, name: "01-first.pdf" },
      { id: files[1].fileId },
      { url: files[2].fileUrl },
      { url: files[3].fileUrl, name: "04-fourth.docx" },
      { id: files[4].fileId },
      { text: rawTexts[0] },
      { text: rawTexts[1] },
    ].map((f) => JSON.stringify(f)).sort();
    assert.deepEqual(sent, want, "upstream file inputs (fileName dropped for fileId; id wins over url)");

    for (const r of runs) await finalCompare(r.id);
  }),
);

test("create with provided outputs: converted to 2026-02-09 shapes and honoured", T, () =>
  stack.guard(async () => {
    const wf = `workflow_ovr_${uid()}`;
    const first = await stack.legacy.workflowRun.create({ workflowId: wf, files: [{ fileUrl: "https://f.example.org/p.pdf" }] });
    const { simRun } = await finalCompare(first.workflowRuns[0].id);
    const idOf = (t, key, proc) => simRun.stepRuns.find((s) => stepType(s) === t)?.result?.[key]?.[proc]?.id;
    const cl = idOf("CLASSIFY", "classifyRun", "classifier");
    const ex = idOf("EXTRACT", "extractRun", "extractor");
    const spl = idOf("SPLIT", "splitRun", "splitter");
    assert.ok(cl && ex && spl, `sim processor ids ${cl} ${ex} ${spl}`);

    await stack.resetRequests();
    const split = { id: "s1", classificationId: "other", type: "other", observation: "o", identifier: "i", startPage: 1, endPage: 1 };
    const outputs = [
      { processorId: cl, output: { id: "other", type: "other", confidence: 0.4 } },
      { processorId: ex, output: { value: { invoice_number: "OVR-1" } } },
      { processorId: spl, output: { splits: [split] } },
    ];
    const res = await stack.legacy.workflowRun.create({ workflowId: wf, files: [{ fileUrl: "https://f.example.org/q.pdf", outputs }] });
    assertLegacy("WorkflowRunCreateResponse", res);
    const [c] = upstreamCreates(await stack.requests());
    assert.deepEqual(c.Body.outputs, [
      { processorId: cl, output: { id: "other", type: "other" } },
      { processorId: ex, output: { value: { invoice_number: "OVR-1" } } },
      { processorId: spl, output: { splits: [{ classificationId: "other", type: "other", startPage: 1, endPage: 1 }] } },
    ]);
    const { legacyRun } = await finalCompare(res.workflowRuns[0].id);
    const classify = legacyRun.outputs.find((o) => o.type === "CLASSIFY");
    assert.equal(classify.output.id, "other", "override honoured end to end");

    await stack.resetRequests();
    const fieldsArray = { inv: { id: "inv", value: "FA-9", type: "string", confidence: 0.9, page: 1 }, tot: { id: "tot", value: 12.5 } };
    await stack.legacy.workflowRun.create({
      workflowId: wf,
      files: [{ fileUrl: "https://f.example.org/r.pdf", outputs: [{ processorId: ex, output: fieldsArray }] }],
    });
    const [c2] = upstreamCreates(await stack.requests());
    assert.deepEqual(c2.Body.outputs, [{ processorId: ex, output: { value: { inv: "FA-9", tot: 12.5 } } }]);
  }),
);

test("create with version \"latest\" leaves the version out upstream", T, () =>
  stack.guard(async () => {
    const wf = `workflow_latest_${uid()}`;
    await stack.resetRequests();
    const res = await stack.legacy.workflowRun.create({ workflowId: wf, version: "latest", rawTexts: ["latest"] });
    assertLegacy("WorkflowRunCreateResponse", res);
    assert.equal(res.workflowRuns[0].workflow.version, "3");
    const [c] = upstreamCreates(await stack.requests());
    assert.deepEqual(c.Body, { workflow: { id: wf }, file: { text: "latest" } });
  }),
);

test("rejected creates: _badcreate → BadRequestError, unknown workflow → 404, no runs left", T, () =>
  stack.guard(async () => {
    const before = await stack.runCount();
    const bad = await rejects(
      stack.legacy.workflowRun.create({ workflowId: `workflow_${uid()}_badcreate`, files: [{ fileUrl: "https://f.example.org/a.pdf" }] }),
      Legacy.Extend.BadRequestError, 400, "_badcreate",
    );
    expectLegacyErrorBody(bad.body, "BadRequestErrorBody");
    assert.match(bad.body.error, /no published version/i);
    const unknown = await rejects(
      stack.legacy.workflowRun.create({ workflowId: `wf_nope_${uid()}`, files: [{ fileUrl: "https://f.example.org/a.pdf" }] }),
      Legacy.ExtendError, 404, "unknown workflow",
    );
    expectLegacyErrorBody(unknown.body);
    assert.equal(await stack.runCount(), before, "no run created");
  }),
);

test("malformed creates → 400 BadRequestError before any upstream call", T, () =>
  stack.guard(async () => {
    const wf = `workflow_bad_${uid()}`;
    const url = "https://f.example.org/a.pdf";
    const cases = {
      "files not an array": { workflowId: wf, files: { fileUrl: url } },
      "missing workflowId": { files: [{ fileUrl: url }] },
      "workflowId not a string": { workflowId: 42, files: [{ fileUrl: url }] },
      "no files and no rawTexts": { workflowId: wf },
      "empty files": { workflowId: wf, files: [] },
      "51 files": { workflowId: wf, files: Array.from({ length: 51 }, (_, i) => ({ fileUrl: `${url}?n=${i}` })) },
      "file without fileUrl or fileId": { workflowId: wf, files: [{ fileUrl: url }, { fileName: "x.pdf" }] },
      "unrecognised provided output": { workflowId: wf, files: [{ fileUrl: url, outputs: [{ processorId: "ex_1", output: 42 }] }] },
    };
    await stack.resetRequests();
    const before = await stack.runCount();
    for (const [what, body] of Object.entries(cases)) {
      const e = await rejects(stack.legacy.workflowRun.create(body), Legacy.Extend.BadRequestError, 400, what);
      expectLegacyErrorBody(e.body, "BadRequestErrorBody");
    }
    for (const [what, raw] of Object.entries({ "invalid JSON": "{not json", "JSON array": "[1,2]" })) {
      const r = await fetch(`${stack.proxyUrl}/workflow_runs`, {
        method: "POST",
        headers: { authorization: "Bearer test-token", "content-type": "application/json", "x-extend-api-version": "2025-04-21" },
        body: raw,
      });
      assert.equal(r.status, 400, what);
      expectLegacyErrorBody(await r.json(), "BadRequestErrorBody");
    }
    assert.deepEqual(upstreamCreates(await stack.requests()), [], "no upstream create for malformed bodies");
    assert.equal(await stack.runCount(), before);
  }),
);

test("partial failure (_err5xx_2, 3 files): the call fails and no run is left behind", T, () =>
  stack.guard(async () => {
    const wf = `workflow_${uid()}_err5xx_2`;
    const files = ["a", "b", "c"].map((n) => ({ fileUrl: `https://f.example.org/${n}.pdf` }));
    await stack.resetRequests();
    const before = await stack.runCount();
    let err;
    try {
      await stack.legacy.workflowRun.create({ workflowId: wf, files }, { maxRetries: 0 });
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof Legacy.ExtendError, `create must fail, got ${err?.constructor?.name ?? "success"}`);
    assert.equal(err.statusCode, 500, "upstream status passed through once rollback removed every run (mapping §3.1.5)");
    expectLegacyErrorBody(err.body);
    assert.equal(await stack.runCount(), before, "runs created before the failure were rolled back");
    const seen = await stack.requests();
    const creates = upstreamCreates(seen);
    assert.ok(creates.some((c) => c.Status === 500), "the scripted 500 reached the proxy");
    const ok = creates.filter((c) => c.Status === 200).length;
    const deletes = seen.filter((r) => r.Method === "DELETE" && r.Status === 200).length;
    assert.equal(deletes, ok, "every run created before the failure was deleted upstream");
  }),
);

test("partial failure with the SDK's default retries: the retry succeeds with exactly one run per file", T, () =>
  stack.guard(async () => {
    const wf = `workflow_${uid()}_err5xx_2`;
    const files = ["a", "b", "c"].map((n) => ({ fileUrl: `https://f.example.org/${n}.pdf`, fileName: `${n}.pdf` }));
    const before = await stack.runCount();
    const res = await stack.legacy.workflowRun.create({ workflowId: wf, files });
    assertLegacy("WorkflowRunCreateResponse", res);
    assert.deepEqual(res.workflowRuns.map((r) => r.name), ["a.pdf", "b.pdf", "c.pdf"]);
    assert.equal(await stack.runCount(), before + 3, "no duplicate runs after the retry");
  }),
);

test("429 from upstream: Retry-After copied, not retried with maxRetries 0; default retries succeed", T, () =>
  stack.guard(async () => {
    const files = [{ fileUrl: "https://f.example.org/rl.pdf" }];
    let err;
    try {
      await stack.legacy.workflowRun.create({ workflowId: `workflow_${uid()}_err429_1`, files }, { maxRetries: 0 });
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof Legacy.ExtendError, `expected ExtendError, got ${err?.constructor?.name ?? "success"}`);
    assert.equal(err.statusCode, 429);
    expectLegacyErrorBody(err.body);
    assert.equal(err.rawResponse?.headers?.get("retry-after"), "1", "Retry-After copied onto the legacy response");
    const res = await stack.legacy.workflowRun.create({ workflowId: `workflow_${uid()}_err429_1`, files });
    assertLegacy("WorkflowRunCreateResponse", res);
    assert.equal(res.workflowRuns.length, 1);
  }),
);

test("success is HTTP 200 with JSON; a custom x-extend-workspace-id header is forwarded upstream", T, () =>
  stack.guard(async () => {
    await stack.resetRequests();
    const client = stack.legacyClient({ headers: { "x-extend-workspace-id": "ws_conformance" } });
    const { data, rawResponse } = await client.workflowRun
      .create({ workflowId: `workflow_${uid()}`, rawTexts: ["ws"] })
      .withRawResponse();
    assert.equal(rawResponse.status, 200);
    assert.match(rawResponse.headers.get("content-type") ?? "", /application\/json/);
    assertLegacy("WorkflowRunCreateResponse", data);
    const [c] = upstreamCreates(await stack.requests());
    assert.deepEqual(header(c.Header, "x-extend-workspace-id"), ["ws_conformance"]);
  }),
);

test("a request without x-extend-api-version is treated as legacy", T, () =>
  stack.guard(async () => {
    const r = await fetch(`${stack.proxyUrl}/workflow_runs`, {
      method: "POST",
      headers: { authorization: "Bearer test-token", "content-type": "application/json" },
      body: JSON.stringify({ workflowId: `workflow_${uid()}`, rawTexts: ["no version header"] }),
    });
    assert.equal(r.status, 200);
    const body = await r.json();
    assertLegacy("WorkflowRunCreateResponse", body);
    assert.equal(body.workflowRuns[0].files[0].type, "TXT");
  }),
);

test("every upstream request validates against the new SDK's request types", T, () =>
  stack.guard(async () => auditUpstream(await stack.allRequests())),
);
