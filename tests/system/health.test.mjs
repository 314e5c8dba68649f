// Issue 2: the worker runs in real workerd, /health proves a D1 round trip, the dev-only
// tools (outbox, clock) work, unknown routes answer with the core's error shape.
import { test } from "node:test";
import assert from "node:assert/strict";
import { startWorker, api } from "../harness.mjs";

const worker = await startWorker();

test("health reports version, build and a D1 write+read", async () => {
  const { status, body } = await api(worker.url, "/health");
  assert.equal(status, 200);
  assert.equal(body.status, "ok");
  assert.match(body.version, /^\d+\.\d+\.\d+$/);
  assert.equal(body.storage.ok, true);
  assert.ok(body.storage.schema_version >= 1, "migrations applied");
  assert.equal(body.build.dev_tools, true);
  // Without DNS_API_URL there is no hidden primary, and health says so (issue 12).
  assert.equal(body.dns.configured, false);
  assert.match(body.dns.status, /DNS is not configured/);
  // The probe row really is in D1.
  const rows = await worker.d1("SELECT at FROM health_probe WHERE id = 1");
  assert.equal(rows[0].at, body.storage.probe_written_at);
});

test("the test clock moves time forward and resets", async () => {
  const before = await api(worker.url, "/dev/clock");
  const moved = await api(worker.url, "/dev/clock", { method: "POST", body: { advance_days: 15 } });
  assert.equal(moved.status, 200);
  assert.ok(moved.body.offset_seconds - before.body.offset_seconds === 15 * 86400);
  const health = await api(worker.url, "/health");
  assert.ok(Date.parse(health.body.now) / 1000 >= moved.body.now - 5);
  const reset = await api(worker.url, "/dev/clock", { method: "DELETE" });
  assert.equal(reset.body.offset_seconds, 0);
});

test("the test clock refuses malformed input", async () => {
  const { status, body } = await api(worker.url, "/dev/clock", { method: "POST", body: "{not json" });
  assert.equal(status, 422);
  assert.equal(body.errors[0].code, "malformed_input");
});

test("unknown API routes answer with the error shape", async () => {
  const { status, body } = await api(worker.url, "/api/v1/nothing-here");
  assert.equal(status, 404);
  assert.equal(body.errors[0].code, "not_found");
});

test("the outbox page is readable", async () => {
  const json = await api(worker.url, "/dev/outbox.json");
  assert.equal(json.status, 200);
  assert.ok(Array.isArray(json.body));
  const page = await fetch(`${worker.url}/dev/outbox`);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /Local outbox/);
});

test("a panic is answered in the client's shape, and the next request is served by a fresh instance", async () => {
  const panic = { "x-coopreg-test-panic": "1" };
  const json = await api(worker.url, "/api/v1/availability?domain=panic.coop", { headers: panic });
  assert.equal(json.status, 500);
  assert.equal(json.body.errors[0].code, "internal");
  assert.match(json.body.errors[0].message, /try again/);

  const page = await fetch(`${worker.url}/orders/panic`, { headers: { ...panic, accept: "text/html" } });
  assert.equal(page.status, 500);
  assert.match(page.headers.get("content-type"), /^text\/html/);
  assert.match(page.headers.get("content-security-policy"), /script-src 'none'/);
  assert.match(await page.text(), /<h1>Something went wrong<\/h1>/);

  // The reseller protocol always answers HTTP 200 with a result code, on both paths.
  for (const path of ["/api/call.cgi", "/api/call/"]) {
    const reseller = await fetch(`${worker.url}${path}?command=CheckDomain&domain=panic.coop`, { headers: panic });
    assert.equal(reseller.status, 200);
    assert.match(reseller.headers.get("content-type"), /^text\/plain/);
    const lines = (await reseller.text()).split("\n");
    assert.equal(lines[0], "[RESPONSE]");
    assert.equal(lines[1], "code = 421");
    assert.equal(lines[2], "description = Command failed due to server error. Client should try again");
    assert.deepEqual(lines.slice(-2), ["EOF", ""], "ends with EOF and a single LF");
    assert.ok(!lines.some((line) => line.includes("\r")), "LF only");
  }

  // A fresh instance serves what follows, storage included.
  const health = await api(worker.url, "/health");
  assert.equal(health.status, 200);
  assert.equal(health.body.storage.ok, true);
  // The failure is logged with the panic's message (wrangler's output arrives a moment later).
  for (let i = 0; i < 50 && !worker.log().includes("worker failure: Rust panic"); i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.ok(worker.log().includes("worker failure: Rust panic"), "the failure is logged");
});
