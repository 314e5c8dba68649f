// Issue 15 (slice): the registry lock and unique auth codes, whole system. Registry staff set
// serverTransferProhibited / serverDeleteProhibited / serverUpdateProhibited through the staff
// JSON API; the reseller API (raw HTTP, /api/call.cgi) refuses the commands they bar with 552,
// StatusDomain and RDAP show them, the history records them; after staff clear them the same
// commands go through. A reseller-set AUTH that another domain has is refused with 541.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { startWorker, outbox, api, advanceDays, ROOT } from "../harness.mjs";
import { createReseller, staffSession } from "../registry_fixtures.mjs";

const worker = await startWorker();
const url = worker.url;

const resellers = { one: "lock-one", two: "lock-two" };
const passwords = { one: createReseller(worker, resellers.one), two: createReseller(worker, resellers.two) };
const staff = JSON.parse(
  execFileSync(
    "node",
    [
      join(ROOT, "scripts", "admin.mjs"),
      "create-staff",
      "--id",
      "locksmith",
      "--name",
      "Locksmith",
      "--persist-to",
      worker.state,
    ],
    { cwd: ROOT },
  )
    .toString()
    .trim()
    .split("\n")
    .pop(),
);
const staffAuth = { authorization: `Basic ${Buffer.from(`locksmith:${staff.password}`).toString("base64")}` };

