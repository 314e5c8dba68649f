// The Worker's entry module: forwards fetch and scheduled events to the Rust worker
// (wasm-bindgen output in ./index.js). A Rust panic aborts the wasm instance; wasm-bindgen's
// reset support (--experimental-reset-state-function) builds a fresh instance on the next
// call, and this entry turns the failed call into the core's JSON error shape instead of
// an opaque failure.
import { WorkerEntrypoint } from "cloudflare:workers";
import * as rust from "./index.js";

const INTERNAL_ERROR = JSON.stringify({
  errors: [{
    code: "internal",
    field: "",
    message: "Something went wrong on our side; nothing was changed. Please try again.",
  }],
});

export default class CoopregWorker extends WorkerEntrypoint {
  async fetch(request) {
    try {
      return await rust.fetch(request, this.env, this.ctx);
    } catch (error) {
      console.error("worker failure:", error && error.message);
      return new Response(INTERNAL_ERROR, {
        status: 500,
        headers: { "content-type": "application/json", "cache-control": "no-store" },
      });
    }
  }

  async scheduled(controller) {
    return rust.scheduled(controller, this.env, this.ctx);
  }
}
