// Issue 13: RDAP under /rdap/ against real wrangler dev + D1: every member the ICANN response
// profile requires, redaction (RFC 9537), statuses per RFC 8056 as the lifecycle moves, IDN in
// the six languages by U-label and A-label, name servers, entities, paged searches, the HTTP
// rules (media type, CORS, HEAD, 400/404/405/429, cache headers), garbage and over-long
// queries (never a 5xx), and a real RDAP client from PyPI (tests/rdap/client_check.py).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { domainToASCII } from "node:url";
import { startWorker, api, outbox, ROOT } from "../harness.mjs";
import { order, uniqueLabel } from "../fixtures.mjs";
import { contactRecord, domainRecord, seed } from "../registry_fixtures.mjs";

const worker = await startWorker();
const url = worker.url;
const RDAP = `${url}/rdap`;
const PROFILE = ["rdap_level_0", "icann_rdap_response_profile_1", "icann_rdap_technical_implementation_guide_1", "redacted"];

/** The registrant of the web orders here: every personal field must stay out of RDAP. */
const PERSONAL = {
  first_name: "Perpetua", last_name: "Quillfeather", street: ["77 Weaver Row"], city: "Lowerbridge",
  postcode: "LB9 4ZZ", phone: "+44.1999555123", fax: "+44.1999555777", state: "Lancashire",
  organization: "Lowland Weavers Co-operative", country: "GB",
};

/** GET (or another method) under /rdap/; returns { status, body, headers, text }. */
async function rdap(path, init = {}) {
  const response = await fetch(`${RDAP}/${path}`, init);
  const text = await response.text();
  let body = text;
  try { body = JSON.parse(text); } catch { /* not JSON */ }
  return { status: response.status, body, headers: response.headers, text };
}

function assertRdapHeaders(response, what) {
  assert.equal(response.headers.get("content-type"), "application/rdap+json", what);
  assert.equal(response.headers.get("access-control-allow-origin"), "*", what);
  assert.ok(response.headers.get("cache-control"), `${what}: cache-control`);
}

function assertError(response, status, what) {
  assert.equal(response.status, status, `${what}: ${response.text}`);
  assertRdapHeaders(response, what);
  assert.equal(response.body.errorCode, status, what);
  assert.equal(typeof response.body.title, "string", what);
  assert.ok(response.body.description.length >= 1 && typeof response.body.description[0] === "string", what);
}

function role(answer, name) {
  const entity = answer.entities.find((candidate) => candidate.roles.includes(name));
  assert.ok(entity, `no ${name} entity in ${JSON.stringify(answer.entities)}`);
  return entity;
}

function vcard(entity, property) {
  return entity.vcardArray[1].find((item) => item[0] === property);
}

/** Places a web order and returns { ascii, unicode, email, orderId }. */
async function register({ domain = `${uniqueLabel("rdap")}.coop`, language, nameservers, ds } = {}) {
  const email = `${uniqueLabel("owner")}@example.coop`;
  const body = order({ domain, owner: { ...PERSONAL, email } });
  if (language) body.idn_language = language;
  if (nameservers) body.nameservers = nameservers;
  if (ds) body.ds_records = ds;
  const created = await api(url, "/api/v1/orders", { method: "POST", body });
  assert.equal(created.status, 201, created.text);
  return { ascii: created.body.domain.ascii, unicode: created.body.domain.unicode, email, orderId: created.body.order_id };
}

async function confirm(email) {
  const message = (await outbox(url)).find((m) => m.to.includes(email) && /verif/i.test(m.subject));
  const link = message?.links.find((candidate) => candidate.includes("/verify/"));
  assert.ok(link, "verification link");
  const response = await fetch(`${link}/confirm`, { method: "POST", redirect: "manual" });
  assert.ok(response.status === 200 || response.status === 303, `confirm: ${response.status}`);
}

const RESELLER = "rdap-reseller";
const RESELLER_NAME = "Weavers Domains Ltd";
execFileSync("node", [join(ROOT, "scripts", "admin.mjs"), "create-reseller", "--id", RESELLER, "--name", RESELLER_NAME,
  "--persist-to", worker.state], { cwd: ROOT });

