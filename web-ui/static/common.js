// Shared helpers of the coopreg pages: loading the wasm core, talking to the JSON API,
// placing errors on fields, formatting dates.

/** The IDN language tags of .coop (seed 000) and their names. */
export const LANGUAGES = {
  CYRL: "Cyrillic",
  FR: "French",
  DE: "German",
  IT: "Italian",
  PT: "Portuguese",
  ES: "Spanish",
};

/**
 * Loads the shared core compiled to wasm. Resolves to an object with parsed-JSON wrappers
 * of its exports, or to null when it cannot be loaded (the pages then rely on the server).
 */
export async function loadCore() {
  try {
    const mod = await import("/pkg/coopreg_web_ui.js");
    await mod.default();
    return {
      validateOrder: (order) => JSON.parse(mod.validate_order(JSON.stringify(order))),
      validateDomain: (input, language) => JSON.parse(mod.validate_domain(input, language || "")),
      fittingLanguages: (label) => JSON.parse(mod.fitting_languages(label)),
      eligibilityCriteria: () => JSON.parse(mod.eligibility_criteria()),
      // The raw call, so that timing measures exactly the wasm work.
      rawValidateOrder: mod.validate_order,
    };
  } catch (err) {
    console.warn("coopreg: validation core not loaded; the server will check the form", err);
    return null;
  }
}

/** A random UUID, also outside secure contexts. */
export function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * Calls the JSON API. Resolves to {status, body} (body null when not JSON); rejects only on
 * network failure or abort.
 */
export async function api(path, { method = "GET", body, headers = {}, signal } = {}) {
  const init = { method, headers: { Accept: "application/json", ...headers }, signal, credentials: "same-origin" };
  if (body !== undefined) {
    init.body = typeof body === "string" ? body : JSON.stringify(body);
    init.headers["Content-Type"] = "application/json";
  }
  const res = await fetch(path, init);
  let data = null;
  try {
    data = await res.json();
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: data };
}

/** A problem list from an API answer, or a single generic one. */
export function problemsOf(body, status) {
  if (body && Array.isArray(body.errors) && body.errors.length) return body.errors;
  return [
    {
      code: "internal",
      field: "",
      message: `The server could not complete this (HTTP ${status}). Nothing was changed; please try again.`,
    },
  ];
}

/** Escapes text for HTML. */
export function esc(s) {
  return String(s ?? "").replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c],
  );
}

/** "26 Nov 2026, 14:05" in the reader's locale and time zone; '' for a missing date. */
export function formatDate(iso, withTime = true) {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  const opts = withTime ? { dateStyle: "medium", timeStyle: "short" } : { dateStyle: "long" };
  return new Intl.DateTimeFormat(undefined, opts).format(d);
}

/** A <time> element as HTML. */
export function timeHtml(iso, withTime = true) {
  return `<time datetime="${esc(iso)}">${esc(formatDate(iso, withTime))}</time>`;
}

/**
 * The element an error path belongs to: the one whose data-field equals the path, else the
 * nearest ancestor path (`nameservers[1].addresses[0]` → `nameservers[1].addresses`).
 * Null when nothing matches: the error then goes to the summary only.
 */
export function fieldFor(root, path) {
  let p = path || "";
  while (p) {
    // A whole list or object is shown at its first part: `street` → `street[0]`, `nameservers[1]` → its host.
    for (const candidate of [p, `${p}[0]`, `${p}.host`]) {
      const el = root.querySelector(`[data-field="${CSS.escape(candidate)}"]`);
      if (el && !el.closest("[hidden]")) return el;
    }
    const cut = Math.max(p.lastIndexOf("."), p.lastIndexOf("["));
    p = cut > 0 ? p.slice(0, cut) : "";
  }
  return null;
}

/** The element a field's error message is shown after, and whether it goes inside. */
function errorAnchor(el) {
  if (el.tagName === "FIELDSET") return { parent: el, before: null };
  const check = el.closest(".check");
  if (check) return { parent: check.parentNode, before: check.nextSibling };
  // Right under the control, before any hint or status line that follows it.
  return { parent: el.parentNode, before: el.nextSibling };
}

function errorId(el) {
  return `err-${(el.dataset.field || el.id).replace(/[^a-zA-Z0-9_-]/g, "_")}`;
}

/** The form controls an error on `el` describes: the input itself, or a group's radios. */
function controlsOf(el) {
  return el.tagName === "FIELDSET" ? [...el.querySelectorAll("input")] : [el];
}

/**
 * Shows `messages` ([{message, suggestion}]) under the field `el`, or clears them when empty.
 * Sets aria-invalid and aria-describedby so screen readers announce the error with the field.
 * `onSuggest(el, value)` is called when the registrant takes a suggestion.
 */
