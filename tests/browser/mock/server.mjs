// A STAND-IN for the coopreg worker, only for trying the pages and their browser tests before
// the real worker exists: serves web-ui/static like the worker's assets, a fake wasm core
// (mock/coopreg_web_ui.js; MOCK_NO_WASM=1 leaves it out) and an in-memory version of the API.
//   node tests/browser/mock/server.mjs [port]      then COOPREG_URL=http://127.0.0.1:<port>
//   MOCK_PKG_DIR=<dir of a wasm-bindgen --target web build> uses that real core instead.
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import { randomUUID, randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
// MOCK_PKG_DIR=<wasm-bindgen --target web output>: use that real core, in the pages and here.
const PKG = process.env.MOCK_PKG_DIR ? path.resolve(process.env.MOCK_PKG_DIR) : here;
const core = await import(pathToFileURL(path.join(PKG, 'coopreg_web_ui.js')).href);
if (process.env.MOCK_PKG_DIR) await core.default({ module_or_path: await readFile(path.join(PKG, 'coopreg_web_ui_bg.wasm')) });
const STATIC = path.resolve(here, '../../../web-ui/static');
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.wasm': 'application/wasm', '.png': 'image/png' };
const orders = new Map();
const byName = new Set(['taken.coop']);
const tokens = new Map();
const idem = new Map();
const outbox = [];
const now = () => new Date().toISOString();

function send(res, status, body, type = 'application/json') {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
  res.end(typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body));
}
const readBody = (req) => new Promise((ok) => { let b = ''; req.on('data', (c) => { b += c; }); req.on('end', () => ok(b)); });
const mask = (e) => e.replace(/^(.)[^@]*/, '$1***');
function page(title, body) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title><link rel="stylesheet" href="/style.css"></head><body><header class="site"><div class="wrap"><a class="brand" href="/"><span class="logo" aria-hidden="true">.coop</span> registration</a></div></header><main class="wrap"><h1>${title}</h1>${body}</main></body></html>`;
}
function mail(to, subject, links) { outbox.unshift({ id: randomUUID(), to, subject, links, raw: `To: ${to}\nSubject: ${subject}\n\n${links.join('\n')}` }); }
function move(o, to, reason, actor) { o.history.push({ at: now(), actor, from: o.status, to, reason }); o.status = to; }

async function handle(req, res) {
  const url = new URL(req.url, `http://${req.headers.host}`);
  const origin = `http://${req.headers.host}`;
  const p = url.pathname;
  let m;
  if (p === '/api/v1/availability') {
    const d = url.searchParams.get('domain') || '';
    const r = JSON.parse(core.validate_domain(d, core.fitting_languages(d.split('.')[0]) === '[]' ? '' : JSON.parse(core.fitting_languages(d.split('.')[0]))[0]));
    if (!r.ok) return send(res, 422, { errors: r.errors });
    const taken = byName.has(r.ascii);
    return send(res, 200, { domain: { ascii: r.ascii, unicode: r.unicode }, available: !taken, reason: taken ? 'already registered' : '' });
  }
  if (p === '/api/v1/orders' && req.method === 'POST') {
    const body = await readBody(req);
    const key = req.headers['idempotency-key'];
    if (key && idem.has(key)) return send(res, 201, idem.get(key));
    let order;
    try { order = JSON.parse(body); } catch { return send(res, 422, { errors: [{ code: 'malformed_input', field: '', message: 'Not JSON.' }] }); }
    const v = JSON.parse(core.validate_order(body));
    if (!v.ok) return send(res, 422, { errors: v.errors });
    const d = JSON.parse(core.validate_domain(order.domain, order.idn_language || ''));
    if (byName.has(d.ascii)) return send(res, 409, { errors: [{ code: 'name_taken', field: 'domain', message: `${d.unicode} is already registered.` }] });
    byName.add(d.ascii);
    const id = randomBytes(8).toString('hex');
    const token = randomBytes(16).toString('hex');
    const email = order.contacts.owner.email;
    const o = { order_id: id, domain: { ascii: d.ascii, unicode: d.unicode }, status: 'PROCESSING', hold_reason: null, email,
      verification: { state: 'pending', email_masked: mask(email), sent_at: now(), expires_at: new Date(Date.now() + 15 * 864e5).toISOString() },
      period: order.period, created_at: now(), expires_at: new Date(Date.now() + order.period * 365 * 864e5).toISOString(),
      history: [{ at: now(), actor: 'registrant', from: '', to: 'PROCESSING', reason: 'order received' }],
      next_step: `Open the verification link we sent to ${mask(email)} and confirm.` };
    orders.set(id, o); tokens.set(token, id);
    mail(email, `Confirm your .coop registration of ${d.unicode}`, [`${origin}/verify/${token}`, `${origin}/orders/${id}`]);
    const out = { order_id: id, status_url: `/orders/${id}` };
    if (key) idem.set(key, out);
    return send(res, 201, out);
  }
  if ((m = p.match(/^\/api\/v1\/orders\/([^/]+)$/))) {
    const o = orders.get(m[1]);
    if (!o) return send(res, 404, { errors: [{ code: 'not_found', field: '', message: 'No such order.' }] });
    const { email, ...pub } = o; return send(res, 200, pub);
  }
  if ((m = p.match(/^\/api\/v1\/orders\/([^/]+)\/resend$/)) && req.method === 'POST') {
    const o = orders.get(m[1]);
    if (!o) return send(res, 404, { errors: [{ code: 'not_found', field: '', message: 'No such order.' }] });
    for (const [t, id] of tokens) if (id === o.order_id) tokens.delete(t);
    const token = randomBytes(16).toString('hex');
    tokens.set(token, o.order_id);
    o.verification.sent_at = now();
    mail(o.email, `New link: confirm your .coop registration of ${o.domain.unicode}`, [`${origin}/verify/${token}`, `${origin}/orders/${o.order_id}`]);
    return send(res, 202, { sent: true });
  }
  if (p === '/dev/outbox.json') return send(res, 200, outbox);
  if ((m = p.match(/^\/verify\/([0-9a-f]+)$/))) {
    const o = orders.get(tokens.get(m[1]));
    if (!o) return send(res, 410, page('Link not valid', '<div class="notice notice-warn"><p>This link is unknown or was used.</p></div>'), TYPES['.html']);
    if (req.method === 'POST') {
      const action = new URLSearchParams(await readBody(req)).get('action');
      tokens.delete(m[1]);
      if (action === 'confirm') { o.verification.state = 'verified'; o.next_step = 'Nothing: the domain is active.'; move(o, 'ACTIVE', 'registrant confirmed', 'registrant'); }
      else { o.verification.state = 'rejected'; o.hold_reason = 'declined'; o.next_step = 'Contact the registry if this was a mistake.'; move(o, 'HELD', 'registrant declined', 'registrant'); }
      return send(res, 200, page(action === 'confirm' ? 'Thank you' : 'Registration declined', `<div class="card"><p>Status: <span class="status ${o.status === 'ACTIVE' ? 'status-ok' : 'status-held'}">${o.status}</span></p><p><a class="btn btn-primary" href="/orders/${o.order_id}">See the order</a></p></div>`), TYPES['.html']);
    }
    return send(res, 200, page('Confirm your .coop registration', `<div class="card"><h2>${o.domain.unicode}</h2><p>Do you confirm this registration?</p><form method="post" class="actions"><button class="btn btn-primary" name="action" value="confirm">Confirm</button><button class="btn btn-danger" name="action" value="decline">Decline</button></form></div>`), TYPES['.html']);
  }
  // Static assets, as the worker serves them.
  let file = p === '/' ? '/index.html' : p;
  if (/^\/orders\/[^/]+\/?$/.test(p)) file = '/order.html';
  let full = path.join(STATIC, path.normalize(file));
  if (file.startsWith('/pkg/')) {
    if (process.env.MOCK_NO_WASM) return send(res, 404, 'not found', 'text/plain');
    full = path.join(PKG, path.basename(file));
  }
  if (!full.startsWith(STATIC) && !full.startsWith(PKG)) return send(res, 404, 'not found', 'text/plain');
  try { return send(res, 200, await readFile(full), TYPES[path.extname(full)] || 'application/octet-stream'); } catch { return send(res, 404, 'not found', 'text/plain'); }
}

const port = Number(process.argv[2] || 8788);
http.createServer((req, res) => handle(req, res).catch((e) => send(res, 500, { errors: [{ code: 'internal', field: '', message: String(e) }] }))).listen(port, '127.0.0.1', () => console.log(`mock coopreg on http://127.0.0.1:${port}`));
