"use strict";
// Value checks: a legacy WorkflowRun returned by the proxy against the
// 2026-02-09 run the simulator reports for the same id, following
// shared/spec/mapping.md §4 rule by rule (written independently of the proxy).

const assert = require("node:assert/strict");
const { legacyValidators, newValidators } = require("./schemas");

const FILE_TYPES = new Set(["PDF", "CSV", "IMG", "TXT", "DOCX", "EXCEL", "XML", "HTML"]);
const OUTPUT_TYPE = {
  EXTRACT: "EXTRACT",
  MERGE_EXTRACT: "EXTRACT",
  CONDITIONAL_EXTRACT: "EXTRACT",
  CLASSIFY: "CLASSIFY",
  SPLIT: "SPLITTER",
};
const RUN_KEY = { EXTRACT: "extractRun", CLASSIFY: "classifyRun", SPLITTER: "splitRun" };
const PROCESSOR_KEY = { EXTRACT: "extractor", CLASSIFY: "classifier", SPLITTER: "splitter" };

/** assertLegacy fails unless value validates against the legacy SDK type. */
function assertLegacy(type, value) {
  const errs = legacyValidators().validate(type, value);
  assert.deepEqual(errs, [], `legacy ${type} schema violations:\n${errs.join("\n")}\nbody: ${clip(value)}`);
}

/** assertNew fails unless value validates against the new SDK type. */
function assertNew(type, value) {
  const errs = newValidators().validate(type, value);
  assert.deepEqual(errs, [], `new ${type} schema violations:\n${errs.join("\n")}\nbody: ${clip(value)}`);
}

function clip(v) {
  const s = JSON.stringify(v);
  return s && s.length > 3000 ? `${s.slice(0, 3000)}…` : s;
}

// optional checks a legacy-optional key that comes from a new nullable value:
// equal when non-null, absent when null.
function optional(obj, key, value, where) {
  if (value === null || value === undefined) {
    assert.ok(!(key in obj), `${where}.${key} must be absent when the new value is null, got ${clip(obj[key])}`);
  } else {
    assert.deepEqual(obj[key], value, `${where}.${key}`);
  }
}

function stepType(sr) {
  return sr.stepType ?? sr.step?.type;
}

/** expectFile checks a legacy File_ against a new FileSummary. */
function expectFile(lf, nf, where) {
  assert.equal(lf.object, "file", `${where}.object`);
  assert.equal(lf.id, nf.id, `${where}.id`);
  assert.equal(lf.name, nf.name, `${where}.name`);
  optional(lf, "type", FILE_TYPES.has(nf.type) ? nf.type : null, where);
  optional(lf, "parentFileId", nf.parentFileId, where);
  assert.equal(lf.createdAt, nf.createdAt, `${where}.createdAt`);
  assert.equal(lf.updatedAt, nf.updatedAt, `${where}.updatedAt`);
  const md = {};
  if (nf.metadata?.pageCount !== undefined && nf.metadata.pageCount !== null) md.pageCount = nf.metadata.pageCount;
  if (nf.metadata?.parentSplit) {
    const { id, type, identifier, startPage, endPage } = nf.metadata.parentSplit;
    md.parentSplit = { id, type, identifier, startPage, endPage };
  }
  assert.deepEqual(lf.metadata, md, `${where}.metadata`);
}

function reasoningOnly(insights) {
  return (insights ?? []).filter((i) => i.type === "reasoning").map(({ type, content }) => ({ type, content }));
}

