"use strict";
// Edge cases a legacy user hits without trying: the 50-file limit exactly,
// concurrent creates, and opaque metadata that must pass through untouched.

const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const { startStack, uid, poll } = require("../lib/harness");
const { assertLegacy } = require("../lib/expect");
const { waitLegacyFinal, upstreamCreates, auditUpstream } = require("../lib/flows");

const T = { timeout: 60000 };
let stack;

// Bounded: a cold `go build` (when PROXY_BIN is unset) plus the 15 s health wait.
before(async () => {
  stack = await startStack();
}, { timeout: 180000 });
after(async () => {
  await stack?.stop();
}, { timeout: 15000 });

test("exactly 50 files are accepted: 50 runs in input order", T, () =>
  stack.guard(async () => {
    await stack.resetRequests();
    const files = Array.from({ length: 50 }, (_, i) => ({ fileUrl: `https://f.example.org/n/${i}.pdf`, fileName: `f-${String(i).padStart(2, "0")}.pdf` }));
    const res = await stack.legacy.workflowRun.create({ workflowId: `workflow_fifty_${uid()}`, files });
    assertLegacy("WorkflowRunCreateResponse", res);
    assert.deepEqual(res.workflowRuns.map((r) => r.name), files.map((f) => f.fileName));
    assert.equal(new Set(res.workflowRuns.map((r) => r.id)).size, 50);
    assert.equal(upstreamCreates(await stack.requests()).length, 50);
  }),
);

test("concurrent multi-file creates each keep their own input order", T, () =>
  stack.guard(async () => {
    const calls = Array.from({ length: 6 }, (_, c) => {
      const files = ["x", "y", "z"].map((n) => ({ fileUrl: `https://f.example.org/${c}/${n}.pdf`, fileName: `${c}-${n}.pdf` }));
      return stack.legacy.workflowRun.create({ workflowId: `workflow_conc_${uid()}`, files, metadata: { call: c } }).then((res) => ({ c, files, res }));
    });
    for (const { c, files, res } of await Promise.all(calls)) {
      assertLegacy("WorkflowRunCreateResponse", res);
      assert.deepEqual(res.workflowRuns.map((r) => r.name), files.map((f) => f.fileName), `call ${c}`);
      for (const r of res.workflowRuns) assert.deepEqual(r.metadata, { call: c });
    }
  }),
);

test("opaque metadata passes through untouched (big integers, nulls, unicode, empty containers)", T, () =>
  stack.guard(async () => {
    const raw = '{"big":12345678901234567890,"n":null,"s":"caf\u00e9 \u2603","e":{},"a":[],"deep":{"x":[1,{"y":null}]}}';
    const body = `{"workflowId":"workflow_meta_${uid()}","rawTexts":["meta"],"metadata":${raw}}`;
    const headers = { authorization: "Bearer test-token", "content-type": "application/json", "x-extend-api-version": "2025-04-21" };
    const r = await fetch(`${stack.proxyUrl}/workflow_runs`, { method: "POST", headers, body });
    assert.equal(r.status, 200);
    const text = await r.text();
    assert.ok(text.includes("12345678901234567890"), `big integer kept digit for digit: ${text.slice(0, 400)}`);
    const parsed = JSON.parse(text);
    assertLegacy("WorkflowRunCreateResponse", parsed);
    const run = parsed.workflowRuns[0];
    assert.deepEqual(run.metadata, JSON.parse(raw));
    const done = await waitLegacyFinal(stack.legacy, run.id);
    assert.deepEqual(done.workflowRun.metadata, JSON.parse(raw));
    const got = await fetch(`${stack.proxyUrl}/workflow_runs/${run.id}`, { headers });
    assert.ok((await got.text()).includes("12345678901234567890"), "big integer kept on get");
  }),
);

test("a client that gives up during fan-out leaves no run behind", T, () =>
  stack.guard(async () => {
    // The sim delays each create response by 1.5 s; the legacy client times out after 0.5 s and
    // never learns the run ids, so any run that got created must be rolled back (mapping §3.1.5).
    const before = await stack.runCount();
    const wf = `workflow_${uid()}_delay_1500`;
    const files = ["a", "b"].map((n) => ({ fileUrl: `https://f.example.org/gone/${n}.pdf` }));
    let err;
    try {
      await stack.legacy.workflowRun.create(
        { workflowId: wf, files },
        { timeoutInSeconds: 0.5, maxRetries: 0 },
      );
    } catch (e) {
      err = e;
    }
    assert.ok(err, "the client timed out");
    // Wait until the sim has answered both delayed creates (or they were abandoned), so the count below means something.
    const mine = (reqs) => upstreamCreates(reqs).filter((r) => r.Body?.workflow?.id === wf);
    await poll(() => stack.requests(), (reqs) => mine(reqs).length === files.length, { boundMs: 5000, everyMs: 250 }).catch(() => {});
    const last = await poll(() => stack.runCount(), (n) => n === before, { boundMs: 10000, everyMs: 250 }).catch(async () => stack.runCount());
    assert.equal(last, before, `runs left behind after the client left: ${last - before}`);
  }),
);

test("every upstream request validates against the new SDK's request types", T, () =>
  stack.guard(async () => auditUpstream(await stack.allRequests())),
);
