// Issue 12: each change reaches a real authoritative server (PowerDNS, the hidden primary)
// within seconds, DNSSEC included. The worker runs under wrangler dev with a real
// pdns_server on free ports (scripts/pdns.sh); every answer is read with `dig`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { startWorker, api, outbox, runCron, ROOT } from "../harness.mjs";
import { order, uniqueLabel } from "../fixtures.mjs";
import { createStaff, staffSession } from "../registry_fixtures.mjs";

const worker = await startWorker({ dns: true });
const { url, dns } = worker;
const staff = createStaff(worker);
const session = await staffSession(url, staff);

const DS = `31589 13 2 ${"3f".repeat(32)}`;
// A key-signing key (PowerDNS-generated); its SHA-256 DS at `coop.` is known (unit test),
// here the reseller path computes it for the domain's own name.
const DNSKEY = "257 3 13 MG/C4TEobqpCdz7jxjNyGs0MwHbOBoCrWfvtffwgXRqc+GwDmbd0l18A0DQF6SguirP9ut8dLqdkj0zdr8ICew==";

/** The records of `dig` output (no comments), as [owner, ttl, class, type, data]. */
function records(text) {
  return text.split("\n").filter((line) => line && !line.startsWith(";"))
    .map((line) => line.split(/\s+/)).map(([owner, ttl, klass, type, ...data]) => [owner, ttl, klass, type, data.join(" ")]);
}

/** NS, glue and DS the server gives for `name` (a referral from the parent). */
function delegation(name) {
  const ns = records(dns.dig(name, "NS"));
  const ds = records(dns.dig(name, "DS", "+dnssec"));
  return {
    ns: ns.filter((r) => r[3] === "NS" && r[0] === `${name}.`).map((r) => r[4]).sort(),
    glue: ns.filter((r) => r[3] === "A" || r[3] === "AAAA").map((r) => `${r[0]} ${r[3]} ${r[4]}`).sort(),
    ds: ds.filter((r) => r[3] === "DS").map((r) => {
      const [tag, algorithm, type, ...digest] = r[4].split(" ");
      return `${tag} ${algorithm} ${type} ${digest.join("").toLowerCase()}`;
    }).sort(),
    dsSigned: ds.some((r) => r[3] === "RRSIG" && r[4].startsWith("DS ")),
  };
}

