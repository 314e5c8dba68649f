// Issue 7: the registry's outputs and the staff console's rules, against real wrangler dev,
// D1 and R2: zone file (named-checkzone, content, serial, byte-identical re-export), escrow
// deposit (parsed back with the core parser and compared with D1), change report between
// two deposits, console session and CSRF checks.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startWorker, runCron, ROOT } from "../harness.mjs";
import { seed, contactRecord, domainRecord, createStaff, staffSession } from "../registry_fixtures.mjs";
import { order } from "../fixtures.mjs";

const worker = await startWorker();
const url = worker.url;
const staff = createStaff(worker);
const session = await staffSession(url, staff);
const scratch = mkdtempSync(join(tmpdir(), "coopreg-registry-"));
process.on("exit", () => rmSync(scratch, { recursive: true, force: true }));
after(() => { if (process.env.SHOW_WORKER_LOG) console.log(worker.log()); });

const ESCROW_JSON = join(ROOT, "target", "debug", "examples", "escrow_json");
execFileSync("cargo", ["build", "-q", "-p", "coopreg-shared", "--example", "escrow_json"], { cwd: ROOT, stdio: "inherit" });

async function runDaily() {
  const response = await session.request("/staff/run-daily", { method: "POST", headers: { accept: "application/json" } });
  assert.equal(response.status, 200, await response.clone().text());
  return response.json();
}

async function zoneText() {
  const response = await session.request("/staff/zone.txt");
  assert.equal(response.status, 200);
  return { text: await response.text(), serial: Number(response.headers.get("x-zone-serial")) };
}

function checkzone(text, name) {
  const file = join(scratch, name);
  writeFileSync(file, text);
  return execFileSync("named-checkzone", ["-i", "local", "-k", "fail", "-n", "fail", "coop", file]).toString();
}

/** Delegated names in a zone text (owners of NS records below the apex). */
function delegations(text) {
  const names = new Set();
  for (const line of text.split("\n")) {
    const [owner, , , type] = line.split("\t");
    if (type === "NS" && owner !== "coop.") names.add(owner.replace(/\.$/, ""));
  }
  return [...names].sort();
}

async function deposit(id) {
  const response = await session.request(`/staff/escrow/${id}.csv`);
  assert.equal(response.status, 200);
  const file = join(scratch, `${id}.csv`);
  writeFileSync(file, Buffer.from(await response.arrayBuffer()));
  return JSON.parse(execFileSync(ESCROW_JSON, [file]).toString());
}

async function domainAction(name, action, note = "", extra = {}) {
  const response = await session.request(`/staff/domains/${name}/${action}`, { method: "POST", form: { note, ...extra } });
  assert.equal(response.status, 303, await response.clone().text());
}

const tag = `t${process.pid}`;
const label = (name) => `${tag}-${name}`;
const name = (n) => `${label(n)}.coop`;

test("console: login required, cookie attributes, Origin check, wrong password", async () => {
  const anonymous = await fetch(`${url}/staff/`, { redirect: "manual" });
  assert.equal(anonymous.status, 303);
  assert.equal(anonymous.headers.get("location"), "/staff/login");
  assert.match(session.setCookie, /^coopreg_staff=[0-9a-f]{64}; HttpOnly; Secure; SameSite=Strict; Path=\/staff/);
  // Only the hash of the session id is stored.
  const id = session.cookie.split("=")[1];
  const stored = await worker.d1("SELECT id_hash FROM sessions");
  assert.ok(stored.length >= 1 && stored.every((row) => row.id_hash !== id));

  const noOrigin = await fetch(`${url}/staff/run-daily`, { method: "POST", headers: { cookie: session.cookie } });
  assert.equal(noOrigin.status, 403);
  const otherOrigin = await fetch(`${url}/staff/run-daily`, {
    method: "POST", headers: { cookie: session.cookie, origin: "https://evil.example" },
  });
  assert.equal(otherOrigin.status, 403);
  assert.equal((await worker.d1("SELECT COUNT(*) AS n FROM zone_exports"))[0].n, 0, "refused posts changed nothing");

  const wrong = await fetch(`${url}/staff/login`, {
    method: "POST", redirect: "manual",
    headers: { origin: url, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ login: staff.id, password: "not-the-password" }).toString(),
  });
  assert.equal(wrong.status, 401);
  assert.equal(wrong.headers.get("set-cookie"), null);

  const page = await session.request("/staff/");
  assert.equal(page.status, 200);
  assert.match(await page.text(), /Signed in as Alice Registry/);
});