test("secureDNS carries the DS records the registrant gave (the same records as the zone)", async () => {
  const digest = "3f".repeat(32);
  const { ascii } = await register({ ds: [`31589 13 2 ${digest}`] });
  const answer = await rdap(`domain/${ascii}`);
  assert.equal(answer.status, 200, answer.text);
  assert.equal(answer.body.secureDNS.delegationSigned, true);
  assert.deepEqual(answer.body.secureDNS.dsData, [{ keyTag: 31589, algorithm: 13, digestType: 2, digest: digest.toUpperCase() }]);
});

test("a domain answer has every member the profile requires, its personal data redacted; PROCESSING then ACTIVE", async () => {
  const label = uniqueLabel("prof");
  const { ascii, email } = await register({
    domain: `${label}.coop`,
    nameservers: [
      { host: `ns1.${label}.coop`, addresses: ["192.0.2.10", "2001:db8::10"] },
      { host: "ns2.example.net", addresses: [] },
    ],
  });
  const pending = await rdap(`domain/${ascii}`);
  assert.equal(pending.status, 200, pending.text);
  assertRdapHeaders(pending, "domain");
  assert.match(pending.headers.get("cache-control"), /max-age=\d+/);
  const answer = pending.body;
  assert.equal(answer.objectClassName, "domain");
  for (const id of PROFILE) assert.ok(answer.rdapConformance.includes(id), id);
  assert.match(answer.handle, /^D[0-9A-F]{20}-COOP$/, "the ROID");
  assert.equal(answer.ldhName, ascii);
  assert.equal(answer.unicodeName, undefined, "an LDH name has no unicodeName");
  assert.deepEqual(answer.status, ["pending create", "add period"], "PROCESSING is pendingCreate, in its add grace period");
  assert.equal(answer.remarks[0].title, "Registration pending", "PROCESSING says so in words");
  const actions = answer.events.map((event) => event.eventAction);
  assert.deepEqual(actions, ["registration", "expiration", "last changed", "last update of RDAP database"]);
  for (const event of answer.events) assert.ok(!Number.isNaN(Date.parse(event.eventDate)), event.eventDate);
  const expiry = Date.parse(answer.events[1].eventDate) - Date.parse(answer.events[0].eventDate);
  assert.ok(Math.abs(expiry / 86400000 - 365) <= 1, "a one-year registration");
  assert.deepEqual(answer.nameservers.map((ns) => ns.ldhName), [`ns1.${label}.coop`, "ns2.example.net"]);
  assert.deepEqual(answer.nameservers[0].ipAddresses, { v4: ["192.0.2.10"], v6: ["2001:db8::10"] });
  assert.equal(answer.nameservers[1].ipAddresses, undefined);
  assert.deepEqual(answer.secureDNS, { delegationSigned: false });
  assert.deepEqual(answer.notices.map((n) => n.title), ["Terms of Use", "Status Codes", "RDDS Inaccuracy Complaint Form"]);
  assert.equal(answer.notices[1].links[0].href, "https://icann.org/epp");
  assert.equal(answer.notices[2].links[0].href, "https://icann.org/wicf");
  assert.deepEqual(answer.links, [{ value: `${RDAP}/domain/${ascii}`, rel: "self", href: `${RDAP}/domain/${ascii}`, type: "application/rdap+json" }]);

  // Contacts: every role, organisation/state/country shown, the rest redacted and listed.
  for (const name of ["registrant", "administrative", "technical", "billing"]) {
    const entity = role(answer, name);
    assert.equal(entity.handle, undefined, `${name}: handle redacted`);
    assert.equal(vcard(entity, "fn")[3], "");
    assert.equal(vcard(entity, "org")[3], PERSONAL.organization);
    const adr = vcard(entity, "adr");
    assert.equal(adr[1].cc, "GB");
    assert.equal(adr[3][4], PERSONAL.state);
    assert.deepEqual([adr[3][2], adr[3][3], adr[3][5]], ["", "", ""]);
    assert.equal(vcard(entity, "tel"), undefined);
    assert.equal(vcard(entity, "email"), undefined);
    assert.equal(vcard(entity, "contact-uri")[3], "mailto:rdap-contact@registry.coop.test");
  }
  for (const value of [PERSONAL.first_name, PERSONAL.last_name, "Weaver Row", PERSONAL.city, PERSONAL.postcode,
    "1999555123", "1999555777", email]) {
    assert.ok(!pending.text.includes(value), `${value} is not published`);
  }
  assert.ok(!pending.text.includes("sealed:") && !/auth_?code/i.test(pending.text), "no auth code, sealed or open");
  const redacted = answer.redacted.map((r) => r.name.type);
  for (const name of ["Registry Registrant ID", "Registrant Name", "Registrant Street", "Registrant City", "Registrant Postal Code",
    "Registrant Phone", "Registrant Fax", "Registrant Email", "Tech Name", "Tech Phone", "Tech Email"]) {
    assert.ok(redacted.includes(name), `${name} in redacted: ${redacted}`);
  }
  for (const entry of answer.redacted) {
    assert.equal(entry.pathLang, "jsonpath");
    assert.ok(["emptyValue", "removal", "replacementValue"].includes(entry.method), entry.method);
  }

  // The registrar: the web form's registrations are the registry's own, with an abuse contact.
  const registrar = role(answer, "registrar");
  assert.equal(registrar.handle, "web");
  assert.equal(vcard(role(registrar, "abuse"), "email")[3], "rdap-contact@registry.coop.test");

  // Confirming makes it ACTIVE: the next answer says so.
  await confirm(email);
  const active = await rdap(`domain/${ascii}`);
  assert.deepEqual(active.body.status, ["active", "add period"]);
  assert.equal(active.body.remarks, undefined);
});

