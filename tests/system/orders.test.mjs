// Issue 4: the registration workflow at the edge, against real wrangler dev + D1.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { startWorker, api, advanceDays, outbox, ROOT } from "../harness.mjs";
import { order, uniqueLabel } from "../fixtures.mjs";

const worker = await startWorker({ vars: { CALLBACK_SECRET: "test-callback-secret" } });
const url = worker.url;

async function submit(body, key) {
  const headers = key ? { "idempotency-key": key } : {};
  return api(url, "/api/v1/orders", { method: "POST", body, headers });
}

async function status(orderId) {
  const response = await api(url, `/api/v1/orders/${orderId}`);
  assert.equal(response.status, 200, response.text);
  return response.body;
}

/** The newest outbox message to `to` whose subject matches. */
async function mailTo(to, subject) {
  const messages = await outbox(url);
  return messages.find((message) => message.to.includes(to) && subject.test(message.subject));
}

function verificationLink(message) {
  const link = message.links.find((candidate) => candidate.includes("/verify/"));
  assert.ok(link, `no verification link in ${JSON.stringify(message.links)}`);
  return link;
}

async function answer(link, choice) {
  const page = await fetch(link);
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.match(html, /Confirm/);
  const response = await fetch(`${link}/${choice}`, { method: "POST", redirect: "manual" });
  assert.ok(response.status === 200 || response.status === 303, `answer: ${response.status}`);
  return response;
}

function uniqueEmail() {
  return `${uniqueLabel("reg")}@example.coop`;
}

test("submit → e-mail → open link → confirm → ACTIVE; the e-mail is valid MIME", async () => {
  const email = uniqueEmail();
  const created = await submit(order({ owner: { email } }));
  assert.equal(created.status, 201, created.text);
  assert.equal(created.body.status, "PROCESSING");
  assert.match(created.body.order_id, /^[0-9a-f]{32}$/);
  assert.equal(created.body.status_url, `/orders/${created.body.order_id}`);

  const pending = await status(created.body.order_id);
  assert.equal(pending.status, "PROCESSING");
  assert.equal(pending.verification.state, "pending");
  assert.ok(pending.verification.expires_at);
  assert.ok(pending.history.length >= 1);

  const message = await mailTo(email, /verif/i);
  assert.ok(message, "verification e-mail in the outbox");
  // Sent through the send_email binding after the response (not only queued).
  let delivered = message;
  for (let i = 0; i < 50 && delivered.status !== "sent"; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    delivered = (await outbox(url)).find((candidate) => candidate.id === message.id);
  }
  assert.equal(delivered.status, "sent");
  // Python's email package parses it as multipart/alternative with both parts and the link.
  const parsed = JSON.parse(execFileSync("python3", ["-c", `
import email, json, sys
from email import policy
msg = email.message_from_string(sys.stdin.read(), policy=policy.default)
parts = [p.get_content_type() for p in msg.walk()]
text = msg.get_body(preferencelist=("plain",)).get_content()
print(json.dumps({"type": msg.get_content_type(), "parts": parts, "message_id": msg["Message-ID"],
  "date": msg["Date"], "to": msg["To"], "from": msg["From"], "text": text}))
`], { input: message.raw }).toString());
  assert.equal(parsed.type, "multipart/alternative");
  assert.ok(parsed.parts.includes("text/plain") && parsed.parts.includes("text/html"));
  assert.match(parsed.message_id, /^<[^@]+@[^>]+>$/);
  assert.ok(parsed.date);
  assert.ok(parsed.to.includes(email));
  const link = verificationLink(message);
  assert.ok(parsed.text.includes(link), "the link is in the text part");
  assert.ok(parsed.text.includes(created.body.domain.unicode), "the order details are in the mail");

  await answer(link, "confirm");
  const active = await status(created.body.order_id);
  assert.equal(active.status, "ACTIVE");
  assert.equal(active.verification.state, "verified");

  // The token is single use.
  const again = await fetch(link);
  assert.equal(again.status, 410);
  assert.match(await again.text(), /already been used|no longer valid/i);
});

