// The registration form: builds the order JSON from the form, validates it as the registrant
// types (shared core in wasm: same codes and messages as the server), checks availability,
// and submits JSON to POST /api/v1/orders. Without the wasm core the same form still works,
// checked by the server only. Without JavaScript the form posts to /register.
import { LANGUAGES, loadCore, uuid, api, problemsOf, esc, fieldFor, setFieldError, renderSummary } from "/common.js";

const ROLES = ["owner", "admin", "tech", "billing"];
const CONTACT_FIELDS = [
  "first_name",
  "last_name",
  "organization",
  "city",
  "state",
  "postcode",
  "country",
  "phone",
  "fax",
  "email",
];
const MIN_NS = 2;
const MAX_NS = 13;
const AVAILABILITY_DELAY_MS = 350;

const form = document.getElementById("order-form");
const summary = document.getElementById("summary");
const notice = document.getElementById("core-notice");
const domainInput = form.elements.domain;
const alabelOut = document.getElementById("alabel");
const availabilityOut = document.getElementById("availability");
const idnGroup = document.getElementById("idn-group");
const nsRows = document.getElementById("ns-rows");
const nsAdd = document.getElementById("ns-add");
const submitBtn = document.getElementById("submit");
const submitStatus = document.getElementById("submit-status");

let core = null;
/** data-field paths whose errors are shown (the registrant has been there). */
const touched = new Set();
/** After a submit attempt every error is shown. */
let showAll = false;
/** Errors the server returned, kept until their field is edited. */
let serverProblems = [];
/** The body and Idempotency-Key of the last submission, reused for its retries. */
let pending = null;
/** The canonical forms of the domain as last validated: {ascii, unicode} or null. */
let domainForms = null;
/** Duration (ms) of each validate_order call, for the keystroke-latency measurement. */
const timings = [];

// ---------------------------------------------------------------- building the order JSON

const value = (name) => (form.elements[name] ? String(form.elements[name].value).trim() : "");
const checked = (name) => Boolean(form.elements[name]?.checked);

/** The domain as entered; a bare label gets ".coop". */
function domainValue() {
  const v = value("domain");
  return v && !v.includes(".") ? `${v}.coop` : v;
}

function radioValue(name) {
  const el = form.querySelector(`input[name="${name}"]:checked`);
  return el ? el.value : "";
}

function contactFrom(role) {
  const c = {};
  for (const f of CONTACT_FIELDS) c[f] = value(`${role}_${f}`);
  const street = [value(`${role}_street1`), value(`${role}_street2`)];
  // Trailing empty lines are left out; a gap before a filled line is kept so errors line up.
  while (street.length > 1 && street[street.length - 1] === "") street.pop();
  return {
    first_name: c.first_name,
    last_name: c.last_name,
    organization: c.organization,
    street,
    city: c.city,
    state: c.state,
    postcode: c.postcode,
    country: c.country.toUpperCase(),
    phone: c.phone,
    fax: c.fax,
    email: c.email,
  };
}

function nameserverRows() {
  return [...nsRows.querySelectorAll(".ns-row")];
}

function buildOrder() {
  const contacts = { owner: contactFrom("owner") };
  for (const role of ROLES.slice(1)) contacts[role] = checked(`${role}_same`) ? null : contactFrom(role);
  const nameservers = nameserverRows().map((row) => {
    const host = row.querySelector(".ns-host input").value.trim();
    const glue = row.querySelector(".ns-glue");
    const addresses = glue.hidden
      ? []
      : glue
          .querySelector("input")
          .value.split(/[\s,;]+/)
          .filter(Boolean);
    return { host, addresses };
  });
  const language = idnGroup.hidden ? "" : radioValue("idn_language");
  return {
    domain: domainValue(),
    idn_language: language || null,
    period: Number(form.elements.period.value),
    contacts,
    nameservers,
    eligibility: { criterion: radioValue("criterion"), certified: checked("certified") },
    allocation_token: form.elements.allocation_token.value.trim() || null,
    ds_records: form.elements.ds_records.value
      .split("\n")
      .map((line) => line.trim())
      .filter(Boolean),
  };
}

// ---------------------------------------------------------------- validation and errors

function validate(order) {
  if (!core) return [];
  const json = JSON.stringify(order);
  const t0 = performance.now();
  const out = core.rawValidateOrder(json);
  timings.push(performance.now() - t0);
  if (timings.length > 5000) timings.splice(0, 1000);
  const result = JSON.parse(out);
  return result.ok ? [] : result.errors || [];
}