// expectOutputValue compares a ProcessorRun output with the new run's output.
function expectOutputValue(lo, no, type, where) {
  if (no === null || no === undefined) {
    assert.equal(lo, null, `${where} must be null when the new output is null`);
    return;
  }
  if (type === "CLASSIFY") {
    assert.deepEqual(lo, { id: no.id, type: no.type, confidence: no.confidence, insights: reasoningOnly(no.insights) }, where);
  } else if (type === "SPLITTER") {
    assert.deepEqual(lo.splits, no.splits, `${where}.splits`);
  } else if ("value" in no && "metadata" in no) {
    assert.deepEqual(lo.value, no.value, `${where}.value`);
    assert.deepEqual(Object.keys(lo.metadata).sort(), Object.keys(no.metadata ?? {}).sort(), `${where}.metadata keys`);
    for (const [field, m] of Object.entries(no.metadata ?? {})) {
      const lm = lo.metadata[field];
      optional(lm, "ocrConfidence", m.ocrConfidence, `${where}.metadata.${field}`);
      optional(lm, "logprobsConfidence", m.logprobsConfidence, `${where}.metadata.${field}`);
      const pages = (m.citations ?? []).map((c) => c.page?.number);
      assert.deepEqual((lm.citations ?? []).map((c) => c.page), pages, `${where}.metadata.${field}.citations[].page`);
    }
  } else {
    assert.deepEqual(lo, no, `${where} (fields-array output)`);
  }
}

const LEGACY_BASE = {
  EXTRACT: ["extraction_performance", "extraction_light"],
  CLASSIFY: ["classification_performance", "classification_light"],
  SPLITTER: ["splitting_performance", "splitting_light"],
};

// expectConfig checks the copied parts of a converted config (mapping §4.5.5).
function expectConfig(lc, nc, type, where) {
  assert.equal(lc.type, type, `${where}.type`);
  optional(lc, "baseProcessor", LEGACY_BASE[type].includes(nc.baseProcessor) ? nc.baseProcessor : null, where);
  optional(lc, "baseVersion", nc.baseVersion, where);
  if (type === "EXTRACT") {
    optional(lc, "schema", nc.schema, where);
    optional(lc, "fields", nc.fields, where);
    optional(lc, "extractionRules", nc.extractionRules, where);
  } else if (type === "CLASSIFY") {
    assert.deepEqual(lc.classifications, (nc.classifications ?? []).map(({ id, type: ty, description }) => ({ id, type: ty, description })), `${where}.classifications`);
  } else {
    assert.deepEqual(lc.splitClassifications, (nc.splitClassifications ?? []).map(({ id, type: ty, description }) => ({ id, type: ty, description })), `${where}.splitClassifications`);
    const m = nc.advancedOptions?.splitMethod;
    if (m) assert.equal(lc.advancedOptions?.splitMethod, m === "basic_precision" ? "low_latency" : m, `${where}.advancedOptions.splitMethod`);
  }
  if (nc.parseConfig?.target) assert.equal(lc.parser?.target, nc.parseConfig.target, `${where}.parser.target (from parseConfig)`);
  if (!nc.parseConfig) assert.ok(!("parser" in lc), `${where}.parser must be absent without parseConfig`);
}