/** Polls `check` (sync) until it returns true; fails with `what` after a generous deadline. */
async function eventually(what, check, seconds = 30) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) assert.fail(`not within ${seconds} s: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const delegated = (name) => delegation(name).ns.length > 0;

async function submit(body) {
  const response = await api(url, "/api/v1/orders", { method: "POST", body });
  assert.equal(response.status, 201, response.text);
  return response.body;
}

async function confirmByMail(email) {
  const message = (await outbox(url)).find((m) => m.to.includes(email) && /verif/i.test(m.subject));
  const link = message.links.find((candidate) => candidate.includes("/verify/"));
  const response = await fetch(`${link}/confirm`, { method: "POST", redirect: "manual" });
  assert.ok(response.status === 200 || response.status === 303, `confirm: ${response.status}`);
}

async function domainAction(name, action, extra = {}) {
  const response = await session.request(`/staff/domains/${name}/${action}`, { method: "POST", form: { note: "dns test", ...extra } });
  assert.equal(response.status, 303, await response.clone().text());
}

async function pending(name) {
  return await worker.d1(`SELECT name, attempts, last_error FROM dns_outbox WHERE name = '${name}'`);
}

/** Registers `name` through the JSON API with in-domain glue and a DS record, confirmed. */
async function activeDomain(label, { ds = [DS] } = {}) {
  const name = `${label}.coop`;
  const email = `${label}@example.coop`;
  await submit(order({
    domain: name, owner: { email },
    nameservers: [{ host: `ns1.${name}`, addresses: ["192.0.2.10", "2001:db8::10"] }, { host: "ns.example.net", addresses: [] }],
    ds_records: ds,
  }));
  await confirmByMail(email);
  return name;
}

test("register → not in DNS while PROCESSING → confirm → NS, glue, signed DS → hold → gone → release → back → delete → gone", async () => {
  const label = uniqueLabel("dns");
  const name = `${label}.coop`;
  const email = `${label}@example.coop`;
  const body = await submit(order({
    domain: name, owner: { email },
    nameservers: [{ host: `ns1.${name}`, addresses: ["192.0.2.10", "2001:db8::10"] }, { host: "ns.example.net", addresses: [] }],
    ds_records: [DS],
  }));
  assert.equal(body.status, "PROCESSING");
  // The push of the PROCESSING domain (publish setting off) ran and published nothing.
  await eventually("the push of the new order settles", async () => (await pending(name)).length === 0);
  assert.deepEqual(delegation(name).ns, []);
  assert.match(dns.dig(name, "NS"), /status: NXDOMAIN/);

  await confirmByMail(email);
  await eventually("NS after confirmation", () => delegated(name));
  const live = delegation(name);
  assert.deepEqual(live.ns, ["ns.example.net.", `ns1.${name}.`]);
  assert.deepEqual(live.glue, [`ns1.${name}. A 192.0.2.10`, `ns1.${name}. AAAA 2001:db8::10`]);
  assert.deepEqual(live.ds, [DS]);
  assert.ok(live.dsSigned, "the DS answer carries an RRSIG (coop. is signed by PowerDNS)");
  // The zone's own keys answer, signed.
  assert.match(dns.dig("coop.", "DNSKEY", "+dnssec"), /RRSIG\s+DNSKEY/);

  // Staff see the DS records on the domain's page.
  const domainPage = await (await session.request(`/staff/domains/${name}`)).text();
  assert.ok(domainPage.includes(`<code class="ds">${DS}</code>`), "the console shows the DS record");

  await domainAction(name, "hold");
  await eventually("delegation gone on serverHold", () => !delegated(name));
  assert.deepEqual(delegation(name).glue, [], "no glue left behind");
  assert.deepEqual(delegation(name).ds, [], "no DS left behind");

  await domainAction(name, "release");
  await eventually("delegation back on release", () => delegated(name));
  assert.deepEqual(delegation(name), live);

  await domainAction(name, "delete", { confirm: "yes" });
  await eventually("delegation gone on delete", () => !delegated(name));
  assert.match(dns.dig(name, "NS"), /status: NXDOMAIN/);
  assert.equal((await pending(name)).length, 0);
});

test("the zone file and the escrow deposit (format 1.2) carry the DS records", async () => {
  const name = await activeDomain(uniqueLabel("out"));
  await eventually("delegated", () => delegated(name));
  const response = await session.request("/staff/run-daily", { method: "POST", headers: { accept: "application/json" } });
  assert.equal(response.status, 200);
  const report = await response.json();
  const zone = await (await session.request("/staff/zone.txt")).text();
  assert.ok(zone.includes(`${name}.\t3600\tIN\tDS\t${DS}\n`), "DS in the zone file");
  assert.ok(zone.includes(`${name}.\t3600\tIN\tNS\tns1.${name}.\n`));
  const deposit = await (await session.request(`/staff/escrow/${report.deposit.id}.csv`)).text();
  assert.match(deposit, /^#deposit\r\ntld,id,type,watermark,version\r\ncoop,[^\r]*,1\.2\r\n/);
  assert.match(deposit, /certified_ip,ds_records\r\n/);
  const row = deposit.split("\r\n").find((line) => line.startsWith(`${name},`));
  assert.ok(row.endsWith(`,${DS}`), row);
  // The daily run also reconciled DNS: nothing to repair.
  assert.equal(report.dns.error, null);
  assert.equal(report.dns.missing + report.dns.differing + report.dns.extra, 0, JSON.stringify(report.dns));
});

test("the form without JavaScript: DS records one per line, checked, published after confirmation", async () => {
  const label = uniqueLabel("form");
  const name = `${label}.coop`;
  const email = `${label}@example.coop`;
  const fields = (ds) => new URLSearchParams({
    domain: name, period: "1", owner_first_name: "Ada", owner_last_name: "Lovelace",
    owner_organization: "Analytical Engines Co-operative", owner_street1: "1 Loom Street", owner_city: "Manchester",
    owner_postcode: "M1 1AA", owner_country: "GB", owner_phone: "+44.1612345678", owner_email: email,
    admin_same: "on", tech_same: "on", billing_same: "on", ns1_host: "ns1.example.net", ns2_host: "ns2.example.net",
    criterion: "cooperative_under_local_law", certified: "on", ds_records: ds,
  }).toString();
  const post = (ds) => fetch(`${url}/register`, { method: "POST", redirect: "manual", body: fields(ds),
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "text/html" } });
  const refused = await post(`${DS}\n70000 13 2 ${"ab".repeat(32)}`);
  assert.equal(refused.status, 422);
  assert.match(await refused.text(), /ds_records\[1\]<\/strong>: key tag `70000` is not a whole number from 0 to 65535/);
  assert.equal((await worker.d1(`SELECT COUNT(*) AS n FROM domains WHERE name = '${name}'`))[0].n, 0, "nothing stored");
  const accepted = await post(`\n ${DS} \n`);
  assert.equal(accepted.status, 303, await accepted.text());
  await confirmByMail(email);
  await eventually("the form's DS is published", () => delegation(name).ds.length === 1);
  assert.deepEqual(delegation(name).ds, [DS]);
});

// --- the reseller protocol's DNSSEC attributes ---------------------------------------------

const reseller = "reseller-dns";
const resellerPassword = JSON.parse(execFileSync("node", [join(ROOT, "scripts", "admin.mjs"), "create-reseller",
  "--id", reseller, "--name", "DNS reseller", "--persist-to", worker.state], { cwd: ROOT }).toString().trim().split("\n").pop()).password;

async function call(fields) {
  const body = new URLSearchParams({ s_login: reseller, s_pw: resellerPassword, ...fields }).toString();
  const text = await (await fetch(`${url}/api/call.cgi`, { method: "POST", body,
    headers: { "content-type": "application/x-www-form-urlencoded" } })).text();
  const props = {};
  for (const [, key, , value] of text.matchAll(/^property\[([^\]]+)\]\[(\d+)\] = (.*)$/gm)) props[key] = [...(props[key] ?? []), value];
  return { code: Number(/^code = (\d+)$/m.exec(text)?.[1]), description: /^description = (.*)$/m.exec(text)?.[1], props };
}

/** RFC 4034: the DS (SHA-256) of a DNSKEY at `owner`, computed here independently of the core. */
function dsOf(owner, dnskey) {
  const [flags, protocol, algorithm, ...key] = dnskey.split(" ");
  const rdata = Buffer.concat([Buffer.from([Number(flags) >> 8, Number(flags) & 255, Number(protocol), Number(algorithm)]),
    Buffer.from(key.join(""), "base64")]);
  let acc = 0;
  for (let i = 0; i < rdata.length; i++) acc += i % 2 ? rdata[i] : rdata[i] << 8;
  acc += (acc >> 16) & 0xffff;
  const wire = Buffer.concat([...owner.split(".").map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l.toLowerCase())])), Buffer.from([0])]);
  return `${acc & 0xffff} ${algorithm} 2 ${createHash("sha256").update(Buffer.concat([wire, rdata])).digest("hex")}`;
}

test("reseller DNSSEC: AddDomain DNSSECDSDATA#, ModifyDomain DNSSEC# (DS computed), StatusDomain dnssecdsdata, removal", async () => {
  const label = uniqueLabel("rsl");
  const name = `${label}.coop`;
  const email = `${label}@example.coop`;
  const contact = await call({ command: "AddContact", firstname: "Anna", lastname: "Berg", organization: "Example eG",
    street0: "Weg 1", city: "Berlin", zip: "10115", country: "DE", phone: "+49.301234567", email });
  assert.equal(contact.code, 200, JSON.stringify(contact));
  const handle = contact.props.contact[0];
  const bad = await call({ command: "AddDomain", domain: name, period: "1", ownercontact0: handle, admincontact0: handle,
    techcontact0: handle, billingcontact0: handle, nameserver0: "ns1.example.net", nameserver1: "ns2.example.net",
    "x-coop-eligibility": "1", dnssecdsdata0: `1 13 1 ${"ab".repeat(20)}` });
  assert.equal(bad.code, 541, JSON.stringify(bad));
  assert.match(bad.description, /DNSSECDSDATA0.*digest type `1` is not accepted: use 2 \(SHA-256\) or 4 \(SHA-384\)/);
  const added = await call({ command: "AddDomain", domain: name, period: "1", ownercontact0: handle, admincontact0: handle,
    techcontact0: handle, billingcontact0: handle, nameserver0: "ns1.example.net", nameserver1: "ns2.example.net",
    "x-coop-eligibility": "1", dnssecdsdata0: DS });
  assert.equal(added.code, 200, JSON.stringify(added));
  await confirmByMail(email);
  await eventually("the reseller's domain is delegated with its DS", () => delegation(name).ds.length === 1);
  assert.deepEqual(delegation(name).ds, [DS]);
  assert.deepEqual((await call({ command: "StatusDomain", domain: name })).props.dnssecdsdata, [DS]);

  // A key instead: the registry computes its DS for this name.
  const expected = dsOf(name, DNSKEY);
  assert.equal((await call({ command: "ModifyDomain", domain: name, dnssec0: DNSKEY })).code, 200);
  await eventually("the computed DS replaces the old one", () => delegation(name).ds[0] === expected);
  assert.deepEqual(delegation(name).ds, [expected]);
  assert.ok(delegation(name).dsSigned);
  assert.deepEqual((await call({ command: "StatusDomain", domain: name })).props.dnssecdsdata, [expected]);

  // Empty: DNSSEC off; the delegation stays.
  assert.equal((await call({ command: "ModifyDomain", domain: name, dnssecdsdata0: "" })).code, 200);
  await eventually("the DS set is removed", () => delegation(name).ds.length === 0);
  assert.ok(delegated(name));
  assert.equal((await call({ command: "StatusDomain", domain: name })).props.dnssecdsdata, undefined);
});

test("a DNS API that is down keeps the change pending; cron pushes it later", async () => {
  const name = await activeDomain(uniqueLabel("down"));
  await eventually("delegated", () => delegated(name));
  dns.stop();
  try {
    await domainAction(name, "hold");
    await eventually("the failed push is recorded", async () => ((await pending(name))[0]?.attempts ?? 0) >= 1);
    const [row] = await pending(name);
    assert.ok(row.last_error, "the error is kept");
    const health = await api(url, "/health");
    assert.equal(health.body.dns.configured, true);
    assert.ok(health.body.dns.pending >= 1 && health.body.dns.failing >= 1, JSON.stringify(health.body.dns));
    // Cron while the server is still down: still pending, one more attempt.
    await api(url, "/dev/clock", { method: "POST", body: { advance_seconds: 120 } });
    await runCron(url);
    const rows = await pending(name);
    assert.ok(rows[0].attempts >= 2, JSON.stringify(rows));
  } finally {
    dns.start();
  }
  // The server is back with the delegation it had: the hold has not reached it yet.
  assert.ok(delegated(name), "the server still has the old delegation");
  await api(url, "/dev/clock", { method: "POST", body: { advance_seconds: 600 } });
  await runCron(url);
  await eventually("the held domain leaves DNS after cron's retry", () => !delegated(name));
  assert.equal((await pending(name)).length, 0, "the outbox row is done");
});

test("reconciliation repairs drift behind the registry's back and reports counts in the console", async () => {
  const name = await activeDomain(uniqueLabel("rec"));
  await eventually("delegated", () => delegated(name));
  const good = delegation(name);
  // Someone removes the NS set and adds a stray delegation directly on the server.
  const stray = `${uniqueLabel("stray")}.coop`;
  const patched = await dns.api("/api/v1/servers/localhost/zones/coop.", {
    method: "PATCH",
    body: { rrsets: [
      { name: `${name}.`, type: "NS", changetype: "DELETE" },
      { name: `${stray}.`, type: "NS", ttl: 3600, changetype: "REPLACE", records: [{ content: "ns.evil.example.", disabled: false }] },
    ] },
  });
  assert.equal(patched.status, 204, JSON.stringify(patched.body));
  assert.ok(!delegated(name));
  assert.ok(delegated(stray));

  const response = await session.request("/staff/dns-reconcile", { method: "POST", headers: { accept: "application/json" } });
  assert.equal(response.status, 200);
  const run = await response.json();
  assert.equal(run.error, null);
  assert.ok(run.missing >= 1, JSON.stringify(run));
  assert.ok(run.extra >= 1, JSON.stringify(run));
  assert.equal(run.repaired, run.missing + run.differing + run.extra);
  assert.deepEqual(delegation(name), good, "the NS set is back");
  assert.ok(!delegated(stray), "the stray delegation is gone");

  // A second run finds nothing to repair.
  const again = await (await session.request("/staff/dns-reconcile", { method: "POST", headers: { accept: "application/json" } })).json();
  assert.deepEqual([again.missing, again.differing, again.extra, again.repaired], [0, 0, 0, 0]);
  assert.equal(again.matching, again.expected);

  const page = await (await session.request("/staff/outputs")).text();
  assert.match(page, /DNS \(hidden primary\)/);
  assert.match(page, new RegExp(`<td class="missing">${run.missing}</td>`));
  assert.match(page, new RegExp(`<td class="repaired">${run.repaired}</td>`));
});

// Last in this file: it moves the worker's clock by weeks.
test("time-driven changes reach the server too: with PROCESSING published, the day-15 hold removes the delegation", async () => {
  await worker.d1("INSERT INTO settings (key, value) VALUES ('publish_processing', 'true') ON CONFLICT (key) DO UPDATE SET value = 'true'");
  const label = uniqueLabel("tick");
  const name = `${label}.coop`;
  const body = await submit(order({ domain: name, owner: { email: `${label}@example.coop` } }));
  assert.equal(body.status, "PROCESSING");
  await eventually("a PROCESSING domain is published while the setting is on", () => delegated(name));
  // Never confirmed: cron holds it at day 15 and pushes the change in the same run.
  await api(url, "/dev/clock", { method: "POST", body: { advance_days: 15 } });
  await runCron(url);
  const record = JSON.parse((await worker.d1(`SELECT record FROM domains WHERE name = '${name}'`))[0].record);
  assert.equal(record.state.state, "held");
  assert.ok(!delegated(name), "the hold reached the server with cron's run");
  assert.equal((await pending(name)).length, 0);
});
