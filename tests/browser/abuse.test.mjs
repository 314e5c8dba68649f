// Issue 11 in a browser (Debian Chromium via playwright-core) against real wrangler dev:
// the pages work under their own Content-Security-Policy (no CSP bypass here), the form says
// when a name is reserved and takes the allocation token, says in words when a limit is
// reached, and the order page shows an approval request and sends a new one.
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launchChromium } from "./chromium.mjs";
import { startWorker, api, outbox } from "../harness.mjs";
import { order, uniqueLabel } from "../fixtures.mjs";
import { createStaff, staffSession } from "../registry_fixtures.mjs";

// Orders limited to 3 a minute per client address: the burst this file reaches on purpose.
const ORDERS_PER_MINUTE = 3;
const worker = await startWorker({ rateLimits: { ORDERS_RATE_LIMITER: ORDERS_PER_MINUTE } });
const BASE = worker.url;

let browser;
let ipCounter = 0;
const freshIp = () => {
  ipCounter += 1;
  return `192.0.2.${ipCounter}`;
};

/** A page under the real CSP, speaking from its own client address. */
async function newPage(ip = freshIp()) {
  const context = await browser.newContext({ extraHTTPHeaders: { "cf-connecting-ip": ip } });
  const page = await context.newPage();
  page.errors = [];
  page.cspViolations = [];
  page.on("pageerror", (e) => page.errors.push(e.message));
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) page.cspViolations.push(message.text());
  });
  page.ip = ip;
  return page;
}

async function openForm(page) {
  await page.goto(`${BASE}/`);
  await page.waitForSelector("html[data-core]");
}

async function fillValid(page, { domain, email }) {
  await page.fill("#domain", domain);
  await page.fill("#owner_first_name", "Jana");
  await page.fill("#owner_last_name", "Novak");
  await page.fill("#owner_organization", `Reserved Friends ${uniqueLabel()}`);
  await page.fill("#owner_street1", "1 Main Street");
  await page.fill("#owner_city", "Manchester");
  await page.fill("#owner_postcode", "M1 1AA");
  await page.selectOption("#owner_country", "GB");
  await page.fill("#owner_phone", "+44.1611234567");
  await page.fill("#owner_email", email);
  await page.fill("#ns1_host", "ns1.example.net");
  await page.fill("#ns2_host", "ns2.example.net");
  await page.check('input[name="criterion"] >> nth=0');
  await page.check("#certified");
}