test("zone: named-checkzone passes, content follows the states, serial moves on change only, re-export byte-identical", async () => {
  await seed(worker, {
    contacts: [
      contactRecord({ handle: `${tag}-OK` }),
      contactRecord({ handle: `${tag}-WAIT`, verification: "pending" }),
    ],
    domains: [
      domainRecord({ label: label("active"), owner: `${tag}-OK` }),
      domainRecord({
        label: label("glue"), owner: `${tag}-OK`,
        nameservers: [
          { host: `ns1.${name("glue")}`, addresses: ["192.0.2.10", "2001:db8::10"] },
          { host: "ns.example.org", addresses: ["192.0.2.99"] },
        ],
      }),
      domainRecord({ label: label("held"), owner: `${tag}-OK`, state: "held" }),
      domainRecord({ label: label("pending"), owner: `${tag}-WAIT`, state: "processing" }),
      domainRecord({ label: label("gone"), owner: `${tag}-OK`, state: "redemption" }),
    ],
  });
  const first = await runDaily();
  assert.equal(first.zone.changed, true);
  const zone1 = await zoneText();
  assert.equal(zone1.serial, first.zone.serial);
  checkzone(zone1.text, "zone1");
  assert.deepEqual(delegations(zone1.text), [name("active"), name("glue")]);
  // Glue only for the in-domain name server; none for the out-of-zone host.
  assert.match(zone1.text, new RegExp(`^ns1\\.${name("glue").replace(/\./g, "\\.")}\\.\\t\\d+\\tIN\\tA\\t192\\.0\\.2\\.10$`, "m"));
  assert.match(zone1.text, /\tIN\tAAAA\t2001:db8::10$/m);
  assert.doesNotMatch(zone1.text, /192\.0\.2\.99/);
  assert.doesNotMatch(zone1.text, /ns\.example\.org\.\t\d+\tIN\tA/);
  const soaSerial = Number(zone1.text.match(/\tSOA\t\S+ \S+ (\d+) /)[1]);
  assert.equal(soaSerial, zone1.serial);

  const again = await runDaily();
  assert.equal(again.zone.changed, false);
  assert.equal(again.zone.serial, first.zone.serial);
  const zone2 = await zoneText();
  assert.equal(zone2.text, zone1.text, "same state, same bytes");

  await domainAction(name("active"), "hold", "suspected ineligible");
  const afterHold = await runDaily();
  assert.equal(afterHold.zone.changed, true);
  assert.ok(afterHold.zone.serial > first.zone.serial, "serial increases on change");
  const zone3 = await zoneText();
  checkzone(zone3.text, "zone3");
  assert.deepEqual(delegations(zone3.text), [name("glue")]);
  const events = await worker.d1(`SELECT actor, to_state, reason, note FROM events WHERE object = 'domain:${name("active")}'`);
  assert.deepEqual(events.at(-1), { actor: "staff:alice", to_state: "HELD(staff)", reason: "held by registry staff", note: "suspected ineligible" });

  await domainAction(name("active"), "release");
  await runDaily();
  const zone4 = await zoneText();
  assert.deepEqual(delegations(zone4.text), [name("active"), name("glue")]);
  // Back to the first content: a new serial (serials never go back), same records.
  assert.ok(zone4.serial > zone3.serial);
  assert.equal(zone4.text.split("\n").slice(4).join("\n"), zone1.text.split("\n").slice(4).join("\n"));
});

