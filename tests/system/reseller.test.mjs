// Issue 6: the reseller command API (/api/call.cgi) against real wrangler dev + D1, driven by
// the official CentralNic Reseller Python SDK (tests/reseller/test_sdk_flow.py) and by raw
// HTTP for what the SDK flow does not reach (contact isolation, re-verification, the transfer
// answer page).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { startWorker, outbox, ROOT } from "../harness.mjs";
import { createReseller } from "../registry_fixtures.mjs";

const worker = await startWorker();
const url = worker.url;

const resellers = { one: "reseller-one", two: "reseller-two" };
const passwords = { one: createReseller(worker, resellers.one), two: createReseller(worker, resellers.two) };

/** One API call as flat form fields; returns { code, description, props, text }. */
async function call(who, fields, { method = "POST", path = "/api/call.cgi" } = {}) {
  const form = new URLSearchParams({ s_login: resellers[who], s_pw: passwords[who], ...fields });
  const response =
    method === "GET"
      ? await fetch(`${url}${path}?${form}`)
      : await fetch(url + path, {
          method,
          body: form.toString(),
          headers: { "content-type": "application/x-www-form-urlencoded" },
        });
  assert.equal(response.status, 200, "the reseller API always answers HTTP 200");
  assert.match(response.headers.get("content-type"), /^text\/plain/);
  const text = await response.text();
  const code = Number(/^code = (\d+)$/m.exec(text)?.[1]);
  const description = /^description = (.*)$/m.exec(text)?.[1];
  const props = {};
  for (const [, name, , value] of text.matchAll(/^property\[([^\]]+)\]\[(\d+)\] = (.*)$/gm)) {
    props[name] = [...(props[name] ?? []), value];
  }
  return { code, description, props, text };
}

const contactFields = (email) => ({
  command: "AddContact",
  firstname: "Anna",
  lastname: "Berg",
  organization: "Example eG",
  street0: "Weg 1",
  city: "Berlin",
  zip: "10115",
  country: "DE",
  phone: "+49.301234567",
  email,
});

function unique(prefix) {
  return `${prefix}-${process.pid}-${Math.floor(Math.random() * 1e9)}`;
}

test("the official SDK runs the whole .coop lifecycle (tests/reseller/test_sdk_flow.py)", async () => {
  const env = {
    ...process.env,
    COOPREG_URL: url,
    COOPREG_RESELLER_LOGIN: resellers.one,
    COOPREG_RESELLER_PASSWORD: passwords.one,
    COOPREG_RESELLER_LOGIN_2: resellers.two,
    COOPREG_RESELLER_PASSWORD_2: passwords.two,
  };
  const child = spawn(join(ROOT, "tests", "reseller", "run.sh"), [], { cwd: ROOT, env });
  let output = "";
  child.stdout.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr.on("data", (chunk) => {
    output += chunk;
  });
  const status = await new Promise((resolve) => child.on("exit", resolve));
  console.log(output);
  assert.match(output, /\d+ passed, 0 failed/);
  assert.equal(status, 0, "the SDK flow fails");
});

test("contacts are visible only to their reseller", async () => {
  const added = await call("one", contactFields(`${unique("iso")}@example.org`));
  assert.equal(added.code, 200, added.text);
  const handle = added.props.contact[0];
  assert.match(handle, /^P-[0-9A-F]{16}$/);
  assert.equal((await call("one", { command: "StatusContact", contact: handle })).code, 200);
  const foreign = await call("two", { command: "StatusContact", contact: handle });
  assert.equal(foreign.code, 531, foreign.text);
  assert.ok(!foreign.text.includes("Berg"), "no data of another reseller's contact");
  const modify = await call("two", { command: "ModifyContact", contact: handle, city: "Hamburg" });
  assert.equal(modify.code, 531, modify.text);
  const status = await call("one", { command: "StatusContact", contact: handle });
  assert.deepEqual(status.props.city, ["Berlin"], "unchanged");
});

