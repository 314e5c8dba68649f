// Starts the real worker under `wrangler dev` (workerd, local D1, local e-mail) for one test
// file, on a free port with a fresh database, and always stops it: on `after`, on process
// exit and on signals, also when a test fails.
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, existsSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { after } from "node:test";
import { Agent, setGlobalDispatcher } from "undici";
import { Miniflare } from "miniflare";
import { deriveConfig, LENIENT_VARS } from "../scripts/derive-config.mjs";

// Tests use one connection per request: a kept-alive socket that the server closed while a
// test was busy elsewhere would otherwise be reused and fail ("fetch failed").
setGlobalDispatcher(new Agent({ pipelining: 0 }));

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const WRANGLER = join(ROOT, "node_modules", ".bin", "wrangler");

export const WRANGLER_ENV = {
  ...process.env,
  WRANGLER_SEND_METRICS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  WRANGLER_HIDE_BANNER: "true",
  NO_COLOR: "1",
  FORCE_COLOR: "0",
};

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const running = new Set();
function stopAll() {
  for (const child of running) {
    try { process.kill(-child.pid, "SIGTERM"); } catch { /* already gone */ }
  }
  running.clear();
}
process.on("exit", stopAll);
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => { stopAll(); process.exit(130); });
}

/**
 * Starts a worker and registers its stop with `after`. Returns
 * { url, stop, d1(sql, params) → Promise<rows>, d1Batch(statements) → Promise<rows[]>,
 *   log() → text, state }.
 * Needs `scripts/build.sh` to have run (the test command does it).
 *
 * Limits (issue 11): by default the burst limits of `[[ratelimits]]` and the quotas of
 * `[vars]` are lenient (scripts/derive-config.mjs), so tests that are not about them never
 * meet them; `rateLimits`
 * ({ BINDING: limit }) sets chosen bursts (others lenient), and `lenientLimits: false` runs the
 * configuration exactly as committed. `main` runs another build of the worker (the production
 * build in build/worker-production); `ready(status)` says which /health status means started
 * (200 unless given: the production guard answers 503).
 */
