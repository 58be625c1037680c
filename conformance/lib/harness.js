"use strict";
// Starts the system under test (the proxy with its embedded simulator) on free
// loopback ports, and hands tests ready-made SDK clients and simulator controls.

const { spawn, execFileSync } = require("node:child_process");
const fs = require("node:fs");
const net = require("node:net");
const os = require("node:os");
const path = require("node:path");
const Legacy = require("extend-legacy");
const New = require("extend-new");
const { validatingFetcher } = require("./observe");

const REPO = path.join(__dirname, "..", "..");
const TOKEN = "test-token";

/** freePort asks the kernel for an unused loopback port. */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// binary returns the proxy executable: $PROXY_BIN (run.sh builds it once), else
// a fresh `go build` into a temp dir owned by this test process.
function binary(workDir) {
  if (process.env.PROXY_BIN) return process.env.PROXY_BIN;
  const out = path.join(workDir, "extend-compat-proxy");
  execFileSync("go", ["build", "-o", out, "."], { cwd: REPO, stdio: ["ignore", "inherit", "inherit"] });
  return out;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitHealthy(url, child, logFile, boundMs) {
  const deadline = Date.now() + boundMs;
  let last = "";
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`proxy exited with code ${child.exitCode} before it was healthy\n${tail(logFile)}`);
    }
    try {
      const r = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) });
      if (r.status === 200) return;
      last = `status ${r.status}`;
    } catch (e) {
      last = e.message;
    }
    await sleep(100);
  }
  throw new Error(`proxy not healthy within ${boundMs} ms (${last})\n${tail(logFile)}`);
}

/** tail returns the last lines of the proxy log, for failure messages. */
function tail(file, lines = 60) {
  try {
    const all = fs.readFileSync(file, "utf8").trimEnd().split("\n");
    return `--- proxy log (${file}, last ${Math.min(lines, all.length)} lines) ---\n${all.slice(-lines).join("\n")}`;
  } catch {
    return `(no proxy log at ${file})`;
  }
}

/** Stack is one running proxy + simulator, with clients and controls. */
class Stack {
  constructor(child, ports, dir, logFile) {
    this.child = child;
    this.dir = dir;
    this.logFile = logFile;
    this.proxyUrl = `http://127.0.0.1:${ports.proxy}`;
    this.simUrl = `http://127.0.0.1:${ports.sim}`;
    this.adminUrl = `http://127.0.0.1:${ports.admin}`;
    this.recorded = []; // every upstream request seen so far, across resets
    this.violations = []; // schema violations seen by the validating fetchers
    this.legacy = this.legacyClient();
    this.newSim = this.simClient();
    this.newProxy = new New.ExtendClient({
      token: TOKEN, baseUrl: this.proxyUrl, maxRetries: 0, timeoutInSeconds: 20, fetcher: validatingFetcher("new", this.violations),
    });
  }

  /** simClient builds an extend-ai@1.17.0 client pointed straight at the simulator; its requests are tagged as direct. */
  simClient() {
    return new New.ExtendClient({
      token: TOKEN,
      baseUrl: this.simUrl,
      maxRetries: 0,
      timeoutInSeconds: 20,
      headers: { "x-conformance-direct": "1" },
      fetcher: validatingFetcher("new", this.violations),
    });
  }

  /** legacyClient builds an extend-ai@0.0.12 client pointed at the proxy (only the base URL changes). */
  legacyClient(extra = {}) {
    return new Legacy.ExtendClient({ token: TOKEN, baseUrl: this.proxyUrl, ...extra, fetcher: validatingFetcher("legacy", this.violations) });
  }

  async simJSON(method, p) {
    const r = await fetch(`${this.simUrl}${p}`, { method, signal: AbortSignal.timeout(10000) });
    const text = await r.text();
    if (r.status >= 300) throw new Error(`${method} ${p} → ${r.status}: ${text}`);
    return text ? JSON.parse(text) : undefined;
  }

