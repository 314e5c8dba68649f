// The test harness's D1 helper against its baseline in the same run: one query through
// `wrangler d1 execute --local` (a process a query, what the helper did before issue 16) and
// the same query through the in-process `d1()` of tests/harness.mjs, on the same database of
// one running worker. Prints the time a call for each and the ratio.
// Run: node tests/bench/d1_helper.mjs [CALLS]   (after scripts/build.sh; default 20 calls)
import { test } from "node:test";
import { execFileSync } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { startWorker, ROOT, WRANGLER_ENV } from "../harness.mjs";

const calls = Number(process.argv[2]) || 20;
const SQL = "SELECT COUNT(*) AS n FROM domains";
test("the D1 helper against wrangler d1 execute", async () => {
  const worker = await startWorker();
  const time = async (run) => {
    const started = performance.now();
    for (let i = 0; i < calls; i++) {
      const rows = await run();
      if (rows[0].n !== 0) throw new Error(`unexpected answer ${JSON.stringify(rows)}`);
    }
    return (performance.now() - started) / calls;
  };
  const opened = performance.now();
  await worker.d1(SQL);
  const open = performance.now() - opened;
  const inProcess = await time(() => worker.d1(SQL));
  const spawned = await time(async () => JSON.parse(execFileSync(join(ROOT, "node_modules", ".bin", "wrangler"),
    ["d1", "execute", "DB", "--local", "--persist-to", worker.state, "--json", "--command", SQL],
    { cwd: ROOT, env: WRANGLER_ENV, stdio: "pipe" }).toString())[0].results);
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model}, load ${loadavg()[0].toFixed(1)}, ${new Date().toISOString()}`);
  console.log(`wrangler d1 execute (baseline): ${spawned.toFixed(1)} ms a call (${calls} calls)`);
  console.log(`in-process d1():               ${inProcess.toFixed(2)} ms a call (${calls} calls; opening it once: ${open.toFixed(0)} ms)`);
  console.log(`ratio: ${(spawned / inProcess).toFixed(0)}x`);
});
