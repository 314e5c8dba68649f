// Registry state for the zone, escrow and console tests: contacts and domains written into
// local D1 as the worker stores them (the core's record JSON plus the query columns), and a
// signed-in staff member.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "./harness.mjs";

const NOW = Math.floor(Date.now() / 1000);
const YEAR = 365 * 86400;

function sql(value) {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "number") return String(value);
  return `'${String(value).replaceAll("'", "''")}'`;
}

export function contactRecord({
  handle,
  organization = `${handle} Co-operative`,
  email = `${handle.toLowerCase()}@example.coop`,
  verification = "verified",
  reseller = "web",
  country = "GB",
}) {
  const states = {
    verified: { state: "verified", at: NOW - 86400, by: { kind: "staff", id: "seed" } },
    unverified: { state: "unverified" },
    pending: {
      state: "pending",
      token_hash: `seed-${handle}`,
      token_issued_at: NOW - 3600,
      token_expires_at: NOW + 14 * 86400,
      reminder_sent: false,
      timed_out: false,
      since: NOW - 3600,
    },
  };
  return {
    handle,
    reseller,
    info: {
      first_name: "Ada",
      last_name: "Lovelace",
      organization,
      street: ["1 Loom Street"],
      city: "Manchester",
      postcode: "M1 1AA",
      country,
      phone: "+44.1612345678",
      email,
    },
    verification: states[verification],
    created: NOW - 86400,
    updated: NOW - 86400,
  };
}

/** A domain record; `state` is active | processing | held | redemption. */
export function domainRecord({ label, owner, state = "active", nameservers, reseller = "web" }) {
  const ascii = `${label}.coop`;
  const states = {
    active: { state: "active" },
    processing: { state: "processing" },
    held: { state: "held", reason: "staff", since: NOW - 3600, previous: { state: "active" } },
    redemption: { state: "redemption", since: NOW - 3600, until: NOW + 29 * 86400, previous: { state: "active" } },
  };
  return {
    name: { ascii, unicode: ascii, language: null },
    reseller,
    owner,
    admin: owner,
    tech: owner,
    billing: owner,
    nameservers: nameservers ?? [{ host: "ns1.example.net" }, { host: "ns2.example.net" }],
    period: 1,
    created: NOW - 30 * 86400,
    updated: NOW - 30 * 86400,
    expires: NOW + YEAR,
    state: states[state],
    transfer_lock: false,
    auth_code: `auth-${label}`,
  };
}

function contactInsert(record) {
  const token = record.verification.token_hash ?? null;
  return `INSERT INTO contacts (handle, reseller_id, verification, token_hash, due_at, updated_at, record) VALUES
    (${sql(record.handle)}, ${sql(record.reseller)}, ${sql(record.verification.state)}, ${sql(token)}, NULL,
     ${record.updated}, ${sql(JSON.stringify(record))})
    ON CONFLICT (handle) DO UPDATE SET verification = excluded.verification, updated_at = excluded.updated_at,
      record = json_set(excluded.record, '$.revision', contacts.rev + 1), rev = contacts.rev + 1`;
}

function domainInsert(record) {
  const word = { active: "ACTIVE", processing: "PROCESSING", held: "HELD", redemption: "REDEMPTION" }[
    record.state.state
  ];
  const due =
    record.state.state === "redemption"
      ? record.state.until
      : record.state.state === "processing"
        ? null
        : record.expires;
  return `INSERT INTO domains (name, unicode, reseller_id, owner, state, due_at, expires_at, transfer_token_hash, record) VALUES
    (${sql(record.name.ascii)}, ${sql(record.name.unicode)}, ${sql(record.reseller)}, ${sql(record.owner)}, ${sql(word)},
     ${sql(due)}, ${record.expires}, NULL, ${sql(JSON.stringify(record))})`;
}

/** Writes contacts and domains in one D1 batch. */
export async function seed(worker, { contacts = [], domains = [] }) {
  await worker.d1Batch([...contacts.map(contactInsert), ...domains.map(domainInsert)]);
}

/** Creates a staff account with scripts/admin.mjs; returns { id, name, password }. */
export function createStaff(worker, id = "alice", name = "Alice Registry") {
  const out = execFileSync(
    "node",
    [join(ROOT, "scripts", "admin.mjs"), "create-staff", "--id", id, "--name", name, "--persist-to", worker.state],
    { cwd: ROOT },
  ).toString();
  return JSON.parse(out);
}

/** Creates a reseller account with scripts/admin.mjs; returns its password. */
export function createReseller(worker, id, name = `Reseller ${id}`) {
  const out = execFileSync(
    "node",
    [join(ROOT, "scripts", "admin.mjs"), "create-reseller", "--id", id, "--name", name, "--persist-to", worker.state],
    { cwd: ROOT },
  ).toString();
  return JSON.parse(out.trim().split("\n").pop()).password;
}

/** Logs in through the console's form; returns a fetch helper that sends the session cookie. */
export async function staffSession(url, { id, password }) {
  const response = await fetch(`${url}/staff/login`, {
    method: "POST",
    redirect: "manual",
    headers: { origin: url, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ login: id, password }).toString(),
  });
  if (response.status !== 303) throw new Error(`login: ${response.status} ${await response.text()}`);
  const setCookie = response.headers.get("set-cookie");
  const cookie = setCookie.split(";")[0];
  const request = (path, { method = "GET", form, headers = {} } = {}) =>
    fetch(url + path, {
      method,
      redirect: "manual",
      headers: {
        cookie,
        ...(method === "POST" ? { origin: url } : {}),
        ...(form ? { "content-type": "application/x-www-form-urlencoded" } : {}),
        ...headers,
      },
      body: form ? new URLSearchParams(form).toString() : undefined,
    });
  return { cookie, setCookie, request };
}
