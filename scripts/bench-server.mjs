// Starts the built worker for a benchmark: wrangler's own dev stack (the same workerd, local
// D1/R2 and assets routing as `wrangler dev`, through wrangler's node API), on a given port
// with a given state directory, and prints its URL once it answers.
//
//   node scripts/bench-server.mjs <state-dir> <port> [--inspector] [--config <wrangler.toml>]
//
// Without --inspector the DevTools inspector is off. `wrangler dev` on the command line always
// attaches it and enables DevTools network tracing: every subrequest (each D1 call, each
// e-mail) then also sends several inspector events through wrangler's inspector proxy to node.
// That cost is a development tool's, not the worker's, and it falls only on routes that use
// storage, so it skews the ratios the benchmarks report; both modes can be measured.
// Stops on SIGTERM or SIGINT.
import { rmSync } from "node:fs";
import { resolve } from "node:path";
import { unstable_startWorker } from "wrangler";
import { deriveConfig, LENIENT_VARS } from "./derive-config.mjs";

const [state, port, ...flags] = process.argv.slice(2);
if (!state || !port) {
  console.error("usage: node scripts/bench-server.mjs <state-dir> <port> [--inspector] [--config <wrangler.toml>]");
  process.exit(2);
}
const given = flags.includes("--config") ? flags[flags.indexOf("--config") + 1] : "wrangler.toml";
// The load of a benchmark comes from one address at rates far above the public limits: they
// are lenient here (the binding is still called on each request, so its cost is measured).
const config = deriveConfig(resolve(given));
process.on("exit", () => rmSync(config, { force: true }));
const origin = `http://127.0.0.1:${port}`;
const random = (bytes) => Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString("base64");
const worker = await unstable_startWorker({
  config,
  bindings: {
    PUBLIC_ORIGIN: { type: "plain_text", value: origin },
    ...Object.fromEntries(Object.entries(LENIENT_VARS).map(([name, value]) => [name, { type: "plain_text", value }])),
    // Throwaway secrets for this run: the production build refuses to serve without them.
    AUTH_CODE_KEY: { type: "secret_text", value: random(32) },
    CALLBACK_SECRET: { type: "secret_text", value: random(24) },
  },
  dev: {
    inspector: flags.includes("--inspector") ? { hostname: "127.0.0.1", port: 0 } : false,
    persist: state,
    server: { hostname: "127.0.0.1", port: Number(port) },
    logLevel: "warn",
    watch: false,
    liveReload: false,
  },
});
await worker.ready;
console.log(origin);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await worker.dispose().catch(() => {});
  process.exit(0);
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
