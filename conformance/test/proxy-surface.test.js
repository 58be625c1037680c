"use strict";
// The 29 legacy methods beyond workflow runs, called THROUGH THE PROXY on the
// simulator with the real extend-ai@0.0.12 client: every answer validates
// against the legacy SDK's type and equals the simulator's own 2025-04-21
// rendering of the same state (read straight from the sim) outside the lossy
// paths the registry documents for that method; bad input of every kind gets a
// legacy-shaped 4xx and creates nothing upstream; and every upstream request
// the proxy sent validates against the 2026-02-09 request types.

const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const { startStack, uid, Legacy, poll } = require("../lib/harness");
const { assertLegacy, assertNew } = require("../lib/expect");
const { rejects, expectLegacyErrorBody, auditUpstream } = require("../lib/flows");
const { validatingFetcher } = require("../lib/observe");
const { expectSame, legacyRaw } = require("../lib/surface");
const { badCases } = require("../lib/badinput");

const T = { timeout: 60000 };
const EXTRACTOR = "ex_Ee4Rr6Tt8Yy0Uu2Ii4Oo"; // seeded by the sim (sim/model.go)
const CLASSIFIER = "cl_Mm1Nn3Bb5Vv7Cc9Xx1Zz";
const BATCH_RUN = "bpr_Ev1Ev2Ev3Ev4Ev5Ev6Ev";
// The 29 methods beyond workflow runs (README's methods table, classes a-c).
const METHODS = [
  "file.list", "file.get", "file.delete", "file.upload", "parse", "parseAsync", "parserRun.get", "parserRun.delete",
  "processorRun.list", "processorRun.create", "processorRun.get", "processorRun.delete", "processorRun.cancel",
  "batchProcessorRun.get", "processor.list", "processor.create", "processor.update", "processorVersion.get",
  "processorVersion.list", "processorVersion.create", "workflow.create", "evaluationSet.list", "evaluationSet.create",
  "evaluationSet.get", "evaluationSetItem.list", "evaluationSetItem.create", "evaluationSetItem.update",
  "evaluationSetItem.delete", "evaluationSetItem.createBatch",
];
let stack;
let px; // extend-ai@0.0.12 at the proxy
let sim; // extend-ai@0.0.12 straight at the simulator's own legacy rendering