/** expectOutputs checks legacy outputs[] rebuilt from the new stepRuns (mapping §4.5). */
function expectOutputs(outputs, stepRuns, where) {
  const expected = stepRuns.filter((sr) => OUTPUT_TYPE[stepType(sr)] && sr.result);
  assert.deepEqual(
    outputs.map((o) => `${o.type}:${o.id}`),
    expected.map((sr) => {
      const t = OUTPUT_TYPE[stepType(sr)];
      return `${t}:${sr.result[RUN_KEY[t]].id}`;
    }),
    `${where}: output ids/types = extract/classify/split run ids in stepRuns order`,
  );
  expected.forEach((sr, i) => {
    const o = outputs[i];
    const w = `${where}[${i}]`;
    const t = OUTPUT_TYPE[stepType(sr)];
    const r = sr.result[RUN_KEY[t]];
    const proc = r[PROCESSOR_KEY[t]];
    const ver = r[`${PROCESSOR_KEY[t]}Version`];
    assert.equal(o.object, "document_processor_run", `${w}.object`);
    assert.equal(o.processorId, proc?.id ?? "", `${w}.processorId`);
    assert.equal(o.processorVersionId, ver?.id ?? "", `${w}.processorVersionId`);
    assert.equal(o.processorName, proc?.name ?? sr.step.name, `${w}.processorName`);
    assert.equal(o.status, r.status, `${w}.status`);
    assert.equal(o.url, r.dashboardUrl, `${w}.url`);
    assert.equal(o.reviewed, r.reviewed, `${w}.reviewed`);
    assert.equal(o.edited, r.edited ?? false, `${w}.edited`);
    assert.equal(o.config?.type, t, `${w}.config.type`);
    optional(o, "failureReason", r.failureReason, w);
    optional(o, "failureMessage", r.failureMessage, w);
    expectOutputValue(o.output, r.output, t, `${w}.output`);
    // initialOutput: the new initialOutput, else the output itself when nobody reviewed it (mapping §4.5.2).
    const initial = r.initialOutput ?? (r.reviewed ? null : r.output);
    if (initial) expectOutputValue(o.initialOutput, initial, t, `${w}.initialOutput`);
    else assert.ok(!("initialOutput" in o), `${w}.initialOutput must be absent`);
    const edits = Object.fromEntries(Object.entries(t === "EXTRACT" ? r.edits ?? {} : {}).filter(([, v]) => v !== null));
    assert.deepEqual(Object.keys(o.edits).sort(), Object.keys(edits).sort(), `${w}.edits keys`);
    optional(o, "metadata", r.metadata, w);
    expectConfig(o.config, r.config ?? {}, t, `${w}.config`);
    if (r.reviewedOutput) expectOutputValue(o.reviewedOutput, r.reviewedOutput, t, `${w}.reviewedOutput`);
    else assert.ok(!("reviewedOutput" in o), `${w}.reviewedOutput must be absent`);
    const merged = stepType(sr) === "MERGE_EXTRACT"
      ? sr.result.mergedExtractors.map((m) => ({ processorId: m.id, processorVersionId: m.versionId, processorName: m.name }))
      : [];
    assert.deepEqual(o.mergedProcessors, merged, `${w}.mergedProcessors`);
    optional(o, "usage", r.usage ? { credits: r.usage.credits } : null, w);
    const files = r.file ? [r.file] : r.files ?? sr.files;
    assert.equal(o.files.length, files.length, `${w}.files length`);
    files.forEach((f, j) => expectFile(o.files[j], f, `${w}.files[${j}]`));
  });
}

/** expectStepRuns checks legacy stepRuns[]: validation steps only, validArray as strings (mapping §4.6). */
function expectStepRuns(legacySteps, stepRuns, where) {
  const expected = stepRuns.filter((sr) => ["RULE_VALIDATION", "EXTERNAL_DATA_VALIDATION"].includes(stepType(sr)));
  assert.deepEqual(legacySteps.map((s) => s.id), expected.map((s) => s.id), `${where} ids`);
  expected.forEach((sr, i) => {
    const ls = legacySteps[i];
    const w = `${where}[${i}]`;
    assert.equal(ls.object, "workflow_step_run", `${w}.object`);
    assert.equal(ls.status, sr.status === "WAITING" ? "PENDING" : sr.status, `${w}.status`);
    assert.deepEqual(ls.step, { object: "workflow_step", id: sr.step.id, name: sr.step.name, type: stepType(sr) }, `${w}.step`);
    if (!sr.result) {
      assert.ok(!("output" in ls), `${w}.output must be absent when result is null`);
    } else if (stepType(sr) === "EXTERNAL_DATA_VALIDATION") {
      assert.deepEqual(ls.output, sr.result.response.data, `${w}.output = response.data`);
    } else {
      assertLegacy("StepRunOutputStrict", ls.output);
      const rules = sr.result.rules.map((r) => {
        const o = { name: r.name, valid: r.valid };
        if (r.validArray) o.validArray = r.validArray.map((b) => String(b));
        if (["RULE_FAILED", "PARSE_ERROR", "VALUE_ERROR"].includes(r.failureReason)) o.failureReason = r.failureReason;
        if (r.error !== null && r.error !== undefined) o.error = r.error;
        return o;
      });
      assert.deepEqual(ls.output, { rules }, `${w}.output.rules (validArray as strings)`);
    }
  });
}