function takeSuggestion(el, suggestion) {
  el.value = suggestion;
  el.dispatchEvent(new Event("input", { bubbles: true }));
  el.focus();
}

/** Shows each problem on its field (touched fields only, unless showAll). */
function renderInline(problems) {
  const byField = new Map();
  for (const p of problems) {
    const el = fieldFor(form, p.field);
    if (!el) continue;
    if (!byField.has(el)) byField.set(el, []);
    byField.get(el).push(p);
  }
  for (const el of form.querySelectorAll("[data-field]")) {
    const list = byField.get(el) || [];
    const visible = showAll || touched.has(el.dataset.field) || list.some((p) => serverProblems.includes(p));
    setFieldError(el, visible ? list : [], takeSuggestion);
  }
}

let lastProblems = [];

/** Validates the whole form and refreshes inline errors (and the summary, if shown). */
function refresh() {
  updateDomainStatus();
  updateGlue();
  const problems = [...validate(buildOrder())];
  for (const p of serverProblems) if (!problems.some((q) => q.field === p.field && q.code === p.code)) problems.push(p);
  lastProblems = problems;
  renderInline(problems);
  // The summary (an alert) is not rewritten on each keystroke; it goes once all is fixed.
  if (!summary.hidden && !problems.length) renderSummary(summary, form, []);
  return problems;
}

function touch(el) {
  const f = el.closest("[data-field]");
  if (f) touched.add(f.dataset.field);
}

/** Forgets server errors about the field just edited. */
function dropServerProblems(el) {
  const f = el.closest("[data-field]");
  if (!f || !serverProblems.length) return;
  serverProblems = serverProblems.filter((p) => fieldFor(form, p.field) !== f);
  // A reserved name is answered on the domain; the token is what changes that answer.
  if (el.name === "allocation_token") serverProblems = serverProblems.filter((p) => p.code !== "name_reserved");
}

// ---------------------------------------------------------------- domain: A-label, IDN, availability

const isAscii = (s) => /^\p{ASCII}*$/u.test(s);

/** The browser's own IDNA conversion, used for the preview when the core is not loaded. */
function browserAscii(name) {
  try {
    return new URL(`http://${name}/`).hostname;
  } catch {
    return "";
  }
}

/** The IDN languages the name's label fits, and its canonical forms when it is valid. */
function analyseDomain(name) {
  const label = name.split(".")[0];
  const aLabel = /^xn--/i.test(label);
  if (!core) {
    const idn = !isAscii(name) || aLabel;
    return {
      idn,
      languages: idn ? Object.keys(LANGUAGES) : [],
      forms: name ? { ascii: browserAscii(name), unicode: name } : null,
      valid: null,
    };
  }
  let languages = [];
  if (!isAscii(label)) {
    // Upper case is folded by the core (with a suggestion); the tables hold lower case.
    languages = core.fittingLanguages(label.normalize("NFC").toLowerCase()) || [];
  } else if (aLabel) {
    // An A-label: the languages are those whose table accepts the decoded name.
    languages = Object.keys(LANGUAGES).filter((l) => core.validateDomain(name, l).ok);
  }
  const idn = languages.length > 0 || !isAscii(label) || aLabel;
  const chosen = radioValue("idn_language");
  const lang = idn ? (languages.includes(chosen) ? chosen : languages[0] || chosen) : "";
  const res = core.validateDomain(name, lang);
  return { idn, languages, forms: res.ok ? { ascii: res.ascii, unicode: res.unicode } : null, valid: res.ok };
}

let lastDomain = null;

function updateDomainStatus() {
  const name = domainValue();
  if (name === lastDomain) return;
  lastDomain = name;
  const a = name ? analyseDomain(name) : { idn: false, languages: [], forms: null, valid: false };
  domainForms = a.forms;
  showLanguages(a.idn, a.languages);
  if (a.forms?.ascii && a.forms.ascii !== name.toLowerCase()) {
    alabelOut.innerHTML = `${a.idn ? "A-label" : "Registered as"}: <code>${esc(a.forms.ascii)}</code>`;
    alabelOut.hidden = false;
  } else if (a.forms?.unicode && a.forms.unicode !== name) {
    alabelOut.innerHTML = `Shown as: <code>${esc(a.forms.unicode)}</code>`;
    alabelOut.hidden = false;
  } else {
    alabelOut.hidden = true;
  }
  scheduleAvailability(a.valid === false ? "" : a.forms?.ascii || "", name);
}

