#!/usr/bin/env node
// Registry administration from the command line.
//
//   node scripts/admin.mjs create-reseller --id ID --name NAME [--password PW] [--remote] [--persist-to DIR]
//       Creates (or resets the password of) a reseller account. Prints the password once; only
//       a salted PBKDF2-SHA256 hash is stored. A reset ends the account's sessions. The ids the
//       registry uses itself (shared/data/reserved-account-ids.txt, e.g. `web`) are refused.
//       --remote writes to the deployed D1 database.
//   node scripts/admin.mjs create-staff --id ID --name NAME [--password PW] [--remote] [--persist-to DIR]
//       The same for a registry staff account (staff console).
import { pbkdf2Sync, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
// workerd's WebCrypto caps PBKDF2 at 100,000 iterations; the worker verifies with WebCrypto.
export const PBKDF2_ITERATIONS = 100_000;

export function hashPassword(password, salt = randomBytes(16)) {
  const hash = pbkdf2Sync(password, salt, PBKDF2_ITERATIONS, 32, "sha256");
  return `pbkdf2-sha256$${PBKDF2_ITERATIONS}$${salt.toString("base64")}$${hash.toString("base64")}`;
}

export function newPassword() {
  return randomBytes(18).toString("base64url");
}

function sqlString(value) {
  return `'${String(value).replaceAll("'", "''")}'`;
}

function parseArgs(argv) {
  const args = { _: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--remote") args.remote = true;
    else if (arg.startsWith("--")) args[arg.slice(2)] = argv[++i];
    else args._.push(arg);
  }
  return args;
}

const ACCOUNT_TABLES = { "create-reseller": "resellers", "create-staff": "staff" };
const SESSION_KINDS = { resellers: "reseller", staff: "staff" };

/** The ids no account may have: the core's list (shared/src/accounts.rs reads the same file). */
export function reservedAccountIds() {
  return readFileSync(join(ROOT, "shared", "data", "reserved-account-ids.txt"), "utf8")
    .split("\n")
    .map((line) => line.split("#")[0].trim().toLowerCase())
    .filter(Boolean);
}

/** Creates the account, or resets its password and ends every session it has (one batch). */
function accountSql(table, id, name, password, now) {
  return `INSERT INTO ${table} (id, name, password_hash, created_at) VALUES (${sqlString(id)}, ${sqlString(name)}, ${sqlString(hashPassword(password))}, ${now})
    ON CONFLICT (id) DO UPDATE SET name = excluded.name, password_hash = excluded.password_hash;
    DELETE FROM sessions WHERE kind = ${sqlString(SESSION_KINDS[table])} AND account_id = ${sqlString(id)}`;
}

function execute(sql, args) {
  const where = args.remote
    ? ["--remote"]
    : ["--local", ...(args["persist-to"] ? ["--persist-to", args["persist-to"]] : [])];
  // A local database that a running `wrangler dev` is writing can be busy for a moment
  // (SQLITE_BUSY, which Miniflare reports as an internal error): the statements are idempotent
  // (an upsert and a delete), so try again a few times before giving up.
  for (let attempt = 1; ; attempt++) {
    try {
      execFileSync(
        join(ROOT, "node_modules", ".bin", "wrangler"),
        ["d1", "execute", "DB", ...where, "--command", sql],
        {
          cwd: ROOT,
          stdio: "pipe",
          env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" },
        },
      );
      return;
    } catch (error) {
      const output = `${error.stderr ?? ""}${error.stdout ?? ""}`;
      const busy = /SQLITE_BUSY|database is locked|internal error/i.test(output);
      if (args.remote || !busy || attempt >= 6) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250 * attempt);
    }
  }
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args._[0] === "demo-accounts") {
    // Local development only: a demo reseller and a demo staff member, new passwords each run.
    const now = Math.floor(Date.now() / 1000);
    const reseller = { id: "demo", name: "Demo Reseller", password: newPassword() };
    const staff = { id: "staff", name: "Demo Staff", password: newPassword() };
    execute(
      [
        accountSql("resellers", reseller.id, reseller.name, reseller.password, now),
        accountSql("staff", staff.id, staff.name, staff.password, now),
      ].join(";\n"),
      { "persist-to": args["persist-to"] },
    );
    console.log(JSON.stringify({ reseller, staff }));
    return;
  }
  const table = ACCOUNT_TABLES[args._[0]];
  if (!table || !args.id || !args.name || !/^[a-z0-9][a-z0-9._-]{1,31}$/.test(args.id)) {
    console.error(
      "usage: admin.mjs create-reseller|create-staff --id ID --name NAME [--password PW] [--remote] [--persist-to DIR]\n" +
        "  ID: 2-32 characters a-z 0-9 . _ -, starting with a letter or digit",
    );
    process.exit(2);
  }
  if (reservedAccountIds().includes(args.id.toLowerCase())) {
    console.error(
      `admin.mjs: the id "${args.id}" is reserved for the registry's own use (shared/data/reserved-account-ids.txt; ` +
        "e.g. `web` sponsors every web registration); choose another id.",
    );
    process.exit(2);
  }
  const password = args.password ?? newPassword();
  const now = Math.floor(Date.now() / 1000);
  execute(accountSql(table, args.id, args.name, password, now), args);
  console.log(JSON.stringify({ id: args.id, name: args.name, password }));
}

if (import.meta.url === `file://${process.argv[1]}`) main();