test("escrow: the deposit parses with the core parser and matches D1; the change report lists exactly what changed", async () => {
  const base = await runDaily();
  const first = await deposit(base.deposit.id);
  const rows = {
    contacts: await worker.d1("SELECT handle, reseller_id, verification, record FROM contacts ORDER BY handle"),
    domains: await worker.d1("SELECT name, owner, reseller_id, record FROM domains ORDER BY name"),
  };
  assert.equal(first.header.type, "FULL");
  assert.equal(first.header.tld, "coop");
  assert.deepEqual(first.contacts.map((c) => c.handle), rows.contacts.map((r) => r.handle));
  for (const [index, row] of rows.contacts.entries()) {
    const record = JSON.parse(row.record);
    const contact = first.contacts[index];
    assert.equal(contact.verification, row.verification);
    assert.equal(contact.reseller, row.reseller_id);
    assert.equal(contact.info.email, record.info.email);
    assert.equal(contact.info.organization, record.info.organization);
  }
  // Every stored domain is deposited (redemption included; nothing was freed yet).
  assert.deepEqual(first.domains.map((d) => d.name.ascii), rows.domains.map((r) => r.name));
  for (const [index, row] of rows.domains.entries()) {
    const record = JSON.parse(row.record);
    const domain = first.domains[index];
    assert.equal(domain.registrant, row.owner);
    assert.equal(domain.reseller, row.reseller_id);
    assert.equal(domain.expires, record.expires);
    assert.deepEqual(domain.nameservers.map((n) => n.host).sort(), record.nameservers.map((n) => n.host).sort());
  }
  assert.deepEqual(first.domains.find((d) => d.name.ascii === name("held")).statuses, ["serverHold"]);
  assert.deepEqual(first.domains.find((d) => d.name.ascii === name("pending")).statuses, ["pendingCreate"]);
  assert.equal(first.header.counts.domains, rows.domains.length);
  assert.equal(first.header.counts.nameservers, first.domains.reduce((n, d) => n + d.nameservers.length, 0));
  assert.ok(first.resellers.some((r) => r.id === "web"));

  // Changes between this deposit and the next: a new registrant with a new domain, a
  // material change (organisation), a non-material change (phone), a deleted domain.
  const changed = contactRecord({ handle: `${tag}-OK`, organization: "Renamed Co-operative" });
  const phoneOnly = contactRecord({ handle: `${tag}-WAIT`, verification: "pending" });
  phoneOnly.info.phone = "+44.1619999999";
  await seed(worker, {
    contacts: [contactRecord({ handle: `${tag}-NEW` }), changed, phoneOnly],
    domains: [domainRecord({ label: label("fresh"), owner: `${tag}-NEW` })],
  });
  await worker.d1(`DELETE FROM domains WHERE name = '${name("gone")}'`);

  const next = await runDaily();
  assert.equal(next.deposit.previous_id, base.deposit.id);
  assert.deepEqual(next.deposit.report, {
    new_registrants: [{ handle: `${tag}-NEW`, domains: [name("fresh")] }],
    material_changes: [{
      handle: `${tag}-OK`, fields: ["organization"],
      domains: [name("active"), name("glue"), name("held")],
    }],
    owner_changes: [],
    new_domains: [name("fresh")],
    deleted_domains: [name("gone")],
  });
  const second = await deposit(next.deposit.id);
  assert.equal(second.contacts.find((c) => c.handle === `${tag}-OK`).info.organization, "Renamed Co-operative");

  // The queue shows both registrants to review; the outputs page shows the report.
  const queue = await (await session.request("/staff/")).text();
  assert.match(queue, new RegExp(`New registrant in deposit ${next.deposit.id}`));
  assert.match(queue, /Material change \(organization\)/);
  // A decision through the staff JSON API (not the console) also takes the item off the queue.
  const viaApi = await fetch(`${url}/api/v1/staff/contacts/${tag}-NEW/decision`, {
    method: "POST",
    headers: {
      authorization: `Basic ${Buffer.from(`${staff.id}:${staff.password}`).toString("base64")}`,
      "content-type": "application/json",
    },
    body: JSON.stringify({ decision: "reject", reason: "not a co-operative" }),
  });
  assert.equal(viaApi.status, 200, await viaApi.clone().text());
  const queueAfter = await (await session.request("/staff/")).text();
  assert.doesNotMatch(queueAfter, new RegExp(`data-handle="${tag}-NEW"`));
  assert.match(queueAfter, new RegExp(`data-handle="${tag}-OK"`));
  const outputs = await (await session.request("/staff/outputs")).text();
  assert.match(outputs, new RegExp(`Changes from ${base.deposit.id} to ${next.deposit.id}`));
});