  /** requests returns the upstream requests the simulator recorded since the last reset. */
  async requests() {
    const all = (await this.simJSON("GET", "/_sim/requests")) ?? [];
    return all.filter((r) => !Object.keys(r.Header ?? {}).some((k) => k.toLowerCase() === "x-conformance-direct"));
  }

  /** resetRequests keeps the recorded requests for the final request-type audit, then clears them. */
  async resetRequests() {
    this.recorded.push(...(await this.requests()));
    await this.simJSON("DELETE", "/_sim/requests");
  }

  /** allRequests returns every upstream request recorded during this stack's life. */
  async allRequests() {
    return [...this.recorded, ...(await this.requests())];
  }

  /** runCount returns the simulator's number of live runs. */
  async runCount() {
    const body = await this.simJSON("GET", "/_sim/runs/count");
    return typeof body === "number" ? body : body.count;
  }

  /** guard runs fn and, when it fails, appends the proxy log tail to the error. */
  async guard(fn) {
    this.violations.length = 0;
    try {
      const out = await fn();
      if (this.violations.length) {
        throw new Error(`responses that violate the SDK's declared types:\n${this.violations.join("\n")}`);
      }
      return out;
    } catch (e) {
      const seen = this.violations.length ? `\nschema violations seen so far:\n${this.violations.join("\n")}` : "";
      if (e && typeof e === "object") e.message = `${e.message}${seen}\n${tail(this.logFile)}`;
      throw e;
    }
  }

  async stop() {
    const child = this.child;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      const done = await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]);
      if (!done) {
        child.kill("SIGKILL");
        await exited;
      }
    }
    if (!process.env.KEEP_LOGS) fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

const live = new Set();
// A crashed test process must not leave a proxy behind.
process.on("exit", () => {
  for (const c of live) if (c.exitCode === null) c.kill("SIGKILL");
});

/**
 * startStack builds (if needed) and starts the proxy with `--upstream sim`, waiting for /healthz.
 * A second attempt on new ports covers the small race between picking a free port and binding it.
 */
async function startStack() {
  try {
    return await startOnce();
  } catch (e) {
    if (e.code === "BUILD") throw e;
    console.error(`proxy start failed, retrying once on new ports: ${e.message.split("\n")[0]}`);
    return startOnce();
  }
}

async function startOnce() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "extend-conformance-"));
  let bin;
  try {
    bin = binary(dir);
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    e.code = "BUILD";
    throw e;
  }
  const ports = { proxy: await freePort(), sim: await freePort(), admin: await freePort() };
  const logFile = path.join(dir, "proxy.log");
  const log = fs.openSync(logFile, "a");
  const args = [
    "--listen", `127.0.0.1:${ports.proxy}`,
    "--upstream", "sim",
    "--sim-listen", `127.0.0.1:${ports.sim}`,
    "--admin-listen", `127.0.0.1:${ports.admin}`,
  ];
  const child = spawn(bin, args, { stdio: ["ignore", log, log] });
  fs.closeSync(log);
  live.add(child);
  child.once("exit", () => live.delete(child));
  const stack = new Stack(child, ports, dir, logFile);
  try {
    await waitHealthy(stack.proxyUrl, child, logFile, 15000);
  } catch (e) {
    await stack.stop().catch(() => {});
    throw e;
  }
  return stack;
}

/** poll calls fn until pred(result) holds or boundMs passes; returns the last result. */
async function poll(fn, pred, { boundMs = 15000, everyMs = 100 } = {}) {
  const deadline = Date.now() + boundMs;
  for (;;) {
    const v = await fn();
    if (pred(v)) return v;
    if (Date.now() > deadline) throw new Error(`condition not met within ${boundMs} ms; last value: ${JSON.stringify(v).slice(0, 800)}`);
    await sleep(everyMs);
  }
}

/** uid returns a short random token for unique workflow ids per test. */
function uid() {
  return Math.random().toString(36).slice(2, 10);
}

module.exports = { startStack, poll, uid, sleep, Legacy, New, TOKEN };
