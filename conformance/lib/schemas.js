"use strict";
// Generates JSON Schemas from the two SDK packages' own .d.ts declarations at test
// time (never committed), caches them in the OS temp dir keyed by the package
// versions and generator settings, and compiles them with a strict ajv.
//
// Run standalone (`npm run schemas`) to (re)generate and print a summary.

const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const crypto = require("node:crypto");
const Ajv = require("ajv");
const addFormats = require("ajv-formats");

const ROOT = path.join(__dirname, "..");
const NM = path.join(ROOT, "node_modules");

// Response types of the legacy methods beyond workflow runs (files, parse,
// processor family, evaluation sets and items, workflows).
const SURFACE_LEGACY = [
  "FileListResponse", "FileGetResponse", "FileDeleteResponse", "FileUploadResponse",
  "ParserRun", "ParserRunStatus", "ParserRunGetResponse", "ParserRunDeleteResponse",
  "ProcessorRunListResponse", "ProcessorRunCreateResponse", "ProcessorRunGetResponse", "ProcessorRunDeleteResponse",
  "ProcessorRunCancelResponse", "BatchProcessorRunGetResponse", "ListProcessorsResponse", "ProcessorCreateResponse",
  "ProcessorUpdateResponse", "ProcessorVersionGetResponse", "ProcessorVersionListResponse", "ProcessorVersionCreateResponse",
  "WorkflowCreateResponse", "EvaluationSetListResponse", "EvaluationSetCreateResponse", "EvaluationSetGetResponse",
  "EvaluationSetItemListResponse", "EvaluationSetItemCreateResponse", "EvaluationSetItemUpdateResponse",
  "EvaluationSetItemDeleteResponse", "EvaluationSetItemCreateBatchResponse",
];

// The 2026-02-09 types those methods map to (responses and request bodies).
const SURFACE_NEW = [
  "File_", "FilesListResponse", "FilesDeleteResponse", "ParseRun", "ParseRunsDeleteResponse",
  "ProcessorRunListResponse", "ProcessorRunCreateResponse", "ProcessorRunGetResponse", "ProcessorRunDeleteResponse",
  "ProcessorRunCancelResponse", "BatchProcessorRunGetResponse", "LegacyListProcessorsResponse", "ProcessorCreateResponse",
  "ProcessorUpdateResponse", "ProcessorVersionGetResponse", "ProcessorVersionListResponse", "ProcessorVersionCreateResponse",
  "Workflow", "EvaluationSet", "EvaluationSetsListResponse", "EvaluationSetItem", "EvaluationSetItemsListResponse",
  "EvaluationSetItemsCreateResponse", "EvaluationSetItemsDeleteResponse",
  "ParseRunsCreateRequest", "ProcessorRunCreateRequest", "ProcessorCreateRequest", "ProcessorUpdateRequest",
  "ProcessorVersionCreateRequest", "EvaluationSetsCreateRequest", "EvaluationSetItemsCreateRequest",
  "EvaluationSetItemsUpdateRequest", "WorkflowsCreateRequest",
  // Request types of the calls the proxy makes (bodies and query parameters; flows.js auditUpstream).
  "ParseRequest", "FilesListRequest", "FilesRetrieveRequest", "FilesUploadRequest", "ParseRunsRetrieveRequest",
  "ProcessorRunListRequest", "ProcessorListRequest", "EvaluationSetsListRequest", "EvaluationSetItemsListRequest",
];

// Legacy (extend-ai@0.0.12) response and error-body types the proxy emits.
const LEGACY_TYPES = [
  "WorkflowRunCreateResponse",
  "WorkflowRunListResponse",
  "WorkflowRunGetResponse",
  "WorkflowRunUpdateResponse",
  "WorkflowRunDeleteResponse",
  "WorkflowRunCancelResponse",
  "BatchWorkflowRunCreateResponse",
  "WorkflowRunOutputUpdateResponse",
  "Error_",
  "BadRequestErrorBody",
  "TooManyRequestsErrorBody",
  // Webhook events the relay delivers (webhook/), and the docs' step-run payload.
  "WebhookEvent",
  "WebhookEventWorkflowRun",
  "WebhookEventProcessorRun",
  "WebhookEventWorkflow",
  "WebhookEventProcessor",
  "WebhookEventProcessorVersion",
  "StepRun",
  // Request types: used to check what the test itself sends is well-typed.
  "WorkflowRunCreateRequest",
  "BatchWorkflowRunCreateRequest",
  // The rest of the legacy surface (docs/spec/surface-2026-02-09.md).
  ...SURFACE_LEGACY,
];

// New (extend-ai@1.17.0) response and request types the simulator serves/receives.
const NEW_TYPES = [
  "WorkflowRun",
  "WorkflowRunsListResponse",
  "WorkflowRunsDeleteResponse",
  "WorkflowRunsCreateBatchResponse",
  "WorkflowRunsCreateRequest",
  "WorkflowRunsCreateBatchRequest",
  "WorkflowRunsUpdateRequest",
  "ApiError",
  ...SURFACE_NEW,
];

