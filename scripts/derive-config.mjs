// A copy of a wrangler configuration with other rate limits (and, if asked, another worker
// build), for the tests and the benchmarks. The Rate Limiting binding's limit is static
// configuration (`[[ratelimits]]` `simple = { limit, period }`), so whoever needs other limits
// than the committed ones runs a copy. It is written beside the original, so that the copy's
// relative paths (main, assets, migrations) still hold; the caller removes it.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** Limits high enough that load which is not about them never meets them. */
export const LENIENT = 100000;
/** The `[vars]` quotas at LENIENT. */
export const LENIENT_VARS = {
  LINK_EMAILS_PER_ADDRESS_PER_DAY: String(LENIENT),
  UNCONFIRMED_WEB_ORDERS_PER_ADDRESS: String(LENIENT),
};

let written = 0;

/**
 * Writes a copy of `configPath` whose `[[ratelimits]]` bindings count to `rateLimits[name]`,
 * or to LENIENT for those not named, and whose `main` is `main` when given. Returns its path.
 */
export function deriveConfig(configPath, { rateLimits = {}, main } = {}) {
  const source = readFileSync(configPath, "utf8");
  const withMain = main ? source.replace(/^main = ".*"$/m, `main = ${JSON.stringify(main)}`) : source;
  const text = withMain.replace(
    /(\[\[ratelimits\]\]\s*\nname = "(\w+)"[^\n]*\nnamespace_id = "[^"]*"\s*\nsimple = \{ limit = )(\d+)/g,
    (_, head, name) => `${head}${rateLimits[name] ?? LENIENT}`,
  );
  written += 1;
  const file = join(dirname(configPath), `.test-wrangler-${process.pid}-${written}.toml`);
  writeFileSync(file, text);
  return file;
}
