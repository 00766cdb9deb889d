// Audit review: filter and page the trail, open an event, verify the chain, download exports, account for disclosures.
import {
  api,
  ApiError,
  byId,
  claimsOf,
  describe,
  formatTime,
  getJson,
  getToken,
  h,
  isoFromLocal,
  mountSignIn,
  query,
  setStatus,
  showProblem,
} from './common.js';

const FORBIDDEN = 'Compliance role required.';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const workspace = byId('workspace');
const filtersForm = byId('filters');
const eventRows = byId('event-rows');
const older = byId('older');
const newer = byId('newer');

/** The applied filters, and the cursors of the pages seen so far (cursors[0] = null: the newest page). */
let filters = {};
let cursors = [null];
let page = 0;
let listing = null; // AbortController of the page in flight

// ---- errors: a 403 anywhere means this token is not a compliance officer's ----

function forbidden() {
  const claims = claimsOf(getToken() ?? '') ?? {};
  const roles = Array.isArray(claims.roles) && claims.roles.length ? claims.roles.join(', ') : 'none';
  workspace.hidden = true;
  eventRows.replaceChildren();
  setStatus('');
  showProblem(
    `${FORBIDDEN} This token's roles (${roles}) do not include compliance, so the audit trail stays hidden. Sign out and paste a compliance token.`,
  );
}

function failed(err, where) {
  if (err instanceof ApiError && err.status === 403) return forbidden();
  showProblem(`${where}: ${describe(err, FORBIDDEN)}`, err);
}

// ---- the list ----

/** What a person typed in a patient field: a UUID is a patient ID, anything else an MRN (the server normalises it). */
function patientKey(typed) {
  const value = typed.trim();
  if (!value) return {};
  return UUID.test(value) ? { patientId: value } : { mrn: value };
}

function readFilters() {
  const data = new FormData(filtersForm);
  const value = (name) => String(data.get(name) ?? '').trim();
  return {
    ...patientKey(value('patient')),
    actorId: value('actorId'),
    action: value('action'),
    from: isoFromLocal(value('from')),
    to: isoFromLocal(value('to')),
    limit: value('limit') || '50',
  };
}

function shortId(id) {
  return id ? `${id.slice(0, 8)}…` : '—';
}

function recipient(target) {
  if (!target || typeof target !== 'object') return '—';
  return [target.provider, target.model, target.host].filter(Boolean).join(' · ') || '—';
}

function eventRow(event) {
  const patient = event.patientId
    ? h('button', {
        type: 'button',
        class: 'link mono',
        title: event.patientId,
        'aria-label': `Filter to patient ${event.patientId}`,
        text: shortId(event.patientId),
        onclick: () => {
          byId('f-patient').value = event.patientId;
          byId('d-patient').value = event.patientId;
          void applyFilters();
        },
      })
    : h('span', { class: 'muted', text: '—' });
  return h(
    'tr',
    { dataset: { id: event.id, action: event.action } },
    h(
      'th',
      { scope: 'row' },
      h('button', {
        type: 'button',
        class: 'link',
        'aria-label': `Open event ${event.seq} (${event.action})`,
        text: formatTime(event.recordedAt),
        onclick: () => void openEvent(event.id),
      }),
      h('span', { class: 'muted seq', text: ` #${event.seq}` }),
    ),
    h('td', { class: 'action' }, h('code', { text: event.action })),
    h('td', {}, h('span', { class: `outcome outcome-${event.outcome}`, text: event.outcome.replace('_', ' ') })),
    h('td', { class: 'mono', text: event.actorId }),
    h('td', {}, patient),
    h('td', { text: event.purposeOfUse }),
    h('td', { text: recipient(event.target) }),
  );
}

