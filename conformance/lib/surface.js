"use strict";
// Helpers for the rest of the legacy surface through the proxy: the lossy paths
// the registry documents per method (read from the README table that
// `go run ./cmd/changelog -w` generates from translate.Default, and that a Go
// test keeps in step), a structural diff that sets exactly those aside, and raw
// legacy-shaped HTTP calls for bad input the SDK would not send.

const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { TOKEN } = require("./harness");

const README = path.join(__dirname, "..", "..", "README.md");

let lossyTable;
/** lossyPaths returns the documented lossy answer paths of a legacy method, as segment arrays ("#" = any index). */
function lossyPaths(method) {
  if (!lossyTable) {
    lossyTable = new Map();
    const text = fs.readFileSync(README, "utf8");
    const block = text.slice(text.indexOf("<!-- changes:begin -->"), text.indexOf("<!-- changes:end -->"));
    for (const line of block.split("\n")) {
      const cells = line.split("|").map((c) => c.trim());
      // | `method` | `legacy call` | `new call` | class | lossy fields |
      if (cells.length < 7 || !/^`[A-Za-z_.]+`$/.test(cells[1]) || !/^[abcd]$/.test(cells[4])) continue;
      const paths = [...cells[5].matchAll(/`([^`]+)`/g)].map((m) => m[1].split("."));
      lossyTable.set(cells[1].slice(1, -1), paths);
    }
  }
  const p = lossyTable.get(method);
  assert.ok(p, `README's methods table has no row for ${method}`);
  return p;
}

// diff lists the paths where a and b differ (a key missing on one side is a difference at that key).
function diff(a, b, at = [], out = []) {
  const isObj = (x) => x !== null && typeof x === "object";
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) out.push({ at: [...at], a: `length ${a.length}`, b: `length ${b.length}` });
    for (let i = 0; i < Math.min(a.length, b.length); i++) diff(a[i], b[i], [...at, String(i)], out);
  } else if (isObj(a) && isObj(b) && !Array.isArray(a) && !Array.isArray(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (!(k in a) || !(k in b)) out.push({ at: [...at, k], a: a[k], b: b[k] });
      else diff(a[k], b[k], [...at, k], out);
    }
  } else if (!Object.is(a, b) && !(typeof a === "number" && a === b)) {
    out.push({ at: [...at], a, b });
  }
  return out;
}

// covered: a lossy path covers a difference at it or below it.
function covered(at, lossy) {
  return lossy.some((p) => p.length <= at.length && p.every((s, i) => s === at[i] || (s === "#" && /^\d+$/.test(at[i]))));
}

/**
 * expectSame requires the proxy's answer for method to equal the simulator's own
 * legacy rendering everywhere outside the method's documented lossy paths.
 * Returns the lossy paths that did differ (for tests that pin them further).
 */
function expectSame(method, viaProxy, direct, what = method) {
  const lossy = lossyPaths(method);
  const all = diff(viaProxy, direct);
  const bad = all.filter((d) => !covered(d.at, lossy));
  assert.deepEqual(
    bad.map((d) => `${d.at.join(".")}: proxy ${JSON.stringify(d.a)?.slice(0, 200)} vs sim ${JSON.stringify(d.b)?.slice(0, 200)}`),
    [],
    `${what}: the proxy's answer differs from the simulator's legacy rendering outside the lossy paths [${lossy.map((p) => p.join(".")).join(", ")}]`,
  );
  return all.map((d) => d.at.join("."));
}

/** legacyRaw sends one legacy-versioned request straight to base (no SDK), returning status and parsed body. */
async function legacyRaw(base, method, p, { body, json = true, headers = {} } = {}) {
  const h = { authorization: `Bearer ${TOKEN}`, "x-extend-api-version": "2025-04-21", ...headers };
  let payload = body;
  if (body !== undefined && json && typeof body !== "string") payload = JSON.stringify(body);
  if (payload !== undefined && json && !h["content-type"]) h["content-type"] = "application/json";
  const init = { method, headers: h, body: payload, signal: AbortSignal.timeout(20000) };
  if (payload && typeof payload.getReader === "function") init.duplex = "half";
  const r = await fetch(`${base}${p}`, init);
  const text = await r.text();
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = text;
  }
  return { status: r.status, body: parsed, contentType: r.headers.get("content-type") };
}

module.exports = { lossyPaths, expectSame, diff, legacyRaw };
