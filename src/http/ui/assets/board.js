// Ward board: streams the ward batch (NDJSON, compact view) and keeps one row per patient, highest NEWS2 first, as results arrive.
import { api, byId, describe, formatClock, getJson, h, mountSignIn, query, setStatus, showProblem, svg } from './common.js';

const WARD_KEY = 'shiftnote.board.ward';
const BAND_RANK = { high: 3, medium: 2, 'low-medium': 1, low: 0 };
const wardSelect = byId('ward');
const daysSelect = byId('days');
const refresh = byId('refresh');
const tbody = byId('rows');

let loading = null; // AbortController of the batch in flight
let rows = []; // { order, el } in display order

// ---- ordering ----

/** Highest NEWS2 first; then the worse band, a rising trend, the higher recent mean; then by bed. Failed rows last. */
function orderOf(result) {
  const s = result.status === 'ok' ? result.summary.news2 : null;
  return {
    total: s?.latest ? s.latest.total : -1,
    band: s?.latest ? (BAND_RANK[s.latest.band] ?? 0) : -1,
    rising: s?.trend?.direction === 'rising' ? 1 : 0,
    recent: s?.trend?.recentMean ?? -1,
    failed: result.status === 'ok' ? 0 : 1,
    bed: result.bed,
  };
}

const bedOrder = new Intl.Collator(undefined, { numeric: true });
function compare(a, b) {
  return (
    a.failed - b.failed ||
    b.total - a.total ||
    b.band - a.band ||
    b.rising - a.rising ||
    b.recent - a.recent ||
    bedOrder.compare(a.bed, b.bed)
  );
}

function insertRow(result) {
  const order = orderOf(result);
  const el = renderRow(result);
  const at = rows.findIndex((row) => compare(order, row.order) < 0);
  if (at === -1) {
    rows.push({ order, el });
    tbody.append(el);
  } else {
    tbody.insertBefore(el, rows[at].el);
    rows.splice(at, 0, { order, el });
  }
}

// ---- cells ----

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `YYYY-MM-DD` as 07-Mar-1950 (the NHS display format: no day/month order to misread), with the age in years. */
function birthDateText(iso, today = new Date()) {
  const [y, m, d] = iso.split('-').map(Number);
  const age =
    today.getUTCFullYear() - y - (today.getUTCMonth() + 1 < m || (today.getUTCMonth() + 1 === m && today.getUTCDate() < d) ? 1 : 0);
  return `${String(d).padStart(2, '0')}-${MONTHS[m - 1]}-${y} (${age} y)`;
}

/**
 * Who the row is: FAMILY, Given; date of birth; MRN. Two identifiers at least, never the bed alone (Joint Commission
 * NPSG.01.01.01, NHS). Absent for tokens without the clinician role.
 */
function patientCell(identifiers) {
  if (!identifiers) return h('td', { class: 'patient' }, h('span', { class: 'sub', text: 'identifiers for clinicians only' }));
  return h(
    'td',
    { class: 'patient' },
    h('span', { class: 'name', text: `${identifiers.familyName.toUpperCase()}, ${identifiers.givenName}` }),
    h('span', { class: 'sub dob' }, h('abbr', { title: 'date of birth', text: 'DOB' }), ` ${birthDateText(identifiers.birthDate)}`),
    h(
      'span',
      { class: 'sub mrn' },
      h('abbr', { title: 'medical record number', text: 'MRN' }),
      ' ',
      h('span', { class: 'mono', text: identifiers.mrn }),
    ),
  );
}

function bandClass(band) {
  return `band-${band ?? 'none'}`;
}

function news2Cell(news2) {
  const latest = news2.latest;
  if (!latest)
    return h(
      'td',
      { class: 'news2' },
      h('span', { class: 'score band-none', text: '—' }),
      h('span', { class: 'sub', text: 'no observations' }),
    );
  return h(
    'td',
    { class: 'news2', dataset: { news2: String(latest.total) } },
    h('span', { class: `score ${bandClass(latest.band)}`, text: String(latest.total) }),
    h('span', { class: 'band-label', text: latest.band.replace('-', '–') + (latest.partial ? ' (partial set)' : '') }),
    h('span', { class: 'sub', text: `${latest.hoursAgo} h ago` }),
  );
}

const SPARK = { width: 132, height: 34, pad: 3, max: 10 };

