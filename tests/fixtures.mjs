// Test data shared by the whole-system tests.
let counter = 0;

/** A unique, valid LDH label for this test run. */
export function uniqueLabel(prefix = "coop") {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}-${Math.floor(Math.random() * 1e6)}`;
}

export function contact(overrides = {}) {
  return {
    first_name: "Ada",
    last_name: "Lovelace",
    organization: "Analytical Engines Co-operative",
    street: ["1 Loom Street"],
    city: "Manchester",
    state: "",
    postcode: "M1 1AA",
    country: "GB",
    phone: "+44.1612345678",
    fax: "",
    email: "ada@engines.example",
    ...overrides,
  };
}

/** A complete, valid order as the browser form posts it. */
export function order({ domain = `${uniqueLabel()}.coop`, owner = {}, ...rest } = {}) {
  return {
    domain,
    period: 1,
    contacts: { owner: contact(owner), admin: null, tech: null, billing: null },
    nameservers: [
      { host: "ns1.example.net", addresses: [] },
      { host: "ns2.example.net", addresses: [] },
    ],
    eligibility: { criterion: "cooperative_under_local_law", certified: true },
    ...rest,
  };
}
