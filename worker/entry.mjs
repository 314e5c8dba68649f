// The Worker's entry module: forwards fetch and scheduled events to the Rust worker
// (wasm-bindgen output in ./index.js). A Rust panic aborts the wasm instance; wasm-bindgen's
// reset support (--experimental-reset-state-function) builds a fresh instance on the next
// call. The requests that were waiting on the aborted instance would never be answered (their
// promises never settle): the Rust panic hook calls `__coopregPanicked`, and this entry answers
// each of them itself, in the shape its client reads: the reseller protocol on the reseller
// API, a page for a browser, the JSON error shape otherwise. The answers are built by Rust at
// start-up (`failure_answers`), from the core's mappings.
import { WorkerEntrypoint } from "cloudflare:workers";
import * as rust from "./index.js";

const FAILURE = JSON.parse(rust.failure_answers());

function failureAnswer(request) {
  const path = new URL(request.url).pathname.replace(/\/+$/, "");
  if (FAILURE.reseller_paths.includes(path)) {
    // The protocol answers every request with HTTP 200 and a result code.
    return new Response(FAILURE.reseller, {
      status: 200,
      headers: { "content-type": FAILURE.reseller_content_type, "cache-control": "no-store" },
    });
  }
  if ((request.headers.get("accept") || "").includes("text/html")) {
    return new Response(FAILURE.html, {
      status: 500,
      headers: {
        "content-type": "text/html; charset=utf-8",
        "content-security-policy": FAILURE.csp,
        "cache-control": "no-store",
      },
    });
  }
  return new Response(FAILURE.json, {
    status: 500,
    headers: { "content-type": "application/json", "cache-control": "no-store" },
  });
}

// The calls in flight, each with the function that fails it.
const inFlight = new Set();
globalThis.__coopregPanicked = (message) => {
  for (const fail of inFlight) fail(new Error(`Rust panic: ${message}`));
  inFlight.clear();
};

/** Runs `call` (into Rust); rejects as soon as a panic aborts the instance. */
async function guarded(call) {
  let fail;
  const panicked = new Promise((_, reject) => { fail = reject; });
  panicked.catch(() => {}); // a panic during the call itself is thrown by `call`
  inFlight.add(fail);
  try {
    return await Promise.race([call(), panicked]);
  } finally {
    inFlight.delete(fail);
  }
}

export default class CoopregWorker extends WorkerEntrypoint {
  async fetch(request) {
    try {
      return await guarded(() => rust.fetch(request, this.env, this.ctx));
    } catch (error) {
      console.error("worker failure:", error?.message);
      return failureAnswer(request);
    }
  }

  async scheduled(controller) {
    try {
      await guarded(() => rust.scheduled(controller, this.env, this.ctx));
    } catch (error) {
      // Cron's work is bounded and idempotent: the next run picks up what this one left.
      console.error("cron failure:", error?.message);
    }
  }
}