/** Every set in the window as a line on a fixed 0–10 scale, so rows compare at a glance; x is time, not set number. */
function sparkline(news2, series, windowHours) {
  // The compact view's series: two aligned arrays, oldest first; the last set is the latest.
  const scores = (series?.total ?? []).map((total, i) => ({ total, hoursAgo: series.hoursAgo[i] }));
  const { width, height, pad } = SPARK;
  const top = Math.max(SPARK.max, ...scores.map((s) => s.total));
  const x = (hoursAgo) => pad + (width - 2 * pad) * Math.min(1, Math.max(0, 1 - hoursAgo / windowHours));
  const y = (total) => height - pad - (height - 2 * pad) * (total / top);
  const direction = news2.trend?.direction ?? 'unknown';
  const label = scores.length
    ? `NEWS2 over the window: ${scores.length} sets, lowest ${Math.min(...scores.map((s) => s.total))}, highest ${Math.max(...scores.map((s) => s.total))}, latest ${scores[scores.length - 1].total}; trend ${direction}`
    : 'No NEWS2 sets in the window';
  const points = scores.map((s) => `${x(s.hoursAgo).toFixed(1)},${y(s.total).toFixed(1)}`).join(' ');
  const last = scores[scores.length - 1];
  return svg(
    'svg',
    { class: 'spark', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': label },
    svg('title', { text: label }),
    svg('line', { class: 'threshold', x1: pad, x2: width - pad, y1: y(5), y2: y(5) }),
    svg('line', { class: 'threshold high', x1: pad, x2: width - pad, y1: y(7), y2: y(7) }),
    scores.length > 1 ? svg('polyline', { class: 'line', points }) : null,
    last
      ? svg('circle', {
          class: `dot ${bandClass(news2.latest?.band)}`,
          cx: x(last.hoursAgo).toFixed(1),
          cy: y(last.total).toFixed(1),
          r: 3,
        })
      : null,
  );
}

const ARROWS = { rising: '↑', falling: '↓', stable: '→' };
function trendCell(news2, series, windowHours) {
  const direction = news2.trend?.direction ?? 'unknown';
  return h(
    'td',
    { class: 'trend' },
    sparkline(news2, series, windowHours),
    h('span', { class: `direction ${direction}`, text: `${ARROWS[direction] ?? '·'} ${direction.replace(/_/g, ' ')}` }),
  );
}

function adherenceCell(adherence) {
  const pct = adherence.overallPct;
  return h(
    'td',
    { class: 'adherence' },
    h('span', {
      class: `pct ${pct !== null && pct !== undefined && pct < 80 ? 'low' : ''}`,
      text: pct === null || pct === undefined ? '—' : `${pct}%`,
    }),
    adherence.due
      ? h('span', { class: 'sub', text: `${adherence.given} of ${adherence.due} doses` })
      : h('span', { class: 'sub', text: 'no doses due' }),
  );
}

function flagsCell(flags, adherence) {
  const items = [];
  if (flags.observationsOverdue) {
    const since = flags.hoursSinceLastObservation;
    items.push(
      h('li', {
        class: 'flag warn',
        text: since === null || since === undefined ? 'Observations overdue (none recorded)' : `Observations overdue (${since} h)`,
      }),
    );
  }
  const missed = adherence?.criticalMissed ?? [];
  if (missed.length) items.push(h('li', { class: 'flag crit', text: `Missed critical: ${missed.join(', ')}` }));
  const notes = flags.notes ?? [];
  if (notes.length) {
    const text = notes.map(({ flag, count }) => (count > 1 ? `${flag} ×${count}` : flag)).join(', ');
    items.push(h('li', { class: 'flag note', text: `Notes: ${text}` }));
  }
  return h('td', { class: 'flags' }, items.length ? h('ul', {}, items) : h('span', { class: 'sub', text: 'none' }));
}

/** First sentence shown; the rest one click (or Enter) away. */
function summaryText(text) {
  const sentences = text.split(/(?<=[.!?])\s+(?=[A-Z])/);
  if (sentences.length < 2) return h('p', { class: 'text', text });
  return h('details', { class: 'text' }, h('summary', { text: sentences[0] }), h('p', { text: sentences.slice(1).join(' ') }));
}

function summaryCell(summary) {
  const grounding = { ok: summary.grounded === true, unsupported: summary.unsupported ?? [] };
  const sourceTitle =
    summary.source === 'llm' || summary.source === 'cache'
      ? [summary.provider, summary.model].filter(Boolean).join(' · ')
      : 'deterministic fallback summarizer';
  return h(
    'td',
    { class: 'summary' },
    summaryText(summary.summary),
    h(
      'div',
      { class: 'badges' },
      h('span', { class: `badge source source-${summary.source}`, title: sourceTitle || null, text: summary.source }),
      grounding.ok
        ? h('span', { class: 'badge grounded', text: '✓ grounded' })
        : h('span', {
            class: 'badge ungrounded',
            title: grounding.unsupported.length ? `Unsupported: ${grounding.unsupported.join('; ')}` : null,
            text: `✗ not grounded (${grounding.unsupported.length})`,
          }),
    ),
  );
}

function renderRow(result) {
  const bed = h('th', { scope: 'row', class: 'bed', text: result.bed });
  if (result.status !== 'ok') {
    return h(
      'tr',
      { class: 'failed', dataset: { patientId: result.patientId, bed: result.bed } },
      bed,
      patientCell(result.identifiers),
      h('td', { colspan: 5 }, h('span', { class: 'flag crit', text: 'Summary unavailable' }), ' ', result.error?.message ?? ''),
    );
  }
  const { summary } = result;
  const from = Date.parse(summary.window.from);
  const to = Date.parse(summary.window.to);
  const windowHours = Math.max(1, (to - from) / 3_600_000);
  const band = summary.news2.latest?.band;
  return h(
    'tr',
    { class: band ? `row-${band}` : null, dataset: { patientId: result.patientId, bed: result.bed } },
    bed,
    patientCell(result.identifiers),
    news2Cell(summary.news2),
    trendCell(summary.news2, summary.series, windowHours),
    adherenceCell(summary.adherence),
    flagsCell(summary.flags, summary.adherence),
    summaryCell(summary),
  );
}

// ---- loading ----

async function loadWards() {
  wardSelect.disabled = true;
  refresh.disabled = true;
  showProblem(null);
  try {
    const { wards } = await getJson('/v1/wards');
    const remembered = sessionStorage.getItem(WARD_KEY);
    wardSelect.replaceChildren(...wards.map((w) => h('option', { value: w.id, text: `${w.code} — ${w.name} (${w.patientCount})` })));
    if (!wards.length) {
      wardSelect.append(h('option', { value: '', text: 'No wards for this token' }));
      setStatus('');
      return;
    }
    if (remembered && wards.some((w) => w.id === remembered)) wardSelect.value = remembered;
    wardSelect.disabled = false;
    refresh.disabled = false;
    await loadBatch();
  } catch (err) {
    wardSelect.replaceChildren(h('option', { value: '', text: 'No wards' }));
    setStatus('');
    showProblem(describe(err, 'The ward board needs the clinician role.'), err);
  }
}

/** Reads NDJSON lines from a streamed body, calling onLine for each as soon as it is complete. */
async function readLines(body, onLine) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  for (;;) {
    const { value, done } = await reader.read();
    buffered += decoder.decode(value ?? new Uint8Array(), { stream: !done });
    let newline;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline).trim();
      buffered = buffered.slice(newline + 1);
      if (line) onLine(line);
    }
    if (done) break;
  }
  if (buffered.trim()) onLine(buffered.trim());
}