test("HELD and REDEMPTION names show their status; a free name is 404 with an RDAP error body", async () => {
  const owner = contactRecord({ handle: `RDAP-${process.pid}`, reseller: RESELLER });
  const held = domainRecord({ label: uniqueLabel("held"), owner: owner.handle, state: "held", reseller: RESELLER });
  const redemption = domainRecord({ label: uniqueLabel("redm"), owner: owner.handle, state: "redemption", reseller: RESELLER });
  await seed(worker, { contacts: [owner], domains: [held, redemption] });

  const heldAnswer = await rdap(`domain/${held.name.ascii}`);
  assert.equal(heldAnswer.status, 200, heldAnswer.text);
  assert.deepEqual(heldAnswer.body.status, ["server hold"]);
  assert.match(heldAnswer.body.remarks[0].description[0], /not delegated/);
  const registrar = role(heldAnswer.body, "registrar");
  assert.equal(registrar.handle, RESELLER);
  assert.equal(vcard(registrar, "fn")[3], RESELLER_NAME);
  const redemptionAnswer = await rdap(`domain/${redemption.name.ascii}`);
  assert.deepEqual(redemptionAnswer.body.status, ["pending delete", "redemption period"]);

  assertError(await rdap(`domain/${uniqueLabel("free")}.coop`), 404, "a free name");
  assertError(await rdap("domain/example.com"), 404, "another TLD");
  const head = await fetch(`${RDAP}/domain/${uniqueLabel("free")}.coop`, { method: "HEAD" });
  assert.equal(head.status, 404);
  assert.equal(head.headers.get("content-type"), "application/rdap+json");
});

/** One name per .coop IDN table (U-label). */
const IDN = [
  ["CYRL", "кооп"], ["FR", "coopérative"], ["DE", "genossenschaft-müller"],
  ["IT", "caffè"], ["PT", "cooperação"], ["ES", "españa"],
];

