"use strict";
// Bad input for each of the 29 legacy methods beyond workflow runs, as raw
// HTTP (the SDK's types would not let a client send most of it): wrong JSON
// types, missing required fields, unknown ids, malformed and oversized
// uploads. Each case says its method; `status` pins the code where the spec
// fixes it; `noUpstream` requires the proxy to refuse before calling upstream.

const MiB = 1 << 20;

function multipart(parts, boundary = "conformance-boundary") {
  const chunks = parts.map(({ name, filename, body }) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${filename ? `; filename="${filename}"` : ""}\r\n` +
    `Content-Type: application/octet-stream\r\n\r\n${body}\r\n`);
  return { body: `${chunks.join("")}--${boundary}--\r\n`, headers: { "content-type": `multipart/form-data; boundary=${boundary}` } };
}

// bigStream yields a multipart upload of `size` bytes without a Content-Length (chunked).
function bigStream(size, boundary = "conformance-big") {
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\n\r\n`);
  const chunk = Buffer.alloc(MiB, 0x41);
  let sent = 0;
  const body = new ReadableStream({
    pull(ctl) {
      if (sent === 0) ctl.enqueue(head);
      if (sent >= size) {
        ctl.enqueue(Buffer.from(`\r\n--${boundary}--\r\n`));
        ctl.close();
        return;
      }
      ctl.enqueue(chunk);
      sent += chunk.length;
    },
  });
  return { body, headers: { "content-type": `multipart/form-data; boundary=${boundary}` } };
}

