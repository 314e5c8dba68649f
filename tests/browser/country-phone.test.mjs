// Issue 18 in Chromium: the country is chosen from a list of names (the ISO code sent behind, so
// it works without JavaScript too), a phone written the usual way is stored as +CC.NUMBER, and the
// form stays axe-core clean.   node --test tests/browser/country-phone.test.mjs
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile, mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromium } from "./chromium.mjs";
import { startWorker } from "../harness.mjs";
import { uniqueLabel } from "../fixtures.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
const SHOTS = path.join(ROOT, "test-artifacts/screenshots");
const worker = await startWorker();
const BASE = worker.url.replace(/\/+$/, "");
let browser;

before(async () => {
  browser = await launchChromium();
});
after(async () => {
  if (browser) await browser.close();
  await worker.stop();
});

async function newPage({ javaScript = true, viewport = { width: 1280, height: 900 } } = {}) {
  const context = await browser.newContext({ viewport, bypassCSP: true, javaScriptEnabled: javaScript });
  return context.newPage();
}

async function assertAccessible(page, name) {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5),
    }));
  });
  assert.deepEqual(
    violations.filter((v) => v.impact === "serious" || v.impact === "critical"),
    [],
    `${name}: axe found serious/critical violations`,
  );
}

/** Fills everything but the country and the phone. */
async function fillRest(page, { domain, email }) {
  await page.fill("#domain", domain);
  await page.fill("#owner_first_name", "Jana");
  await page.fill("#owner_last_name", "Novak");
  await page.fill("#owner_organization", "Münchner Wohnungsgenossenschaft eG");
  await page.fill("#owner_street1", "Marienplatz 1");
  await page.fill("#owner_city", "München");
  await page.fill("#owner_postcode", "80331");
  await page.fill("#owner_email", email);
  await page.fill("#ns1_host", "ns1.example.net");
  await page.fill("#ns2_host", "ns2.example.net");
  await page.check('input[name="criterion"] >> nth=0');
  await page.check("#certified");
}

async function storedOwner(email) {
  const rows = await worker.d1("SELECT record FROM contacts WHERE json_extract(record, '$.info.email') = ?", [email]);
  assert.equal(rows.length, 1, `one contact with ${email}`);
  return JSON.parse(rows[0].record).info;
}

function fresh(tag) {
  const label = uniqueLabel(tag);
  return { domain: `${label}.coop`, email: `${label}@example.coop` };
}

test("every country of the core's list is offered by name, with its code as the value", async () => {
  const page = await newPage();
  await page.goto(`${BASE}/`);
  await page.waitForSelector("html[data-core]");
  const source = await readFile(path.join(ROOT, "shared/data/countries.txt"), "utf8");
  const want = source
    .split("\n")
    .filter((l) => l.trim() && !l.startsWith("#"))
    .map((l) => {
      const [code, , ...name] = l.split("|")[0].trim().split(" ");
      return `${code} ${name.join(" ")}`;
    })
    .sort();
  for (const role of ["owner", "admin", "tech", "billing"]) {
    const offered = await page.$$eval(`#${role}_country option`, (os) =>
      os.filter((o) => o.value).map((o) => `${o.value} ${o.textContent}`),
    );
    assert.deepEqual([...offered].sort(), want, role);
    assert.equal(await page.$eval(`#${role}_country`, (el) => el.tagName), "SELECT");
  }
  assert.equal(await page.$eval("#owner_country", (el) => el.required), true);
  await assertAccessible(page, "form with country list");
  await page.context().close();
});

test("typing Germany on the country list and +49 89 12345678 as the phone stores DE and +49.8912345678", async () => {
  const page = await newPage({ viewport: { width: 390, height: 844 } });
  await page.goto(`${BASE}/`);
  await page.waitForSelector("html[data-core]");
  const who = fresh("cpweb");
  await fillRest(page, who);
  await page.focus("#owner_country");
  await page.keyboard.type("Germany");
  assert.equal(await page.inputValue("#owner_country"), "DE");
  await page.fill("#owner_phone", "+49 89 12345678");
  await page.focus("#owner_email");
  await page.waitForSelector("#availability.is-available");
  assert.equal(await page.getAttribute("#owner_phone", "aria-invalid"), null, "the phone is accepted as written");
  await assertAccessible(page, "filled form");
  await mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, "country-phone-form.png"), fullPage: true });
  await Promise.all([page.waitForURL(/\/orders\/[^/]+$/), page.click("#submit")]);
  const stored = await storedOwner(who.email);
  assert.equal(stored.country, "DE");
  assert.equal(stored.phone, "+49.8912345678");
  await page.context().close();
});

test("without JavaScript, choosing Germany and a local number (089) 12345678 stores DE and +49.8912345678", async () => {
  const page = await newPage({ javaScript: false });
  await page.goto(`${BASE}/`);
  const who = fresh("cpnojs");
  await fillRest(page, who);
  await page.selectOption("#owner_country", { label: "Germany" });
  await page.fill("#owner_phone", "(089) 12345678");
  await Promise.all([page.waitForLoadState("load"), page.click("#submit")]);
  const stored = await storedOwner(who.email);
  assert.equal(stored.country, "DE");
  assert.equal(stored.phone, "+49.8912345678");
  await page.context().close();
});
