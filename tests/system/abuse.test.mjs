// Issue 11: the public web path cannot be abused — no borrowed identity, no mail flood, no
// name held for free — against real wrangler dev + D1, with the limits exactly as committed
// (wrangler.toml: [[ratelimits]] bursts, [vars] quotas). Each test speaks from its own client
// IP address (CF-Connecting-IP, which Cloudflare sets in production and a local client may
// set), so bursts are counted per test; the burst tests send one address past its limit.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startWorker, api, advanceDays, outbox, ROOT } from "../harness.mjs";
import { order, uniqueLabel } from "../fixtures.mjs";
import { createStaff, staffSession } from "../registry_fixtures.mjs";

const worker = await startWorker({ lenientLimits: false });
const url = worker.url;
const staff = createStaff(worker, "warden", "Warden Registry");
const session = await staffSession(url, staff);
const scratch = mkdtempSync(join(tmpdir(), "coopreg-abuse-"));
process.on("exit", () => rmSync(scratch, { recursive: true, force: true }));

let ipCounter = 0;
/** A client IP address of its own (documentation ranges, RFC 5737 / 3849). */
function freshIp() {
  ipCounter += 1;
  return ipCounter % 2 ? `198.51.100.${ipCounter % 250}` : `2001:db8::${ipCounter.toString(16)}`;
}

function uniqueEmail(prefix = "abuse") {
  return `${uniqueLabel(prefix)}@example.coop`;
}

async function submit(body, ip = freshIp()) {
  return api(url, "/api/v1/orders", { method: "POST", body, headers: { "cf-connecting-ip": ip } });
}

async function status(orderId) {
  const response = await api(url, `/api/v1/orders/${orderId}`);
  assert.equal(response.status, 200, response.text);
  return response.body;
}

async function available(domain, ip = freshIp()) {
  const response = await api(url, `/api/v1/availability?domain=${encodeURIComponent(domain)}`, { headers: { "cf-connecting-ip": ip } });
  assert.equal(response.status, 200, response.text);
  return response.body;
}

async function mailsTo(address) {
  return (await outbox(url)).filter((message) => message.to.includes(address));
}

async function newestMail(address, subject) {
  return (await mailsTo(address)).find((message) => subject.test(message.subject));
}

function linkIn(message, path) {
  const link = message?.links.find((candidate) => candidate.includes(path));
  assert.ok(link, `no ${path} link in ${JSON.stringify(message?.links)}`);
  return link;
}

/** Confirms the newest verification link sent to `address`. */
async function confirmNewest(address) {
  const link = linkIn(await newestMail(address, /verify your/i), "/verify/");
  const response = await fetch(`${link}/confirm`, { method: "POST", redirect: "manual" });
  assert.equal(response.status, 200);
}

function assertRateLimited(response, what) {
  assert.equal(response.status, 429, `${what}: ${response.text}`);
  assert.equal(response.body.errors[0].code, "rate_limited", what);
  assert.ok(response.body.errors[0].message.length > 40, `${what}: says why in words`);
  const retryAfter = Number(response.headers.get("retry-after"));
  assert.ok(retryAfter >= 1, `${what}: Retry-After ${response.headers.get("retry-after")}`);
}

const count = async (sql) => (await worker.d1(sql))[0].n;

