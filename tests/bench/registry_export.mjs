// The worker's daily outputs at size, in local workerd (wrangler dev, local D1 and R2):
// seeds N domains (2 name servers each, every 4th with in-domain glue, every 10th held) and
// N/2 contacts, then times `POST /staff/run-daily` (zone export + escrow deposit + change
// report). Run: node tests/bench/registry_export.mjs 1000 5000   (after scripts/build.sh)
// Each deposit is downloaded and parsed back with the core parser (shared/examples/escrow_json);
// from about 19k domains it is larger than one 5 MiB R2 part, so that checks multipart uploads.
import { test } from "node:test";
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startWorker, ROOT, WRANGLER_ENV } from "../harness.mjs";
import { contactRecord, domainRecord, createStaff, staffSession } from "../registry_fixtures.mjs";

const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
if (!sizes.length) sizes.push(1000);

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
    const label = `d${String(i).padStart(7, "0")}`;
    const owner = `C${String(Math.floor(i / 2)).padStart(7, "0")}`;
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

test("daily outputs at size", async () => {
  execFileSync("cargo", ["build", "-q", "-p", "coopreg-shared", "--example", "escrow_json"], {
    cwd: ROOT,
    stdio: "inherit",
  });
  const worker = await startWorker();
  const session = await staffSession(worker.url, createStaff(worker));
  let seeded = 0;
  for (const n of sizes) {
    for (let from = seeded; from < n; from += 5000) seedRange(worker, from, Math.min(n, from + 5000));
    seeded = n;
    for (const run of ["first", "again"]) {
      const started = performance.now();
      const response = await session.request("/staff/run-daily", {
        method: "POST",
        headers: { accept: "application/json" },
      });
      const report = await response.json();
      const seconds = ((performance.now() - started) / 1000).toFixed(2);
      const download = await session.request(`/staff/escrow/${report.deposit.id}.csv`);
      const file = join(worker.state, "deposit.csv");
      writeFileSync(file, Buffer.from(await download.arrayBuffer()));
      const parsed = JSON.parse(
        execFileSync(join(ROOT, "target", "debug", "examples", "escrow_json"), [file], {
          maxBuffer: 1024 * 1024 * 1024,
        }).toString(),
      );
      if (parsed.domains.length !== n) throw new Error(`deposit has ${parsed.domains.length} domains, not ${n}`);
      console.log(
        JSON.stringify({
          domains: n,
          run,
          status: response.status,
          seconds,
          zone_published: report.zone?.published,
          zone_changed: report.zone?.changed,
          deposit_bytes: report.deposit?.bytes,
          parsed_back: parsed.domains.length,
          new_domains: report.deposit?.report?.new_domains?.length ?? null,
        }),
      );
    }
  }
  const log = worker
    .log()
    .split("\n")
    .filter((line) => line.includes("run-daily"));
  console.log(log.join("\n"));
});