function showLanguages(idn, languages) {
  idnGroup.hidden = !idn;
  if (!idn) return;
  for (const choice of idnGroup.querySelectorAll(".choice")) {
    const lang = choice.dataset.lang;
    choice.hidden = lang === "" || !languages.includes(lang);
  }
  const current = radioValue("idn_language");
  if (!languages.includes(current)) {
    // Pre-select only an unambiguous choice: the single table that fits, or the reader's language.
    const mine = (navigator.languages || []).map((l) => l.slice(0, 2).toUpperCase());
    const pick = languages.length === 1 ? languages[0] : languages.find((l) => mine.includes(l));
    const none = form.querySelector("#idn_none");
    if (pick) form.querySelector(`#idn_${pick}`).checked = true;
    else if (none) none.checked = false;
    const all = form.querySelectorAll('input[name="idn_language"]');
    if (!pick)
      all.forEach((r) => {
        r.checked = false;
      });
  }
  const hint = document.getElementById("idn-hint");
  hint.textContent =
    languages.length > 1
      ? `Your name fits ${languages.length} language tables: ${languages.map((l) => LANGUAGES[l]).join(", ")}. Choose the language of the name.`
      : languages.length === 1
        ? `Your name fits the ${LANGUAGES[languages[0]]} table.`
        : "No language table accepts all letters of this name.";
}

const availabilityCache = new Map();
let availabilityTimer = 0;
let availabilityAbort = null;

function setAvailability(kind, html) {
  availabilityOut.className = `availability ${kind ? `is-${kind}` : ""}`;
  availabilityOut.innerHTML = html;
  availabilityOut.hidden = !html;
}

/** Asks the server (debounced) whether `query` is free; '' clears the line. */
function scheduleAvailability(query, shown) {
  clearTimeout(availabilityTimer);
  if (availabilityAbort) availabilityAbort.abort();
  if (!query || !/\./.test(query)) {
    setAvailability("", "");
    return;
  }
  if (availabilityCache.has(query)) {
    showAvailability(availabilityCache.get(query), shown);
    return;
  }
  setAvailability("checking", "Checking availability…");
  availabilityTimer = setTimeout(async () => {
    availabilityAbort = new AbortController();
    try {
      const r = await api(`/api/v1/availability?domain=${encodeURIComponent(query)}`, {
        signal: availabilityAbort.signal,
      });
      if (r.status === 200 || (r.status !== 429 && r.body && Array.isArray(r.body.errors)))
        availabilityCache.set(query, r);
      if (domainValue() === shown) showAvailability(r, shown);
    } catch (err) {
      if (err.name !== "AbortError")
        setAvailability("", "Could not check availability right now; it will be checked when you submit.");
    }
  }, AVAILABILITY_DELAY_MS);
}

function showAvailability(r, shown) {
  const b = r.body || {};
  const display = domainForms?.unicode || b.domain?.unicode || shown;
  if (b.available === true) setAvailability("available", `✓ <span>${esc(display)} is available.</span>`);
  else if (b.reserved === true) {
    setAvailability("taken", `✗ <span>${esc(b.reason || `${display} is reserved by the registry.`)}</span>`);
    // The one way to register it: the token staff issued.
    document.getElementById("allocation").open = true;
  } else if (r.status === 429) setAvailability("", esc(problemsOf(r.body, r.status)[0].message));
  else if (b.available === false)
    setAvailability("taken", `✗ <span>${esc(display)} is not available${b.reason ? `: ${esc(b.reason)}` : "."}</span>`);
  else if (Array.isArray(b.errors) && b.errors.length)
    setAvailability("taken", `✗ <span>${esc(b.errors[0].message)}</span>`);
  else setAvailability("", "Could not check availability right now; it will be checked when you submit.");
}

// ---------------------------------------------------------------- contacts, nameservers, criteria

function syncSameAsOwner() {
  for (const role of ROLES.slice(1)) {
    const box = form.elements[`${role}_same`];
    document.getElementById(`${role}-fields`).hidden = box.checked;
  }
}