test("IDN names in all six languages answer by U-label and A-label, in any case", async () => {
  for (const [language, label] of IDN) {
    const unicode = `${label}-${process.pid}.coop`;
    const { ascii } = await register({ domain: unicode, language });
    assert.equal(ascii, domainToASCII(unicode), "the registry key is the A-label");
    for (const query of [unicode, unicode.toUpperCase(), ascii, ascii.toUpperCase(), `${unicode}.`]) {
      const response = await rdap(`domain/${encodeURIComponent(query)}`);
      assert.equal(response.status, 200, `${language} ${query}: ${response.text}`);
      assert.equal(response.body.ldhName, ascii, query);
      assert.equal(response.body.unicodeName, unicode, query);
      assert.equal(response.body.links[0].href, `${RDAP}/domain/${ascii}`);
    }
    // A search by a U-label prefix finds it.
    const prefix = [...label].slice(0, 4).join("").toUpperCase();
    const search = await rdap(`domains?name=${encodeURIComponent(`${prefix}*`)}`);
    assert.equal(search.status, 200, `${language} search ${prefix}: ${search.text}`);
    assert.ok(search.body.domainSearchResults.some((d) => d.ldhName === ascii), `${prefix}* finds ${unicode}`);
  }
});

test("name servers, entities and help", async () => {
  const label = uniqueLabel("ns");
  const { ascii } = await register({
    domain: `${label}.coop`,
    nameservers: [{ host: `ns1.${label}.coop`, addresses: ["192.0.2.44"] }, { host: "ns9.example.org", addresses: [] }],
  });
  const glue = await rdap(`nameserver/NS1.${label.toUpperCase()}.coop`);
  assert.equal(glue.status, 200, glue.text);
  assertRdapHeaders(glue, "nameserver");
  assert.equal(glue.body.objectClassName, "nameserver");
  assert.equal(glue.body.ldhName, `ns1.${label}.coop`);
  assert.deepEqual(glue.body.ipAddresses, { v4: ["192.0.2.44"] });
  for (const id of PROFILE) assert.ok(glue.body.rdapConformance.includes(id), id);
  const external = await rdap("nameserver/ns9.example.org");
  assert.equal(external.status, 200, external.text);
  assert.equal(external.body.ipAddresses, undefined);
  assertError(await rdap(`nameserver/ns.${uniqueLabel("none")}.example`), 404, "an unknown name server");
  // The host index follows the records (migrations/0009's triggers): a changed delegation, a
  // deleted domain.
  await worker.d1(`UPDATE domains SET rev = rev + 1, record = json_set(record, '$.nameservers',
    json('[{"host":"ns5.example.org"}]')) WHERE name = '${ascii}'`);
  assertError(await rdap("nameserver/ns9.example.org"), 404, "a host no domain lists any more");
  assert.equal((await rdap("nameserver/ns5.example.org")).status, 200);
  assert.deepEqual((await rdap(`domain/${ascii}`)).body.nameservers.map((ns) => ns.ldhName), ["ns5.example.org"]);

  // The registrar entity of a reseller, and of the web form.
  const reseller = await rdap(`entity/${RESELLER}`);
  assert.equal(reseller.status, 200, reseller.text);
  assert.deepEqual(reseller.body.roles, ["registrar"]);
  assert.equal(vcard(reseller.body, "fn")[3], RESELLER_NAME);
  const web = await rdap("entity/web");
  assert.equal(web.status, 200);
  // A contact by its handle: redacted, its handle shown.
  const [{ owner }] = await worker.d1(`SELECT owner FROM domains WHERE name = '${ascii}'`);
  const contact = await rdap(`entity/${owner}`);
  assert.equal(contact.status, 200, contact.text);
  assert.equal(contact.body.handle, owner);
  assert.equal(vcard(contact.body, "org")[3], PERSONAL.organization);
  assert.ok(!contact.text.includes(PERSONAL.last_name) && !contact.text.includes("1999555123"));
  assert.ok(contact.body.redacted.some((r) => r.name.type === "Registrant Email"));
  assertError(await rdap("entity/NO-SUCH-HANDLE"), 404, "an unknown handle");

  await worker.d1(`DELETE FROM domains WHERE name = '${ascii}'`);
  assertError(await rdap("nameserver/ns5.example.org"), 404, "the host of a deleted domain");
  assertError(await rdap(`domain/${ascii}`), 404, "a deleted domain");

  const help = await rdap("help");
  assert.equal(help.status, 200);
  assert.ok(help.body.rdapConformance.includes("icann_rdap_response_profile_1"));
  assert.ok(help.body.notices[0].description.some((line) => line.includes(`${RDAP}/`)), "help names the base URL");
});