test("auth codes are sealed at rest; no token is stored in plain", async () => {
  const email = uniqueEmail();
  const created = await submit(order({ owner: { email } }));
  const [row] = await worker.d1(`SELECT record FROM domains WHERE name = '${created.body.domain.ascii}'`);
  const record = JSON.parse(row.record);
  assert.match(record.auth_code, /^sealed:v1:[A-Za-z0-9+/=]+$/);
  assert.doesNotMatch(row.record, /coop\d?-[A-Za-z0-9_-]{22}/, "no plain auth code in the record");
  const link = verificationLink(await mailTo(email, /verif/i));
  const token = link.split("/verify/")[1];
  const everything = JSON.stringify(await worker.d1("SELECT * FROM contacts")) + JSON.stringify(await worker.d1("SELECT * FROM domains"))
    + JSON.stringify(await worker.d1("SELECT * FROM events"));
  assert.ok(!everything.includes(token), "the verification token is stored only as a hash");
});

test("a verified contact's second order waits for its mailbox's approval, with no new verification", async () => {
  const email = uniqueEmail();
  const first = await submit(order({ owner: { email } }));
  await answer(verificationLink(await mailTo(email, /verif/i)), "confirm");
  const second = await submit(order({ owner: { email } }));
  assert.equal(second.status, 201, second.text);
  assert.equal(second.body.status, "PROCESSING", "never ACTIVE without the mailbox");
  // One verification only; the second order gets an approval request instead.
  const verifications = (await outbox(url)).filter((message) => message.to.includes(email) && /verify your/i.test(message.subject));
  assert.equal(verifications.length, 1);
  const approval = await mailTo(email, /approve this new registration/i);
  assert.ok(approval, "an approval request");
  assert.ok(approval.links.some((link) => link.includes("/approve/")), JSON.stringify(approval.links));
  assert.equal((await status(first.body.order_id)).status, "ACTIVE");
  assert.equal((await status(second.body.order_id)).approval.state, "pending");
});

test("decline → serverHold", async () => {
  const email = uniqueEmail();
  const created = await submit(order({ owner: { email } }));
  await answer(verificationLink(await mailTo(email, /verif/i)), "decline");
  const held = await status(created.body.order_id);
  assert.equal(held.status, "HELD");
  assert.equal(held.hold_reason, "declined");
  assert.equal(held.verification.state, "rejected");
});

test("reminder at day 7, serverHold at day 15, new link + confirm lifts the hold", async () => {
  const email = uniqueEmail();
  const created = await submit(order({ owner: { email } }));
  assert.equal(created.status, 201, created.text);
  const firstLink = verificationLink(await mailTo(email, /verif/i));

  await advanceDays(url, 7);
  assert.ok(await mailTo(email, /reminder/i), "reminder sent at day 7");
  assert.equal((await status(created.body.order_id)).status, "PROCESSING");

  await advanceDays(url, 8);
  const held = await status(created.body.order_id);
  assert.equal(held.status, "HELD");
  assert.equal(held.hold_reason, "timeout");
  assert.ok(await mailTo(email, /new link|on hold/i), "hold e-mail with how to get a new link");
  // The old link has expired.
  const expired = await fetch(firstLink);
  assert.equal(expired.status, 410);

  const resend = await api(url, `/api/v1/orders/${created.body.order_id}/resend`, { method: "POST" });
  assert.equal(resend.status, 202, resend.text);
  const fresh = verificationLink(await mailTo(email, /verif/i));
  assert.notEqual(fresh, firstLink);
  await answer(fresh, "confirm");
  assert.equal((await status(created.body.order_id)).status, "ACTIVE");
});