async function call(who, fields) {
  const form = new URLSearchParams({ s_login: resellers[who], s_pw: passwords[who], ...fields });
  const response = await fetch(`${url}/api/call.cgi`, {
    method: "POST",
    body: form.toString(),
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
  assert.equal(response.status, 200);
  const text = await response.text();
  const code = Number(/^code = (\d+)$/m.exec(text)?.[1]);
  const props = {};
  for (const [, name, , value] of text.matchAll(/^property\[([^\]]+)\]\[(\d+)\] = (.*)$/gm)) {
    if (!props[name]) props[name] = [];
    props[name].push(value);
  }
  return { code, props, text };
}

function unique(prefix) {
  return `${prefix}-${process.pid}-${Math.floor(Math.random() * 1e9)}`;
}

/** An ACTIVE domain of reseller one with a verified owner; returns its name. */
async function activeDomain() {
  const email = `${unique("lock")}@example.org`;
  const added = await call("one", {
    command: "AddContact",
    firstname: "Anna",
    lastname: "Berg",
    organization: "Example eG",
    street0: "Weg 1",
    city: "Berlin",
    zip: "10115",
    country: "DE",
    phone: "+49.301234567",
    email,
  });
  assert.equal(added.code, 200, added.text);
  const handle = added.props.contact[0];
  const name = `${unique("lk")}.coop`;
  const created = await call("one", {
    command: "AddDomain",
    domain: name,
    period: "1",
    ownercontact0: handle,
    admincontact0: handle,
    techcontact0: handle,
    billingcontact0: handle,
    nameserver0: "ns1.example.net",
    nameserver1: "ns2.example.net",
    "X-COOP-ELIGIBILITY": "1",
  });
  assert.equal(created.code, 200, created.text);
  const verify = (await outbox(url)).find((m) => m.to.includes(email)).links.find((l) => l.includes("/verify/"));
  await fetch(`${verify}/confirm`, { method: "POST", redirect: "manual" });
  assert.equal((await call("one", { command: "StatusDomain", domain: name })).props.status[0], "ACTIVE");
  return name;
}

const lock = (name, body, headers = staffAuth) =>
  api(url, `/api/v1/staff/domains/${name}/lock`, { method: "POST", body, headers });

test("staff lock: each server status refuses its reseller commands with 552 until cleared", async () => {
  const name = await activeDomain();
  const auth = (await call("one", { command: "StatusDomain", domain: name })).props.auth[0];

  const locked = await lock(name, {
    set: ["serverTransferProhibited", "serverDeleteProhibited", "serverUpdateProhibited"],
    note: "dispute",
  });
  assert.equal(locked.status, 200, locked.text);
  assert.deepEqual(locked.body.server_statuses, [
    "serverTransferProhibited",
    "serverDeleteProhibited",
    "serverUpdateProhibited",
  ]);

  const status = await call("one", { command: "StatusDomain", domain: name });
  for (const s of ["serverTransferProhibited", "serverDeleteProhibited", "serverUpdateProhibited"]) {
    assert.ok(status.props.status.includes(s), `StatusDomain shows ${s}: ${status.text}`);
  }
  const rdap = await fetch(`${url}/rdap/domain/${name}`);
  assert.equal(rdap.status, 200);
  const rdapStatus = (await rdap.json()).status;
  for (const s of ["server transfer prohibited", "server delete prohibited", "server update prohibited"]) {
    assert.ok(rdapStatus.includes(s), `RDAP shows ${s}: ${rdapStatus}`);
  }

  const transfer = await call("two", { command: "TransferDomain", domain: name, auth });
  assert.equal(transfer.code, 552, transfer.text);
  assert.match(transfer.text, /serverTransferProhibited/);
  const modify = await call("one", { command: "ModifyDomain", domain: name, transferlock: "1" });
  assert.equal(modify.code, 552, modify.text);
  assert.match(modify.text, /serverUpdateProhibited/);
  const remove = await call("one", { command: "DeleteDomain", domain: name });
  assert.equal(remove.code, 552, remove.text);
  assert.match(remove.text, /serverDeleteProhibited/);
  assert.equal(
    (await call("one", { command: "StatusDomain", domain: name })).props.status[0],
    "ACTIVE",
    "nothing changed",
  );

  const history = await worker.d1(
    `SELECT actor, reason, note FROM events WHERE object = 'domain:${name}' AND reason LIKE 'registry lock:%' ORDER BY id`,
  );
  assert.equal(history.length, 1, JSON.stringify(history));
  assert.equal(history[0].actor, "staff:locksmith");
  assert.equal(history[0].note, "dispute");

  // Cleared one by one, each command goes through.
  assert.equal((await lock(name, { clear: ["serverUpdateProhibited"] })).status, 200);
  assert.equal((await call("one", { command: "ModifyDomain", domain: name, transferlock: "0" })).code, 200);
  assert.equal(
    (await call("two", { command: "TransferDomain", domain: name, auth })).code,
    552,
    "still transfer-locked",
  );
  assert.equal((await lock(name, { clear: ["serverTransferProhibited"] })).status, 200);
  const moved = await call("two", { command: "TransferDomain", domain: name, auth });
  assert.equal(moved.code, 200, moved.text);
  assert.equal((await call("two", { command: "TransferDomain", domain: name, action: "CANCEL" })).code, 200);
  assert.equal((await call("one", { command: "DeleteDomain", domain: name })).code, 552, "still delete-locked");
  const cleared = await lock(name, { clear: ["serverDeleteProhibited"] });
  assert.equal(cleared.status, 200);
  assert.deepEqual(cleared.body.server_statuses, []);
  assert.equal((await call("one", { command: "DeleteDomain", domain: name })).code, 200);
});

test("the staff lock API needs staff, JSON from its own origin, and known statuses", async () => {
  const name = await activeDomain();
  assert.equal((await lock(name, { set: ["serverDeleteProhibited"] }, {})).status, 401);
  const wrongType = await lock(name, "set=serverDeleteProhibited", {
    ...staffAuth,
    "content-type": "application/x-www-form-urlencoded",
  });
  assert.equal(wrongType.status, 415, wrongType.text);
  const foreign = await lock(
    name,
    { set: ["serverDeleteProhibited"] },
    { ...staffAuth, origin: "https://evil.example" },
  );
  assert.equal(foreign.status, 403, foreign.text);
  const unknown = await lock(name, { set: ["clientHold"] });
  assert.equal(unknown.status, 422, unknown.text);
  assert.equal(unknown.body.errors?.[0]?.field ?? unknown.body.field, "set", unknown.text);
  const empty = await lock(name, {});
  assert.equal(empty.status, 422, empty.text);
  const missing = await lock(`${unique("nope")}.coop`, { set: ["serverDeleteProhibited"] });
  assert.equal(missing.status, 404, missing.text);
  const status = await call("one", { command: "StatusDomain", domain: name });
  assert.ok(!status.props.status.some((s) => s.startsWith("server")), "nothing was set");
});

test("a reseller-set AUTH that another domain has is refused with 541, naming no domain", async () => {
  const first = await activeDomain();
  const second = await activeDomain();
  const code = `Shared-${Math.floor(Math.random() * 1e9)}`;
  assert.equal((await call("one", { command: "ModifyDomain", domain: first, auth: code })).code, 200);
  const refused = await call("one", { command: "ModifyDomain", domain: second, auth: code });
  assert.equal(refused.code, 541, refused.text);
  assert.ok(!refused.text.includes(first), "the answer does not name the other domain");
  assert.notEqual((await call("one", { command: "StatusDomain", domain: second })).props.auth[0], code);
  assert.equal(
    (await call("one", { command: "ModifyDomain", domain: first, auth: code })).code,
    200,
    "its own current code is no conflict",
  );
  const stored = (await worker.d1(`SELECT auth_index FROM domains WHERE name = '${first}'`))[0].auth_index;
  assert.match(stored, /^[0-9a-f]{64}$/, "a keyed hash is stored");
  assert.ok(
    !JSON.stringify(await worker.d1(`SELECT * FROM domains WHERE name = '${first}'`)).includes(code),
    "never the code",
  );
});

test("cron gives domains stored before migration 0010 their auth index; then the rule holds for them", async () => {
  const first = await activeDomain();
  const second = await activeDomain();
  const code = `Legacy-${Math.floor(Math.random() * 1e9)}`;
  assert.equal((await call("one", { command: "ModifyDomain", domain: first, auth: code })).code, 200);
  // As a row written before the migration: no index (the next revision, as any write).
  await worker.d1(
    `UPDATE domains SET auth_index = NULL, rev = rev + 1, record = json_set(record, '$.revision', rev + 1) WHERE name = '${first}'`,
  );
  assert.equal((await worker.d1(`SELECT auth_index FROM domains WHERE name = '${first}'`))[0].auth_index, null);
  assert.equal(
    (await call("one", { command: "ModifyDomain", domain: second, auth: code })).code,
    200,
    "without the index the code is not found",
  );
  assert.equal((await call("one", { command: "ModifyDomain", domain: second, auth: `${code}-b` })).code, 200);
  await fetch(`${url}/__scheduled?cron=*/5+*+*+*+*`);
  assert.match(
    (await worker.d1(`SELECT auth_index FROM domains WHERE name = '${first}'`))[0].auth_index,
    /^[0-9a-f]{64}$/,
  );
  assert.equal((await call("one", { command: "ModifyDomain", domain: second, auth: code })).code, 541);
  assert.equal(
    (await call("one", { command: "StatusDomain", domain: first })).props.auth[0],
    code,
    "the record is unchanged",
  );
});

test("the console sets and clears the lock; the domain page shows it and the history", async () => {
  const name = await activeDomain();
  const console = await staffSession(url, { id: "locksmith", password: staff.password });
  const before = await (await console.request(`/staff/domains/${name}`)).text();
  assert.match(before, /Set serverDeleteProhibited/);
  const set = await console.request(`/staff/domains/${name}/set-serverDeleteProhibited`, {
    method: "POST",
    form: { note: "court order 17" },
  });
  assert.equal(set.status, 303, await set.text());
  const page = await (await console.request(`/staff/domains/${name}`)).text();
  assert.match(page, /<code>[^<]*serverDeleteProhibited[^<]*<\/code>/, "EPP status shown");
  assert.match(page, /Clear serverDeleteProhibited/);
  assert.match(page, /registry lock: set serverDeleteProhibited/);
  assert.match(page, /court order 17/);
  assert.equal((await call("one", { command: "DeleteDomain", domain: name })).code, 552);
  const foreign = await console.request(`/staff/domains/${name}/clear-serverDeleteProhibited`, {
    method: "POST",
    form: { note: "" },
    headers: { origin: "https://evil.example" },
  });
  assert.notEqual(foreign.status, 303, "a cross-site form changes nothing");
  assert.equal((await call("one", { command: "DeleteDomain", domain: name })).code, 552);
  const clear = await console.request(`/staff/domains/${name}/clear-serverDeleteProhibited`, {
    method: "POST",
    form: { note: "" },
  });
  assert.equal(clear.status, 303);
  assert.equal((await call("one", { command: "DeleteDomain", domain: name })).code, 200);
});

test("transfer completion hands the contacts over to the gaining reseller", async () => {
  const name = await activeDomain();
  const before = await call("one", { command: "StatusDomain", domain: name });
  const oldOwner = before.props["owner contact"][0];
  const auth = before.props.auth[0];
  // Before the transfer the gaining reseller cannot read the owner.
  assert.equal((await call("two", { command: "StatusContact", contact: oldOwner })).code, 531);
  assert.equal((await call("two", { command: "TransferDomain", domain: name, auth })).code, 200);
  const approved = await call("one", { command: "TransferDomain", domain: name, action: "APPROVE" });
  assert.equal(approved.code, 200, approved.text);

  const after = await call("two", { command: "StatusDomain", domain: name });
  assert.equal(after.code, 200, after.text);
  const newOwner = after.props["owner contact"][0];
  assert.notEqual(newOwner, oldOwner, "the owner is a copy under a new handle");
  assert.deepEqual(after.props["admin contact"], [newOwner], "one contact in all roles stays one");
  // The gaining reseller reads its registrant: same data, still verified.
  const owner = await call("two", { command: "StatusContact", contact: newOwner });
  assert.equal(owner.code, 200, owner.text);
  const old = await call("one", { command: "StatusContact", contact: oldOwner });
  for (const field of ["first name", "last name", "city", "zip", "country", "email"]) {
    assert.deepEqual(owner.props[field], old.props[field], field);
  }
  assert.deepEqual(owner.props.verified, ["1"]);
  // The losing reseller cannot touch the new owner, and changing its old contact
  // (a material change that starts a re-verification) leaves the domain alone.
  assert.equal((await call("one", { command: "StatusContact", contact: newOwner })).code, 531);
  assert.equal((await call("one", { command: "ModifyContact", contact: newOwner, city: "Hamburg" })).code, 531);
  const changed = await call("one", {
    command: "ModifyContact",
    contact: oldOwner,
    email: `${unique("x")}@example.org`,
  });
  assert.equal(changed.code, 200, changed.text);
  await advanceDays(url, 16); // the old contact's re-verification link times out
  const later = await call("two", { command: "StatusDomain", domain: name });
  assert.equal(later.props.status[0], "ACTIVE", later.text);
  assert.deepEqual((await call("two", { command: "StatusContact", contact: newOwner })).props.verified, ["1"]);
});

test("a transfer request may name the gaining reseller's own contacts", async () => {
  const name = await activeDomain();
  const before = await call("one", { command: "StatusDomain", domain: name });
  const auth = before.props.auth[0];
  const oldOwner = before.props["owner contact"][0];
  const added = await call("two", {
    command: "AddContact",
    firstname: "Ben",
    lastname: "Tech",
    street0: "Gasse 3",
    city: "Bremen",
    zip: "28195",
    country: "DE",
    phone: "+49.421123456",
    email: `${unique("tech")}@example.org`,
  });
  assert.equal(added.code, 200, added.text);
  const mine = added.props.contact[0];
  // Another reseller's contact, or one without the registrant's data as owner, is refused.
  const foreign = await call("two", { command: "TransferDomain", domain: name, auth, admincontact0: oldOwner });
  assert.equal(foreign.code, 531, foreign.text);
  const otherOwner = await call("two", { command: "TransferDomain", domain: name, auth, ownercontact0: mine });
  assert.equal(otherOwner.code, 541, otherOwner.text);
  const requested = await call("two", {
    command: "TransferDomain",
    domain: name,
    auth,
    admincontact0: mine,
    techcontact0: mine,
  });
  assert.equal(requested.code, 200, requested.text);
  assert.equal((await call("one", { command: "TransferDomain", domain: name, action: "APPROVE" })).code, 200);
  const after = await call("two", { command: "StatusDomain", domain: name });
  assert.deepEqual(after.props["admin contact"], [mine]);
  assert.deepEqual(after.props["tech contact"], [mine]);
  const owner = after.props["owner contact"][0];
  assert.notEqual(owner, oldOwner);
  assert.notEqual(owner, mine);
  assert.equal((await call("two", { command: "StatusContact", contact: owner })).code, 200);
});

test("the 5-day auto-approval in cron hands the contacts over too", async () => {
  const name = await activeDomain();
  const before = await call("one", { command: "StatusDomain", domain: name });
  const oldOwner = before.props["owner contact"][0];
  const auth = before.props.auth[0];
  assert.equal((await call("two", { command: "TransferDomain", domain: name, auth })).code, 200);
  await advanceDays(url, 6);
  const after = await call("two", { command: "StatusDomain", domain: name });
  assert.equal(after.code, 200, after.text);
  assert.deepEqual(after.props.registrar, [resellers.two]);
  const owner = after.props["owner contact"][0];
  assert.notEqual(owner, oldOwner);
  const status = await call("two", { command: "StatusContact", contact: owner });
  assert.equal(status.code, 200, status.text);
  assert.deepEqual(status.props.verified, ["1"]);
});

// Last: it moves the worker's clock a year on.
test("a transfer completed in the auto-renew grace moves the expiry one year in total", async () => {
  const name = await activeDomain();
  const status = await call("one", { command: "StatusDomain", domain: name });
  const expiry = new Date(`${status.props["registration expiration date"][0].replace(" ", "T")}Z`);
  await advanceDays(url, 366);
  const renewed = await call("one", { command: "StatusDomain", domain: name });
  assert.ok(renewed.props["rgp status"]?.includes("autoRenewPeriod"), renewed.text);
  const auth = renewed.props.auth[0];
  assert.equal((await call("two", { command: "TransferDomain", domain: name, auth })).code, 200);
  const approved = await call("one", { command: "TransferDomain", domain: name, action: "APPROVE" });
  assert.equal(approved.code, 200, approved.text);
  const after = await call("two", { command: "StatusDomain", domain: name });
  assert.deepEqual(after.props.registrar, [resellers.two]);
  const moved = new Date(`${after.props["registration expiration date"][0].replace(" ", "T")}Z`);
  const plusOne = new Date(expiry);
  plusOne.setUTCFullYear(plusOne.getUTCFullYear() + 1);
  assert.equal(moved.toISOString(), plusOne.toISOString(), "one year after the expiry before the auto-renewal");
});
