// Loads the /admin/webhooks page in Debian's headless Chromium against the real proxy with a webhook
// relay whose receiver always answers 500: after a compressed retry schedule the event is dead, and an
// event whose payload lacks its id is dead at once with the reason. The page must show the counts, the
// errors with their reasons, and no secret. A second destination in shadow mode gets both versions of two
// events; /admin/shadow must show the comparison (one match, one mismatch with its path).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as netServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const work = mkdtempSync(path.join(tmpdir(), 'webhooks-browser-'));
const SECRET_IN = 'wss_browser_inbound_secret';
const SECRET_OUT = 'browser_receiver_secret';
let proxy, receiver, context, page, admin, main;
const consoleErrors = [];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const freePort = () => new Promise((resolve) => {
  const s = netServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
});

async function post(raw, dest = 'orders') {
  const ts = Math.floor(Date.now() / 1000);
  const sig = createHmac('sha256', SECRET_IN).update(`v0:${ts}:${raw}`).digest('hex');
  const r = await fetch(`${main}/webhooks/${dest}`, { method: 'POST', body: raw,
    headers: { 'content-type': 'application/json', 'x-extend-request-timestamp': String(ts), 'x-extend-request-signature': sig } });
  assert.equal(r.status, 200, await r.text());
}

before(async () => {
  receiver = createServer((req, res) => { req.resume(); req.on('end', () => res.writeHead(500).end()); });
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
  const [p, a] = [await freePort(), await freePort()];
  main = `http://127.0.0.1:${p}`;
  admin = `http://127.0.0.1:${a}`;
  const cfg = path.join(work, 'config.yaml');
  writeFileSync(cfg, `listen: "127.0.0.1:${p}"\nadminListen: "127.0.0.1:${a}"\nupstream: sim\n` +
    `webhooks:\n  store: "sqlite:${work}/wh.db"\n  destinations:\n` +
    `    - { name: orders, url: "http://127.0.0.1:${receiver.address().port}/hook", secret: "${SECRET_OUT}", ` +
    `newSecrets: ["${SECRET_IN}"], retry: ["0s", "50ms", "50ms"] }\n` +
    `    - { name: shadowed, url: "http://127.0.0.1:${receiver.address().port}/hook", secret: "${SECRET_OUT}", ` +
    `newSecrets: ["${SECRET_IN}"], legacySecrets: ["${SECRET_IN}"], mode: shadow, retry: ["0s"] }\n`);
  const bin = path.join(work, 'extend-compat-proxy');
  execFileSync('go', ['build', '-o', bin, '.'], { cwd: repo, stdio: 'inherit', timeout: 300_000 });
  proxy = spawn(bin, ['--config', cfg], { stdio: ['ignore', 'ignore', 'inherit'] });
  for (let i = 0; ; i++) {
    try { if ((await fetch(`${main}/healthz`)).ok) break; } catch {}
    if (i > 150) throw new Error('proxy did not start');
    await sleep(100);
  }
  await post(JSON.stringify({ eventId: 'evt_always_500', eventType: 'parse_run.processed',
    payload: { object: 'parse_run_status', id: 'pr_1', status: 'PROCESSED' } }));
  await post(JSON.stringify({ eventId: 'evt_missing_id', eventType: 'workflow_run.completed', payload: { status: 'PROCESSED' } }));
  await post(JSON.stringify({ eventId: 'evt_unknown', eventType: 'invoice.teleported', payload: {} }));
  const golden = (f) => readFileSync(path.join(repo, 'webhook', 'testdata', 'golden', f), 'utf8');
  await post(golden('extract_run_processed.legacy.json'), 'shadowed/legacy');
  await post(golden('extract_run_processed.new.json'), 'shadowed');
  const failed = JSON.parse(golden('extract_run_processed.legacy.json'));
  Object.assign(failed, { eventId: 'evt_legacy_failed', eventType: 'processor_run.failed' });
  failed.payload.status = 'FAILED';
  await post(JSON.stringify(failed), 'shadowed/legacy');
  await post(golden('extract_run_failed.new.json'), 'shadowed');
  for (let i = 0; ; i++) {
    const s = await (await fetch(`${admin}/admin/webhooks.json`)).json();
    if (s.destinations[0].dead === 2) break;
    if (i > 100) throw new Error(`events not dead: ${JSON.stringify(s)}`);
    await sleep(100);
  }
  context = await chromium.launchPersistentContext(path.join(work, 'profile'), {
    executablePath, headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = context.pages()[0] || await context.newPage();
  page.on('console', (msg) => { if (msg.type() === 'error') consoleErrors.push(msg.text()); });
  page.on('pageerror', (err) => consoleErrors.push(String(err)));
  await page.goto(`${admin}/admin/webhooks`);
}, { timeout: 360_000 });

after(async () => {
  if (context) await context.close();
  if (proxy && proxy.exitCode === null) proxy.kill('SIGTERM');
  receiver?.close();
  rmSync(work, { recursive: true, force: true });
});

const dest = () => page.locator('section.destination[data-name="orders"]');

test('the destination shows its counts', async () => {
  assert.equal(await dest().locator('td.received').innerText(), '3');
  assert.equal(await dest().locator('td.dead').innerText(), '2');
  assert.equal(await dest().locator('td.dropped').innerText(), '1');
  assert.equal(await dest().locator('td.delivered').innerText(), '0');
});

test('dead events are listed with their reasons', async () => {
  const rows = dest().locator('table.errors tr');
  const text = await dest().locator('table.errors').innerText();
  assert.ok((await rows.count()) >= 3, text);
  assert.match(text, /evt_always_500[\s\S]*HTTP 500/);
  assert.match(text, /evt_missing_id[\s\S]*untranslatable payload: .*id is missing/);
});

test('the shadow page shows the webhook comparisons', async () => {
  await page.goto(`${admin}/admin/shadow`);
  await page.waitForFunction(() => Number(document.body.dataset.loaded) >= 1, null, { timeout: 15_000 });
  const card = (t) => page.locator(`section.webhook[data-type="${t}"]`);
  assert.equal(await card('processor_run.processed').locator('.match').innerText(), 'match 1');
  assert.equal(await card('processor_run.processed').locator('.mismatch').innerText(), 'mismatch 0');
  assert.equal(await card('processor_run.failed').locator('.mismatch').innerText(), 'mismatch 1');
  assert.match(await card('processor_run.failed').locator('ol').innerText(), /payload\.output/);
  await page.goto(`${admin}/admin/webhooks`);
});

test('no secret on the page, no console errors', async () => {
  const html = await page.content();
  for (const s of [SECRET_IN, SECRET_OUT]) assert.ok(!html.includes(s), 'the page shows a secret');
  assert.deepEqual(consoleErrors, []);
  await page.screenshot({ path: path.join(tmpdir(), 'webhooks-admin.png'), fullPage: true });
});