export async function startWorker({ vars = {}, config, state: reuseState, rateLimits, lenientLimits = true, main,
  ready = (status) => status === 200, dns: withDns = false } = {}) {
  if (!existsSync(join(ROOT, dirname(main ?? "build/worker/entry.mjs"), "index.js"))) {
    throw new Error(`${dirname(main ?? "build/worker/entry.mjs")} is missing: run scripts/build.sh first`);
  }
  // `state` reuses another worker's database (a restart); the last user removes it.
  const state = reuseState ?? mkdtempSync(join(tmpdir(), "coopreg-test-"));
  const derived = lenientLimits || rateLimits || main
    ? deriveConfig(join(ROOT, config ?? "wrangler.toml"), { rateLimits, main }) : null;
  const configArgs = derived ? ["--config", derived] : config ? ["--config", join(ROOT, config)] : [];
  if (lenientLimits) vars = { ...LENIENT_VARS, ...vars };
  // `dns: true`: a real PowerDNS (scripts/pdns.sh) on free ports as the hidden primary.
  const dns = withDns ? await startPowerDns() : null;
  if (dns) vars = { ...vars, DNS_API_URL: dns.apiUrl, DNS_API_KEY: dns.apiKey };
  const port = await freePort();
  execFileSync(WRANGLER, ["d1", "migrations", "apply", "DB", "--local", "--persist-to", state, ...configArgs],
    { cwd: ROOT, env: WRANGLER_ENV, stdio: "pipe" });
  const url = `http://127.0.0.1:${port}`;
  const varArgs = Object.entries({ PUBLIC_ORIGIN: url, ...vars })
    .flatMap(([key, value]) => ["--var", `${key}:${value}`]);
  const child = spawn(WRANGLER, [
    "dev", "--ip", "127.0.0.1", "--port", String(port), "--inspector-port", "0",
    "--show-interactive-dev-session=false", "--persist-to", state, "--test-scheduled",
    ...configArgs, ...varArgs,
  ], { cwd: ROOT, env: { ...WRANGLER_ENV, TMPDIR: state }, stdio: ["ignore", "pipe", "pipe"], detached: true });
  running.add(child);
  let output = "";
  child.stdout.on("data", (chunk) => { output += chunk; });
  child.stderr.on("data", (chunk) => { output += chunk; });
  // A server that dies under a test says why (the tests then fail with "fetch failed").
  child.once("exit", (code, signal) => {
    if (running.has(child)) {
      running.delete(child);
      console.error(`wrangler dev exited unexpectedly (code ${code}, signal ${signal}); its last output:\n${output.slice(-4000)}`);
    }
  });

  let closeD1 = async () => {};
  const stop = async ({ keepState = false } = {}) => {
    if (!running.has(child)) return;
    running.delete(child);
    await closeD1();
    const exited = new Promise((resolve) => child.once("exit", resolve));
    try { process.kill(-child.pid, "SIGTERM"); } catch { /* gone */ }
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
    try { process.kill(-child.pid, "SIGKILL"); } catch { /* gone */ }
    if (!keepState) rmSync(state, { recursive: true, force: true });
    if (derived) rmSync(derived, { force: true });
    if (dns) dns.remove();
  };
  after(() => stop());

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited early:\n${output}`);
    try {
      const response = await fetch(`${url}/health`);
      if (ready(response.status)) break;
    } catch { /* not up yet */ }
    if (Date.now() > deadline) { await stop(); throw new Error(`wrangler dev did not become ready:\n${output}`); }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  const { d1, d1Batch, close } = localD1(state, derived ?? (config ? join(ROOT, config) : join(ROOT, "wrangler.toml")));
  closeD1 = close;
  return { url, stop, d1, d1Batch, log: () => output, state, dns };
}

/**
 * The worker's local D1, read and written in-process through Miniflare (the library under
 * `wrangler dev` and `wrangler d1 execute`), opened on first use on the same persisted state
 * and kept open until the worker stops: one workerd for the test file instead of one
 * `wrangler d1 execute` process a query.
 * - `d1(sql, params = [])` → the rows of one statement (`?` placeholders bound to `params`).
 * - `d1Batch([sql | [sql, params], ...])` → the rows of each, in one transaction.
 * Rows look as `wrangler d1 execute --json` printed them (a BLOB as "[1, 2, 3]").
 * The worker writes to the same SQLite file from its own process, so a statement that meets
 * SQLITE_BUSY is tried again a few times with growing pauses. Miniflare's D1 answers that
 * SQLITE_BUSY as "internal error; reference = …" (the cause goes only to workerd's log), so
 * that answer counts as busy too.
 */
function localD1(state, configPath) {
  const text = readFileSync(configPath, "utf8");
  // As wrangler does locally: the preview database if one is named, else the database.
  const id = text.match(/^preview_database_id\s*=\s*"([^"]+)"/m)?.[1]
    ?? text.match(/^database_id\s*=\s*"([^"]+)"/m)?.[1];
  if (!id) throw new Error(`${configPath}: no D1 database_id`);
  let opened;
  const open = () => {
    opened ??= (async () => {
      const mf = new Miniflare({ modules: true, script: "", d1Persist: join(state, "v3", "d1"), d1Databases: { DB: id } });
      return { mf, db: await mf.getD1Database("DB") };
    })();
    return opened;
  };
  const rows = (result) => (result.results ?? []).map((row) => Object.fromEntries(
    Object.entries(row).map(([key, value]) => [key, Array.isArray(value) ? `[${value.join(", ")}]` : value])));
  const retrying = async (run) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await run((await open()).db);
      } catch (error) {
        const message = `${error?.message}${error?.cause?.message ?? ""}`;
        if (attempt >= 6 || !/SQLITE_BUSY|database is locked|internal error; reference/.test(message)) throw error;
        await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
      }
    }
  };
  const statement = (db, item) => {
    const [sql, params = []] = typeof item === "string" ? [item] : item;
    return db.prepare(sql).bind(...params);
  };
  return {
    d1: (sql, params = []) => retrying(async (db) => rows(await statement(db, [sql, params]).all())),
    d1Batch: (statements) => retrying(async (db) => statements.length
      ? (await db.batch(statements.map((item) => statement(db, item)))).map(rows) : []),
    close: async () => {
      if (!opened) return;
      const { mf } = await opened.catch(() => ({}));
      opened = undefined;
      await mf?.dispose();
    },
  };
}

const PDNS = join(ROOT, "scripts", "pdns.sh");
const runningDns = new Set();
process.on("exit", () => {
  for (const dir of runningDns) {
    try { execFileSync(PDNS, ["stop", dir], { stdio: "ignore" }); } catch { /* gone */ }
  }
});

/**
 * A PowerDNS Authoritative Server for `coop.` (signed, SQLite) on free ports, via
 * scripts/pdns.sh. Returns { port, apiUrl, apiKey, stop(), start(), remove(), dig(...args),
 * api(path, init) }: `stop` and `start` keep the database (an outage and its end).
 */
export async function startPowerDns() {
  const dir = mkdtempSync(join(tmpdir(), "coopreg-pdns-"));
  const port = await freePort();
  const apiPort = await freePort();
  const apiKey = [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, "0")).join("");
  const start = () => { execFileSync(PDNS, ["start", dir, String(port), String(apiPort), apiKey], { stdio: "pipe" }); runningDns.add(dir); };
  const stop = () => { execFileSync(PDNS, ["stop", dir], { stdio: "pipe" }); runningDns.delete(dir); };
  start();
  after(() => { try { stop(); } catch { /* gone */ } });
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  return {
    port, apiPort, apiUrl, apiKey, dir, start, stop,
    remove: () => { try { stop(); } catch { /* gone */ } rmSync(dir, { recursive: true, force: true }); },
    /** `dig @127.0.0.1 -p PORT ...args +norec +time=2 +tries=1`, its stdout. */
    dig: (...args) => execFileSync("dig", ["@127.0.0.1", "-p", String(port), ...args, "+norec", "+time=2", "+tries=1"],
      { stdio: "pipe" }).toString(),
    /** The PowerDNS HTTP API with the key. */
    api: async (path, { method = "GET", body } = {}) => {
      const response = await fetch(apiUrl + path, {
        method, headers: { "X-API-Key": apiKey, ...(body ? { "content-type": "application/json" } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : null };
    },
  };
}

/** JSON request helper: returns { status, body, headers }. */
export async function api(url, path, { method = "GET", body, headers = {} } = {}) {
  const init = { method, headers: { ...headers }, redirect: "manual" };
  if (body !== undefined) {
    init.body = typeof body === "string" ? body : JSON.stringify(body);
    init.headers["content-type"] ??= "application/json";
  }
  const response = await fetch(url + path, init);
  const text = await response.text();
  let parsed = text;
  try { parsed = JSON.parse(text); } catch { /* not JSON */ }
  return { status: response.status, body: parsed, headers: response.headers, text };
}

/** Moves the worker's test clock forward and runs the cron handler once. */
export async function advanceDays(url, days) {
  const clock = await api(url, "/dev/clock", { method: "POST", body: { advance_days: days } });
  if (clock.status !== 200) throw new Error(`clock: ${clock.status} ${clock.text}`);
  await runCron(url);
  return clock.body;
}

export async function runCron(url) {
  const response = await fetch(`${url}/__scheduled?cron=*/5+*+*+*+*`);
  if (!response.ok) throw new Error(`cron: ${response.status}`);
}

/** The local outbox, newest first. */
export async function outbox(url) {
  const { body } = await api(url, "/dev/outbox.json");
  return body;
}
