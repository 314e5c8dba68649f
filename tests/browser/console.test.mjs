// Issue 7: the staff console in a real browser (Chromium via playwright-core) against real
// wrangler dev + D1: log in, approve, reject (domains held), hold / release, delete, search,
// log out. Screenshots go to test-artifacts/screenshots/console-*.png.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { launchChromium } from "./chromium.mjs";
import { startWorker, ROOT } from "../harness.mjs";
import { seed, contactRecord, domainRecord, createStaff } from "../registry_fixtures.mjs";

const SHOTS = join(ROOT, "test-artifacts", "screenshots");
mkdirSync(SHOTS, { recursive: true });

const worker = await startWorker();
const url = worker.url;
const staff = createStaff(worker, "alice", "Alice Registry");
const tag = `b${process.pid}`;
const handle = (name) => `${tag}-${name}`;
const domain = (name) => `${tag}-${name}.coop`;

await seed(worker, {
  contacts: [
    contactRecord({ handle: handle("APPROVE"), verification: "pending", organization: "Approve Me Co-operative" }),
    contactRecord({ handle: handle("REJECT"), verification: "pending", organization: "Reject Me Co-operative" }),
    contactRecord({ handle: handle("OK"), organization: "Steady Co-operative" }),
  ],
  domains: [
    domainRecord({ label: `${tag}-approve1`, owner: handle("APPROVE"), state: "processing" }),
    domainRecord({ label: `${tag}-approve2`, owner: handle("APPROVE"), state: "processing" }),
    domainRecord({ label: `${tag}-reject1`, owner: handle("REJECT"), state: "processing" }),
    domainRecord({ label: `${tag}-steady`, owner: handle("OK") }),
  ],
});

const browser = await launchChromium();
after(() => browser.close());
after(() => { if (process.env.SHOW_WORKER_LOG) console.log(worker.log()); });
const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
const page = await context.newPage();

const shot = (name) => page.screenshot({ path: join(SHOTS, `console-${name}.png`), fullPage: true });
const state = async (name) => (await worker.d1(`SELECT state, record FROM domains WHERE name = '${name}'`))[0];
const lastEvent = async (object) => (await worker.d1(
  `SELECT actor, to_state, reason, note FROM events WHERE object = '${object}' ORDER BY id DESC LIMIT 1`))[0];

test("log in: the console asks for a login, refuses a wrong password, then shows the queue", async () => {
  await page.goto(`${url}/staff/`);
  assert.equal(new URL(page.url()).pathname, "/staff/login");
  await page.fill("#login", staff.id);
  await page.fill("#password", "wrong-password");
  await page.click("button[type=submit]");
  assert.match(await page.textContent(".error"), /login or password is wrong/);
  await page.fill("#login", staff.id);
  await page.fill("#password", staff.password);
  await page.click("button[type=submit]");
  assert.equal(new URL(page.url()).pathname, "/staff/");
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === "coopreg_staff");
  assert.ok(session, "session cookie set");
  assert.equal(session.httpOnly, true);
  assert.equal(session.sameSite, "Strict");
  assert.equal(session.path, "/staff");
  // Both pending registrants are in the queue with their domains; the verified one is not.
  const approve = page.locator(`section.review[data-handle="${handle("APPROVE")}"]`);
  await approve.waitFor();
  assert.match(await approve.textContent(), new RegExp(domain("approve1")));
  assert.match(await approve.textContent(), new RegExp(domain("approve2")));
  assert.equal(await page.locator(`section.review[data-handle="${handle("REJECT")}"]`).count(), 1);
  assert.equal(await page.locator(`section.review[data-handle="${handle("OK")}"]`).count(), 0);
  await shot("queue");
});

