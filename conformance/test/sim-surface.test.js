"use strict";
// The rest of the legacy SDK's surface (files, parse, parser runs, the
// processor family, evaluation sets and items, workflows) straight at the
// simulator, in both versions: the real extend-ai@0.0.12 client against the
// sim's own 2025-04-21 rendering (the differential test's second
// implementation), the real extend-ai@1.17.0 client against its 2026-02-09
// endpoints. Every response validates against the calling SDK's declared
// type, and values are compared across the two versions of the same state.

const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const { startStack, uid, Legacy, poll } = require("../lib/harness");
const { assertLegacy, assertNew } = require("../lib/expect");
const { rejects, expectLegacyErrorBody } = require("../lib/flows");
const { validatingFetcher } = require("../lib/observe");

const T = { timeout: 30000 };
const EXTRACTOR = "ex_Ee4Rr6Tt8Yy0Uu2Ii4Oo"; // the sim's default workflow processors (sim/model.go)
const CLASSIFIER = "cl_Mm1Nn3Bb5Vv7Cc9Xx1Zz";
const SPLITTER = "spl_Qq3Ww5Ee7Rr9Tt1Yy3Uu";
const BATCH_RUN = "bpr_Ev1Ev2Ev3Ev4Ev5Ev6Ev";
let stack;
let legacy; // extend-ai@0.0.12 straight at the simulator
let newer; // extend-ai@1.17.0 straight at the simulator

before(async () => {
  stack = await startStack();
  legacy = new Legacy.ExtendClient({
    token: "test-token",
    baseUrl: stack.simUrl,
    headers: { "x-conformance-direct": "1" },
    fetcher: validatingFetcher("legacy", stack.violations),
  });
  newer = stack.newSim;
}, { timeout: 180000 });
after(async () => {
  await stack?.stop();
}, { timeout: 15000 });

const pdf = (name) => new File(["%PDF-1.7\n1 0 obj <</Type /Page>>\n2 0 obj <</Type /Page>>\n"], name, { type: "application/pdf" });

test("files: both SDKs upload, list, get and delete over one state", T, () =>
  stack.guard(async () => {
    const tag = uid();
    const up = await legacy.file.upload(pdf(`legacy-${tag}.pdf`));
    assertLegacy("FileUploadResponse", up);
    assert.equal(up.file.metadata.pageCount, 2);
    const nup = await newer.files.upload(new File(["plain text body"], `new-${tag}.txt`), {});
    assertNew("File_", nup);
    assert.equal(nup.presignedUrl, null);

    const got = await legacy.file.get(nup.id, { rawText: true, markdown: true, html: true });
    assertLegacy("FileGetResponse", got);
    assert.equal(got.file.contents.rawText, "plain text body");
    const ngot = await newer.files.retrieve(up.file.id, { markdown: true });
    assertNew("File_", ngot);
    const lgot = await legacy.file.get(up.file.id, { markdown: true });
    assert.equal(lgot.file.contents.markdown, ngot.contents.sections.map((s) => s.markdown).join("\n\n"));

    const list = await legacy.file.list({ nameContains: tag, maxPageSize: 1, sortDir: "asc" });
    assertLegacy("FileListResponse", list);
    assert.equal(list.files[0].id, up.file.id);
    const list2 = await newer.files.list({ nameContains: tag, maxPageSize: 1, sortDir: "asc", nextPageToken: list.nextPageToken });
    assertNew("FilesListResponse", list2);
    assert.equal(list2.data[0].id, nup.id);

    const del = await legacy.file.delete(up.file.id);
    assertLegacy("FileDeleteResponse", del);
    assertNew("FilesDeleteResponse", await newer.files.delete(nup.id));
    expectLegacyErrorBody((await rejects(legacy.file.get(up.file.id), Legacy.Extend.NotFoundError, 404, "deleted file")).body);
  }),
);