test("AddContact answers the reseller's identical contact; NEW=1 always creates; NEW=2 is refused", async () => {
  const email = `${unique("same")}@example.org`;
  const first = await call("one", contactFields(email));
  assert.equal(first.code, 200, first.text);
  const handle = first.props.contact[0];

  // Identical data, also as written differently (spaces, country case, STREET for STREET0,
  // empty optional fields), without NEW and with NEW=0: the same contact, nothing created.
  const again = await call("one", contactFields(email));
  assert.equal(again.code, 200, again.text);
  assert.deepEqual(again.props.contact, [handle], "the existing handle");
  assert.deepEqual(again.props["created date"], first.props["created date"], "its own created date");
  assert.deepEqual(again.props.verified, ["0"]);
  const { street0, ...rest } = contactFields(email);
  const untidy = await call("one", {
    ...rest,
    street: ` ${street0} `,
    firstname: " Anna ",
    country: "de",
    state: "",
    fax: "",
    new: "0",
  });
  assert.equal(untidy.code, 200, untidy.text);
  assert.deepEqual(untidy.props.contact, [handle], "normalisation makes no difference");
  // One field different: another contact.
  const moved = await call("one", { ...contactFields(email), city: "Hamburg" });
  assert.equal(moved.code, 200, moved.text);
  assert.notEqual(moved.props.contact[0], handle, "different data, different contact");

  const forced = await call("one", { ...contactFields(email), new: "1" });
  assert.equal(forced.code, 200, forced.text);
  const forcedHandle = forced.props.contact[0];
  assert.match(forcedHandle, /^P-[0-9A-F]{16}$/);
  assert.notEqual(forcedHandle, handle, "NEW=1 creates a new contact");
  // Two identical contacts now: the older one (by creation, then handle) is answered, never a third.
  const afterForced = await call("one", contactFields(email));
  assert.ok([handle, forcedHandle].includes(afterForced.props.contact[0]), afterForced.text);

  // Another reseller with identical data gets a contact of its own, and then that one.
  const other = await call("two", contactFields(email));
  assert.equal(other.code, 200, other.text);
  const otherHandle = other.props.contact[0];
  assert.ok(![handle, forcedHandle].includes(otherHandle), "never another reseller's contact");
  assert.deepEqual((await call("two", contactFields(email))).props.contact, [otherHandle]);
  assert.equal((await call("two", { command: "StatusContact", contact: otherHandle })).code, 200);

  const refusedEmail = `${unique("refused")}@example.org`;
  const refused = await call("one", { ...contactFields(refusedEmail), new: "2" });
  assert.equal(refused.code, 541, refused.text);
  assert.equal(refused.description, "Invalid attribute value; NEW: (must be 0 or 1)");
  assert.equal(refused.props.contact, undefined);

  const rows = await worker.d1(`SELECT reseller_id, handle FROM contacts
    WHERE json_extract(record, '$.info.email') IN ('${email}', '${refusedEmail}') ORDER BY reseller_id, handle`);
  assert.deepEqual(
    rows.map((row) => `${row.reseller_id} ${row.handle}`),
    [
      ...[handle, moved.props.contact[0], forcedHandle].sort().map((h) => `${resellers.one} ${h}`),
      `${resellers.two} ${otherHandle}`,
    ],
    "exactly the contacts answered as new; none for NEW=2",
  );
  // The candidates are read through the index of migration 0003 (the query of
  // store::reseller_contacts_with_email).
  const plan = await worker.d1(`EXPLAIN QUERY PLAN SELECT record FROM contacts
    WHERE reseller_id = 'x' AND json_extract(record, '$.info.email') = 'y'`);
  assert.match(JSON.stringify(plan), /contacts_reseller_email/);
});

test("AddContact with the data of a verified contact answers it as verified", async () => {
  const email = `${unique("verified")}@example.org`;
  const handle = (await call("one", contactFields(email))).props.contact[0];
  const name = `${unique("vc")}.coop`;
  const added = await call("one", {
    command: "AddDomain",
    domain: name,
    period: "1",
    ownercontact0: handle,
    admincontact0: handle,
    techcontact0: handle,
    billingcontact0: handle,
    nameserver0: "ns1.example.net",
    nameserver1: "ns2.example.net",
    "X-COOP-ELIGIBILITY": "1",
  });
  assert.equal(added.code, 200, added.text);
  const link = (await outbox(url)).find((m) => m.to.includes(email)).links.find((l) => l.includes("/verify/"));
  await fetch(`${link}/confirm`, { method: "POST", redirect: "manual" });
  const again = await call("one", contactFields(email));
  assert.equal(again.code, 200, again.text);
  assert.deepEqual(again.props.contact, [handle]);
  assert.deepEqual(again.props.verified, ["1"]);
});