async function loadPage() {
  listing?.abort();
  const controller = new AbortController();
  listing = controller;
  showProblem(null);
  setStatus('Loading events…');
  byId('events').setAttribute('aria-busy', 'true');
  try {
    const body = await getJson(`/v1/audit-events${query({ ...filters, cursor: cursors[page] })}`, { signal: controller.signal });
    if (listing !== controller) return;
    workspace.hidden = false;
    byId('f-patient').removeAttribute('aria-invalid');
    eventRows.replaceChildren(
      ...(body.events.length
        ? body.events.map(eventRow)
        : [h('tr', {}, h('td', { colspan: 7, class: 'empty', text: 'No events match these filters.' }))]),
    );
    if (body.nextCursor) cursors[page + 1] = body.nextCursor;
    else cursors = cursors.slice(0, page + 1);
    older.disabled = !body.nextCursor;
    newer.disabled = page === 0;
    byId('page-label').textContent = `page ${page + 1}`;
    const count = body.events.length;
    const who = body.patient ? `MRN ${body.patient.mrn} (patient ${body.patient.id}) · ` : '';
    setStatus(
      `${who}${count} event${count === 1 ? '' : 's'} on page ${page + 1}${body.nextCursor ? ' · older events on the next page' : ''}`,
    );
  } catch (err) {
    if (controller.signal.aborted) return;
    setStatus('');
    if (filters.mrn) byId('f-patient').setAttribute('aria-invalid', 'true');
    failed(err, filters.mrn && err instanceof ApiError && err.status === 404 ? 'No patient has that MRN' : 'Could not load events');
  } finally {
    if (listing === controller) {
      listing = null;
      byId('events').removeAttribute('aria-busy');
    }
  }
}

async function applyFilters() {
  filters = readFilters();
  cursors = [null];
  page = 0;
  await loadPage();
}

filtersForm.addEventListener('submit', (event) => {
  event.preventDefault();
  void applyFilters();
});
filtersForm.addEventListener('reset', () => {
  // After the browser has cleared the fields.
  setTimeout(() => void applyFilters(), 0);
});
byId('f-limit').addEventListener('change', () => void applyFilters());
older.addEventListener('click', () => {
  if (!cursors[page + 1]) return;
  page += 1;
  void loadPage();
});
newer.addEventListener('click', () => {
  if (page === 0) return;
  page -= 1;
  void loadPage();
});

// ---- one event ----

async function openEvent(id) {
  const panel = byId('detail');
  try {
    const event = await getJson(`/v1/audit-events/${encodeURIComponent(id)}`);
    byId('detail-json').textContent = JSON.stringify(event, null, 2);
    byId('detail-heading').textContent = `Event #${event.seq} · ${event.action}`;
    panel.hidden = false;
    byId('detail-heading').focus();
  } catch (err) {
    failed(err, 'Could not open the event');
  }
}
byId('detail-close').addEventListener('click', () => {
  byId('detail').hidden = true;
  byId('events').querySelector('tbody button')?.focus();
});

// ---- verification ----

byId('verify').addEventListener('click', async () => {
  const button = byId('verify');
  const out = byId('verify-result');
  button.disabled = true;
  out.hidden = false;
  out.className = 'kv';
  out.replaceChildren(h('dt', { text: 'Status' }), h('dd', { text: 'Verifying…' }));
  try {
    const result = await getJson('/v1/audit-events/verify');
    out.className = `kv ${result.ok ? 'ok' : 'broken'}`;
    out.replaceChildren(
      h('dt', { text: 'ok' }),
      h('dd', {
        class: 'verdict',
        dataset: { ok: String(result.ok) },
        text: result.ok ? 'true — the chain is intact' : 'false — the chain is BROKEN',
      }),
      h('dt', { text: 'checked' }),
      h('dd', { class: 'checked', text: String(result.checked) }),
      h('dt', { text: 'firstBrokenId' }),
      h('dd', { class: 'mono', text: result.firstBrokenId ?? 'null' }),
      ...(result.reason ? [h('dt', { text: 'reason' }), h('dd', { text: result.reason })] : []),
    );
  } catch (err) {
    out.hidden = true;
    failed(err, 'Verification failed to run');
  } finally {
    button.disabled = false;
  }
});

// ---- exports: fetched with the bearer header, then saved from a Blob (a link cannot carry the header) ----

function filenameOf(res, format) {
  const disposition = res.headers.get('Content-Disposition') ?? '';
  const match = /filename="([^"]+)"/.exec(disposition);
  return match ? match[1] : `audit-events.${format === 'fhir' ? 'json' : format}`;
}

