"use strict";
// The webhook relay against the legacy SDK's own types: every event it
// delivers (each surface §9.3 golden event, and the simulator's events of real
// runs created through the proxy with extend-ai@0.0.12) validates against JSON
// Schemas generated from 0.0.12's WebhookEvent* declarations, and verifies with
// the legacy docs' algorithm over JSON.stringify(parsed body).

const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { legacyValidators } = require("../lib/schemas");
const { startReceiver, startRelayStack, postEvent, sleep } = require("../lib/webhooks");
const { Legacy, uid } = require("../lib/harness");

const GOLDEN = path.join(__dirname, "..", "..", "webhook", "testdata", "golden");
const SECRET_IN = "wss_conformance_new";
const SECRET_OUT = "legacy_receiver_secret";
let recv;
let stack;

before(async () => {
  recv = await startReceiver(SECRET_OUT);
  stack = await startRelayStack(({ proxy, sim, admin, dir }) => `
listen: "127.0.0.1:${proxy}"
adminListen: "127.0.0.1:${admin}"
simListen: "127.0.0.1:${sim}"
upstream: sim
simulator:
  pendingFor: "50ms"
  processFor: "300ms"
  webhooks:
    - url: "http://127.0.0.1:${proxy}/webhooks/loop"
      secret: "${SECRET_IN}"
    - url: "http://127.0.0.1:${proxy}/webhooks/loop-run"
      secret: "${SECRET_IN}"
webhooks:
  store: "sqlite:${dir}/webhooks.db"
  apiKey: "test-token"   # completes payloads (stepRunPayload: run) through the simulator
  destinations:
    - { name: golden, url: "${recv.url}/golden", secret: "${SECRET_OUT}", newSecrets: ["${SECRET_IN}"], retry: ["0s", "100ms"] }
    - { name: cancelled, url: "${recv.url}/cancelled", secret: "${SECRET_OUT}", newSecrets: ["${SECRET_IN}"], cancelledAs: failed }
    - { name: loop, url: "${recv.url}/loop", secret: "${SECRET_OUT}", newSecrets: ["${SECRET_IN}"] }
    - { name: loop-run, url: "${recv.url}/loop-run", secret: "${SECRET_OUT}", newSecrets: ["${SECRET_IN}"], stepRunPayload: run, stepRunOthers: run }
`);
}, { timeout: 180000 });

after(async () => {
  await stack?.stop();
  await recv?.close();
}, { timeout: 15000 });

// schemaFor names the 0.0.12 type a delivered event must satisfy.
function schemaFor(ev) {
  const t = ev.eventType;
  if (t === "workflow_run.step_run.processed" && ev.payload.object === "workflow_step_run") return "StepRun";
  if (t.startsWith("workflow_run.")) return "WebhookEventWorkflowRun";
  if (t.startsWith("processor_run.")) return "WebhookEventProcessorRun";
  if (t === "processor.version.published") return "WebhookEventProcessorVersion";
  if (t.startsWith("processor.")) return "WebhookEventProcessor";
  if (t.startsWith("workflow.")) return "WebhookEventWorkflow";
  return "WebhookEvent";
}

function validateDelivered(ev) {
  const v = legacyValidators();
  const type = schemaFor(ev);
  if (type === "StepRun") {
    // The docs' shape: the payload is one StepRun; the envelope is still a WebhookEvent's.
    assert.deepEqual(v.validate("StepRun", ev.payload), [], JSON.stringify(ev).slice(0, 400));
    assert.equal(typeof ev.eventId, "string");
    return;
  }
  assert.deepEqual(v.validate(type, ev), [], `${type}: ${JSON.stringify(ev).slice(0, 400)}`);
  assert.deepEqual(v.validate("WebhookEvent", ev), [], `WebhookEvent: ${JSON.stringify(ev).slice(0, 400)}`);
}

async function waitFor(pred, what, boundMs = 20000) {
  const deadline = Date.now() + boundMs;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; rejected: ${recv.rejected.length}\n${stack.logTail()}`);
    await sleep(50);
  }
}

test("every §9.3 golden event is delivered as a valid 0.0.12 WebhookEvent", { timeout: 60000 }, async () => {
  const files = fs.readdirSync(GOLDEN).filter((f) => f.endsWith(".new.json"));
  let expected = 0;
  for (const f of files) {
    const raw = fs.readFileSync(path.join(GOLDEN, f), "utf8");
    const r = await postEvent(`${stack.proxyUrl}/webhooks/golden`, SECRET_IN, raw);
    assert.equal(r.status, 200, `${f}: ${r.text}`);
    const legacyGolden = path.join(GOLDEN, f.replace(".new.json", ".legacy.json"));
    if (fs.existsSync(legacyGolden)) expected++;
  }
  const cancelled = fs.readFileSync(path.join(GOLDEN, "workflow_run_cancelled.new.json"), "utf8");
  assert.equal((await postEvent(`${stack.proxyUrl}/webhooks/cancelled`, SECRET_IN, cancelled)).status, 200);
  await waitFor(() => recv.events.filter((e) => e.path === "/golden").length === expected && recv.events.some((e) => e.path === "/cancelled"), "golden deliveries");
  for (const e of recv.events.filter((e) => e.path === "/golden" || e.path === "/cancelled")) validateDelivered(e.body);
  assert.equal(recv.rejected.length, 0, "a delivery failed the docs' signature check");
});

test("simulator loop: a run created with extend-ai@0.0.12 ends as valid legacy events", { timeout: 60000 }, async () => {
  const client = new Legacy.ExtendClient({ token: "test-token", baseUrl: stack.proxyUrl });
  const res = await client.workflowRun.create({ workflowId: `workflow_${uid()}`, files: [{ fileUrl: "https://files.example.org/a.pdf", fileName: "a.pdf" }] });
  const id = res.workflowRuns[0].id;
  const done = (p) => recv.events.some((e) => e.path === p && e.body.eventType === "workflow_run.completed" && e.body.payload.id === id);
  await waitFor(() => done("/loop") && done("/loop-run"), "workflow_run.completed at both destinations");
  // Step runs: the 2 validation StepRuns at /loop; at /loop-run all 8 as the parent run, fetched.
  const steps = (p) => recv.events.filter((e) => e.path === p && e.body.eventType === "workflow_run.step_run.processed" &&
    (e.body.payload.object === "workflow_step_run" || e.body.payload.id === id)).length;
  await waitFor(() => steps("/loop") >= 2 && steps("/loop-run") >= 8, "step-run events");
  const loop = recv.events.filter((e) => e.path === "/loop" || e.path === "/loop-run");
  for (const e of loop) validateDelivered(e.body);
  const runShaped = loop.filter((e) => e.path === "/loop-run" && e.body.eventType === "workflow_run.step_run.processed");
  assert.ok(runShaped.length > 0 && runShaped.every((e) => e.body.payload.object === "workflow_run"), "stepRunPayload: run delivers WorkflowRuns");
  assert.equal(recv.rejected.length, 0);
});