/** badCases returns the bad requests, given ids that exist in the sim (so only the named fault is wrong). */
function badCases({ fileId, setId, itemId, procId }) {
  const none = "does_not_exist_0";
  const big = "A".repeat(11 * MiB);
  const file = { fileUrl: "https://f.example.org/x.pdf" };
  return [
    // files
    { what: "file.list maxPageSize not a number", method: "GET", path: "/files?maxPageSize=lots", status: 400 },
    { what: "file.list sortDir outside the enum", method: "GET", path: "/files?sortDir=sideways", status: 400 },
    { what: "file.get unknown id", method: "GET", path: `/files/${none}`, status: 404 },
    { what: "file.delete unknown id", method: "DELETE", path: `/files/${none}`, status: 404 },
    { what: "file.upload JSON instead of multipart", method: "POST", path: "/files/upload", body: { file: "x" }, status: 400, noUpstream: true },
    { what: "file.upload without a file part", method: "POST", path: "/files/upload", json: false, ...multipart([{ name: "other", body: "x" }]), status: 400 },
    { what: "file.upload empty file", method: "POST", path: "/files/upload", json: false, ...multipart([{ name: "file", filename: "e.pdf", body: "" }]), status: 400 },
    { what: "file.upload over the body limit (Content-Length)", method: "POST", path: "/files/upload", json: false, ...multipart([{ name: "file", filename: "big.pdf", body: big }]), status: 413, noUpstream: true },
    { what: "file.upload over the body limit (chunked)", method: "POST", path: "/files/upload", json: false, ...bigStream(11 * MiB), status: 413 },
    // parse
    { what: "parse without file", method: "POST", path: "/parse", body: { config: {} }, status: 400 },
    { what: "parse file not an object", method: "POST", path: "/parse", body: { file: "x.pdf" }, status: 400 },
    { what: "parse fileId not a string", method: "POST", path: "/parse", body: { file: { fileId: 7 } }, status: 400 },
    { what: "parse config not an object", method: "POST", path: "/parse", body: { file, config: [] }, status: 400 },
    { what: "parse unknown fileId", method: "POST", path: "/parse", body: { file: { fileId: none } }, status: 404 },
    { what: "parse body not JSON", method: "POST", path: "/parse", body: "{file:", status: 400, noUpstream: true },
    { what: "parseAsync without file", method: "POST", path: "/parse/async", body: {}, status: 400 },
    { what: "parseAsync fileUrl not a string", method: "POST", path: "/parse/async", body: { file: { fileUrl: 1 } }, status: 400 },
    { what: "parserRun.get unknown id", method: "GET", path: `/parser_runs/${none}`, status: 404 },
    { what: "parserRun.delete unknown id", method: "DELETE", path: `/parser_runs/${none}`, status: 404 },
    // processor runs
    { what: "processorRun.list status outside the enum", method: "GET", path: "/processor_runs?status=BOGUS", status: 400 },
    { what: "processorRun.create without processorId", method: "POST", path: "/processor_runs", body: { file }, status: 400 },
    { what: "processorRun.create processorId not a string", method: "POST", path: "/processor_runs", body: { processorId: 5, file }, status: 400 },
    { what: "processorRun.create unknown processor", method: "POST", path: "/processor_runs", body: { processorId: "ex_none", file }, status: 404 },
    { what: "processorRun.create sync not a boolean", method: "POST", path: "/processor_runs", body: { processorId: procId, file, sync: "yes" }, status: 400 },
    { what: "processorRun.create page range without end", method: "POST", path: "/processor_runs", body: { processorId: procId, file, config: { type: "EXTRACT", parser: { advancedOptions: { pageRanges: [{ start: 1 }] } } } }, status: 400, noUpstream: true },
    { what: "processorRun.get unknown id", method: "GET", path: `/processor_runs/${none}`, status: 404 },
    { what: "processorRun.delete unknown id", method: "DELETE", path: `/processor_runs/${none}`, status: 404 },
    { what: "processorRun.cancel unknown id", method: "POST", path: `/processor_runs/${none}/cancel`, status: 404 },
    { what: "batchProcessorRun.get unknown id", method: "GET", path: `/batch_processor_runs/${none}`, status: 404 },
    // processors and versions
    { what: "processor.list type outside the enum", method: "GET", path: "/processors?type=BOGUS", status: 400 },
    { what: "processor.create without name", method: "POST", path: "/processors", body: { type: "EXTRACT" }, status: 400 },
    { what: "processor.create type outside the enum", method: "POST", path: "/processors", body: { name: "x", type: "MAGIC" }, status: 400 },
    { what: "processor.create name not a string", method: "POST", path: "/processors", body: { name: ["x"], type: "EXTRACT" }, status: 400 },
    { what: "processor.update unknown id", method: "POST", path: `/processors/${none}`, body: { name: "x" }, status: 404 },
    { what: "processor.update name not a string", method: "POST", path: `/processors/${procId}`, body: { name: 3 }, status: 400 },
    { what: "processorVersion.get unknown version", method: "GET", path: `/processors/${procId}/versions/${none}`, status: 404 },
    { what: "processorVersion.list unknown processor", method: "GET", path: `/processors/${none}/versions`, status: 404 },
    { what: "processorVersion.create without releaseType", method: "POST", path: `/processors/${procId}/publish`, body: { description: "x" }, status: 400 },
    { what: "processorVersion.create releaseType outside the enum", method: "POST", path: `/processors/${procId}/publish`, body: { releaseType: "huge" }, status: 400 },
    { what: "processorVersion.create unknown processor", method: "POST", path: `/processors/${none}/publish`, body: { releaseType: "major" }, status: 404 },
    // workflows
    { what: "workflow.create without name", method: "POST", path: "/workflows", body: {}, status: 400 },
    { what: "workflow.create name not a string", method: "POST", path: "/workflows", body: { name: 1 }, status: 400 },
    // evaluation sets and items
    { what: "evaluationSet.list maxPageSize out of range", method: "GET", path: "/evaluation_sets?maxPageSize=0", status: 400 },
    { what: "evaluationSet.create without processorId", method: "POST", path: "/evaluation_sets", body: { name: "x", description: "d" }, status: 400 },
    { what: "evaluationSet.create name not a string", method: "POST", path: "/evaluation_sets", body: { name: {}, description: "d", processorId: procId }, status: 400 },
    { what: "evaluationSet.create unknown processor", method: "POST", path: "/evaluation_sets", body: { name: "x", description: "d", processorId: "ex_none" }, status: 404 },
    { what: "evaluationSet.get unknown id", method: "GET", path: `/evaluation_sets/${none}`, status: 404 },
    { what: "evaluationSetItem.list unknown set", method: "GET", path: `/evaluation_sets/${none}/items`, status: 404 },
    { what: "evaluationSetItem.create without evaluationSetId", method: "POST", path: "/evaluation_set_items", body: { fileId, expectedOutput: { value: {} } }, status: 400, noUpstream: true },
    { what: "evaluationSetItem.create without expectedOutput", method: "POST", path: "/evaluation_set_items", body: { evaluationSetId: setId, fileId }, status: 400 },
    { what: "evaluationSetItem.create expectedOutput not an object", method: "POST", path: "/evaluation_set_items", body: { evaluationSetId: setId, fileId, expectedOutput: "x" }, status: 400 },
    { what: "evaluationSetItem.create unknown set", method: "POST", path: "/evaluation_set_items", body: { evaluationSetId: none, fileId, expectedOutput: { value: {} } }, status: 404 },
    { what: "evaluationSetItem.create unknown file", method: "POST", path: "/evaluation_set_items", body: { evaluationSetId: setId, fileId: none, expectedOutput: { value: {} } }, status: 404 },
    { what: "evaluationSetItem.update unknown item", method: "POST", path: `/evaluation_set_items/${none}`, body: { expectedOutput: { value: {} } }, status: 404 },
    { what: "evaluationSetItem.update without expectedOutput", method: "POST", path: `/evaluation_set_items/${itemId}`, body: {}, status: 400 },
    { what: "evaluationSetItem.update expectedOutput not an object", method: "POST", path: `/evaluation_set_items/${itemId}`, body: { expectedOutput: 12 }, status: 400 },
    { what: "evaluationSetItem.delete unknown item", method: "DELETE", path: `/evaluation_set_items/${none}`, status: 404 },
    { what: "evaluationSetItem.createBatch items not an array", method: "POST", path: "/evaluation_set_items/bulk", body: { evaluationSetId: setId, items: {} }, status: 400 },
    { what: "evaluationSetItem.createBatch without evaluationSetId", method: "POST", path: "/evaluation_set_items/bulk", body: { items: [{ fileId, expectedOutput: { value: {} } }] }, status: 400, noUpstream: true },
    { what: "evaluationSetItem.createBatch an item without fileId", method: "POST", path: "/evaluation_set_items/bulk", body: { evaluationSetId: setId, items: [{ fileId, expectedOutput: { value: {} } }, { expectedOutput: { value: {} } }] }, status: 400 },
  ];
}

module.exports = { badCases };