function formatBytes(n) {
  return n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} kB` : `${(n / 1024 / 1024).toFixed(1)} MB`;
}

for (const button of document.querySelectorAll('[data-format]')) {
  button.addEventListener('click', async () => {
    const format = button.dataset.format;
    const status = byId('export-status');
    const { limit: _limit, ...exportFilters } = filters;
    button.disabled = true;
    status.textContent = `Preparing the ${format.toUpperCase()} export…`;
    try {
      const res = await api(`/v1/audit-events/export${query({ ...exportFilters, format })}`, { accept: '*/*' });
      const blob = await res.blob();
      const name = filenameOf(res, format);
      const url = URL.createObjectURL(blob);
      const link = h('a', { href: url, download: name, hidden: true });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      status.textContent = `Downloaded ${name} (${formatBytes(blob.size)}).`;
    } catch (err) {
      status.textContent = '';
      failed(err, 'The export failed');
    } finally {
      button.disabled = false;
    }
  });
}

// ---- accounting of disclosures ----

byId('disclosure-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const data = new FormData(event.target);
  const key = patientKey(String(data.get('patient') ?? ''));
  const input = byId('d-patient');
  const table = byId('disclosures');
  const status = byId('disclosure-status');
  if (!key.patientId && !key.mrn) {
    input.setAttribute('aria-invalid', 'true');
    status.textContent = "Enter the patient's MRN or ID.";
    input.focus();
    return;
  }
  input.removeAttribute('aria-invalid');
  status.textContent = 'Loading…';
  try {
    const report = await getJson(
      `/v1/disclosures${query({ ...key, from: isoFromLocal(String(data.get('from') ?? '')), to: isoFromLocal(String(data.get('to') ?? '')) })}`,
    );
    const rows = report.disclosures.map((d) =>
      h(
        'tr',
        { dataset: { id: d.auditEventId } },
        h('th', { scope: 'row', text: formatTime(d.date) }),
        h('td', { text: [d.recipient.provider, d.recipient.model, d.recipient.host].filter(Boolean).join(' · ') || '—' }),
        h('td', { text: d.recipient.baa === true ? 'yes' : d.recipient.baa === false ? 'no' : '—' }),
        h('td', { text: d.description }),
        h('td', { text: d.purpose }),
        h('td', { class: 'mono', text: d.requestedBy }),
        h('td', { text: [d.outcome ?? 'no response recorded', d.httpStatus ? `HTTP ${d.httpStatus}` : null].filter(Boolean).join(' · ') }),
      ),
    );
    byId('disclosure-rows').replaceChildren(...rows);
    table.hidden = rows.length === 0;
    const who = report.mrn ? `patient MRN ${report.mrn} (${report.patientId})` : `patient ${report.patientId}`;
    status.textContent = rows.length
      ? `${rows.length} disclosure${rows.length === 1 ? '' : 's'} of ${who}.`
      : `No disclosures of ${who} in this period.`;
  } catch (err) {
    table.hidden = true;
    if (err instanceof ApiError && (err.status === 404 || err.status === 409 || err.status === 400)) {
      input.setAttribute('aria-invalid', 'true');
      status.textContent =
        err.status === 404
          ? 'No patient has that MRN or ID.'
          : err.status === 409
            ? 'That MRN matches more than one patient: use the patient ID.'
            : `Not a valid MRN or ID: ${err.message}`;
      return;
    }
    status.textContent = '';
    failed(err, 'Could not load the accounting of disclosures');
  }
});

// ---- sign-in ----

mountSignIn((token) => {
  listing?.abort();
  listing = null;
  eventRows.replaceChildren();
  byId('detail').hidden = true;
  byId('verify-result').hidden = true;
  byId('disclosure-rows').replaceChildren();
  byId('disclosures').hidden = true;
  showProblem(null);
  setStatus('');
  if (!token) {
    workspace.hidden = true;
    setStatus('Sign in with a compliance token to review the audit trail.');
    return;
  }
  filters = readFilters();
  cursors = [null];
  page = 0;
  // The server decides: the token's roles are only shown, never trusted here.
  void loadPage();
});