test("staff reject holds every domain of the contact; approve releases them", async () => {
  const email = uniqueEmail();
  const owner = { email, organization: `Org ${uniqueLabel()}` };
  const first = await submit(order({ owner }));
  const second = await submit(order({ owner }));
  assert.equal(second.status, 201, second.text);
  const staff = JSON.parse(execFileSync("node", ["scripts/admin.mjs", "create-staff", "--id", "reviewer",
    "--name", "Reviewer", "--persist-to", worker.state], { cwd: ROOT }).toString());
  const auth = { authorization: `Basic ${Buffer.from(`reviewer:${staff.password}`).toString("base64")}` };
  const handle = (await status(first.body.order_id)).owner_handle;
  assert.ok(handle);

  const unauthenticated = await api(url, `/api/v1/staff/contacts/${handle}/decision`, { method: "POST", body: { decision: "reject", reason: "not a co-operative" } });
  assert.equal(unauthenticated.status, 401);

  const rejected = await api(url, `/api/v1/staff/contacts/${handle}/decision`, { method: "POST", body: { decision: "reject", reason: "not a co-operative" }, headers: auth });
  assert.equal(rejected.status, 200, rejected.text);
  for (const created of [first, second]) {
    const held = await status(created.body.order_id);
    assert.equal(held.status, "HELD");
    assert.equal(held.hold_reason, "rejected");
    // The public history says "registry", never the staff member's login (issue 19); the
    // stored history keeps who it was.
    assert.ok(held.history.some((event) => event.actor === "registry" && /rejected/.test(event.reason)), JSON.stringify(held.history));
    assert.ok(!JSON.stringify(held.history).includes("reviewer"), "no staff login in the public history");
  }
  const approved = await api(url, `/api/v1/staff/contacts/${handle}/decision`, { method: "POST", body: { decision: "approve", reason: "documents checked" }, headers: auth });
  assert.equal(approved.status, 200, approved.text);
  for (const created of [first, second]) {
    assert.equal((await status(created.body.order_id)).status, "ACTIVE");
  }
  assert.ok((await worker.d1(`SELECT COUNT(*) AS n FROM events WHERE actor = 'staff:reviewer'`))[0].n >= 2, "staff see who decided");
  const wrongPassword = await api(url, `/api/v1/staff/contacts/${handle}/decision`, { method: "POST", body: { decision: "reject" },
    headers: { authorization: `Basic ${Buffer.from("reviewer:wrong").toString("base64")}` } });
  assert.equal(wrongPassword.status, 401);
  assert.equal((await status(first.body.order_id)).status, "ACTIVE", "a refused request changes nothing");
});

test("a write based on a record that changed since it was read is refused whole; a retry works", async () => {
  const email = uniqueEmail();
  const created = await submit(order({ owner: { email } }));
  const domain = created.body.domain.ascii;
  const staff = JSON.parse(execFileSync("node", ["scripts/admin.mjs", "create-staff", "--id", "racer",
    "--name", "Racer", "--persist-to", worker.state], { cwd: ROOT }).toString());
  const auth = { authorization: `Basic ${Buffer.from(`racer:${staff.password}`).toString("base64")}` };
  const handle = (await status(created.body.order_id)).owner_handle;
  const snapshot = async () => ({
    contact: (await worker.d1(`SELECT verification, rev, record FROM contacts WHERE handle = '${handle}'`))[0],
    domain: (await worker.d1(`SELECT state, rev, record FROM domains WHERE name = '${domain}'`))[0],
    events: (await worker.d1("SELECT COUNT(*) AS n FROM events"))[0].n,
    outbox: (await worker.d1("SELECT COUNT(*) AS n FROM outbox"))[0].n,
  });
  // Another writer stores the domain after this request has read it: the row is one revision
  // ahead of the record the request will read and write.
  await worker.d1(`UPDATE domains SET rev = rev + 1 WHERE name = '${domain}'`);
  const before = await snapshot();
  const refused = await api(url, `/api/v1/staff/contacts/${handle}/decision`,
    { method: "POST", body: { decision: "reject", reason: "not a co-operative" }, headers: auth });
  assert.equal(refused.status, 409, refused.text);
  assert.equal(refused.body.errors[0].code, "write_conflict");
  assert.match(refused.body.errors[0].message, /try again/i);
  assert.deepEqual(await snapshot(), before, "nothing of the batch was stored, not even the contact");
  assert.equal((await status(created.body.order_id)).status, "PROCESSING");
  // A browser gets a page: the registrant's confirmation, refused the same way.
  const link = verificationLink(await mailTo(email, /verif/i));
  const page = await fetch(`${link}/confirm`, { method: "POST", redirect: "manual", headers: { accept: "text/html" } });
  assert.equal(page.status, 409);
  assert.match(page.headers.get("content-type"), /text\/html/);
  assert.match(await page.text(), /Please try again/);
  assert.deepEqual(await snapshot(), before, "the confirmation stored nothing either");

  // Read again (the other writer's record is what is stored now), the same decision works.
  await worker.d1(`UPDATE domains SET record = json_set(record, '$.revision', rev + 1), rev = rev + 1 WHERE name = '${domain}'`);
  const retried = await api(url, `/api/v1/staff/contacts/${handle}/decision`,
    { method: "POST", body: { decision: "reject", reason: "not a co-operative" }, headers: auth });
  assert.equal(retried.status, 200, retried.text);
  assert.equal((await status(created.body.order_id)).status, "HELD");
  const after = await snapshot();
  assert.equal(after.domain.rev, before.domain.rev + 2, "written as the next revision");
  assert.equal(JSON.parse(after.domain.record).revision, after.domain.rev);
  assert.equal(after.contact.rev, before.contact.rev + 1);
});