/** Shows a nameserver's glue field only when the host lies inside the domain being registered. */
function updateGlue() {
  const names = new Set();
  const d = domainValue().toLowerCase().replace(/\.$/, "");
  if (d) names.add(d);
  if (domainForms) {
    names.add(domainForms.ascii.toLowerCase());
    names.add(domainForms.unicode.toLowerCase());
  }
  for (const row of nameserverRows()) {
    const host = row.querySelector(".ns-host input").value.trim().toLowerCase().replace(/\.$/, "");
    const inside = [...names].some((n) => n && (host === n || host.endsWith(`.${n}`)));
    row.querySelector(".ns-glue").hidden = !inside;
  }
}

/** Renumbers the nameserver rows: names, ids, labels and error paths follow the position. */
function renumberNameservers() {
  const rows = nameserverRows();
  rows.forEach((row, i) => {
    const n = i + 1;
    const host = row.querySelector(".ns-host input");
    const addr = row.querySelector(".ns-glue input");
    host.name = host.id = `ns${n}_host`;
    host.dataset.field = `nameservers[${i}].host`;
    host.placeholder = `ns${n}.example.net`;
    host.required = n <= MIN_NS;
    addr.name = addr.id = `ns${n}_addresses`;
    addr.dataset.field = `nameservers[${i}].addresses`;
    for (const input of [host, addr]) {
      // Error boxes are keyed by path and are redrawn below; forget the old references.
      const keep = (input.getAttribute("aria-describedby") || "").split(" ").filter((x) => x && !x.startsWith("err-"));
      if (keep.length) input.setAttribute("aria-describedby", keep.join(" "));
      else input.removeAttribute("aria-describedby");
      input.removeAttribute("aria-invalid");
    }
    const [hl, al] = row.querySelectorAll("label");
    hl.htmlFor = host.id;
    hl.innerHTML = `Nameserver ${n}${n <= MIN_NS ? ' <span class="req" aria-hidden="true">*</span>' : ""}`;
    al.htmlFor = addr.id;
    al.innerHTML = `IP addresses of nameserver ${n} <span class="opt">(needed: the host is inside your domain; separate with commas)</span>`;
    const remove = row.querySelector(".ns-remove");
    remove.hidden = rows.length <= MIN_NS;
    remove.setAttribute("aria-label", `Remove nameserver ${n}`);
  });
  nsAdd.hidden = false;
  nsAdd.disabled = rows.length >= MAX_NS;
  for (const e of nsRows.querySelectorAll(".field-errors")) e.remove();
}

function addNameserver() {
  const rows = nameserverRows();
  if (rows.length >= MAX_NS) return;
  const row = rows[rows.length - 1].cloneNode(true);
  row.querySelectorAll("input").forEach((i) => {
    i.value = "";
    i.removeAttribute("aria-invalid");
    i.removeAttribute("aria-describedby");
  });
  for (const e of row.querySelectorAll(".field-errors")) e.remove();
  nsRows.appendChild(row);
  renumberNameservers();
  refresh();
  row.querySelector(".ns-host input").focus();
}

function removeNameserver(row) {
  if (nameserverRows().length <= MIN_NS) return;
  const next = row.nextElementSibling || row.previousElementSibling;
  row.remove();
  // Paths of later rows shift, so touched marks and server errors for rows are reset.
  for (const t of [...touched]) if (t.startsWith("nameservers[")) touched.delete(t);
  serverProblems = serverProblems.filter((p) => !p.field.startsWith("nameservers"));
  renumberNameservers();
  refresh();
  (next ? next.querySelector(".ns-host input") : nsAdd).focus();
}

function setupNameservers() {
  // Without JavaScript the page offers 4 rows; here rows come and go, starting from 2.
  for (const row of nameserverRows().slice(MIN_NS)) {
    if ([...row.querySelectorAll("input")].every((i) => !i.value.trim())) row.remove();
  }
  renumberNameservers();
  nsAdd.addEventListener("click", addNameserver);
  nsRows.addEventListener("click", (e) => {
    const b = e.target.closest(".ns-remove");
    if (b) removeNameserver(b.closest(".ns-row"));
  });
}