const SIDES = {
  legacy: { pkg: "extend-legacy", types: LEGACY_TYPES },
  new: { pkg: "extend-new", types: NEW_TYPES },
};

function pkgVersion(pkg) {
  return JSON.parse(fs.readFileSync(path.join(NM, pkg, "package.json"), "utf8")).version;
}

function generatorVersion() {
  return JSON.parse(
    fs.readFileSync(path.join(NM, "ts-json-schema-generator", "package.json"), "utf8"),
  ).version;
}

function cacheFile(side) {
  const { pkg, types } = SIDES[side];
  const key = crypto
    .createHash("sha256")
    .update([pkg, pkgVersion(pkg), generatorVersion(), types.join(","), "v2"].join("|"))
    .digest("hex")
    .slice(0, 16);
  const dir = process.env.CONFORMANCE_SCHEMA_CACHE || path.join(os.tmpdir(), "extend-conformance-schemas");
  return path.join(dir, `${side}-${key}.json`);
}

// generate builds one schema document holding every definition reachable from
// the requested root types. additionalProperties:false is the generator's
// default for interfaces without an index signature, which is exactly the
// strict projection the legacy side must honour.
function generate(side) {
  const { createGenerator } = require("ts-json-schema-generator");
  const { pkg, types } = SIDES[side];
  const gen = createGenerator({
    path: path.join(NM, pkg, "api", "index.d.ts"),
    tsconfig: path.join(ROOT, "tsconfig.schema.json"),
    skipTypeCheck: true,
    expose: "all",
    topRef: true,
    jsDoc: "none",
    additionalProperties: false,
    encodeRefs: false,
  });
  const definitions = {};
  for (const t of types) {
    const s = gen.createSchema(t);
    Object.assign(definitions, s.definitions);
  }
  return { $id: `extend-${side}`, definitions };
}

/** loadSchemas returns the generated schema document for "legacy" or "new", from the cache when possible. */
function loadSchemas(side) {
  const file = cacheFile(side);
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    // cache miss: generate below
  }
  const doc = generate(side);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(doc));
  fs.renameSync(tmp, file);
  return doc;
}

// relaxLegacy applies the two documented exceptions to strict legacy typing:
// ProcessorRun.output may be null (mapping.md §4.5.3), and a StepRun's output
// for EXTERNAL_DATA_VALIDATION is the external endpoint's arbitrary JSON, which
// the SDK nevertheless types as StepRunOutput {rules?}. The rule-validation
// shape is still checked by the tests separately.
function relaxLegacy(doc) {
  const d = structuredClone(doc);
  const pr = d.definitions.ProcessorRun;
  if (!pr) throw new Error("legacy schema lacks ProcessorRun");
  pr.properties.output = { anyOf: [pr.properties.output, { type: "null" }] };
  const sro = d.definitions.StepRunOutput;
  if (!sro) throw new Error("legacy schema lacks StepRunOutput");
  d.definitions.StepRunOutputStrict = structuredClone(sro);
  delete sro.additionalProperties;
  return d;
}

function makeAjv(doc) {
  const ajv = new Ajv({ strict: true, allErrors: true, allowUnionTypes: true, strictTuples: false });
  addFormats(ajv);
  ajv.addSchema(doc);
  return ajv;
}

/** Validators exposes validate(typeName, value) → string[] of errors (empty when valid). */
class Validators {
  constructor(side) {
    const raw = loadSchemas(side);
    this.side = side;
    this.doc = side === "legacy" ? relaxLegacy(raw) : raw;
    this.ajv = makeAjv(this.doc);
    this.cache = new Map();
  }

  validator(type) {
    if (!this.cache.has(type)) {
      if (!this.doc.definitions[type]) throw new Error(`${this.side}: no schema for type ${type}`);
      this.cache.set(type, this.ajv.getSchema(`${this.doc.$id}#/definitions/${type}`));
    }
    return this.cache.get(type);
  }

  validate(type, value) {
    const v = this.validator(type);
    if (v(value)) return [];
    return v.errors.map((e) => `${type}${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
  }
}

let legacy;
let newer;
/** legacyValidators returns the shared validators for extend-ai@0.0.12 types. */
function legacyValidators() {
  legacy ??= new Validators("legacy");
  return legacy;
}
/** newValidators returns the shared validators for extend-ai@1.17.0 types. */
function newValidators() {
  newer ??= new Validators("new");
  return newer;
}

module.exports = { legacyValidators, newValidators, loadSchemas, LEGACY_TYPES, NEW_TYPES, SURFACE_LEGACY, SURFACE_NEW };

if (require.main === module) {
  for (const side of Object.keys(SIDES)) {
    const t0 = Date.now();
    const v = side === "legacy" ? legacyValidators() : newValidators();
    for (const t of SIDES[side].types) v.validator(t);
    console.log(
      `${side}: ${Object.keys(v.doc.definitions).length} definitions, ${SIDES[side].types.length} roots compiled ` +
        `in ${Date.now() - t0} ms (cache ${cacheFile(side)})`,
    );
  }
}