test("an order whose owner keeps changing under it is retried, then refused whole; later it goes through", async () => {
  const email = uniqueEmail();
  const first = await submit(order({ owner: { email } }));
  assert.equal(first.status, 201, first.text);
  const handle = (await status(first.body.order_id)).owner_handle;
  // No answer for 15 days: the link has timed out, so the next order gives the owner a fresh
  // one and writes the owner's record.
  await advanceDays(url, 15);
  // The owner row is one revision ahead of its record whenever the order reads it: every
  // round of the order loses the race.
  await worker.d1(`UPDATE contacts SET rev = rev + 1 WHERE handle = '${handle}'`);
  const counts = async () => (await worker.d1("SELECT (SELECT COUNT(*) FROM domains) AS domains, (SELECT COUNT(*) FROM orders) AS orders, (SELECT COUNT(*) FROM outbox) AS outbox"))[0];
  const before = await counts();
  const second = order({ owner: { email } });
  const refused = await submit(second);
  assert.equal(refused.status, 409, refused.text);
  assert.equal(refused.body.errors[0].code, "write_conflict");
  assert.deepEqual(await counts(), before, "nothing stored");
  await worker.d1(`UPDATE contacts SET record = json_set(record, '$.revision', rev + 1), rev = rev + 1 WHERE handle = '${handle}'`);
  const accepted = await submit(second);
  assert.equal(accepted.status, 201, accepted.text);
  assert.equal(accepted.body.status, "PROCESSING");
});

test("held domains of a rejected registrant are deleted after 30 days; the name is free again", async () => {
  const email = uniqueEmail();
  const created = await submit(order({ owner: { email } }));
  const staff = JSON.parse(execFileSync("node", ["scripts/admin.mjs", "create-staff", "--id", "purger",
    "--name", "Purger", "--persist-to", worker.state], { cwd: ROOT }).toString());
  const auth = { authorization: `Basic ${Buffer.from(`purger:${staff.password}`).toString("base64")}` };
  const handle = (await status(created.body.order_id)).owner_handle;
  const rejected = await api(url, `/api/v1/staff/contacts/${handle}/decision`, { method: "POST", body: { decision: "reject", reason: "not eligible" }, headers: auth });
  assert.equal(rejected.status, 200, rejected.text);
  await advanceDays(url, 29);
  assert.equal((await status(created.body.order_id)).status, "HELD");
  await advanceDays(url, 2);
  const gone = await status(created.body.order_id);
  assert.equal(gone.status, "DELETED");
  const rows = await worker.d1(`SELECT COUNT(*) AS n FROM domains WHERE name = '${created.body.domain.ascii}'`);
  assert.equal(rows[0].n, 0, "cron removed the record");
  const free = await api(url, `/api/v1/availability?domain=${created.body.domain.ascii}`);
  assert.equal(free.body.available, true);
});