test("parse: sync, async and parser runs in both versions", T, () =>
  stack.guard(async () => {
    const fileUrl = `https://f.example.org/${uid()}/statement.pdf`;
    const run = await legacy.parse({ file: { fileUrl }, config: { chunkingStrategy: { type: "page" }, advancedOptions: { agenticOcrEnabled: true } } });
    assertLegacy("ParserRun", run);
    assert.equal(run.status, "PROCESSED");
    assert.ok(run.chunks.every((c) => c.blocks.every((b) => ["text", "heading", "section_heading", "table", "figure"].includes(b.type))));
    const same = await newer.parseRuns.retrieve(run.id);
    assertNew("ParseRun", same);
    assert.equal(same.output.chunks.length, run.chunks.length);
    assert.ok(same.output.chunks[0].blocks.some((b) => b.type === "key_value"), "2026 shows the new block types");
    assert.equal(same.config.blockOptions.text.agentic.enabled, true);

    const got = await legacy.parserRun.get(run.id, { responseType: "json" });
    assertLegacy("ParserRunGetResponse", got);
    assert.equal(got.parserRun.object, "parser_run");

    const nsync = await newer.parse({ file: { url: fileUrl, name: "statement.pdf" }, config: { blockOptions: { keyValue: {} } } });
    assertNew("ParseRun", nsync);
    assert.equal(nsync.status, "PROCESSED");
    const created = await newer.parseRuns.create({ file: { id: nsync.file.id }, metadata: { ref: "x" } });
    assertNew("ParseRun", created);
    const asyncRun = await legacy.parseAsync({ file: { fileId: nsync.file.id } });
    assertLegacy("ParserRunStatus", asyncRun);
    assert.equal(asyncRun.status, "PROCESSING");
    const done = await poll(() => legacy.parserRun.get(asyncRun.id), (r) => r.parserRun.object === "parser_run");
    assertLegacy("ParserRunGetResponse", done);

    assertLegacy("ParserRunDeleteResponse", await legacy.parserRun.delete(asyncRun.id));
    assertNew("ParseRunsDeleteResponse", await newer.parseRuns.delete(created.id));
    expectLegacyErrorBody((await rejects(legacy.parserRun.get(asyncRun.id), Legacy.Extend.NotFoundError, 404, "deleted parser run")).body);
    await rejects(legacy.parse({ file: {} }), Legacy.Extend.BadRequestError, 400, "parse without a file");
  }),
);

test("processor family: both SDKs, one state", T, () =>
  stack.guard(async () => {
    assertLegacy("ListProcessorsResponse", await legacy.processor.list({ type: "EXTRACT" }));
    assertNew("LegacyListProcessorsResponse", await newer.processor.list({ maxPageSize: 2 }));
    const config = {
      type: "EXTRACT",
      schema: { type: "object", properties: { invoice_number: { type: "string" } } },
      parser: { target: "markdown", advancedOptions: { agenticOcrEnabled: true } },
    };
    const created = await legacy.processor.create({ name: `P ${uid()}`, type: "EXTRACT", config });
    assertLegacy("ProcessorCreateResponse", created);
    const id = created.processor.id;
    const upd = await newer.processor.update(id, { name: "renamed" });
    assertNew("ProcessorUpdateResponse", upd);
    assertLegacy("ProcessorUpdateResponse", await legacy.processor.update(id, { name: "renamed again" }));
    const pub = await legacy.processorVersion.create(id, { releaseType: "major", description: "v1" });
    assertLegacy("ProcessorVersionCreateResponse", pub);
    assertNew("ProcessorVersionCreateResponse", await newer.processorVersion.create(id, { releaseType: "minor" }));
    assertLegacy("ProcessorVersionListResponse", await legacy.processorVersion.list(id));
    assertNew("ProcessorVersionListResponse", await newer.processorVersion.list(id));
    assertLegacy("ProcessorVersionGetResponse", await legacy.processorVersion.get(id, pub.processorVersion.id));
    assertNew("ProcessorVersionGetResponse", await newer.processorVersion.get(id, pub.processorVersion.id));

    const run = await legacy.processorRun.create({ processorId: EXTRACTOR, file: { fileUrl: `https://f.example.org/${uid()}/inv.pdf` }, sync: true });
    assertLegacy("ProcessorRunCreateResponse", run);
    assert.equal(run.processorRun.output.value.invoice_number, "INV-0042");
    const nrun = await newer.processorRun.get(run.processorRun.id);
    assertNew("ProcessorRunGetResponse", nrun);
    assert.equal(nrun.processorRun.output.metadata.vendor_name.logprobsConfidence, null);
    assert.equal(run.processorRun.output.metadata.vendor_name.logprobsConfidence, undefined);
    assertLegacy("ProcessorRunGetResponse", await legacy.processorRun.get(run.processorRun.id));
    const slow = await newer.processorRun.create({ processorId: CLASSIFIER, rawText: "Invoice 42" });
    assertNew("ProcessorRunCreateResponse", slow);
    assertLegacy("ProcessorRunCancelResponse", await legacy.processorRun.cancel(slow.processorRun.id));
    const split = await legacy.processorRun.create({ processorId: SPLITTER, rawText: "two docs", sync: true });
    assertNew("ProcessorRunCancelResponse", { success: true, processorRun: (await newer.processorRun.get(split.processorRun.id)).processorRun });
    assertLegacy("ProcessorRunListResponse", await legacy.processorRun.list({ processorId: CLASSIFIER, status: "CANCELLED" }));
    assertNew("ProcessorRunListResponse", await newer.processorRun.list({ maxPageSize: 2 }));
    assertLegacy("BatchProcessorRunGetResponse", await legacy.batchProcessorRun.get(BATCH_RUN));
    assertNew("BatchProcessorRunGetResponse", await newer.batchProcessorRun.get(BATCH_RUN));
    assertLegacy("ProcessorRunDeleteResponse", await legacy.processorRun.delete(run.processorRun.id));
    assertNew("ProcessorRunDeleteResponse", await newer.processorRun.delete(slow.processorRun.id));
    await rejects(legacy.processorRun.get(run.processorRun.id), Legacy.Extend.NotFoundError, 404, "deleted processor run");
  }),
);

