// The order status page: shows GET /api/v1/orders/<id>, refreshes every 5 s while the order
// is PROCESSING (paused while the tab is hidden), and offers a new link (verification, or the
// approval request of an already verified registrant) while one is awaited or after it timed
// out.
import { api, problemsOf, esc, formatDate, timeHtml, renderSummary } from '/common.js';

const REFRESH_MS = 5000;

/** Each status: its class and a sentence for people (the status word itself is always shown). */
const STATUS = {
  PROCESSING: ['status-wait', 'The registration is being processed.'],
  ACTIVE: ['status-ok', 'The domain is registered and active.'],
  HELD: ['status-held', 'The domain is registered but on hold: it does not resolve.'],
  'PENDING TRANSFER': ['status-wait', 'The domain is being transferred to another registrar.'],
  REDEMPTION: ['status-gone', 'The domain was deleted and can still be restored by the registrar.'],
  'PENDING DELETE': ['status-gone', 'The domain is being deleted.'],
  DELETED: ['status-gone', 'The domain has been deleted.'],
};

const HOLD_REASON = {
  declined: 'The registrant declined the registration in the verification e-mail.',
  timeout: 'The link we e-mailed (verification or approval) was not used in time.',
  rejected: 'The registry did not accept the registrant as eligible.',
  staff: 'Registry staff placed the domain on hold.',
};

const out = document.getElementById('order');
const problemBox = document.getElementById('problem');
const orderId = readOrderId();
let timer = 0;
let last = null;
let lastJson = '';

function readOrderId() {
  const m = window.location.pathname.match(/\/orders\/([^/]+)\/?$/);
  if (m) return decodeURIComponent(m[1]);
  return new URLSearchParams(window.location.search).get('id') || '';
}

function approvalHtml(o) {
  const a = o.approval;
  if (!a) return '';
  const to = a.email_masked ? `<strong>${esc(a.email_masked)}</strong>` : 'the registrant';
  if (a.state === 'expired') {
    return `<p>The approval request sent to ${to} on ${timeHtml(a.sent_at)} expired on ${timeHtml(a.expires_at)}. Ask for a new one below.</p>`;
  }
  return `<p>The registrant is already verified for .coop, so the registration waits for its approval: a request was sent to ${to} on ${timeHtml(a.sent_at)}; it expires on ${timeHtml(a.expires_at)}. Open it and choose <em>Approve</em>.</p>`;
}

function verificationHtml(o) {
  if (o.approval) return approvalHtml(o);
  const v = o.verification || {};
  const to = v.email_masked ? `<strong>${esc(v.email_masked)}</strong>` : 'the registrant';
  switch (v.state) {
    case 'pending': {
      const sent = v.sent_at ? ` on ${timeHtml(v.sent_at)}` : '';
      if (v.expires_at && new Date(v.expires_at).getTime() <= Date.now()) {
        return `<p>The verification link sent to ${to}${sent} expired on ${timeHtml(v.expires_at)}. Ask for a new one below.</p>`;
      }
      const until = v.expires_at ? `; it expires on ${timeHtml(v.expires_at)}` : '';
      return `<p>Verification link sent to ${to}${sent}${until}. Open it and choose <em>Confirm</em> to finish the registration.</p>`;
    }
    case 'verified': return `<p>The registrant (${to}) is verified.</p>`;
    case 'rejected': return `<p>The registrant (${to}) is not verified: the registration was declined or rejected.</p>`;
    case 'unverified': return `<p>The registrant (${to}) has not been verified yet.</p>`;
    default: return '';
  }
}

function canResend(o) {
  const v = o.verification || {};
  return (o.status === 'HELD' && o.hold_reason === 'timeout')
    || (o.status === 'PROCESSING' && (v.state === 'pending' || Boolean(o.approval)));
}

function historyHtml(history) {
  if (!Array.isArray(history) || !history.length) return '<p class="muted">No events yet.</p>';
  return `<ol class="timeline">${history.map((h) => {
    const change = h.from && h.to && h.from !== h.to ? `${esc(h.from)} → <strong>${esc(h.to)}</strong>` : `<strong>${esc(h.to || h.from || '')}</strong>`;
    const reason = h.reason ? ` — ${esc(h.reason)}` : '';
    const actor = h.actor ? ` <span class="muted small">(${esc(h.actor)})</span>` : '';
    return `<li>${timeHtml(h.at)}${change}${reason}${actor}</li>`;
  }).join('')}</ol>`;
}