test("approve: the registrant is verified and its domains become active, in the staff member's name", async () => {
  await page.locator(`section.review[data-handle="${handle("APPROVE")}"] button:has-text("Approve")`).click();
  assert.equal(new URL(page.url()).pathname, `/staff/contacts/${handle("APPROVE")}`);
  assert.match(await page.textContent(".notice"), /Approved/);
  for (const name of [domain("approve1"), domain("approve2")]) {
    assert.equal((await state(name)).state, "ACTIVE");
    assert.equal((await lastEvent(`domain:${name}`)).actor, "staff:alice");
  }
  const contact = (await worker.d1(`SELECT verification FROM contacts WHERE handle = '${handle("APPROVE")}'`))[0];
  assert.equal(contact.verification, "verified");
  await shot("approved");
  await page.goto(`${url}/staff/`);
  assert.equal(await page.locator(`section.review[data-handle="${handle("APPROVE")}"]`).count(), 0);
});

test("reject: the registrant's domains are held (rejected)", async () => {
  await page.locator(`section.review[data-handle="${handle("REJECT")}"] button:has-text("Reject")`).click();
  assert.match(await page.textContent(".notice"), /Rejected/);
  const held = await state(domain("reject1"));
  assert.equal(held.state, "HELD");
  assert.equal(JSON.parse(held.record).state.reason, "rejected");
  assert.deepEqual((await lastEvent(`domain:${domain("reject1")}`)).actor, "staff:alice");
  assert.match(await page.textContent("main"), /HELD\(rejected\)/);
  await shot("rejected");
});

test("hold and release: serverHold with a reason, then lifted", async () => {
  await page.goto(`${url}/staff/domains/${domain("steady")}`);
  await page.fill("form[action$='/hold'] input[name=note]", "complaint 1234");
  await page.click("form[action$='/hold'] button");
  assert.match(await page.textContent(".notice"), /serverHold/);
  assert.equal((await state(domain("steady"))).state, "HELD");
  assert.deepEqual(await lastEvent(`domain:${domain("steady")}`), {
    actor: "staff:alice", to_state: "HELD(staff)", reason: "held by registry staff", note: "complaint 1234",
  });
  assert.match(await page.textContent("main"), /serverHold/);
  await shot("held");
  await page.click("form[action$='/release'] button");
  assert.match(await page.textContent(".notice"), /hold is lifted/);
  assert.equal((await state(domain("steady"))).state, "ACTIVE");
});

test("delete: the domain goes to redemption, in the staff member's name", async () => {
  await page.fill("form[action$='/delete'] input[name=note]", "ineligible");
  await page.check("form[action$='/delete'] input[name=confirm]");
  await page.click("form[action$='/delete'] button");
  assert.match(await page.textContent(".notice"), /deleted/);
  assert.equal((await state(domain("steady"))).state, "REDEMPTION");
  assert.deepEqual(await lastEvent(`domain:${domain("steady")}`), {
    actor: "staff:alice", to_state: "REDEMPTION", reason: "deleted by registry staff", note: "ineligible",
  });
  await shot("deleted");
});

test("search by organisation prefix and by name; zone and escrow page; log out", async () => {
  await page.goto(`${url}/staff/search`);
  await page.fill("#q", "Reject Me");
  await page.click("form.search button");
  assert.match(await page.textContent("main"), new RegExp(handle("REJECT")));
  await page.fill("#q", `${tag}-approve`);
  await page.click("form.search button");
  const text = await page.textContent("main");
  assert.match(text, new RegExp(domain("approve1")));
  assert.doesNotMatch(text, new RegExp(domain("steady")));
  await shot("search");

  // Zone and escrow: produce both now, see the deposit listed, download the zone.
  await page.goto(`${url}/staff/outputs`);
  await page.click("form[action='/staff/run-daily'] button");
  assert.match(await page.textContent(".notice"), /zone and the escrow deposit were produced/);
  assert.equal(await page.locator("table.deposits tbody tr").count(), 1);
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("a[href='/staff/zone.txt']")]);
  assert.match(download.suggestedFilename(), /^coop\.zone\.\d+\.txt$/);
  await shot("outputs");

  await page.click("nav form button");
  assert.equal(new URL(page.url()).pathname, "/staff/login");
  await page.goto(`${url}/staff/`);
  assert.equal(new URL(page.url()).pathname, "/staff/login");
});
