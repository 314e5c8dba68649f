// The staff console's review queue in pages (real wrangler dev + D1): 50 contacts a page,
// newest first, the total, and links between pages; a decision takes a contact off the queue.
import { test } from "node:test";
import assert from "node:assert/strict";
import { startWorker } from "../harness.mjs";
import { seed, contactRecord, domainRecord, createStaff, staffSession } from "../registry_fixtures.mjs";

const worker = await startWorker();
const url = worker.url;
const staff = createStaff(worker, "queue", "Queue Staff");
const session = await staffSession(url, staff);
const now = Math.floor(Date.now() / 1000);
const COUNT = 57;
// Contact i changed i minutes ago: the newest first is Q00, Q01, …
const handles = Array.from({ length: COUNT }, (_, i) => `Q${String(i).padStart(2, "0")}`);
await seed(worker, {
  contacts: handles.map((handle, i) => ({ ...contactRecord({ handle, verification: "pending" }), updated: now - 60 * i })),
  domains: handles.map((handle) => domainRecord({ label: `queue-${handle.toLowerCase()}`, owner: handle, state: "processing" })),
});

async function queue(query = "") {
  const response = await session.request(`/staff/${query}`);
  assert.equal(response.status, 200);
  const html = await response.text();
  const shown = [...html.matchAll(/<section class="card review" data-handle="([^"]+)"/g)].map((match) => match[1]);
  return { html, shown };
}

test("the review queue shows 50 contacts a page, newest first, with the total and links", async () => {
  const first = await queue();
  assert.deepEqual(first.shown, handles.slice(0, 50));
  assert.match(first.html, /57 contacts to review; showing 1–50, newest first\./);
  assert.match(first.html, /href="\/staff\/\?page=2" rel="next"/);
  assert.doesNotMatch(first.html, /rel="prev"/);

  const second = await queue("?page=2");
  assert.deepEqual(second.shown, handles.slice(50));
  assert.match(second.html, /57 contacts to review; showing 51–57, newest first\./);
  assert.match(second.html, /href="\/staff\/\?page=1" rel="prev"/);
  assert.doesNotMatch(second.html, /rel="next"/);

  // Past the end: an empty page that says so; a page that is not a number is the first.
  const beyond = await queue("?page=3");
  assert.deepEqual(beyond.shown, []);
  assert.match(beyond.html, /57 contacts to review; none on this page\./);
  assert.deepEqual((await queue("?page=x")).shown, handles.slice(0, 50));
});

test("a decision takes the contact off the queue and the next one moves up", async () => {
  const decided = await session.request(`/staff/contacts/${handles[0]}/decision`, {
    method: "POST", form: { decision: "approve" },
  });
  assert.equal(decided.status, 303);
  const first = await queue();
  assert.deepEqual(first.shown, handles.slice(1, 51));
  assert.match(first.html, /56 contacts to review; showing 1–50/);
  assert.deepEqual((await queue("?page=2")).shown, handles.slice(51));
});