/**
 * expectLegacyRun checks every field of a legacy WorkflowRun against the simulator's
 * run. opts.name overrides the expected name (update echoes the request's name).
 */
function expectLegacyRun(lr, nr, opts = {}) {
  const w = `run ${nr.id}`;
  assert.equal(lr.object, "workflow_run", `${w}.object`);
  assert.equal(lr.id, nr.id, `${w}.id`);
  assert.equal(lr.name, opts.name ?? nr.files[0]?.name ?? "", `${w}.name`);
  assert.equal(lr.url, nr.dashboardUrl, `${w}.url = dashboardUrl`);
  assert.equal(lr.status, nr.status, `${w}.status`);
  assert.deepEqual(lr.metadata, nr.metadata ?? {}, `${w}.metadata`);
  optional(lr, "batchId", nr.batchId, w);
  optional(lr, "failureReason", nr.failureReason, w);
  optional(lr, "failureMessage", nr.failureMessage, w);
  optional(lr, "reviewedBy", nr.reviewedByUser, w);
  optional(lr, "rejectionNote", nr.rejectionNote, w);
  optional(lr, "reviewedAt", nr.reviewedAt, w);
  optional(lr, "startTime", nr.startTime, w);
  optional(lr, "endTime", nr.endTime, w);
  assert.equal(lr.reviewed, nr.reviewed, `${w}.reviewed`);
  if (nr.initialRunAt) assert.equal(lr.initialRunAt, nr.initialRunAt, `${w}.initialRunAt`);
  else assert.ok(!Number.isNaN(Date.parse(lr.initialRunAt)), `${w}.initialRunAt must be a timestamp`);
  assert.deepEqual(
    lr.workflow,
    { object: "workflow", id: nr.workflow.id, version: nr.workflowVersion.version, name: nr.workflow.name },
    `${w}.workflow`,
  );
  optional(lr, "usage", nr.usage ? { credits: nr.usage.credits } : null, w);
  assert.equal(lr.files.length, nr.files.length, `${w}.files length`);
  nr.files.forEach((f, i) => expectFile(lr.files[i], f, `${w}.files[${i}]`));
  expectOutputs(lr.outputs, nr.stepRuns, `${w}.outputs`);
  expectStepRuns(lr.stepRuns, nr.stepRuns, `${w}.stepRuns`);
}

/** expectLegacySummary checks a legacy WorkflowRunSummary against the new summary (mapping §4.7). */
function expectLegacySummary(ls, ns) {
  const w = `summary ${ns.id}`;
  assert.equal(ls.id, ns.id, `${w}.id`);
  assert.equal(ls.status, ns.status, `${w}.status`);
  assert.equal(ls.workflowId, ns.workflow.id, `${w}.workflowId`);
  assert.equal(ls.workflowName, ns.workflow.name, `${w}.workflowName`);
  assert.equal(ls.workflowVersionId, ns.workflowVersion.id, `${w}.workflowVersionId`);
  assert.equal(ls.createdAt, ns.createdAt, `${w}.createdAt`);
  assert.equal(ls.updatedAt, ns.updatedAt, `${w}.updatedAt`);
  for (const k of ["initialRunAt", "reviewedByUser", "reviewedAt", "startTime", "endTime", "batchId", "rejectionNote"]) {
    optional(ls, k, ns[k], w);
  }
  optional(ls, "usage", ns.usage ? { credits: ns.usage.credits } : null, w);
}

module.exports = { assertLegacy, assertNew, expectLegacyRun, expectLegacySummary, expectFile, stepType };
