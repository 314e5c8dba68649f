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
import { unstable_startWorker } from "wrangler";

const [state, port, ...flags] = process.argv.slice(2);
if (!state || !port) {
  console.error("usage: node scripts/bench-server.mjs <state-dir> <port> [--inspector] [--config <wrangler.toml>]");
  process.exit(2);
}
const config = flags.includes("--config") ? flags[flags.indexOf("--config") + 1] : "wrangler.toml";
const origin = `http://127.0.0.1:${port}`;
const worker = await unstable_startWorker({
  config,
  bindings: {
    PUBLIC_ORIGIN: { type: "plain_text", value: origin },
    // A throwaway key for this run: the production build refuses to start without one.
    AUTH_CODE_KEY: {
      type: "secret_text",
      value: Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64"),
    },
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
