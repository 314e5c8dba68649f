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
  // The probe row really is in D1.
  const rows = worker.d1("SELECT at FROM health_probe WHERE id = 1");
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
