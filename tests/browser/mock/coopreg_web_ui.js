// A STAND-IN for the wasm core, used only by mock-server.mjs to try the pages before the real
// core and worker exist. Same interface as the wasm-bindgen `--target web` output; rough rules.
const TABLES = {
  ES: 'áéíñóúü', FR: 'àâæçèéêëîïôùûüÿœ', DE: 'äöüß', IT: 'àèéìíîòóùú', PT: 'àáâãçéêíóôõúü',
};
const CYRL = 'абвгдежзийклмнопрстуфхцчшщъыьэюяёіїєґўјљњћџђѓќѕ';
const CRITERIA = [
  ['ncba_member', 'Members of the National Cooperative Business Association (NCBA)'],
  ['ica_member', 'Members of the International Cooperative Alliance (ICA)'],
  ['cooperative_under_law', 'Organizations formed as and/or considered cooperatives under applicable local law'],
  ['association_of_cooperatives', 'Associations comprised of cooperatives'],
  ['seven_principles', 'Organizations that are committed to the seven cooperative principles'],
  ['majority_controlled_by_cooperatives', 'Organizations that are majority controlled by cooperatives'],
  ['serves_cooperatives', 'Entities whose operations are principally dedicated to serving cooperatives'],
  ['advances_cooperative_sector', 'Persons or entities whose use of a .coop name would advance the interests of the cooperative sector (no more than 5,000 registrants)'],
];
export default async function init() {}
function fits(label, lang) {
  const extra = lang === 'CYRL' ? CYRL : 'abcdefghijklmnopqrstuvwxyz' + TABLES[lang];
  return [...label].every((c) => '0123456789-'.includes(c) || extra.includes(c));
}
export function fitting_languages(label) {
  if (/^[\x00-\x7f]*$/.test(label)) return '[]';
  return JSON.stringify(['CYRL', 'FR', 'DE', 'IT', 'PT', 'ES'].filter((l) => fits(label, l)));
}
function toAscii(name) { try { return new URL(`http://${name}/`).hostname; } catch { return ''; } }
function domainProblems(input, language, field = 'domain') {
  const e = (code, message) => [{ code, field, message }];
  if (!input) return e('required', 'Enter the domain name you want, e.g. example.coop.');
  const name = input.toLowerCase();
  if (!name.endsWith('.coop') || name.split('.').length !== 2) return e('invalid_value', 'The name must be one label followed by .coop, e.g. example.coop.');
  const label = name.slice(0, -5);
  if (!label) return e('required', 'Enter the name before .coop.');
  if (label.startsWith('-') || label.endsWith('-')) return e('invalid_value', 'A name cannot start or end with a hyphen.');
  const ascii = /^[\x00-\x7f]*$/.test(label);
  if (ascii && !/^[a-z0-9-]+$/.test(label)) return e('invalid_value', 'Use only letters a–z, digits 0–9 and hyphens.');
  if (!ascii) {
    if (!language) return [{ code: 'required', field: 'idn_language', message: 'Choose the IDN language of this name.' }];
    if (!fits(label, language)) return [{ code: 'invalid_value', field, message: `The name has letters outside the ${language} table.` }];
  }
  const a = toAscii(name);
  if (!a || a.split('.')[0].length > 63) return e('too_long', 'A name can have at most 63 characters in its A-label form.');
  return [];
}
export function validate_domain(input, language) {
  const p = domainProblems(input, language);
  if (p.length) return JSON.stringify({ ok: false, errors: p });
  const ascii = toAscii(input);
  return JSON.stringify({ ok: true, ascii, unicode: input.toLowerCase(), language: /^[\x00-\x7f]*$/.test(input) ? null : language });
}
function contactProblems(c, role) {
  const out = [];
  const f = (k) => `contacts.${role}.${k}`;
  const req = (k, label) => { if (!c[k]) out.push({ code: 'required', field: f(k), message: `Enter the ${label}.` }); };
  req('first_name', 'first name'); req('last_name', 'last name');
  if (role === 'owner') req('organization', 'organisation (.coop registrants are organisations)');
  if (!c.street || !c.street[0]) out.push({ code: 'required', field: f('street[0]'), message: 'Enter the street address.' });
  req('city', 'city'); req('postcode', 'postcode');
  if (!c.country) req('country', 'country');
  else if (!/^[A-Z]{2}$/.test(c.country)) out.push({ code: 'invalid_value', field: f('country'), message: 'Use the two-letter ISO country code, e.g. DE.' });
  if (!c.phone) req('phone', 'phone number');
  else if (!/^\+\d{1,3}\.\d{4,14}$/.test(c.phone)) out.push({ code: 'invalid_value', field: f('phone'), message: 'Write the phone number as +CC.NUMBER, e.g. +44.2071234567.' });
  if (c.fax && !/^\+\d{1,3}\.\d{4,14}$/.test(c.fax)) out.push({ code: 'invalid_value', field: f('fax'), message: 'Write the fax number as +CC.NUMBER.' });
  if (!c.email) req('email', 'e-mail address');
  else if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(c.email)) out.push({ code: 'invalid_value', field: f('email'), message: 'Enter an e-mail address like name@example.coop.' });
  return out;
}
export function validate_order(json) {
  const o = JSON.parse(json);
  const errors = [...domainProblems(o.domain, o.idn_language)];
  if (!(o.period >= 1 && o.period <= 10)) errors.push({ code: 'invalid_value', field: 'period', message: 'Choose 1 to 10 years.' });
  for (const role of ['owner', 'admin', 'tech', 'billing']) if (o.contacts[role]) errors.push(...contactProblems(o.contacts[role], role));
  if (o.nameservers.length < 2) errors.push({ code: 'required', field: 'nameservers', message: 'Enter at least 2 nameservers.' });
  o.nameservers.forEach((ns, i) => {
    if (!ns.host) errors.push({ code: 'required', field: `nameservers[${i}].host`, message: 'Enter the nameserver host name, e.g. ns1.example.net.' });
    else if (!/^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/i.test(ns.host)) errors.push({ code: 'invalid_value', field: `nameservers[${i}].host`, message: 'Enter a host name like ns1.example.net.' });
    const inside = o.domain && (ns.host === o.domain || ns.host.endsWith(`.${o.domain}`));
    if (inside && !ns.addresses.length) errors.push({ code: 'required', field: `nameservers[${i}].addresses`, message: 'This nameserver is inside your domain: enter its IP address.' });
    ns.addresses.forEach((a, j) => {
      if (!/^(\d{1,3}\.){3}\d{1,3}$/.test(a) && !/^[0-9a-f:]+$/i.test(a)) errors.push({ code: 'invalid_value', field: `nameservers[${i}].addresses[${j}]`, message: `“${a}” is not an IPv4 or IPv6 address.` });
    });
  });
  if (!o.eligibility.criterion) errors.push({ code: 'required', field: 'eligibility.criterion', message: 'Choose the eligibility criterion the registrant meets.' });
  if (!o.eligibility.certified) errors.push({ code: 'required', field: 'eligibility.certified', message: 'Tick the box to certify the registrant’s eligibility.' });
  return JSON.stringify(errors.length ? { ok: false, errors } : { ok: true, order: o });
}
export function eligibility_criteria() { return JSON.stringify(CRITERIA.map(([code, text]) => ({ code, text }))); }