export function setFieldError(el, messages, onSuggest) {
  const id = errorId(el);
  let box = document.getElementById(id);
  const controls = controlsOf(el);
  const describedTarget = el;
  if (!messages.length) {
    if (box) box.remove();
    for (const c of controls) c.removeAttribute("aria-invalid");
    const ids = (describedTarget.getAttribute("aria-describedby") || "").split(" ").filter((x) => x && x !== id);
    if (ids.length) describedTarget.setAttribute("aria-describedby", ids.join(" "));
    else describedTarget.removeAttribute("aria-describedby");
    return;
  }
  if (!box) {
    box = document.createElement("div");
    box.id = id;
    box.className = "field-errors";
    const { parent, before } = errorAnchor(el);
    parent.insertBefore(box, before);
  }
  const label = labelOf(el);
  const html = messages
    .map((m, i) => {
      const take =
        m.suggestion && onSuggest && el.tagName === "INPUT" && el.type !== "checkbox"
          ? ` <button type="button" class="btn btn-quiet" data-suggest="${i}">Use “${esc(m.suggestion)}”</button>`
          : "";
      const text = PREDICATE.test(String(m.message).trim()) ? sentence(label, m.message) : sentence("", m.message);
      return `<p class="error">${esc(text)}${take}</p>`;
    })
    .join("");
  if (box.innerHTML !== html) {
    box.innerHTML = html;
    box.querySelectorAll("[data-suggest]").forEach((b) => {
      b.addEventListener("click", () => onSuggest(el, messages[Number(b.dataset.suggest)].suggestion));
    });
  }
  for (const c of controls) c.setAttribute("aria-invalid", "true");
  const ids = (describedTarget.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
  if (!ids.includes(id)) describedTarget.setAttribute("aria-describedby", [...ids, id].join(" "));
}

/** The id of a focusable control for a field element (for summary links). */
export function focusIdOf(el) {
  if (!el) return "";
  if (el.tagName !== "FIELDSET") return el.id;
  const input = el.querySelector("input:checked") || el.querySelector("input:not([hidden])");
  return input ? input.id : el.id;
}

/** A short name of a field for messages ("Nameserver 2", "Administrative contact: E-mail"). */
export function labelOf(el) {
  if (!el) return "";
  if (el.dataset.label) return el.dataset.label;
  const labelEl =
    el.tagName === "FIELDSET"
      ? el.querySelector("legend")
      : document.querySelector(`label[for="${CSS.escape(el.id)}"]`);
  if (!labelEl) return "";
  const copy = labelEl.cloneNode(true);
  for (const x of copy.querySelectorAll(".req, .opt")) x.remove();
  let text = copy.textContent.replace(/\s+/g, " ").trim();
  if (text.length > 40) return "";
  const contact = el.closest(".contact-fields[id]");
  if (contact) text = `${contact.querySelector("legend").textContent.trim()}: ${text}`;
  return text;
}

// The core's messages may be predicates to follow the field's name ("is required: …").
const PREDICATE = /^(is|are|must|has|have|contains|uses|may|cannot|can|needs|was|does|should)\b/;

/** A message as a sentence: predicates get the field's name, others a capital letter. */
export function sentence(label, message) {
  const m = String(message || "").trim();
  if (PREDICATE.test(m)) return `${label || "This field"} ${m}`;
  const capital = m.charAt(0).toUpperCase() + m.slice(1);
  return label ? `${label}: ${capital}` : capital;
}

/**
 * Renders the error summary: a heading and one link per problem (to its field, when it has
 * one). Hides the box when the list is empty.
 */
export function renderSummary(box, root, problems, title) {
  if (!problems.length) {
    box.hidden = true;
    box.innerHTML = "";
    return;
  }
  const n = problems.length;
  // In the order of the fields on the page; problems without a field last.
  const placed = problems.map((p) => ({ p, target: fieldFor(root, p.field) }));
  placed.sort((a, b) => {
    if (!a.target || !b.target) return (a.target ? 0 : 1) - (b.target ? 0 : 1);
    if (a.target === b.target) return 0;
    return a.target.compareDocumentPosition(b.target) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
  });
  const items = placed
    .map(({ p, target }) => {
      const id = focusIdOf(target);
      const text = sentence(labelOf(target), p.message);
      return id ? `<li><a href="#${esc(id)}" data-focus="${esc(id)}">${esc(text)}</a></li>` : `<li>${esc(text)}</li>`;
    })
    .join("");
  box.innerHTML = `<h2>${esc(title || (n === 1 ? "There is 1 problem to fix" : `There are ${n} problems to fix`))}</h2><ul>${items}</ul>`;
  box.hidden = false;
  for (const a of box.querySelectorAll("a[data-focus]")) {
    a.addEventListener("click", (e) => {
      const el = document.getElementById(a.dataset.focus);
      if (!el) return;
      e.preventDefault();
      el.focus();
      el.scrollIntoView({ block: "center" });
    });
  }
}