test("a material change of a verified owner sends a re-verification link", async () => {
  const email = `${unique("reverify")}@example.org`;
  const handle = (await call("one", contactFields(email))).props.contact[0];
  const name = `${unique("rv")}.coop`;
  const added = await call("one", {
    command: "AddDomain",
    domain: name,
    period: "1",
    ownercontact0: handle,
    admincontact0: handle,
    techcontact0: handle,
    billingcontact0: handle,
    nameserver0: "ns1.example.net",
    nameserver1: "ns2.example.net",
    "X-COOP-ELIGIBILITY": "1",
  });
  assert.equal(added.code, 200, added.text);
  assert.deepEqual(added.props.status, ["PROCESSING"]);
  const mail = (await outbox(url)).find((m) => m.to.includes(email));
  const link = mail.links.find((l) => l.includes("/verify/"));
  const confirmed = await fetch(`${link}/confirm`, { method: "POST", redirect: "manual" });
  assert.ok([200, 303].includes(confirmed.status), `confirm: ${confirmed.status}`);
  assert.deepEqual((await call("one", { command: "StatusDomain", domain: name })).props.status[0], "ACTIVE");

  const before = (await outbox(url)).length;
  const newEmail = `${unique("moved")}@example.org`;
  const modified = await call("one", { command: "ModifyContact", contact: handle, email: newEmail });
  assert.equal(modified.code, 200, modified.text);
  const mails = await outbox(url);
  assert.equal(mails.length, before + 1, "one new e-mail");
  assert.ok(mails[0].to.includes(newEmail), "to the new address");
  assert.ok(
    mails[0].links.some((l) => l.includes("/verify/")),
    "with a verification link",
  );
  const contact = await call("one", { command: "StatusContact", contact: handle });
  assert.deepEqual(contact.props.verified, ["0"]);
  assert.deepEqual(contact.props["verification requested"], ["1"]);
  // A change that is not material sends nothing.
  await call("one", { command: "ModifyContact", contact: handle, city: "Hamburg" });
  assert.equal((await outbox(url)).length, before + 1);
});

test("the owner answers a transfer through the e-mailed link; opening it changes nothing", async () => {
  const email = `${unique("xfer")}@example.org`;
  const handle = (await call("one", contactFields(email))).props.contact[0];
  const name = `${unique("tx")}.coop`;
  await call("one", {
    command: "AddDomain",
    domain: name,
    period: "1",
    ownercontact0: handle,
    admincontact0: handle,
    techcontact0: handle,
    billingcontact0: handle,
    nameserver0: "ns1.example.net",
    nameserver1: "ns2.example.net",
    "X-COOP-ELIGIBILITY": "1",
  });
  const verify = (await outbox(url)).find((m) => m.to.includes(email)).links.find((l) => l.includes("/verify/"));
  await fetch(`${verify}/confirm`, { method: "POST", redirect: "manual" });
  const auth = (await call("one", { command: "StatusDomain", domain: name })).props.auth[0];

  const requested = await call("two", { command: "TransferDomain", domain: name, auth });
  assert.equal(requested.code, 200, requested.text);
  const mail = (await outbox(url)).find((m) => m.to.includes(email) && /Transfer/.test(m.subject));
  const link = mail.links.find((l) => l.includes("/transfer/"));
  assert.ok(link, JSON.stringify(mail.links));

  const page = await fetch(link);
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.match(html, /action="\/transfer\/[^"]+\/deny"/);
  assert.match(html, new RegExp(resellers.two));
  const pending = await call("one", { command: "StatusDomainTransfer", domain: name });
  assert.deepEqual(pending.props["transfer status"], ["pending"], "GET changed nothing");

  const denied = await fetch(`${link}/deny`, { method: "POST" });
  assert.equal(denied.status, 200);
  const status = await call("one", { command: "StatusDomain", domain: name });
  assert.equal(status.props.status[0], "ACTIVE");
  assert.deepEqual(status.props.registrar, [resellers.one], "still with the losing reseller");
  const again = await fetch(`${link}/approve`, { method: "POST" });
  assert.equal(again.status, 410, "a used link no longer works");
});

test("GET on /api/call with flat fields, and a wrong session, answer in the protocol", async () => {
  const check = await call(
    "one",
    { command: "CheckDomain", domain: `${unique("free")}.coop` },
    { method: "GET", path: "/api/call" },
  );
  assert.equal(check.code, 210, check.text);
  const response = await fetch(`${url}/api/call.cgi?s_login=${resellers.one}&s_sessionid=nope&command=StatusAccount`);
  assert.equal(response.status, 200);
  assert.match(await response.text(), /^code = 530$/m);
});

test("two resellers registering one name at the same moment: one gets it, the other 549", async () => {
  const handles = {
    one: (await call("one", contactFields(`${unique("race1")}@example.org`))).props.contact[0],
    two: (await call("two", contactFields(`${unique("race2")}@example.org`))).props.contact[0],
  };
  const name = `${unique("race")}.coop`;
  const add = (who) =>
    call(who, {
      command: "AddDomain",
      domain: name,
      period: "1",
      ownercontact0: handles[who],
      admincontact0: handles[who],
      techcontact0: handles[who],
      billingcontact0: handles[who],
      nameserver0: "ns1.example.net",
      nameserver1: "ns2.example.net",
      "X-COOP-ELIGIBILITY": "1",
    });
  const answers = await Promise.all([add("one"), add("two")]);
  const codes = answers.map((answer) => answer.code).sort();
  assert.deepEqual(codes, [200, 549], answers.map((answer) => answer.text).join("\n"));
  const rows = await worker.d1(`SELECT reseller_id FROM domains WHERE name = '${name}'`);
  assert.equal(rows.length, 1);
  const winner = answers[0].code === 200 ? resellers.one : resellers.two;
  assert.equal(rows[0].reseller_id, winner);
});