test("domains?name= searches by prefix, paged with a cursor", async () => {
  const prefix = `pg${process.pid}x`;
  const owner = contactRecord({ handle: `PAGE-${process.pid}` });
  const names = Array.from({ length: 30 }, (_, i) => `${prefix}-${String(i).padStart(2, "0")}`);
  await seed(worker, { contacts: [owner], domains: names.map((label) => domainRecord({ label, owner: owner.handle })) });

  const first = await rdap(`domains?name=${prefix.toUpperCase()}*&count=true`);
  assert.equal(first.status, 200, first.text);
  assertRdapHeaders(first, "search");
  assert.ok(first.body.rdapConformance.includes("paging"));
  const page1 = first.body.domainSearchResults.map((d) => d.ldhName);
  assert.equal(page1.length, 25);
  assert.equal(first.body.paging_metadata.totalCount, 30);
  assert.equal(first.body.paging_metadata.pageNumber, 1);
  assert.equal(first.body.paging_metadata.pageSize, 25);
  assert.ok(!first.text.includes("Lovelace"), "search results carry no contacts");
  const next = first.body.paging_metadata.links.find((link) => link.rel === "next");
  assert.ok(next.href.startsWith(`${RDAP}/domains?`), next.href);
  const second = await fetch(next.href).then(async (r) => ({ status: r.status, body: await r.json() }));
  assert.equal(second.status, 200);
  const page2 = second.body.domainSearchResults.map((d) => d.ldhName);
  assert.equal(second.body.paging_metadata.pageNumber, 2);
  assert.equal(second.body.paging_metadata.links, undefined, "the last page links no further");
  assert.deepEqual([...page1, ...page2], names.map((label) => `${label}.coop`), "every name once, in order");
  const exact = await rdap(`domains?name=${names[7]}.coop`);
  assert.deepEqual(exact.body.domainSearchResults.map((d) => d.ldhName), [`${names[7]}.coop`]);
  assertError(await rdap(`domains?name=zz${process.pid}nothing*`), 404, "no match");
});

test("HTTP: HEAD, OPTIONS, other methods, garbage and over-long queries never give a 5xx", async () => {
  const { ascii } = await register();
  const get = await fetch(`${RDAP}/domain/${ascii}`);
  const head = await fetch(`${RDAP}/domain/${ascii}`, { method: "HEAD" });
  assert.equal(head.status, 200);
  assert.equal(head.headers.get("content-type"), get.headers.get("content-type"));
  assert.equal(head.headers.get("access-control-allow-origin"), "*");
  assert.equal(await head.text(), "");
  const options = await fetch(`${RDAP}/domain/${ascii}`, { method: "OPTIONS" });
  assert.equal(options.status, 204);
  assert.match(options.headers.get("access-control-allow-methods"), /GET/);
  const post = await rdap(`domain/${ascii}`, { method: "POST", body: "x" });
  assertError(post, 405, "POST");
  assert.match(post.headers.get("allow"), /GET, HEAD/);

  const malformed = [
    "domain/%FF%FE.coop", "domain/a..coop", "domain/exa%20mple.coop", "domain/exa%00mple.coop",
    `domain/${"a".repeat(64)}.coop`, `domain/${Array(5).fill("a".repeat(60)).join(".")}.coop`,
    `domain/${"x".repeat(3000)}.coop`, `domain/${encodeURIComponent("<script>alert(1)</script>")}.coop`,
    "domain/..%2F..%2Fetc%2Fpasswd", "domain/xn--zz.coop", "domain/", "domain/a/b", "domain/coop",
    "nameserver/localhost", "nameserver/%C0%AF", `entity/${"x".repeat(300)}`, "entity/a%20b", "entity/%FF",
    "domains", "domains?name=", "domains?name=*", "domains?name=a*", "domains?name=ab*cd*", "domains?name=ab*.com",
    `domains?name=ab*&cursor=${"!".repeat(20)}`, `domains?name=${"ab".repeat(2000)}*`, "ip/192.0.2.1", "autnum/64496",
    "nonsense",
  ];
  for (const path of malformed) assertError(await rdap(path), 400, path);
  assert.equal((await rdap("domain/%FF.coop")).headers.get("cache-control"), "public, max-age=3600");

  // Random bytes, percent-encoded, in every position: never a 5xx, always an RDAP body.
  let seedValue = 13;
  const random = () => { seedValue = (seedValue * 1103515245 + 12345) % 2147483648; return seedValue; };
  for (let i = 0; i < 60; i++) {
    const bytes = Array.from({ length: 1 + (random() % 40) }, () => random() % 256);
    const junk = bytes.map((b) => `%${b.toString(16).padStart(2, "0")}`).join("");
    for (const path of [`domain/${junk}`, `nameserver/${junk}`, `entity/${junk}`, `domains?name=${junk}`]) {
      const response = await rdap(path);
      assert.ok(response.status < 500, `${path}: ${response.status}`);
      assert.equal(response.headers.get("content-type"), "application/rdap+json", path);
      assert.equal(response.body.errorCode ?? 200, response.status, path);
    }
  }
});