test("signed callback: a bad or replayed signature is refused and changes nothing", async () => {
  const { createHmac } = await import("node:crypto");
  const email = uniqueEmail();
  const created = await submit(order({ owner: { email } }));
  const handle = (await status(created.body.order_id)).owner_handle;
  const body = JSON.stringify({ contact: handle, decision: "approve", reason: "checked by the verification service" });
  const timestamp = String(Math.floor(Date.now() / 1000));
  const sign = (secret) => createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
  const send = (signature, ts = timestamp) => api(url, "/api/v1/callbacks/verification", {
    method: "POST", body, headers: { "x-coopreg-timestamp": ts, "x-coopreg-signature": signature },
  });

  const bad = await send(sign("wrong-secret"));
  assert.equal(bad.status, 401);
  assert.equal(bad.body.errors[0].code, "signature_invalid");
  assert.equal((await status(created.body.order_id)).status, "PROCESSING");

  const stale = await send(createHmac("sha256", "test-callback-secret").update(`1000.${body}`).digest("hex"), "1000");
  assert.equal(stale.status, 401);

  const good = await send(sign("test-callback-secret"));
  assert.equal(good.status, 200, good.text);
  assert.equal((await status(created.body.order_id)).status, "ACTIVE");

  const replay = await send(sign("test-callback-secret"));
  assert.equal(replay.status, 401);
  assert.equal(replay.body.errors[0].code, "signature_invalid");
});

test("20 concurrent orders for one name give exactly one PROCESSING", async () => {
  const domain = `${uniqueLabel("race")}.coop`;
  const results = await Promise.all(Array.from({ length: 20 }, (_, i) =>
    submit(order({ domain, owner: { email: `racer${i}-${uniqueLabel()}@example.coop` } }))));
  const created = results.filter((result) => result.status === 201);
  const taken = results.filter((result) => result.status === 409);
  assert.equal(created.length, 1, JSON.stringify(results.map((result) => result.status)));
  assert.equal(taken.length, 19);
  for (const result of taken) assert.equal(result.body.errors[0].code, "name_taken");
  const rows = await worker.d1(`SELECT COUNT(*) AS n FROM domains WHERE name = '${domain}'`);
  assert.equal(rows[0].n, 1);
});

test("simultaneous first orders of one new registrant share one working verification link", async () => {
  const email = uniqueEmail();
  const owner = { email, organization: `Race Co-operative ${uniqueLabel()}` };
  const results = await Promise.all(Array.from({ length: 6 }, () => submit(order({ owner }))));
  for (const result of results) assert.equal(result.status, 201, result.text);
  // One contact, one outstanding token, so exactly one verification e-mail (in the outbox
  // with the order that owes it). Locally workerd happens to run each order's read and write
  // without another order's read in between; where D1 is remote the reads interleave, and the
  // strict insert of a new owner (a conflict retries the order against the stored contact)
  // keeps this true.
  const mails = (await outbox(url)).filter((message) => message.to.includes(email));
  assert.equal(mails.length, 1, `e-mails: ${mails.map((message) => message.subject).join(" | ")}`);
  const owners = new Set(await Promise.all(results.map(async (result) =>
    (await worker.d1(`SELECT owner FROM domains WHERE name = '${result.body.domain.ascii}'`))[0].owner)));
  assert.equal(owners.size, 1);
  // Its link is the stored one: confirming it makes every one of the orders ACTIVE.
  await answer(verificationLink(mails[0]), "confirm");
  for (const result of results) assert.equal((await status(result.body.order_id)).status, "ACTIVE");
});

