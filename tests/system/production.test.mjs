// Issue 11: production cannot run with development settings. The production build (what
// scripts/deploy.sh ships: no dev-tools feature) runs under wrangler and refuses to serve —
// 503 on every route, one clear log line — while AUTH_CODE_KEY or CALLBACK_SECRET is missing
// or a development value; with proper secrets it serves, without any dev tool.
//
// scripts/test.sh builds it into build/worker-production first (COOPREG_PRODUCTION_BUILT=1);
// run alone, this file builds it.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { startWorker, ROOT } from "../harness.mjs";

const MAIN = "build/worker-production/entry.mjs";
// The development values of worker/src/production_guard.rs.
const DEV_AUTH_CODE_KEY = Buffer.from("coopreg local development key 32").toString("base64");
const DEV_CALLBACK_SECRET = "coopreg-local-development-callback-secret";

before(() => {
  if (process.env.COOPREG_PRODUCTION_BUILT === "1") return;
  execFileSync("scripts/build.sh", ["--production"], {
    cwd: ROOT,
    stdio: "inherit",
    env: { ...process.env, COOPREG_WORKER_OUT: "build/worker-production" },
  });
});

const ROUTES = [
  ["GET", "/health"],
  ["GET", "/"],
  ["GET", "/api/v1/availability?domain=example-free.coop"],
  ["POST", "/api/v1/orders"],
  ["POST", "/api/call.cgi"],
  ["GET", "/staff/login"],
  ["GET", `/verify/${"a".repeat(22)}`],
  ["GET", "/rdap/domain/example.coop"],
];

async function refusesEverything(vars, reason) {
  const worker = await startWorker({ main: MAIN, vars, ready: (status) => status === 503 });
  try {
    for (const [method, path] of ROUTES) {
      const response = await fetch(worker.url + path, { method, body: method === "POST" ? "{}" : undefined });
      assert.equal(response.status, 503, `${method} ${path}`);
      const body = await response.json();
      assert.equal(body.errors[0].code, "internal", path);
      assert.match(body.errors[0].message, /not configured for production/);
      assert.doesNotMatch(JSON.stringify(body), /AUTH_CODE_KEY|CALLBACK_SECRET/, "no configuration detail to clients");
    }
    // One clear line in the log, however many requests came.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const lines = worker
      .log()
      .split("\n")
      .filter((line) => line.includes("coopreg production guard"));
    assert.equal(lines.length, 1, worker.log().slice(-3000));
    assert.match(lines[0], reason);
    assert.match(lines[0], /refusing to serve/);
  } finally {
    await worker.stop();
  }
}

test("without the secrets the production build answers 503 on every route and says why once", async () => {
  await refusesEverything({}, /AUTH_CODE_KEY is not set; CALLBACK_SECRET is not set/);
});

test("with the development values, or a weak callback secret, it refuses too", async () => {
  await refusesEverything(
    { AUTH_CODE_KEY: DEV_AUTH_CODE_KEY, CALLBACK_SECRET: DEV_CALLBACK_SECRET },
    /AUTH_CODE_KEY is the development key; CALLBACK_SECRET is the development value/,
  );
  await refusesEverything(
    { AUTH_CODE_KEY: randomBytes(16).toString("base64"), CALLBACK_SECRET: "short" },
    /AUTH_CODE_KEY is not 32 bytes in base64; CALLBACK_SECRET is shorter than 16 characters/,
  );
});

test("with proper secrets it serves, and it is the production build", async () => {
  const worker = await startWorker({
    main: MAIN,
    vars: { AUTH_CODE_KEY: randomBytes(32).toString("base64"), CALLBACK_SECRET: randomBytes(24).toString("hex") },
  });
  try {
    const health = await fetch(`${worker.url}/health`);
    assert.equal(health.status, 200);
    assert.equal((await health.json()).build.dev_tools, false);
    assert.equal((await fetch(`${worker.url}/`)).status, 200);
    assert.equal((await fetch(`${worker.url}/dev/outbox.json`)).status, 404, "no dev tools");
    assert.equal(worker.log().includes("coopreg production guard"), false);
  } finally {
    await worker.stop();
  }
});
