"use strict";
// Starts the proxy with a webhook relay configuration (the relay on the main
// listener, the simulator sending signed webhooks) and a legacy receiver that
// verifies signatures exactly as the 2025-04-21 docs show: HMAC-SHA256 over
// `v0:${timestamp}:${JSON.stringify(request.body)}`.

const { spawn, execFileSync } = require("node:child_process");
const crypto = require("node:crypto");
const fs = require("node:fs");
const http = require("node:http");
const net = require("node:net");
const os = require("node:os");
const path = require("node:path");

const REPO = path.join(__dirname, "..", "..");
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** sign returns the hex HMAC-SHA256 of v0:{ts}:{body}. */
function sign(secret, ts, body) {
  return crypto.createHmac("sha256", secret).update(`v0:${ts}:${body}`).digest("hex");
}

/** startReceiver is a legacy receiver: verifies like the docs, records events by path. */
async function startReceiver(secret) {
  const events = [];
  const rejected = [];
  const srv = http.createServer((req, res) => {
    let raw = "";
    req.setEncoding("utf8");
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      const body = JSON.parse(raw); // what express.json() would hand the docs' handler
      const ts = req.headers["x-extend-request-timestamp"];
      const want = sign(secret, ts, JSON.stringify(body));
      if (want !== req.headers["x-extend-request-signature"]) {
        rejected.push({ path: req.url, raw });
        res.writeHead(401).end();
        return;
      }
      events.push({ path: req.url, body });
      res.writeHead(200).end();
    });
  });
  await new Promise((r) => srv.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${srv.address().port}`, events, rejected, close: () => new Promise((r) => srv.close(r)) };
}

/** startRelayStack runs the proxy with the given YAML (ports filled in) and waits for /healthz. */
async function startRelayStack(makeYaml) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "extend-conformance-webhooks-"));
  let bin = process.env.PROXY_BIN;
  if (!bin) {
    bin = path.join(dir, "extend-compat-proxy");
    execFileSync("go", ["build", "-o", bin, "."], { cwd: REPO, stdio: ["ignore", "inherit", "inherit"] });
  }
  const ports = { proxy: await freePort(), sim: await freePort(), admin: await freePort() };
  const cfg = path.join(dir, "config.yaml");
  fs.writeFileSync(cfg, makeYaml({ ...ports, dir }));
  const logFile = path.join(dir, "proxy.log");
  const log = fs.openSync(logFile, "a");
  const child = spawn(bin, ["--config", cfg], { stdio: ["ignore", log, log] });
  fs.closeSync(log);
  const proxyUrl = `http://127.0.0.1:${ports.proxy}`;
  const deadline = Date.now() + 15000;
  for (;;) {
    try {
      if ((await fetch(`${proxyUrl}/healthz`)).status === 200) break;
    } catch {}
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`proxy did not start:\n${fs.readFileSync(logFile, "utf8")}`);
    }
    await sleep(100);
  }
  return {
    proxyUrl,
    adminUrl: `http://127.0.0.1:${ports.admin}`,
    logTail: () => fs.readFileSync(logFile, "utf8").split("\n").slice(-40).join("\n"),
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await Promise.race([exited, sleep(5000).then(() => child.kill("SIGKILL"))]);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** postEvent sends a signed event as the vendor would. */
async function postEvent(url, secret, raw) {
  const ts = Math.floor(Date.now() / 1000);
  const r = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", "x-extend-request-timestamp": String(ts), "x-extend-request-signature": sign(secret, ts, raw) },
    body: raw,
  });
  return { status: r.status, text: await r.text() };
}

module.exports = { startReceiver, startRelayStack, postEvent, sleep };