test("an order through the API: queued for review, out of the zone until staff approve it; delete needs confirmation", async () => {
  const body = order();
  const created = await fetch(`${url}/api/v1/orders`, {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body),
  });
  assert.equal(created.status, 201, await created.clone().text());
  const [row] = await worker.d1(`SELECT owner, state FROM domains WHERE name = '${body.domain}'`);
  assert.equal(row.state, "PROCESSING");

  const queue = await (await session.request("/staff/")).text();
  assert.match(queue, new RegExp(`data-handle="${row.owner}"`));
  assert.match(queue, new RegExp(body.domain.replace(/\./g, "\\.")));
  await runDaily();
  assert.ok(!delegations((await zoneText()).text).includes(body.domain), "PROCESSING is not published");

  const decided = await session.request(`/staff/contacts/${row.owner}/decision`, { method: "POST", form: { decision: "approve" } });
  assert.equal(decided.status, 303);
  assert.equal((await worker.d1(`SELECT state FROM domains WHERE name = '${body.domain}'`))[0].state, "ACTIVE");
  const event = (await worker.d1(`SELECT actor FROM events WHERE object = 'contact:${row.owner}' ORDER BY id DESC LIMIT 1`))[0];
  assert.equal(event.actor, "staff:alice");
  await runDaily();
  const zone = await zoneText();
  checkzone(zone.text, "zone-order");
  assert.ok(delegations(zone.text).includes(body.domain), "approved: published");
  assert.doesNotMatch(await (await session.request("/staff/")).text(), new RegExp(`data-handle="${row.owner}"`));

  const unconfirmed = await session.request(`/staff/domains/${body.domain}/delete`, { method: "POST", form: { note: "x" } });
  assert.equal(unconfirmed.status, 400);
  assert.equal((await worker.d1(`SELECT state FROM domains WHERE name = '${body.domain}'`))[0].state, "ACTIVE");
  await domainAction(body.domain, "delete", "test", { confirm: "yes" });
  // Within the add grace period the name is freed at once.
  assert.equal((await worker.d1(`SELECT COUNT(*) AS n FROM domains WHERE name = '${body.domain}'`))[0].n, 0);
});

test("cron: the daily job runs once a day (zone on one run, deposit on the next, then nothing)", async () => {
  const zones = async () => (await worker.d1("SELECT COUNT(*) AS n, MAX(checked_at) AS checked FROM zone_exports"))[0];
  const deposits = async () => (await worker.d1("SELECT COUNT(*) AS n FROM escrow_deposits"))[0].n;
  // Staff runs above already exported today's zone and deposit: cron adds nothing.
  const before = { zones: await zones(), deposits: await deposits() };
  await runCron(url);
  await runCron(url);
  assert.deepEqual({ zones: await zones(), deposits: await deposits() }, before);
  // A day later: one cron run checks the zone, the next writes the deposit, a third does nothing.
  const clock = await fetch(`${url}/dev/clock`, { method: "POST", body: JSON.stringify({ advance_days: 1 }), headers: { "content-type": "application/json" } });
  assert.equal(clock.status, 200);
  await runCron(url);
  assert.ok((await zones()).checked > before.zones.checked, "zone checked on the new day");
  assert.equal(await deposits(), before.deposits);
  await runCron(url);
  assert.equal(await deposits(), before.deposits + 1);
  await runCron(url);
  assert.equal(await deposits(), before.deposits + 1);
});