async function loadBatch() {
  const wardId = wardSelect.value;
  if (!wardId) return;
  sessionStorage.setItem(WARD_KEY, wardId);
  loading?.abort();
  const controller = new AbortController();
  loading = controller;
  rows = [];
  tbody.replaceChildren();
  showProblem(null);
  const started = performance.now();
  const table = byId('board');
  table.setAttribute('aria-busy', 'true');
  setStatus('Loading the ward…');
  let received = 0;
  let failed = 0;
  try {
    const res = await api(
      `/v1/wards/${encodeURIComponent(wardId)}/summaries${query({ format: 'ndjson', view: 'compact', days: daysSelect.value })}`,
      {
        accept: 'application/x-ndjson',
        signal: controller.signal,
      },
    );
    const expected = Number(res.headers.get('X-Ward-Patients')) || null;
    setStatus(expected ? `Loading 0 of ${expected} patients…` : 'Loading…');
    await readLines(res.body, (line) => {
      if (loading !== controller) return;
      const result = JSON.parse(line);
      received += 1;
      if (result.status !== 'ok') failed += 1;
      insertRow(result);
      setStatus(expected ? `Loading ${received} of ${expected} patients…` : `Loading… ${received} patients`);
    });
    if (loading !== controller) return;
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    setStatus(
      `${received} patients${failed ? `, ${failed} without a summary` : ''} · highest NEWS2 first · loaded in ${seconds} s at ${formatClock(new Date())}`,
    );
  } catch (err) {
    if (controller.signal.aborted) return;
    setStatus(received ? `${received} patients loaded before the error` : '');
    showProblem(describe(err, 'This token may not see that ward.'), err);
  } finally {
    if (loading === controller) {
      loading = null;
      table.removeAttribute('aria-busy');
    }
  }
}

byId('ward-form').addEventListener('submit', (event) => {
  event.preventDefault();
  void loadBatch();
});
wardSelect.addEventListener('change', () => void loadBatch());
daysSelect.addEventListener('change', () => void loadBatch());

mountSignIn((token) => {
  loading?.abort();
  loading = null;
  rows = [];
  tbody.replaceChildren();
  if (token) {
    void loadWards();
    return;
  }
  wardSelect.replaceChildren(h('option', { value: '', text: 'Sign in to see your wards' }));
  wardSelect.disabled = true;
  refresh.disabled = true;
  setStatus('');
  showProblem(null);
});