/** Uses the wasm's list of criteria when it differs from the one written into the page. */
function syncCriteria() {
  let list;
  try {
    list = core.eligibilityCriteria();
  } catch {
    return;
  }
  if (!Array.isArray(list) || !list.length) return;
  const box = document.getElementById("criteria");
  const current = radioValue("criterion");
  const have = [...box.querySelectorAll("input")]
    .map((i) => `${i.value}\u0000${i.nextElementSibling.textContent}`)
    .join("\u0001");
  const want = list.map((c) => `${c.code}\u0000${c.text}`).join("\u0001");
  if (have === want) return;
  box.innerHTML = list
    .map((c, i) => {
      const id = `criterion_${String(c.code).replace(/[^a-zA-Z0-9_-]/g, "_")}`;
      return `<div class="choice"><input type="radio" id="${esc(id)}" name="criterion" value="${esc(c.code)}"${i === 0 ? " required" : ""}${c.code === current ? " checked" : ""}><label for="${esc(id)}">${esc(c.text)}</label></div>`;
    })
    .join("");
}

// ---------------------------------------------------------------- submitting

function showProblems(problems, title) {
  showAll = true;
  renderInline(problems);
  renderSummary(summary, form, problems, title);
  summary.focus();
}

async function submit(event) {
  event.preventDefault();
  if (submitBtn.disabled) return;
  showAll = true;
  const problems = refresh();
  if (problems.length) {
    showProblems(problems);
    return;
  }
  summary.hidden = true;
  const order = buildOrder();
  const body = JSON.stringify(order);
  if (!pending || pending.body !== body) pending = { body, key: uuid() };
  submitBtn.disabled = true;
  submitBtn.setAttribute("aria-busy", "true");
  submitStatus.textContent = "Sending your order…";
  try {
    const r = await api("/api/v1/orders", { method: "POST", body, headers: { "Idempotency-Key": pending.key } });
    if (r.status >= 200 && r.status < 300 && r.body?.status_url) {
      submitStatus.textContent = "Order received. Opening its status page…";
      window.location.assign(r.body.status_url);
      return;
    }
    serverProblems = problemsOf(r.body, r.status);
    submitStatus.textContent = "";
    showProblems(refresh(), r.status >= 500 ? "The order was not sent" : undefined);
  } catch {
    submitStatus.textContent = "";
    renderSummary(
      summary,
      form,
      [
        {
          field: "",
          message:
            "Could not reach the server. Check your connection and press “Register domain” again; your entries are kept and the order will not be placed twice.",
        },
      ],
      "The order was not sent",
    );
    summary.focus();
  } finally {
    submitBtn.disabled = false;
    submitBtn.removeAttribute("aria-busy");
  }
}

// ---------------------------------------------------------------- wiring

function onEdit(event) {
  const el = event.target;
  if (!(el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement)) return;
  dropServerProblems(el);
  // The domain is checked as it is typed; other fields once left or once they show an error.
  if (el === domainInput || el.type === "checkbox" || el.type === "radio" || el.tagName === "SELECT") touch(el);
  if (el.name?.endsWith("_same")) syncSameAsOwner();
  refresh();
}

// Errors that appear when a field is left move the content below it. When the field is left
// by pressing a button, the redraw waits until the press is over, so that the click still lands.
let pointerDown = false;
let redrawAfterPointer = false;

function onLeave(event) {
  const el = event.target;
  if (!(el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement)) return;
  touch(el);
  if (pointerDown) redrawAfterPointer = true;
  else refresh();
}

function trackPointer() {
  document.addEventListener(
    "pointerdown",
    () => {
      pointerDown = true;
    },
    true,
  );
  const release = () => {
    pointerDown = false;
    if (redrawAfterPointer) {
      redrawAfterPointer = false;
      setTimeout(refresh, 0);
    }
  };
  document.addEventListener("pointerup", release, true);
  document.addEventListener("pointercancel", release, true);
}

async function start() {
  document.documentElement.classList.add("js");
  form.noValidate = true; // our messages replace the browser's
  syncSameAsOwner();
  setupNameservers();
  idnGroup.hidden = true;
  form.addEventListener("input", onEdit);
  form.addEventListener("change", onEdit);
  form.addEventListener("focusout", onLeave);
  form.addEventListener("submit", submit);
  trackPointer();

  core = await loadCore();
  if (core) {
    syncCriteria();
  } else {
    notice.innerHTML =
      "<p>Instant checks are not available in this browser right now. You can still fill in the form: everything is checked when you submit.</p>";
    notice.className = "notice notice-warn";
    notice.hidden = false;
  }
  lastDomain = null;
  refresh();
  document.documentElement.dataset.core = core ? "wasm" : "fallback";
}

// For the browser tests: readiness and validate_order timings.
window.coopreg = { timings, ready: start(), order: buildOrder, problems: () => lastProblems };