test("a command whose domain changed since it was read is refused with 421 and changes nothing", async () => {
  const handle = (await call("one", contactFields(`${unique("conflict")}@example.org`))).props.contact[0];
  const name = `${unique("conflict")}.coop`;
  const added = await call("one", {
    command: "AddDomain",
    domain: name,
    period: "1",
    ownercontact0: handle,
    admincontact0: handle,
    techcontact0: handle,
    billingcontact0: handle,
    nameserver0: "ns1.example.net",
    nameserver1: "ns2.example.net",
    "X-COOP-ELIGIBILITY": "1",
  });
  assert.equal(added.code, 200, added.text);
  // Another writer stores the domain between this command's read and its write.
  await worker.d1(`UPDATE domains SET rev = rev + 1 WHERE name = '${name}'`);
  const row = async () => (await worker.d1(`SELECT rev, record FROM domains WHERE name = '${name}'`))[0];
  const before = await row();
  const modify = {
    command: "ModifyDomain",
    domain: name,
    nameserver0: "ns1.example.org",
    nameserver1: "ns2.example.org",
  };
  const refused = await call("one", modify);
  assert.equal(refused.code, 421, refused.text);
  assert.match(refused.description, /try again/i);
  assert.deepEqual(await row(), before);
  // Once the stored record is the one read, the same command goes through.
  await worker.d1(
    `UPDATE domains SET record = json_set(record, '$.revision', rev + 1), rev = rev + 1 WHERE name = '${name}'`,
  );
  const retried = await call("one", modify);
  assert.equal(retried.code, 200, retried.text);
  const status = await call("one", { command: "StatusDomain", domain: name });
  assert.deepEqual(status.props.nameserver, ["ns1.example.org", "ns2.example.org"]);
});

test("garbage in, protocol out: 300 random requests always get HTTP 200 and a well-formed answer", async () => {
  // A seeded generator, so a failure can be replayed.
  let seed = 20261126;
  const rand = (n) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const pieces = [
    "command=",
    "COMMAND=",
    "s_login=",
    "s_pw=",
    "s_sessionid=",
    "s_command=",
    "persistent=1",
    "AddDomain",
    "StatusDomain",
    "CheckDomains",
    "domain=",
    "DOMAIN0=",
    "%",
    "%ZZ",
    "%C3%28",
    "%0A",
    "=",
    "&",
    "\u00fc",
    "xn--",
    ".coop",
    "period=99999999999999999999",
    "NAMESERVER12=",
    "X-IDN-LANGUAGE=",
    "\u0000",
  ];
  // Half the requests carry a live session, so they reach the command handlers.
  const login = await (
    await fetch(`${worker.url}/api/call.cgi`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `s_login=${resellers.one}&s_pw=${encodeURIComponent(passwords.one)}&persistent=1`,
    })
  ).text();
  const session = /property\[sessionid\]\[0\] = (\S+)/.exec(login)?.[1];
  assert.ok(session, login);
  const codes = {};
  for (let i = 0; i < 300; i++) {
    let text = rand(2) === 0 ? `s_login=${resellers.one}&s_sessionid=${session}&` : "";
    const parts = 1 + rand(12);
    if (rand(2) === 0)
      text += `command=${["AddDomain", "StatusDomain", "CheckDomains", "ModifyDomain", "TransferDomain", "QueryDomainList", "AddContact", "RenewDomain"][rand(8)]}&`;
    for (let j = 0; j < parts; j++)
      text += pieces[rand(pieces.length)] + (rand(3) === 0 ? String.fromCharCode(rand(0x3000)) : "");
    const usePost = rand(2) === 0;
    const target = `${worker.url}/api/call.cgi${usePost ? "" : `?${text}`}`;
    const response = await fetch(
      target,
      usePost ? { method: "POST", body: text, headers: { "content-type": "application/x-www-form-urlencoded" } } : {},
    );
    const body = await response.text();
    assert.equal(response.status, 200, `request ${i}: ${JSON.stringify(text)}`);
    assert.match(
      body,
      /^\[RESPONSE\]\ncode = \d{3}\ndescription = [^\n]*\n(?:[^\n]+\n)*EOF\n$/,
      `request ${i}: ${JSON.stringify(text)} → ${body}`,
    );
    const code = /code = (\d+)/.exec(body)[1];
    codes[code] = (codes[code] ?? 0) + 1;
  }
  console.log(`result codes of the random requests: ${JSON.stringify(codes)}`);
  assert.ok(Object.keys(codes).length >= 4, "the requests reached several different outcomes");
});