test("evaluation sets and items: both SDKs, one state", T, () =>
  stack.guard(async () => {
    const file = await newer.files.upload(pdf(`eval-${uid()}.pdf`), {});
    const set = await legacy.evaluationSet.create({ name: "Invoices", description: "eval", processorId: EXTRACTOR });
    assertLegacy("EvaluationSetCreateResponse", set);
    const setId = set.evaluationSet.id;
    const nset = await newer.evaluationSets.retrieve(setId);
    assertNew("EvaluationSet", nset);
    assert.equal(nset.entity.id, EXTRACTOR);
    assertLegacy("EvaluationSetGetResponse", await legacy.evaluationSet.get(setId));
    assertLegacy("EvaluationSetListResponse", await legacy.evaluationSet.list({ processorId: EXTRACTOR }));
    assertNew("EvaluationSetsListResponse", await newer.evaluationSets.list({ entityId: EXTRACTOR }));
    const nset2 = await newer.evaluationSets.create({ name: "Splits", entityId: SPLITTER });
    assertNew("EvaluationSet", nset2);

    const one = await legacy.evaluationSetItem.create({ evaluationSetId: setId, fileId: file.id, expectedOutput: { value: { invoice_number: "INV-1" } } });
    assertLegacy("EvaluationSetItemCreateResponse", one);
    const bulk = await legacy.evaluationSetItem.createBatch({
      evaluationSetId: nset2.id,
      items: [{ fileId: file.id, expectedOutput: { splits: [{ id: "a", classificationId: "invoice", type: "invoice", startPage: 1, endPage: 2 }] } }],
    });
    assertLegacy("EvaluationSetItemCreateBatchResponse", bulk);
    const ncreated = await newer.evaluationSetItems.create(nset2.id, {
      items: [{ fileId: file.id, expectedOutput: { splits: [{ classificationId: "other", type: "other", startPage: 1, endPage: 1 }] } }],
    });
    assertNew("EvaluationSetItemsCreateResponse", ncreated);
    const litems = await legacy.evaluationSetItem.list(nset2.id);
    assertLegacy("EvaluationSetItemListResponse", litems);
    assert.equal(litems.evaluationSetItems.length, 2);
    const nitems = await newer.evaluationSetItems.list(nset2.id, { maxPageSize: 1 });
    assertNew("EvaluationSetItemsListResponse", nitems);
    const item = await newer.evaluationSetItems.retrieve(setId, one.evaluationSetItem.id);
    assertNew("EvaluationSetItem", item);
    assert.deepEqual(item.expectedOutput, { value: { invoice_number: "INV-1" } });
    const upd = await legacy.evaluationSetItem.update(one.evaluationSetItem.id, { expectedOutput: { value: { invoice_number: "INV-2" } } });
    assertLegacy("EvaluationSetItemUpdateResponse", upd);
    assertNew("EvaluationSetItem", await newer.evaluationSetItems.update(setId, one.evaluationSetItem.id, { expectedOutput: { value: {} } }));
    assertLegacy("EvaluationSetItemDeleteResponse", await legacy.evaluationSetItem.delete(one.evaluationSetItem.id));
    assertNew("EvaluationSetItemsDeleteResponse", await newer.evaluationSetItems.delete(nset2.id, ncreated.evaluationSetItems[0].id));
    await rejects(legacy.evaluationSetItem.delete(one.evaluationSetItem.id), Legacy.Extend.NotFoundError, 404, "deleted item");
  }),
);

test("workflow.create in both versions, and the new workflow takes runs", T, () =>
  stack.guard(async () => {
    const lw = await legacy.workflow.create({ name: `Legacy ${uid()}` });
    assertLegacy("WorkflowCreateResponse", lw);
    assert.equal(lw.workflow.version, "draft");
    const nw = await newer.workflows.create({ name: "New", steps: [{ name: "Trigger", type: "TRIGGER", next: [{ step: "Parse" }] }, { name: "Parse", type: "PARSE" }] });
    assertNew("Workflow", nw);
    assert.equal(nw.draftVersion.version, "draft");
    const runs = await legacy.workflowRun.create({ workflowId: lw.workflow.id, rawTexts: ["hello"] });
    assert.equal(runs.workflowRuns.length, 1);
  }),
);
