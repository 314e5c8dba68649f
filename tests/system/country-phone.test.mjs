// Issue 18 through the JSON API: a country typed by name and a phone written the usual way are
// stored in the registry's form (ISO code, +CC.NUMBER); unknown text is refused, naming the field.
//   node --test tests/system/country-phone.test.mjs
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { startWorker, api } from "../harness.mjs";
import { order, uniqueLabel } from "../fixtures.mjs";

const worker = await startWorker();
after(() => worker.stop());

async function submit(body) {
  return api(worker.url, "/api/v1/orders", {
    method: "POST",
    body,
    headers: { "idempotency-key": crypto.randomUUID() },
  });
}

/** The owner contact stored for the order whose owner e-mail is `email`. */
async function storedOwner(email) {
  const rows = await worker.d1("SELECT record FROM contacts WHERE json_extract(record, '$.info.email') = ?", [email]);
  assert.equal(rows.length, 1, `one contact with ${email}`);
  return JSON.parse(rows[0].record).info;
}

test("country by name or alias and phone as people write it are stored as DE and +49.8912345678", async () => {
  const cases = [
    { country: "Germany", phone: "+49 89 12345678", fax: "" },
    { country: "deutschland", phone: "+49-89-1234 5678", fax: "(089) 12345679" },
    { country: "DE", phone: "(089) 12345678", fax: "0049 89 12345679" },
  ];
  for (const { country, phone, fax } of cases) {
    const email = `${uniqueLabel("cp")}@example.coop`;
    const created = await submit(order({ owner: { email, country, phone, fax } }));
    assert.equal(created.status, 201, created.text);
    const stored = await storedOwner(email);
    assert.equal(stored.country, "DE", country);
    assert.equal(stored.phone, "+49.8912345678", phone);
    assert.equal(stored.fax ?? "", fax ? "+49.8912345679" : "", fax);
  }
});

test("an unknown country and an impossible phone are refused in plain words, naming the field; nothing is stored", async () => {
  const email = `${uniqueLabel("cpbad")}@example.coop`;
  const refused = await submit(order({ owner: { email, country: "Germny", phone: "+999 1234 5678" } }));
  assert.equal(refused.status, 422, refused.text);
  const byField = Object.fromEntries(refused.body.errors.map((e) => [e.field, e]));
  const country = byField["contacts.owner.country"];
  assert.equal(country.code, "invalid_country");
  assert.match(country.message, /'Germny'/);
  assert.match(country.message, /Did you mean Germany\?/);
  assert.equal(country.suggestion, "DE");
  const phone = byField["contacts.owner.phone"];
  assert.equal(phone.code, "invalid_phone");
  assert.match(phone.message, /\+49 89 12345678/);
  assert.deepEqual(
    await worker.d1("SELECT handle FROM contacts WHERE json_extract(record, '$.info.email') = ?", [email]),
    [],
  );
});