function render(o) {
  const [cls, sentence] = STATUS[o.status] || ['status-gone', ''];
  const d = o.domain || {};
  const unicode = d.unicode || d.ascii || '';
  const alabel = d.ascii && d.ascii !== unicode ? `<p class="muted">A-label: <code>${esc(d.ascii)}</code></p>` : '';
  const hold = o.status === 'HELD' && o.hold_reason ? `<p>${esc(HOLD_REASON[o.hold_reason] || `Reason: ${o.hold_reason}`)}</p>` : '';
  const resendPrimary = o.status === 'HELD';
  const resend = canResend(o)
    ? `<div class="actions"><button type="button" id="resend" class="btn ${resendPrimary ? 'btn-primary' : 'btn-secondary'}">${resendPrimary ? 'Send me a new link' : 'Didn’t get it? Send me a new link'}</button></div><p id="resend-status" class="small" role="status"></p>`
    : '';
  const auto = o.status === 'PROCESSING' ? '<p class="small muted">This page updates by itself every few seconds.</p>' : '';
  const url = window.location.href.split('#')[0];
  out.innerHTML = `
  <section class="card" aria-labelledby="h-domain">
    <h2 id="h-domain" class="domain-title">${esc(unicode)}</h2>
    ${alabel}
    <p><span class="visually-hidden">Status: </span><span class="status status-big ${cls}" id="status">${esc(o.status)}</span></p>
    <p>${esc(sentence)}</p>
    ${hold}
  </section>
  <section class="card" aria-labelledby="h-next">
    <h2 id="h-next">What happens next</h2>
    ${o.next_step ? `<p>${esc(o.next_step)}</p>` : ''}
    ${verificationHtml(o)}
    ${o.delete_at ? `<p class="notice notice-warn">Unless it is confirmed, this registration is deleted on ${timeHtml(o.delete_at)} and the name becomes free for others.</p>` : ''}
    ${resend}
    ${auto}
  </section>
  <section class="card" aria-labelledby="h-facts">
    <h2 id="h-facts">Order details</h2>
    <dl class="facts">
      <dt>Order number</dt><dd><code>${esc(o.order_id)}</code></dd>
      <dt>Period</dt><dd>${esc(o.period)} ${o.period === 1 ? 'year' : 'years'}</dd>
      <dt>Ordered</dt><dd>${timeHtml(o.created_at)}</dd>
      ${o.expires_at ? `<dt>Expires</dt><dd>${timeHtml(o.expires_at, false)}</dd>` : ''}
    </dl>
  </section>
  <section class="card" aria-labelledby="h-history">
    <h2 id="h-history">History</h2>
    ${historyHtml(o.history)}
  </section>
  <section class="notice notice-info" aria-labelledby="h-keep">
    <h2 id="h-keep" class="visually-hidden">Keep this page</h2>
    <p><strong>Bookmark this page</strong> to check the order later (Ctrl+D or ⌘+D). Its address:</p>
    <p class="copy-row"><code id="page-url">${esc(url)}</code> <button type="button" class="btn btn-secondary" id="copy">Copy link</button> <span id="copy-status" class="small" role="status"></span></p>
  </section>
  <p class="visually-hidden" role="status" id="announce"></p>`;
  document.title = `${o.status} · ${unicode} · .coop order`;
  const resendBtn = document.getElementById('resend');
  if (resendBtn) resendBtn.addEventListener('click', resendLink);
  document.getElementById('copy').addEventListener('click', async () => {
    const s = document.getElementById('copy-status');
    try { await navigator.clipboard.writeText(url); s.textContent = 'Copied.'; } catch { s.textContent = 'Select the address and copy it.'; }
  });
}

async function load() {
  clearTimeout(timer);
  if (!orderId) {
    showProblem([{ field: '', message: 'This address does not name an order. Use the link from your order confirmation.' }], 'No order');
    return;
  }
  try {
    const r = await api(`/api/v1/orders/${encodeURIComponent(orderId)}`);
    out.setAttribute('aria-busy', 'false');
    if (r.status === 200 && r.body) {
      problemBox.hidden = true;
      const json = JSON.stringify(r.body);
      if (json !== lastJson) {
        const before = last?.status;
        const focusedId = document.activeElement?.id;
        lastJson = json;
        last = r.body;
        render(last);
        if (focusedId) document.getElementById(focusedId)?.focus();
        if (before && before !== last.status) {
          document.getElementById('announce').textContent = `Status changed to ${last.status}.`;
        }
      }
    } else if (r.status === 404) {
      out.innerHTML = '';
      showProblem([{ field: '', message: `There is no order ${orderId}. Check the address, or use the link from your order confirmation.` }], 'Order not found');
      return;
    } else {
      showProblem(problemsOf(r.body, r.status), 'Could not load the order');
    }
  } catch {
    showProblem([{ field: '', message: 'Could not reach the server. This page tries again by itself.' }], 'Could not load the order');
  }
  schedule();
}

/** Refreshes while the order is still PROCESSING (or not yet loaded) and the tab is visible. */
function schedule() {
  clearTimeout(timer);
  if (document.hidden) return;
  if (!last || last.status === 'PROCESSING') timer = setTimeout(load, REFRESH_MS);
}

function showProblem(problems, title) {
  const loading = document.getElementById('loading');
  if (loading) loading.remove();
  out.setAttribute('aria-busy', 'false');
  renderSummary(problemBox, document, problems, title);
}

async function resendLink() {
  const btn = document.getElementById('resend');
  const status = document.getElementById('resend-status');
  btn.disabled = true;
  status.textContent = 'Sending…';
  try {
    const r = await api(`/api/v1/orders/${encodeURIComponent(orderId)}/resend`, { method: 'POST', body: {} });
    if (r.status === 202 || r.status === 200) {
      const to = r.body?.sent_to;
      status.textContent = `A new link is on its way${to ? ` to ${to}` : ''}. Links sent earlier no longer work.`;
      lastJson = '';
      const keep = status.textContent;
      await load();
      const s = document.getElementById('resend-status');
      if (s) s.textContent = keep;
      return;
    }
    status.textContent = '';
    btn.disabled = false;
    showProblem(problemsOf(r.body, r.status), 'No new link was sent');
    problemBox.focus();
  } catch {
    status.textContent = 'Could not reach the server; please try again.';
    btn.disabled = false;
  }
}

document.addEventListener('visibilitychange', () => {
  if (document.hidden) clearTimeout(timer);
  else if (!last || last.status === 'PROCESSING') load();
});

// For the browser tests.
window.coopregOrder = { ready: load(), formatDate };
