// The DNS push and reconciliation at size (issue 12), in local workerd (wrangler dev, local
// D1) with a real PowerDNS (scripts/pdns.sh, SQLite, live-signed `coop.`):
// 1. confirm-to-resolvable: N web orders (default 100), each confirmed through its e-mailed
//    link; the time from sending the confirmation until PowerDNS answers the name's NS query
//    with a referral (NOERROR instead of NXDOMAIN), polled over UDP every 2 ms. Baseline in the
//    same run: the confirmation request itself (its HTTP response time).
// 2. reconciliation of M seeded domains (default 10000; every 4th with in-domain glue, every
//    5th with a DS record, every 10th held): the first run loads the empty server (everything
//    missing), the second finds no drift, the third repairs 100 records deleted behind the
//    registry's back. Baseline in the same run: reading the whole zone from PowerDNS's API.
// Run: node tests/bench/dns.mjs [N] [M]   (after scripts/build.sh; scripts/bench.sh dns)
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createSocket } from "node:dgram";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startWorker, api, outbox, ROOT, WRANGLER_ENV } from "../harness.mjs";
import { order, uniqueLabel } from "../fixtures.mjs";
import { contactRecord, domainRecord, createStaff, staffSession } from "../registry_fixtures.mjs";

const orders = Number(process.argv[2] ?? 100);
const size = Number(process.argv[3] ?? 10000);

/** The RCODE of an NS query for `name` (0 NOERROR, 3 NXDOMAIN). */
function rcode(socket, port, name, id) {
  const labels = name.split(".").map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)]));
  const query = Buffer.concat([
    Buffer.from([id >> 8, id & 255, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]),
    ...labels,
    Buffer.from([0, 0, 2, 0, 1]),
  ]);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off("message", onMessage);
      reject(new Error("DNS timeout"));
    }, 2000);
    function onMessage(message) {
      if (message.readUInt16BE(0) !== id) return;
      clearTimeout(timer);
      socket.off("message", onMessage);
      resolve(message[3] & 15);
    }
    socket.on("message", onMessage);
    socket.send(query, port, "127.0.0.1");
  });
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const ms = (value) => value.toFixed(1);

function sql(value) {
  return value === null
    ? "NULL"
    : typeof value === "number"
      ? String(value)
      : `'${String(value).replaceAll("'", "''")}'`;
}

function seedRange(worker, from, to) {
  const lines = [];
  for (let i = from; i < to; i++) {
    const label = `r${String(i).padStart(7, "0")}`;
    const owner = `B${String(Math.floor(i / 2)).padStart(7, "0")}`;
    if (i % 2 === 0) {
      const c = contactRecord({ handle: owner });
      lines.push(
        `INSERT INTO contacts (handle, reseller_id, verification, token_hash, due_at, updated_at, record) VALUES (${sql(owner)}, 'web', 'verified', NULL, NULL, ${c.updated}, ${sql(JSON.stringify(c))});`,
      );
    }
    const nameservers =
      i % 4 === 0
        ? [{ host: `ns1.${label}.coop`, addresses: ["192.0.2.1", "2001:db8::1"] }, { host: "ns.example.net" }]
        : undefined;
    const d = domainRecord({ label, owner, state: i % 10 === 0 ? "held" : "active", nameservers });
    if (i % 5 === 0) d.ds_records = [{ key_tag: i % 65536, algorithm: 13, digest_type: 2, digest: "ab".repeat(32) }];
    lines.push(
      `INSERT INTO domains (name, unicode, reseller_id, owner, state, due_at, expires_at, transfer_token_hash, record) VALUES (${sql(d.name.ascii)}, ${sql(d.name.ascii)}, 'web', ${sql(owner)}, ${sql(i % 10 === 0 ? "HELD" : "ACTIVE")}, ${d.expires}, ${d.expires}, NULL, ${sql(JSON.stringify(d))});`,
    );
  }
  const file = join(worker.state, `seed-${from}.sql`);
  writeFileSync(file, lines.join("\n"));
  execFileSync(
    join(ROOT, "node_modules", ".bin", "wrangler"),
    ["d1", "execute", "DB", "--local", "--persist-to", worker.state, "--file", file],
    { cwd: ROOT, env: WRANGLER_ENV, stdio: "pipe", maxBuffer: 256 * 1024 * 1024 },
  );
}