test("a real RDAP client from PyPI (rdap by 20C) reads the answers", async (t) => {
  const python = join(ROOT, ".tools", "py", "bin", "python");
  assert.ok(existsSync(python), "run scripts/setup.sh --test (the Python test environment)");
  const { ascii } = await register();
  const { ascii: idnAscii } = await register({ domain: `straße-${process.pid}.coop`, language: "DE" });
  const free = `${uniqueLabel("free")}.coop`;
  const out = execFileSync(python, [join(ROOT, "tests", "rdap", "client_check.py"), RDAP,
    `domain:${ascii}`, `domain:straße-${process.pid}.coop`, `entity:${RESELLER}`, `missing:${free}`], { cwd: ROOT }).toString();
  const report = JSON.parse(out);
  t.diagnostic(`rdap client ${report.client_version}`);
  const [plain, idn, reseller, missing] = report.results;
  assert.equal(plain.ldhName, ascii);
  assert.match(plain.handle, /^D[0-9A-F]{20}-COOP$/);
  assert.deepEqual(plain.status, ["pending create", "add period"]);
  assert.equal(plain.delegationSigned, false);
  assert.deepEqual(plain.nameservers, ["ns1.example.net", "ns2.example.net"]);
  assert.deepEqual(plain.roles, ["administrative", "billing", "registrant", "registrar", "technical"]);
  // What the client collects as e-mail addresses: only the contact address and the abuse one.
  assert.deepEqual(plain.parsed.emails, ["rdap-contact@registry.coop.test"]);
  assert.ok(!JSON.stringify(plain).includes(PERSONAL.last_name));
  assert.ok(plain.history.every((status) => status === 200), `the client followed links: ${plain.history}`);
  assert.equal(idn.ldhName, idnAscii);
  assert.equal(reseller.handle, RESELLER);
  assert.deepEqual(reseller.roles, ["registrar"]);
  assert.equal(missing.not_found, true);
});

test("over the RDAP burst limit: 429 with Retry-After and an RDAP error body; other addresses go on", async () => {
  const strict = await startWorker({ rateLimits: { RDAP_RATE_LIMITER: 3 } });
  const limit = 3;
  let accepted = 0;
  let refused;
  for (let i = 0; i < 2 * limit + 2 && !refused; i++) {
    const response = await fetch(`${strict.url}/rdap/help`, { headers: { "cf-connecting-ip": "198.51.100.77" } });
    if (response.status === 429) refused = response;
    else { assert.equal(response.status, 200); accepted += 1; }
  }
  assert.ok(refused, `no 429 after ${accepted} requests`);
  assert.ok(accepted >= limit && accepted <= 2 * limit, `refused after ${accepted} (limit ${limit})`);
  assert.equal(refused.headers.get("retry-after"), "60");
  assert.equal(refused.headers.get("content-type"), "application/rdap+json");
  assert.equal(refused.headers.get("access-control-allow-origin"), "*");
  assert.equal(refused.headers.get("cache-control"), "no-store");
  const body = await refused.json();
  assert.equal(body.errorCode, 429);
  const other = await fetch(`${strict.url}/rdap/help`, { headers: { "cf-connecting-ip": "198.51.100.78" } });
  assert.equal(other.status, 200);
  await strict.stop();
});