describe("issue 11 in the browser", () => {
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    if (browser) await browser.close();
  });

  test("the form and the order page run under their Content-Security-Policy", async () => {
    const page = await newPage();
    const response = await page.goto(`${BASE}/`);
    assert.match(response.headers()["content-security-policy"], /script-src 'self' 'wasm-unsafe-eval'/);
    await page.waitForSelector("html[data-core]");
    assert.equal(await page.getAttribute("html", "data-core"), "wasm", "the wasm core loads under the CSP");
    await page.fill("#domain", "example-ok.coop");
    await page.waitForSelector("#availability:not([hidden])");
    assert.deepEqual(page.cspViolations, []);
    assert.deepEqual(page.errors, []);
  });

  test("a reserved name: the form says so, and registers it with the token staff issued", async () => {
    const page = await newPage();
    await openForm(page);
    await page.fill("#domain", "whois.coop");
    await page.waitForFunction(() => /reserved/.test(document.querySelector("#availability")?.textContent || ""));
    assert.match(await page.textContent("#availability"), /allocation token/);
    assert.equal(await page.$eval("#allocation", (el) => el.open), true, "the token field is shown");

    const email = `${uniqueLabel("reserved")}@example.coop`;
    await fillValid(page, { domain: "whois.coop", email });
    await page.click('button[type="submit"]');
    await page.waitForSelector("#summary:not([hidden])");
    assert.match(await page.textContent("#summary"), /reserved by the \.coop registry/);

    const staff = createStaff(worker, "keeper", "Keeper");
    const session = await staffSession(BASE, staff);
    const issued = await session.request("/staff/reserved", { method: "POST", form: { name: "whois.coop" } });
    const token = /id="allocation-token">([A-Za-z0-9_-]+)</.exec(await issued.text())[1];
    await page.fill("#allocation_token", token);
    await page.click('button[type="submit"]');
    await page.waitForURL(/\/orders\/[0-9a-f]+$/);
    await page.waitForSelector("#status");
    assert.equal((await page.textContent("#status")).trim(), "PROCESSING");
    assert.deepEqual(page.cspViolations, []);
  });

  test("over the orders limit the form says it in words and keeps what was typed", async () => {
    const page = await newPage();
    await openForm(page);
    const email = `${uniqueLabel("burst")}@example.coop`;
    const domain = `${uniqueLabel("burst")}.coop`;
    await fillValid(page, { domain, email });
    // The binding counts per minute: start early in a minute so the page's order falls in the
    // same window as the ones that use the limit up.
    while (Date.now() % 60000 > 30000) await new Promise((resolve) => setTimeout(resolve, 1000));
    for (let i = 0; i < ORDERS_PER_MINUTE; i++) {
      const created = await api(BASE, "/api/v1/orders", {
        method: "POST",
        body: order({ owner: { email: `${uniqueLabel("other")}@example.coop` } }),
        headers: { "cf-connecting-ip": page.ip },
      });
      assert.equal(created.status, 201, created.text);
    }
    await page.click('button[type="submit"]');
    await page.waitForSelector("#summary:not([hidden])");
    const summary = await page.textContent("#summary");
    assert.match(summary, /Too many orders from your network/);
    assert.match(summary, /wait a minute/);
    assert.equal(new URL(page.url()).pathname, "/", "still on the form");
    assert.equal(await page.inputValue("#domain"), domain, "what was typed is kept");
    assert.equal((await api(BASE, `/api/v1/availability?domain=${domain}`)).body.available, true, "nothing was stored");
  });

  test("the order page shows an approval request and sends a new one", async () => {
    const email = `${uniqueLabel("approver")}@example.coop`;
    const owner = { email, organization: `Approving Co-op ${uniqueLabel()}` };
    const first = await api(BASE, "/api/v1/orders", {
      method: "POST",
      body: order({ owner }),
      headers: { "cf-connecting-ip": freshIp() },
    });
    assert.equal(first.status, 201, first.text);
    const verification = (await outbox(BASE))
      .find((m) => m.to.includes(email))
      .links.find((l) => l.includes("/verify/"));
    assert.equal((await fetch(`${verification}/confirm`, { method: "POST" })).status, 200);
    const second = await api(BASE, "/api/v1/orders", {
      method: "POST",
      body: order({ owner }),
      headers: { "cf-connecting-ip": freshIp() },
    });
    assert.equal(second.status, 201, second.text);

    const page = await newPage();
    await page.goto(`${BASE}${second.body.status_url}`);
    await page.waitForSelector("#status");
    assert.equal((await page.textContent("#status")).trim(), "PROCESSING");
    const text = await page.textContent("#order");
    assert.match(text, /already verified/);
    assert.match(text, /Approve/);
    assert.ok(text.includes(`${email[0]}***@example.coop`), "the masked address");
    const before = (await outbox(BASE)).filter(
      (m) => m.to.includes(email) && /approve this new registration/i.test(m.subject),
    ).length;
    await page.click("#resend");
    await page.waitForFunction(() => /on its way/.test(document.querySelector("#resend-status")?.textContent || ""));
    const after = (await outbox(BASE)).filter(
      (m) => m.to.includes(email) && /approve this new registration/i.test(m.subject),
    ).length;
    assert.equal(after, before + 1, "a new approval request");
    assert.deepEqual(page.cspViolations, []);
    assert.deepEqual(page.errors, []);
  });
});
