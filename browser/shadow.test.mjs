// Loads the /admin/shadow page in Debian's headless Chromium against shadowdemo (deterministic seeded
// results) and checks what an operator sees: match rates, top differing paths, the rollout and no errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const work = mkdtempSync(path.join(tmpdir(), 'shadow-browser-'));
let demo, context, page, base;
const consoleErrors = [];

function startDemo() {
  const bin = path.join(work, 'shadowdemo');
  execFileSync('go', ['build', '-o', bin, './shadow/cmd/shadowdemo'], { cwd: repo, stdio: 'inherit', timeout: 300_000 });
  demo = spawn(bin, ['--listen', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('shadowdemo did not report its address')), 30_000);
    let out = '';
    demo.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/listening (http:\/\/\S+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    demo.on('exit', (code) => { clearTimeout(timer); reject(new Error(`shadowdemo exited with ${code}`)); });
  });
}

before(async () => {
  base = await startDemo();
  context = await chromium.launchPersistentContext(path.join(work, 'profile'), {
    executablePath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = context.pages()[0] || await context.newPage();
  page.on('console', (msg) => { if (msg.type() === 'error') consoleErrors.push(msg.text()); });
  page.on('pageerror', (err) => consoleErrors.push(String(err)));
  await page.goto(base + '/admin/shadow');
  await page.waitForFunction(() => Number(document.body.dataset.loaded) >= 1, null, { timeout: 15_000 });
});

after(async () => {
  if (context) await context.close();
  if (demo && demo.exitCode === null) demo.kill('SIGTERM');
  rmSync(path.join(work, 'profile'), { recursive: true, force: true });
  rmSync(path.join(work, 'shadowdemo'), { force: true }); // keep only the screenshot
});

const route = (name) => page.locator(`section.route[data-route="${name}"]`);

test('each route shows its match rate and totals', async () => {
  assert.equal(await page.locator('#status').getAttribute('data-state'), 'ok');
  for (const [name, rate] of [['create', '75.0%'], ['get', '88.2%'], ['list', '95.2%']]) {
    const r = route(name).locator('[data-field="match-rate"]');
    assert.ok(await r.isVisible(), `${name} match rate visible`);
    assert.equal((await r.innerText()).trim(), rate, `${name} match rate`);
  }
  assert.equal(await route('create').locator('[data-outcome="dropped"]').innerText(), 'dropped: 3');
  assert.equal(await route('create').locator('[data-outcome="shadow_error"]').innerText(), 'shadow_error: 1');
  assert.equal(await route('get').locator('[data-field="sparkline"] rect').count(), 60);
  assert.match(await page.locator('#settings').innerText(), /reads on, writes off/);
  assert.ok(await route('get').locator('[data-field="sparkline"]').isVisible());
});

test('top differing paths are listed per route', async () => {
  const top = async (name) => route(name).locator('[data-field="top-paths"]').innerText();
  assert.match(await top('get'), /workflowRun\.status × 4/);
  assert.match(await top('list'), /workflowRuns\.#\.initialRunAt × 1/);
  assert.match(await top('create'), /workflowRuns\.#\.name × 1/);
  assert.match(await route('get').locator('[data-field="lossy-paths"]').innerText(), /workflowRun\.files\.#\.usage/);
  const rows = page.locator('#recent tbody tr');
  assert.ok(await rows.count() >= 3);
  assert.ok(await page.locator('#recent tbody tr[data-path="workflowRun.status"]').first().isVisible());
});

test('rollout modes, percentages and fallbacks are visible', async () => {
  const ro = page.locator('#rollout');
  assert.equal(await ro.locator('[data-field="defaultMode"]').innerText(), 'passthrough');
  assert.equal(await ro.locator('[data-field="killSwitch"]').innerText(), 'off');
  const pilot = ro.locator('tr[data-rule="pilot-tenants"]');
  assert.ok(await pilot.isVisible());
  assert.equal(await pilot.locator('[data-col="mode"]').innerText(), 'shadow');
  assert.equal(await pilot.locator('[data-col="percent"]').innerText(), '25');
  assert.equal(await ro.locator('tr[data-rule="translate-writes"] [data-col="percent"]').innerText(), '5');
  assert.equal(await pilot.locator('[data-col="routes"]').innerText(), 'get, list');
  const fb = ro.locator('tr[data-fallback="create"]');
  assert.equal(await fb.locator('[data-col="active"]').innerText(), 'true');
  assert.match(await fb.locator('[data-col="reason"]').innerText(), /error rate/);
  assert.equal(await ro.locator('tr[data-fallback="get"] [data-col="active"]').innerText(), 'false');
});

test('the page refreshes itself, logs no errors, and a screenshot is kept', async () => {
  await page.waitForFunction(() => Number(document.body.dataset.loaded) >= 2, null, { timeout: 20_000 });
  const shot = path.join(work, 'admin-shadow.png');
  await page.screenshot({ path: shot, fullPage: true });
  console.log(`screenshot: ${shot}`);
  assert.deepEqual(consoleErrors, []);
});