test("DNS: confirm-to-resolvable and reconciliation at size", async () => {
  const worker = await startWorker({ dns: true });
  const { url, dns } = worker;
  const session = await staffSession(url, createStaff(worker));
  const socket = createSocket("udp4");
  await new Promise((resolve) => socket.bind(0, "127.0.0.1", resolve));

  // 1. confirm-to-resolvable
  const confirmTimes = [];
  const resolveTimes = [];
  let id = 1;
  for (let i = 0; i < orders; i++) {
    const label = uniqueLabel("bench");
    const name = `${label}.coop`;
    const email = `${label}@example.coop`;
    const created = await api(url, "/api/v1/orders", {
      method: "POST",
      body: order({ domain: name, owner: { email } }),
    });
    assert.equal(created.status, 201, created.text);
    const message = (await outbox(url)).find((m) => m.to.includes(email));
    const link = message.links.find((candidate) => candidate.includes("/verify/"));
    assert.equal(await rcode(socket, dns.port, name, id++), 3, "not delegated before confirmation");
    const started = performance.now();
    const response = await fetch(`${link}/confirm`, { method: "POST", redirect: "manual" });
    confirmTimes.push(performance.now() - started);
    assert.ok(response.status === 200 || response.status === 303);
    await response.arrayBuffer();
    for (;;) {
      if ((await rcode(socket, dns.port, name, id++ & 0xffff)) === 0) break;
      if (performance.now() - started > 30_000) assert.fail(`${name} not delegated within 30 s`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    resolveTimes.push(performance.now() - started);
  }
  socket.close();
  const p50 = percentile(resolveTimes, 50),
    p99 = percentile(resolveTimes, 99);
  const c50 = percentile(confirmTimes, 50),
    c99 = percentile(confirmTimes, 99);
  console.log(`== confirm-to-resolvable over ${orders} domains (wrangler dev + PowerDNS 4.7, SQLite)`);
  console.log(`baseline: the confirmation request    p50 ${ms(c50)} ms  p99 ${ms(c99)} ms`);
  console.log(
    `confirm → NS referral from PowerDNS   p50 ${ms(p50)} ms  p99 ${ms(p99)} ms  (ratio p50 ${(p50 / c50).toFixed(2)}, p99 ${(p99 / c99).toFixed(2)})`,
  );

  // 2. reconciliation at size
  for (let from = 0; from < size; from += 5000) seedRange(worker, from, Math.min(size, from + 5000));
  const reconcile = async () => {
    const started = performance.now();
    const response = await session.request("/staff/dns-reconcile", {
      method: "POST",
      headers: { accept: "application/json" },
    });
    assert.equal(response.status, 200);
    const run = await response.json();
    assert.equal(run.error, null, JSON.stringify(run));
    return { run, seconds: (performance.now() - started) / 1000 };
  };
  const zoneRead = async () => {
    const started = performance.now();
    const zone = await dns.api("/api/v1/servers/localhost/zones/coop.");
    assert.equal(zone.status, 200);
    return { rrsets: zone.body.rrsets, seconds: (performance.now() - started) / 1000 };
  };
  const load = await reconcile();
  const read = await zoneRead();
  const steady = await reconcile();
  assert.equal(steady.run.missing + steady.run.differing + steady.run.extra, 0, JSON.stringify(steady.run));
  // 100 records removed behind the registry's back.
  const victims = read.rrsets.filter((set) => set.type === "NS" && /^r\d+\.coop\.$/.test(set.name)).slice(0, 100);
  const removed = await dns.api("/api/v1/servers/localhost/zones/coop.", {
    method: "PATCH",
    body: { rrsets: victims.map((set) => ({ name: set.name, type: "NS", changetype: "DELETE" })) },
  });
  assert.equal(removed.status, 204);
  const repair = await reconcile();
  assert.equal(repair.run.missing, victims.length, JSON.stringify(repair.run));
  const s = (value) => value.toFixed(2);
  console.log(`== reconciliation of ${size} seeded domains (${steady.run.expected} rrsets in the registry's view)`);
  console.log(`baseline: GET the whole zone from PowerDNS (${read.rrsets.length} rrsets)  ${s(read.seconds)} s`);
  console.log(
    `first run, empty server: ${load.run.missing} missing, ${load.run.repaired} repaired  ${s(load.seconds)} s  (ratio ${(load.seconds / read.seconds).toFixed(1)})`,
  );
  console.log(
    `no drift: ${steady.run.matching} matching                     ${s(steady.seconds)} s  (ratio ${(steady.seconds / read.seconds).toFixed(1)})`,
  );
  console.log(
    `100 NS sets deleted behind its back: ${repair.run.repaired} repaired  ${s(repair.seconds)} s  (ratio ${(repair.seconds / read.seconds).toFixed(1)})`,
  );
  await worker.stop();
});