test("a borrowed identity gets nothing without the registrant's mailbox; decline frees the name at once", async () => {
  const email = uniqueEmail("coop-a");
  const owner = { email, organization: `Co-op A ${uniqueLabel()}` };
  const first = await submit(order({ owner }));
  assert.equal(first.status, 201, first.text);
  await confirmNewest(email);
  assert.equal((await status(first.body.order_id)).status, "ACTIVE");

  // Someone else, from elsewhere, with A's exact details and other name servers.
  const nameservers = [{ host: "ns1.attacker.example", addresses: [] }, { host: "ns2.attacker.example", addresses: [] }];
  const borrowed = await submit(order({ owner, nameservers }), "203.0.113.66");
  assert.equal(borrowed.status, 201, borrowed.text);
  assert.equal(borrowed.body.status, "PROCESSING", "not ACTIVE at once");
  const pending = await status(borrowed.body.order_id);
  assert.equal(pending.status, "PROCESSING");
  assert.equal(pending.verification.state, "verified", "no eligibility re-check");
  assert.equal(pending.approval.state, "pending");
  assert.match(pending.next_step, /approval/i);
  assert.equal((await available(borrowed.body.domain.ascii)).available, false, "the name is taken meanwhile");

  // A's mailbox is asked; the page shows what was ordered, from where.
  const request = await newestMail(email, /approve this new registration/i);
  assert.ok(request, "an approval request to A's address");
  const link = linkIn(request, "/approve/");
  const page = await fetch(link);
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.ok(html.includes(borrowed.body.domain.ascii));
  assert.ok(html.includes("ns1.attacker.example"));
  assert.ok(html.includes("203.0.113.66"), "the order's client address");
  // A GET approves nothing (mail scanners prefetch links).
  assert.equal((await status(borrowed.body.order_id)).status, "PROCESSING");

  const declined = await fetch(`${link}/decline`, { method: "POST", redirect: "manual" });
  assert.equal(declined.status, 200);
  assert.match(await declined.text(), /name is free/i);
  assert.equal((await status(borrowed.body.order_id)).status, "DELETED");
  assert.equal((await available(borrowed.body.domain.ascii)).available, true, "free at once");
  assert.equal(await count(`SELECT COUNT(*) AS n FROM domains WHERE name = '${borrowed.body.domain.ascii}'`), 0);
  assert.ok(await newestMail(email, /was not registered/i), "A is told the name was released");
  const again = await fetch(`${link}/approve`, { method: "POST", redirect: "manual" });
  assert.equal(again.status, 410, "the link is used up");

  // When A itself orders again, A's mailbox approves it: ACTIVE.
  const own = await submit(order({ owner }));
  const ownLink = linkIn(await newestMail(email, /approve this new registration/i), "/approve/");
  assert.notEqual(ownLink, link);
  const approved = await fetch(`${ownLink}/approve`, { method: "POST", redirect: "manual" });
  assert.equal(approved.status, 200);
  assert.equal((await status(own.body.order_id)).status, "ACTIVE");
  assert.ok((await status(own.body.order_id)).history.some((event) => /approved by the registrant's mailbox/.test(event.reason)));
});

test("a resend flood stops at 5 verification e-mails to one address per 24 hours; nothing is sent over it", async () => {
  const email = uniqueEmail("flood");
  const created = await submit(order({ owner: { email } }));
  assert.equal(created.status, 201, created.text);
  for (let i = 2; i <= 5; i++) {
    const resent = await api(url, `/api/v1/orders/${created.body.order_id}/resend`, { method: "POST", headers: { "cf-connecting-ip": freshIp() } });
    assert.equal(resent.status, 202, `resend ${i}: ${resent.text}`);
  }
  assert.equal((await mailsTo(email)).length, 5);
  const tokenBefore = await count(`SELECT COUNT(*) AS n FROM contacts WHERE email_key = '${email}' AND token_hash IS NOT NULL`);
  const refused = await api(url, `/api/v1/orders/${created.body.order_id}/resend`, { method: "POST", headers: { "cf-connecting-ip": freshIp() } });
  assertRateLimited(refused, "sixth e-mail");
  assert.match(refused.body.errors[0].message, /24 hours/);
  assert.ok(Number(refused.headers.get("retry-after")) <= 86400);
  for (let i = 0; i < 6; i++) {
    const more = await api(url, `/api/v1/orders/${created.body.order_id}/resend`, { method: "POST", headers: { "cf-connecting-ip": freshIp() } });
    assert.equal(more.status, 429);
  }
  assert.equal((await mailsTo(email)).length, 5, "twelve requests, five e-mails");
  assert.equal(await count(`SELECT COUNT(*) AS n FROM contacts WHERE email_key = '${email}' AND token_hash IS NOT NULL`), tokenBefore);
  // The old link still works: nothing was changed by the refused requests.
  await confirmNewest(email);
  assert.equal((await status(created.body.order_id)).status, "ACTIVE");
});

test("an order flood naming one address: 10 unconfirmed orders at most, 5 e-mails at most; the form says so in words", async () => {
  // One registrant's data: one contact, one e-mail, ten orders.
  const email = uniqueEmail("orders");
  const owner = { email, organization: `Flood Co-op ${uniqueLabel()}` };
  const accepted = [];
  for (let i = 1; i <= 10; i++) {
    const response = await submit(order({ owner }));
    assert.equal(response.status, 201, `order ${i}: ${response.text}`);
    accepted.push(response.body);
  }
  const domainsBefore = await count("SELECT COUNT(*) AS n FROM domains");
  const eleventh = await submit(order({ owner }));
  assertRateLimited(eleventh, "eleventh unconfirmed order");
  assert.equal(eleventh.body.errors[0].field, "contacts.owner.email");
  assert.match(eleventh.body.errors[0].message, /not confirmed/);
  // The no-JavaScript form, the same refusal as a page.
  const fields = new URLSearchParams({
    domain: `${uniqueLabel("form")}.coop`, period: "1", owner_first_name: "Ada", owner_last_name: "Lovelace",
    owner_organization: owner.organization, owner_street1: "1 Loom Street", owner_city: "Manchester", owner_postcode: "M1 1AA",
    owner_country: "GB", owner_phone: "+44.1612345678", owner_email: email, admin_same: "on", tech_same: "on", billing_same: "on",
    ns1_host: "ns1.example.net", ns2_host: "ns2.example.net", criterion: "cooperative_under_local_law", certified: "on",
  });
  const form = await fetch(`${url}/register`, {
    method: "POST", body: fields.toString(), redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "text/html", "cf-connecting-ip": freshIp() },
  });
  assert.equal(form.status, 429);
  assert.ok(Number(form.headers.get("retry-after")) > 0);
  const page = await form.text();
  assert.match(page, /Please wait/);
  assert.match(page, /not confirmed/);
  assert.match(page, /Nothing was registered or sent/);
  assert.equal(await count("SELECT COUNT(*) AS n FROM domains"), domainsBefore, "nothing stored");
  assert.equal((await mailsTo(email)).length, 1, "one e-mail for ten orders");
  // Confirming them frees the quota.
  await confirmNewest(email);
  assert.equal((await submit(order({ owner }))).status, 201);

  // Forty orders naming one address, each for another organisation: five e-mails, then no more.
  const shared = uniqueEmail("shared");
  const results = [];
  for (let i = 0; i < 8; i++) {
    results.push(await submit(order({ owner: { email: shared, organization: `Org ${i} ${uniqueLabel()}` } })));
  }
  assert.deepEqual(results.map((r) => r.status), [201, 201, 201, 201, 201, 429, 429, 429]);
  assertRateLimited(results[5], "sixth organisation");
  assert.equal((await mailsTo(shared)).length, 5);
  assert.equal(await count(`SELECT COUNT(*) AS n FROM domains d JOIN contacts c ON c.handle = d.owner WHERE c.email_key = '${shared}'`), 5);
});

test("reserved names: refused without a token, registered with the one staff issued, once", async () => {
  // Refused, and said so by the availability API.
  const someone = () => ({ email: uniqueEmail("reserved") });
  const refused = await submit(order({ domain: "nic.coop", owner: someone() }));
  assert.equal(refused.status, 409, refused.text);
  assert.equal(refused.body.errors[0].code, "name_reserved");
  assert.equal(refused.body.errors[0].field, "domain");
  const check = await available("www.coop");
  assert.equal(check.available, false);
  assert.equal(check.reserved, true);
  assert.match(check.reason, /reserved/);
  assert.equal((await available(`${uniqueLabel("free")}.coop`)).reserved, false);

  // Staff issue a token in the console: shown once, stored only hashed.
  const notReserved = await session.request("/staff/reserved", { method: "POST", form: { name: `${uniqueLabel("plain")}.coop` } });
  assert.equal(notReserved.status, 422);
  assert.match(await notReserved.text(), /not a reserved name/);
  const issued = await session.request("/staff/reserved", { method: "POST", form: { name: "nic" } });
  assert.equal(issued.status, 201);
  const token = /id="allocation-token">([A-Za-z0-9_-]+)</.exec(await issued.text())?.[1];
  assert.ok(token && token.length >= 22, "the token is shown");
  const stored = await worker.d1("SELECT token_hash, name, issued_by, used_at FROM allocation_tokens");
  assert.equal(stored.length, 1);
  assert.equal(stored[0].name, "nic.coop");
  assert.equal(stored[0].issued_by, "warden");
  assert.ok(!JSON.stringify(stored).includes(token), "only the hash is stored");

  // A wrong token, a token for another name, then the right one.
  const wrong = await submit(order({ domain: "nic.coop", owner: someone(), allocation_token: "AAAAAAAAAAAAAAAAAAAAAA" }));
  assert.equal(wrong.status, 403, wrong.text);
  assert.equal(wrong.body.errors[0].code, "allocation_token_invalid");
  const elsewhere = await submit(order({ domain: "whois.coop", owner: someone(), allocation_token: token }));
  assert.equal(elsewhere.body.errors[0].code, "allocation_token_invalid");
  const granted = await submit(order({ domain: "nic.coop", owner: someone(), allocation_token: token }));
  assert.equal(granted.status, 201, granted.text);
  assert.equal((await worker.d1("SELECT used_at FROM allocation_tokens"))[0].used_at > 0, true);
  assert.ok((await status(granted.body.order_id)).history.some((event) => /allocation token/.test(event.reason)));
  const listing = await (await session.request("/staff/reserved")).text();
  assert.match(listing, /nic\.coop/);
  assert.doesNotMatch(listing, /not used/, "the token shows as used");
  // Used once: the name freed again does not take the same token twice.
  const again = await submit(order({ domain: "nic.coop", owner: someone(), allocation_token: token }));
  assert.ok([403, 409].includes(again.status), again.text);
});

test("reserved names on the reseller API: CheckDomain says reserved, AddDomain needs X-ALLOCATION-TOKEN", async () => {
  const id = `abuse-${process.pid}`;
  const password = JSON.parse(execFileSync("node", [join(ROOT, "scripts", "admin.mjs"), "create-reseller", "--id", id,
    "--name", "Abuse Reseller", "--persist-to", worker.state], { cwd: ROOT }).toString().trim().split("\n").pop()).password;
  const ip = freshIp();
  const call = async (fields) => {
    const response = await fetch(`${url}/api/call.cgi`, {
      method: "POST", body: new URLSearchParams({ s_login: id, s_pw: password, ...fields }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded", "cf-connecting-ip": ip },
    });
    const text = await response.text();
    return { code: Number(/^code = (\d+)$/m.exec(text)?.[1]), description: /^description = (.*)$/m.exec(text)?.[1], text };
  };
  const checked = await call({ command: "CheckDomain", domain: "registry.coop" });
  assert.equal(checked.code, 211, checked.text);
  assert.match(checked.description, /reserved/);
  const added = await call({
    command: "AddContact", firstname: "Anna", lastname: "Berg", organization: "Registry Friends eG", street0: "Weg 1",
    city: "Berlin", zip: "10115", country: "DE", phone: "+49.301234567", email: uniqueEmail("rsl"),
  });
  const handle = /^property\[contact\]\[0\] = (.*)$/m.exec(added.text)?.[1];
  assert.ok(handle, added.text);
  const domain = {
    command: "AddDomain", domain: "registry.coop", period: "1", ownercontact0: handle, admincontact0: handle,
    techcontact0: handle, billingcontact0: handle, nameserver0: "ns1.example.net", nameserver1: "ns2.example.net",
    "X-COOP-ELIGIBILITY": "1",
  };
  const withoutToken = await call(domain);
  assert.equal(withoutToken.code, 549, withoutToken.text);
  assert.match(withoutToken.description, /reserved/);
  const issued = await session.request("/staff/reserved", { method: "POST", form: { name: "registry.coop" } });
  const token = /id="allocation-token">([A-Za-z0-9_-]+)</.exec(await issued.text())?.[1];
  assert.equal((await call({ command: "CheckDomain", domain: "registry.coop", "X-ALLOCATION-TOKEN": token })).code, 210);
  const bad = await call({ ...domain, "X-ALLOCATION-TOKEN": "BBBBBBBBBBBBBBBBBBBBBB" });
  assert.equal(bad.code, 531, bad.text);
  const withToken = await call({ ...domain, "X-ALLOCATION-TOKEN": token });
  assert.equal(withToken.code, 200, withToken.text);
  const status = await call({ command: "StatusDomain", domain: "registry.coop" });
  assert.equal(status.code, 200, status.text);
  const certification = JSON.parse((await worker.d1("SELECT record FROM domains WHERE name = 'registry.coop'"))[0].record).certification;
  assert.deepEqual(certification.channel, { kind: "reseller", id });
  assert.equal(certification.client_ip, undefined, "a reseller's client address is not the registrant's");
});

test("the eligibility certification is kept: history, staff console and escrow deposit", async () => {
  const ip = "2001:db8::abcd";
  const created = await submit(order({ owner: { email: uniqueEmail("cert") }, eligibility: { criterion: "ica_member", certified: true } }), ip);
  assert.equal(created.status, 201, created.text);
  const ascii = created.body.domain.ascii;
  const history = (await status(created.body.order_id)).history;
  assert.ok(history.some((event) => event.reason.includes("ica_member") && event.reason.includes("web")),
    JSON.stringify(history));
  // The client's address is kept for staff (history note, console, deposit), not shown on the
  // public order page (issue 19).
  assert.ok(!JSON.stringify(history).includes(ip), JSON.stringify(history));
  assert.equal((await worker.d1(`SELECT note FROM events WHERE object = 'domain:${created.body.domain.ascii}' AND from_state = 'FREE'`))[0].note,
    `certified from ${ip}`);

  const page = await (await session.request(`/staff/domains/${ascii}`)).text();
  assert.match(page, /Eligibility certified/);
  assert.match(page, /ica_member/);
  assert.match(page, /International Cooperative Alliance/);
  assert.ok(page.includes(ip), "the client address in the console");
  assert.match(page, /<code>web<\/code>/);

  const daily = await session.request("/staff/run-daily", { method: "POST", headers: { accept: "application/json" } });
  assert.equal(daily.status, 200, await daily.clone().text());
  const [{ id }] = await worker.d1("SELECT id FROM escrow_deposits ORDER BY watermark DESC LIMIT 1");
  const file = join(scratch, `${id}.csv`);
  const csv = await session.request(`/staff/escrow/${id}.csv`);
  writeFileSync(file, Buffer.from(await csv.arrayBuffer()));
  execFileSync("cargo", ["build", "-q", "-p", "coopreg-shared", "--example", "escrow_json"], { cwd: ROOT, stdio: "inherit" });
  const deposit = JSON.parse(execFileSync(join(ROOT, "target", "debug", "examples", "escrow_json"), [file]).toString());
  const domain = deposit.domains.find((candidate) => candidate.name.ascii === ascii);
  assert.ok(domain, "the domain is in the deposit");
  assert.equal(domain.certification.criterion, "ica_member");
  assert.deepEqual(domain.certification.channel, { kind: "web" });
  assert.equal(domain.certification.client_ip, ip);
  const record = JSON.parse((await worker.d1(`SELECT record FROM domains WHERE name = '${ascii}'`))[0].record);
  assert.equal(domain.certification.at, record.certification.at, "the deposit says what D1 holds");
});

/**
 * Sends `send()` until it is refused with 429. The binding counts in fixed windows of a
 * minute, so a run that crosses a window's end may need up to twice the limit: the refusal
 * must come after at least `limit` and at most `2 × limit` accepted requests.
 */
async function untilLimited(limit, send) {
  let accepted = 0;
  for (let i = 0; i < 2 * limit + 2; i++) {
    const response = await send(i);
    if (response.status === 429) {
      assert.ok(accepted >= limit, `refused after only ${accepted} (limit ${limit})`);
      assert.ok(accepted <= 2 * limit, `refused only after ${accepted} (limit ${limit})`);
      return response;
    }
    accepted += 1;
  }
  assert.fail(`no 429 after ${2 * limit + 2} requests (limit ${limit})`);
}

/** `fetch` as the API helper reads it: { status, body, headers, text }. */
async function read(response) {
  const text = await response.text();
  let body = text;
  try { body = JSON.parse(text); } catch { /* a page */ }
  return { status: response.status, body, headers: response.headers, text };
}

const formHeaders = (ip) => ({ "content-type": "application/x-www-form-urlencoded", accept: "text/html", "cf-connecting-ip": ip });

test("a 429 on each limited route once one client address passes its burst; other addresses go on", async () => {
  // Orders (10 a minute), through the API and the form.
  const orderIp = freshIp();
  const orders = await untilLimited(10, () => submit(order({ owner: { email: uniqueEmail() } }), orderIp));
  assertRateLimited(orders, "orders");
  assert.match(orders.body.errors[0].message, /Too many orders from your network/);
  assert.equal((await submit(order({ owner: { email: uniqueEmail() } }))).status, 201, "another address is not limited");
  const formIp = freshIp();
  const form = await untilLimited(10, async () => read(await fetch(`${url}/register`, {
    method: "POST", body: "domain=x", redirect: "manual", headers: formHeaders(formIp),
  })));
  assert.ok(Number(form.headers.get("retry-after")) > 0);
  assert.match(form.text, /Too many orders from your network/);
  assert.match(form.text, /Nothing was registered or sent/);

  // New links (5 a minute), on the API and on both link pages.
  const resendIp = freshIp();
  const resend = await untilLimited(5, () => api(url, "/api/v1/orders/00000000000000000000000000000000/resend",
    { method: "POST", headers: { "cf-connecting-ip": resendIp } }));
  assertRateLimited(resend, "resend");
  for (const path of ["verify", "approve"]) {
    const pageIp = freshIp();
    const page = await untilLimited(5, async () => read(await fetch(`${url}/${path}/${"a".repeat(22)}/resend`,
      { method: "POST", headers: formHeaders(pageIp) })));
    assert.match(page.text, /Too many requests for a new link/, path);
  }

  // Availability (60 a minute).
  const lookIp = freshIp();
  const name = `${uniqueLabel("look")}.coop`;
  const look = await untilLimited(60, () => api(url, `/api/v1/availability?domain=${name}`, { headers: { "cf-connecting-ip": lookIp } }));
  assertRateLimited(look, "availability");

  // The reseller API's login (20 a minute): a protocol error with a clear description.
  const loginIp = freshIp();
  let description = "";
  await untilLimited(20, async (i) => {
    const response = await fetch(`${url}/api/call.cgi`, {
      method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", "cf-connecting-ip": loginIp },
      body: new URLSearchParams({ s_login: `nobody-${i}`, s_pw: "wrong", command: "StartSession" }).toString(),
    });
    assert.equal(response.status, 200, "the protocol answers HTTP 200");
    const text = await response.text();
    const code = Number(/^code = (\d+)$/m.exec(text)?.[1]);
    description = /^description = (.*)$/m.exec(text)?.[1];
    if (code === 421) return { status: 429 };
    assert.equal(code, 530, text);
    return { status: 200 };
  });
  assert.match(description, /Too many logins to the reseller API from your network/);

  // The staff login (10 a minute): the login page says it; the staff API answers 429.
  const staffIp = freshIp();
  const login = await untilLimited(10, async (i) => read(await fetch(`${url}/staff/login`, {
    method: "POST", redirect: "manual",
    headers: { ...formHeaders(staffIp), origin: url },
    body: new URLSearchParams({ login: `nobody-${i}`, password: "wrong" }).toString(),
  })));
  assert.ok(Number(login.headers.get("retry-after")) > 0);
  assert.match(login.text, /Too many logins to the registry console from your network/);
  const apiIp = freshIp();
  // Another login each time: the throttle per client and account (5 failures) is another rule.
  const staffApi = await untilLimited(10, (i) => api(url, "/api/v1/staff/contacts/W-NOBODY/decision", {
    method: "POST", body: { decision: "approve" },
    headers: { authorization: `Basic ${Buffer.from(`nobody-${i}:wrong`).toString("base64")}`, "cf-connecting-ip": apiIp },
  }));
  assert.match(staffApi.body.errors[0].message, /your network/);
  assertRateLimited(staffApi, "staff API");
});

test("static pages carry the worker pages' security headers", async () => {
  const created = await submit(order({ owner: { email: uniqueEmail() } }));
  const workerPage = await fetch(`${url}/verify/${"b".repeat(22)}`);
  assert.equal(workerPage.status, 410);
  for (const path of ["/", "/index.html", "/app.js", "/style.css", `/orders/${created.body.order_id}`]) {
    const response = await fetch(url + path, { headers: { accept: "text/html" } });
    assert.equal(response.status, 200, path);
    for (const header of ["x-frame-options", "x-content-type-options", "referrer-policy"]) {
      assert.equal(response.headers.get(header), workerPage.headers.get(header), `${path} ${header}`);
      assert.ok(response.headers.get(header), `${path} ${header}`);
    }
    const csp = response.headers.get("content-security-policy") ?? "";
    assert.match(csp, /frame-ancestors 'none'/, path);
    assert.match(csp, /default-src 'self'/, path);
    assert.doesNotMatch(csp, /unsafe-inline/, path);
  }
  assert.equal(workerPage.headers.get("x-frame-options"), "DENY");
  assert.equal(workerPage.headers.get("referrer-policy"), "no-referrer");
  const rules = await fetch(`${url}/_headers`);
  assert.doesNotMatch(await rules.text(), /Content-Security-Policy/, "the rules file itself is not served");
});

// --- time passes (the rest of this file runs on the moved test clock) -----------------------

test("day 45: web orders never confirmed are deleted and their names free; an approval unanswered too", async () => {
  const email = uniqueEmail("quiet");
  const quiet = await submit(order({ owner: { email } }));
  // A verified registrant whose new order's approval is never answered.
  const verifiedEmail = uniqueEmail("silent");
  const owner = { email: verifiedEmail, organization: `Silent Co-op ${uniqueLabel()}` };
  await submit(order({ owner }));
  await confirmNewest(verifiedEmail);
  const unanswered = await submit(order({ owner }));
  assert.equal(unanswered.body.status, "PROCESSING");

  await advanceDays(url, 15);
  for (const created of [quiet, unanswered]) {
    const held = await status(created.body.order_id);
    assert.equal(held.status, "HELD");
    assert.equal(held.hold_reason, "timeout");
    assert.ok(held.delete_at, "the deletion date is shown");
  }
  const notice = await newestMail(email, /on hold/i);
  assert.ok(notice, "the day-15 e-mail");
  assert.match(notice.raw, /will be deleted on/);

  await advanceDays(url, 29);
  assert.equal((await status(quiet.body.order_id)).status, "HELD", "day 44: still held");
  await advanceDays(url, 1);
  for (const created of [quiet, unanswered]) {
    assert.equal((await status(created.body.order_id)).status, "DELETED");
    assert.equal((await available(created.body.domain.ascii)).available, true);
    assert.equal(await count(`SELECT COUNT(*) AS n FROM domains WHERE name = '${created.body.domain.ascii}'`), 0);
  }
});

test("a domain held unconfirmed is not auto-renewed: at expiry it goes to redemption, pending delete, then free", async () => {
  const id = `expiry-${process.pid}`;
  const password = JSON.parse(execFileSync("node", [join(ROOT, "scripts", "admin.mjs"), "create-reseller", "--id", id,
    "--name", "Expiry Reseller", "--persist-to", worker.state], { cwd: ROOT }).toString().trim().split("\n").pop()).password;
  const ip = freshIp();
  const call = async (fields) => {
    const response = await fetch(`${url}/api/call.cgi`, {
      method: "POST", body: new URLSearchParams({ s_login: id, s_pw: password, ...fields }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded", "cf-connecting-ip": ip },
    });
    const text = await response.text();
    const props = {};
    for (const [, key, , value] of text.matchAll(/^property\[([^\]]+)\]\[(\d+)\] = (.*)$/gm)) props[key] = [...(props[key] ?? []), value];
    return { code: Number(/^code = (\d+)$/m.exec(text)?.[1]), props, text };
  };
  const added = await call({
    command: "AddContact", firstname: "Ula", lastname: "Unanswered", organization: "Never Answers eG", street0: "Weg 2",
    city: "Berlin", zip: "10115", country: "DE", phone: "+49.301234567", email: uniqueEmail("never"),
  });
  const handle = added.props.contact[0];
  const domain = `${uniqueLabel("lapse")}.coop`;
  const created = await call({
    command: "AddDomain", domain, period: "1", ownercontact0: handle, admincontact0: handle, techcontact0: handle,
    billingcontact0: handle, nameserver0: "ns1.example.net", nameserver1: "ns2.example.net", "X-COOP-ELIGIBILITY": "1",
  });
  assert.equal(created.code, 200, created.text);
  const expiry = created.props["registration expiration date"][0];

  await advanceDays(url, 16);
  assert.equal((await call({ command: "StatusDomain", domain })).props.status[0], "HELD");
  await advanceDays(url, 45);
  assert.equal((await call({ command: "StatusDomain", domain })).props.status[0], "HELD", "a reseller's domain is not deleted at day 45");
  await advanceDays(url, 306); // day 367: past the expiry
  const lapsed = await call({ command: "StatusDomain", domain });
  assert.equal(lapsed.props.status[0], "REDEMPTION", lapsed.text);
  assert.equal(lapsed.props["registration expiration date"][0], expiry, "not renewed");
  assert.ok(lapsed.props["rgp status"].includes("redemptionPeriod"));
  await advanceDays(url, 30);
  assert.equal((await call({ command: "StatusDomain", domain })).props.status[0], "PENDING_DELETE");
  await advanceDays(url, 5);
  assert.equal((await call({ command: "CheckDomain", domain })).code, 210, "free again");
});