before(async () => {
  stack = await startStack();
  px = stack.legacy;
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

const pdf = (name) => new File(["%PDF-1.7\n1 0 obj <</Type /Page>>\n2 0 obj <</Type /Page>>\n"], name, { type: "application/pdf" });
const txt = (name, body) => new File([body], name, { type: "text/plain" });
// withId replaces one id by another in a delete answer, so two deletes compare.
const withId = (o, from, to) => JSON.parse(JSON.stringify(o).split(from).join(to));

test("files: upload, get, list and delete through the proxy equal the sim's legacy rendering", T, () =>
  stack.guard(async () => {
    const tag = uid();
    const up = await px.file.upload(txt(`a-${tag}.txt`, "line one\nline two"));
    assertLegacy("FileUploadResponse", up);
    const id = up.file.id;
    expectSame("file.upload", up, await sim.file.get(id), "upload vs the sim's get");
    const up2 = await px.file.upload(pdf(`b-${tag}.pdf`));
    assert.equal(up2.file.metadata.pageCount, 2);

    const flags = { rawText: true, markdown: true, html: true };
    const got = await px.file.get(id, flags);
    assertLegacy("FileGetResponse", got);
    expectSame("file.get", got, await sim.file.get(id, flags));
    // contents is lossy as a whole; what it keeps is still pinned to the sim's state.
    assert.equal(got.file.contents.rawText, "line one\nline two");
    const n = await stack.newSim.files.retrieve(id, { markdown: true });
    assert.equal(got.file.contents.markdown, n.contents.sections.map((s) => s.markdown).join("\n\n"));

    const q = { nameContains: tag, maxPageSize: 1, sortDir: "asc" };
    const page1 = await px.file.list(q);
    assertLegacy("FileListResponse", page1);
    expectSame("file.list", page1, await sim.file.list(q));
    assert.equal(page1.files[0].id, id);
    const page2 = await px.file.list({ ...q, nextPageToken: page1.nextPageToken });
    assert.deepEqual(page2.files.map((f) => f.id), [up2.file.id]);

    const del = await px.file.delete(id);
    assertLegacy("FileDeleteResponse", del);
    expectSame("file.delete", del, withId(await sim.file.delete(up2.file.id), up2.file.id, id));
    await rejects(stack.newSim.files.retrieve(id), require("extend-new").Extend.NotFoundError, 404, "deleted file, new side");
    expectLegacyErrorBody((await rejects(px.file.get(id), Legacy.Extend.NotFoundError, 404, "deleted file")).body);
  }),
);

test("parse, parseAsync and parser runs through the proxy equal the sim's legacy rendering", T, () =>
  stack.guard(async () => {
    const fileUrl = `https://f.example.org/${uid()}/statement.pdf`;
    const run = await px.parse({ file: { fileUrl, fileName: "statement.pdf" }, config: { chunkingStrategy: { type: "page" } } });
    assertLegacy("ParserRun", run);
    assert.equal(run.status, "PROCESSED");
    // parserRun.get's union member carries object; the bare ParserRun parse answers does not.
    const { object, ...simRun } = (await sim.parserRun.get(run.id)).parserRun;
    assert.equal(object, "parser_run");
    expectSame("parse", run, simRun, "parse vs the sim's parser run");
    const n = await stack.newSim.parseRuns.retrieve(run.id);
    assert.equal(run.chunks.length, n.output.chunks.length);
    assert.deepEqual(run.chunks.map((c) => c.content), n.output.chunks.map((c) => c.content));

    const got = await px.parserRun.get(run.id, { responseType: "json" });
    assertLegacy("ParserRunGetResponse", got);
    expectSame("parserRun.get", got, await sim.parserRun.get(run.id, { responseType: "json" }));

    const started = await px.parseAsync({ file: { fileId: run.fileId }, config: { advancedOptions: { agenticOcrEnabled: true } } });
    assertLegacy("ParserRunStatus", started);
    const other = await sim.parseAsync({ file: { fileId: run.fileId } }); // started back to back: both still running
    expectSame("parseAsync", started, withId(other, other.id, started.id), "parseAsync vs the sim's own parseAsync");
    assert.equal(started.status, "PROCESSING");
    const nstarted = await stack.newSim.parseRuns.retrieve(started.id);
    assert.equal(nstarted.file.id, run.fileId, "parseAsync ran on the file given by id");
    assert.equal(nstarted.config.blockOptions.text.agentic.enabled, true, "agenticOcrEnabled reached the sim");
    const done = await poll(() => px.parserRun.get(started.id), (r) => r.parserRun.object === "parser_run");
    assertLegacy("ParserRunGetResponse", done);
    expectSame("parserRun.get", done, await sim.parserRun.get(started.id), "settled async run");

    const del = await px.parserRun.delete(started.id);
    assertLegacy("ParserRunDeleteResponse", del);
    expectSame("parserRun.delete", del, withId(await sim.parserRun.delete(other.id), other.id, started.id));
    await rejects(sim.parserRun.get(started.id), Legacy.Extend.NotFoundError, 404, "deleted parser run in the sim");
  }),
);

test("processor runs and batch runs through the proxy equal the sim's legacy rendering", T, () =>
  stack.guard(async () => {
    const run = await px.processorRun.create({ processorId: EXTRACTOR, file: { fileUrl: `https://f.example.org/${uid()}/inv.pdf` }, sync: true });
    assertLegacy("ProcessorRunCreateResponse", run);
    const rid = run.processorRun.id;
    assert.equal(run.processorRun.output.value.invoice_number, "INV-0042");
    expectSame("processorRun.create", run, await sim.processorRun.get(rid), "create vs the sim's get");
    const got = await px.processorRun.get(rid);
    assertLegacy("ProcessorRunGetResponse", got);
    expectSame("processorRun.get", got, await sim.processorRun.get(rid));

    const slow = await px.processorRun.create({ processorId: CLASSIFIER, rawText: `Invoice ${uid()}` });
    const cancelled = await px.processorRun.cancel(slow.processorRun.id);
    assertLegacy("ProcessorRunCancelResponse", cancelled);
    assert.equal(cancelled.processorRun.status, "CANCELLED");
    expectSame("processorRun.cancel", cancelled, await sim.processorRun.get(slow.processorRun.id), "cancel vs the sim's get");

    const q = { processorId: CLASSIFIER, status: "CANCELLED", maxPageSize: 2 };
    const list = await px.processorRun.list(q);
    assertLegacy("ProcessorRunListResponse", list);
    assert.ok(list.processorRuns.some((r) => r.id === slow.processorRun.id));
    expectSame("processorRun.list", list, await sim.processorRun.list(q));

    const batch = await px.batchProcessorRun.get(BATCH_RUN);
    assertLegacy("BatchProcessorRunGetResponse", batch);
    expectSame("batchProcessorRun.get", batch, await sim.batchProcessorRun.get(BATCH_RUN));

    const del = await px.processorRun.delete(rid);
    assertLegacy("ProcessorRunDeleteResponse", del);
    const del2 = await sim.processorRun.delete(slow.processorRun.id);
    expectSame("processorRun.delete", del, withId(del2, slow.processorRun.id, rid));
    await rejects(sim.processorRun.get(rid), Legacy.Extend.NotFoundError, 404, "deleted processor run in the sim");
  }),
);

test("processors and versions through the proxy equal the sim's legacy rendering", T, () =>
  stack.guard(async () => {
    const list = await px.processor.list({ type: "EXTRACT" });
    assertLegacy("ListProcessorsResponse", list);
    expectSame("processor.list", list, await sim.processor.list({ type: "EXTRACT" }));

    const name = `P ${uid()}`;
    const config = {
      type: "EXTRACT",
      schema: { type: "object", properties: { invoice_number: { type: "string" } } },
      parser: { target: "markdown", advancedOptions: { agenticOcrEnabled: true, pageRanges: [{ start: 1, end: 3 }] } },
    };
    const created = await px.processor.create({ name, type: "EXTRACT", config });
    assertLegacy("ProcessorCreateResponse", created);
    const id = created.processor.id;
    const simList = async () => (await sim.processor.list({ type: "EXTRACT", maxPageSize: 100 })).processors.find((p) => p.id === id);
    const entry = await simList();
    assert.ok(entry, "created processor is in the sim's state");
    for (const k of ["object", "id", "name", "type", "createdAt", "updatedAt"]) assert.deepEqual(created.processor[k], entry[k], `processor.create ${k}`);
    assert.equal(created.processor.draftVersion.config.parser.advancedOptions.agenticOcrEnabled, true);

    const upd = await px.processor.update(id, { name: `${name} renamed` });
    assertLegacy("ProcessorUpdateResponse", upd);
    const entry2 = await simList();
    assert.equal(entry2.name, `${name} renamed`);
    for (const k of ["object", "id", "name", "type", "createdAt", "updatedAt"]) assert.deepEqual(upd.processor[k], entry2[k], `processor.update ${k}`);

    const pub = await px.processorVersion.create(id, { releaseType: "major", description: "v1" });
    assertLegacy("ProcessorVersionCreateResponse", pub);
    const vid = pub.processorVersion.id;
    const simVersion = await sim.processorVersion.get(id, vid);
    // create answers {processorVersion}, get answers {version}: the same ProcessorVersion under two keys.
    expectSame("processorVersion.create", pub, { success: simVersion.success, processorVersion: simVersion.version }, "publish vs the sim's version");
    const vget = await px.processorVersion.get(id, vid);
    assertLegacy("ProcessorVersionGetResponse", vget);
    expectSame("processorVersion.get", vget, simVersion);
    const vlist = await px.processorVersion.list(id);
    assertLegacy("ProcessorVersionListResponse", vlist);
    expectSame("processorVersion.list", vlist, await sim.processorVersion.list(id));
    assert.ok(vlist.versions.some((v) => v.id === vid));
  }),
);

test("evaluation sets and items through the proxy equal the sim's legacy rendering", T, () =>
  stack.guard(async () => {
    const file = await sim.file.upload(pdf(`eval-${uid()}.pdf`));
    const fileId = file.file.id;
    const set = await px.evaluationSet.create({ name: `Invoices ${uid()}`, description: "eval", processorId: EXTRACTOR });
    assertLegacy("EvaluationSetCreateResponse", set);
    const setId = set.evaluationSet.id;
    expectSame("evaluationSet.create", set, await sim.evaluationSet.get(setId), "create vs the sim's get");
    const got = await px.evaluationSet.get(setId);
    assertLegacy("EvaluationSetGetResponse", got);
    expectSame("evaluationSet.get", got, await sim.evaluationSet.get(setId));
    const lq = { processorId: EXTRACTOR, maxPageSize: 5 };
    const sets = await px.evaluationSet.list(lq);
    assertLegacy("EvaluationSetListResponse", sets);
    expectSame("evaluationSet.list", sets, await sim.evaluationSet.list(lq));

    const simItem = async (id) => (await sim.evaluationSetItem.list(setId, { maxPageSize: 100 })).evaluationSetItems.find((i) => i.id === id);
    const one = await px.evaluationSetItem.create({ evaluationSetId: setId, fileId, expectedOutput: { value: { invoice_number: "INV-1" } } });
    assertLegacy("EvaluationSetItemCreateResponse", one);
    const itemId = one.evaluationSetItem.id;
    expectSame("evaluationSetItem.create", one.evaluationSetItem, await simItem(itemId), "create vs the sim's item");
    assert.deepEqual(one.evaluationSetItem.expectedOutput, { value: { invoice_number: "INV-1" } });

    const bulk = await px.evaluationSetItem.createBatch({
      evaluationSetId: setId,
      items: [
        { fileId, expectedOutput: { value: { invoice_number: "INV-2" } } },
        { fileId, expectedOutput: { value: { invoice_number: "INV-3" } } },
      ],
    });
    assertLegacy("EvaluationSetItemCreateBatchResponse", bulk);
    assert.equal(bulk.evaluationSetItems.length, 2);
    for (const it of bulk.evaluationSetItems) expectSame("evaluationSetItem.createBatch", it, await simItem(it.id), "bulk item vs the sim's item");

    const upd = await px.evaluationSetItem.update(itemId, { expectedOutput: { value: { invoice_number: "INV-9" } } });
    assertLegacy("EvaluationSetItemUpdateResponse", upd);
    expectSame("evaluationSetItem.update", upd.evaluationSetItem, await simItem(itemId), "update vs the sim's item");
    assert.deepEqual((await simItem(itemId)).expectedOutput, { value: { invoice_number: "INV-9" } });

    const items = await px.evaluationSetItem.list(setId, { maxPageSize: 10 });
    assertLegacy("EvaluationSetItemListResponse", items);
    assert.equal(items.evaluationSetItems.length, 3);
    expectSame("evaluationSetItem.list", items, await sim.evaluationSetItem.list(setId, { maxPageSize: 10 }));

    const del = await px.evaluationSetItem.delete(itemId);
    assertLegacy("EvaluationSetItemDeleteResponse", del);
    const other = bulk.evaluationSetItems[1].id;
    expectSame("evaluationSetItem.delete", del, withId(await sim.evaluationSetItem.delete(other), other, itemId));
    assert.equal(await simItem(itemId), undefined, "deleted item gone from the sim");
  }),
);

test("workflow.create through the proxy equals the sim's legacy rendering and takes runs", T, () =>
  stack.guard(async () => {
    const name = `W ${uid()}`;
    const wf = await px.workflow.create({ name });
    assertLegacy("WorkflowCreateResponse", wf);
    const direct = await sim.workflow.create({ name });
    expectSame("workflow.create", wf, withId(direct, direct.workflow.id, wf.workflow.id), "create vs the sim's own create");
    const runs = await px.workflowRun.create({ workflowId: wf.workflow.id, rawTexts: ["hello"] });
    const n = await stack.newSim.workflowRuns.retrieve(runs.workflowRuns[0].id);
    assert.equal(n.workflow.id, wf.workflow.id, "the sim knows the workflow");
  }),
);

test("bad input to every method: a legacy-shaped 4xx, nothing created upstream, never a 5xx", { timeout: 120000 }, () =>
  stack.guard(async () => {
    const fileId = (await sim.file.upload(pdf(`bad-${uid()}.pdf`))).file.id;
    const setId = (await sim.evaluationSet.create({ name: "bad", description: "bad input", processorId: EXTRACTOR })).evaluationSet.id;
    const itemId = (await sim.evaluationSetItem.create({ evaluationSetId: setId, fileId, expectedOutput: { value: {} } })).evaluationSetItem.id;
    const procId = (await sim.processor.create({ name: `bad ${uid()}`, type: "EXTRACT" })).processor.id;
    const cases = badCases({ fileId, setId, itemId, procId });
    assert.deepEqual([...new Set(cases.map((c) => c.what.split(" ")[0]))].sort(), [...METHODS].sort(), "bad input for each of the 29 methods");
    const before = await stateCounts();
    const failures = [];
    for (const c of cases) {
      await stack.resetRequests();
      const r = await legacyRaw(stack.proxyUrl, c.method, c.path, c);
      const where = `${c.method} ${c.path} (${c.what})`;
      try {
        assert.ok(r.status >= 400 && r.status < 500, `status ${r.status}, want 4xx; body ${JSON.stringify(r.body).slice(0, 300)}`);
        if (c.status) assert.equal(r.status, c.status, `status; body ${JSON.stringify(r.body).slice(0, 300)}`);
        expectLegacyErrorBody(r.body, r.status === 400 ? "BadRequestErrorBody" : "Error_");
        const sent = await stack.requests();
        const made = sent.filter((q) => q.Method !== "GET" && q.Status < 300);
        assert.deepEqual(made.map((q) => `${q.Method} ${q.Path} → ${q.Status}`), [], "no upstream write may succeed");
        if (c.noUpstream) assert.deepEqual(sent.map((q) => `${q.Method} ${q.Path}`), [], "refused before any upstream call");
      } catch (e) {
        failures.push(`${where}: ${e.message.split("\n").slice(0, 6).join(" | ")}`);
      }
    }
    assert.deepEqual(failures, [], `bad input not refused as it should be:\n${failures.join("\n")}`);
    assert.deepEqual(await stateCounts(), before, "the sim's state is unchanged by bad input");
  }),
);

// stateCounts reads, straight from the sim, how many objects of each kind exist.
async function stateCounts() {
  const all = async (list, key) => {
    let n = 0;
    let tok;
    do {
      const page = await list(tok);
      n += page[key].length;
      tok = page.nextPageToken;
    } while (tok);
    return n;
  };
  return {
    files: await all((t) => sim.file.list({ maxPageSize: 100, nextPageToken: t }), "files"),
    processorRuns: await all((t) => sim.processorRun.list({ maxPageSize: 100, nextPageToken: t }), "processorRuns"),
    processors: await all((t) => sim.processor.list({ maxPageSize: 100, nextPageToken: t }), "processors"),
    evaluationSets: await all((t) => sim.evaluationSet.list({ maxPageSize: 100, nextPageToken: t }), "evaluationSets"),
    runs: await stack.runCount(),
  };
}

test("every upstream request the proxy sent validates against the 2026-02-09 request types", T, async () => {
  const all = await stack.allRequests();
  const paths = new Set(all.filter((r) => !Object.keys(r.Header ?? {}).some((k) => k.toLowerCase() === "x-conformance-direct")).map((r) => r.Path.split("/")[1]));
  for (const p of ["files", "parse", "parse_runs", "processor_runs", "batch_processor_runs", "processors", "evaluation_sets", "workflows"]) {
    assert.ok(paths.has(p), `no upstream /${p} request was audited`);
  }
  auditUpstream(all);
});