test("a retried order with the same Idempotency-Key gives the same order and one e-mail", async () => {
  const email = uniqueEmail();
  const body = order({ owner: { email } });
  const key = `key-${uniqueLabel()}`;
  const first = await submit(body, key);
  const second = await submit(body, key);
  assert.equal(first.status, 201, first.text);
  assert.ok(second.status === 200 || second.status === 201, second.text);
  assert.equal(second.body.order_id, first.body.order_id);
  const mails = (await outbox(url)).filter((message) => message.to.includes(email));
  assert.equal(mails.length, 1);
  // The same key with another body is a conflict.
  const conflict = await submit(order({ owner: { email } }), key);
  assert.equal(conflict.status, 409);
  assert.equal(conflict.body.errors[0].code, "idempotency_conflict");
});

test("availability: free, taken and invalid names", async () => {
  const created = await submit(order());
  const taken = await api(url, `/api/v1/availability?domain=${encodeURIComponent(created.body.domain.ascii)}`);
  assert.equal(taken.status, 200);
  assert.equal(taken.body.available, false);
  const free = await api(url, `/api/v1/availability?domain=${uniqueLabel()}.coop`);
  assert.equal(free.body.available, true);
  const invalid = await api(url, "/api/v1/availability?domain=-bad-.coop");
  assert.equal(invalid.status, 422);
  assert.equal(invalid.body.errors[0].field, "domain");
});

test("bad input on every route: 4xx with the core's error shape, nothing stored", async () => {
  const countDomains = async () => (await worker.d1("SELECT COUNT(*) AS n FROM domains"))[0].n;
  const countOutbox = async () => (await worker.d1("SELECT COUNT(*) AS n FROM outbox"))[0].n;
  const domainsBefore = await countDomains();
  const outboxBefore = await countOutbox();
  const cases = [
    ["malformed JSON", "{\"domain\": ", 422, "malformed_input"],
    ["wrong types", { ...order(), period: "one" }, 422, null],
    ["unknown field", { ...order(), colour: "blue" }, 422, "unknown_field"],
    ["huge body", JSON.stringify({ ...order(), pad: "x".repeat(200_000) }), 413, "body_too_large"],
    ["not an object", "[1,2,3]", 422, null],
    ["owner without organisation", order({ owner: { organization: "" } }), 422, null],
  ];
  for (const [name, body, expectedStatus, code] of cases) {
    const response = await submit(body);
    assert.equal(response.status, expectedStatus, `${name}: ${response.text}`);
    assert.ok(Array.isArray(response.body.errors) && response.body.errors.length > 0, name);
    for (const error of response.body.errors) {
      assert.equal(typeof error.code, "string");
      assert.equal(typeof error.field, "string");
      assert.ok(error.message.length > 10, `${name}: a message that explains`);
    }
    if (code) assert.equal(response.body.errors[0].code, code, name);
  }
  const badToken = await fetch(`${url}/verify/not-a-real-token`);
  assert.equal(badToken.status, 410);
  assert.match(await badToken.text(), /not valid|no longer valid/i);
  const badConfirm = await fetch(`${url}/verify/${"a".repeat(43)}/confirm`, { method: "POST" });
  assert.equal(badConfirm.status, 410);
  const unknownOrder = await api(url, "/api/v1/orders/00000000000000000000000000000000");
  assert.equal(unknownOrder.status, 404);
  assert.equal(unknownOrder.body.errors[0].code, "not_found");
  assert.equal(await countDomains(), domainsBefore);
  assert.equal(await countOutbox(), outboxBefore);
});

test("the OpenAPI document is served", async () => {
  const { status: code, body } = await api(url, "/api/v1/openapi.json");
  assert.equal(code, 200);
  assert.match(body.openapi, /^3\./);
  assert.ok(body.paths["/api/v1/orders"].post);
  assert.ok(body.paths["/api/v1/orders/{order_id}"].get);
  // A documented path with another method: 405 with the methods it answers.
  const wrongMethod = await api(url, "/api/v1/orders", { method: "DELETE" });
  assert.equal(wrongMethod.status, 405);
  assert.equal(wrongMethod.headers.get("allow"), "POST");
  assert.equal(wrongMethod.body.errors[0].field, "");
});
