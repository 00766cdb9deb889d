// The audit review in headless Chromium against the real service, whose summaries go to a fake OpenAI upstream
// so the trail holds llm.request rows: filter, open, verify, export, disclosures; and a clinician sees nothing.
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import type { WardResult } from '../../src/services/ward-summaries';
import { UI_CSP } from '../../src/http/ui';
import { carefulReply } from '../support/careful-answer';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import { launchBrowser, openPage, screenshotPath, signIn, startService, writeLlmConfig, type Service } from './support';

const CSV_HEADER = 'id,seq,recordedAt,action,outcome,actorId,actorRoles,patientId,purposeOfUse,requestId,target,details,prevHash,hash';

let upstream: FakeUpstream;
let service: Service;
let browser: Browser;
let clinician: string;
let compliance: string;
/** The ward's highest-NEWS2 patient: the one the review follows. */
let patientId: string;
let mrn: string;
let llmRequests: number;

beforeAll(async () => {
  // A careful model: an answer that leaves out a high NEWS2 or a missed anticoagulant is (rightly) turned down.
  upstream = await startFakeUpstream({ defaultStep: carefulReply() });
  [service, browser] = await Promise.all([startService({ llmConfig: writeLlmConfig(upstream.url) }), launchBrowser()]);
  clinician = await service.token(['clinician'], 'nurse-ui');
  compliance = await service.token(['compliance'], 'officer-ui');
  // A ward round: every patient of W1 summarised through the (fake) model, each request audited first.
  const { wards } = await service.get<{ wards: { id: string }[] }>('/v1/wards', clinician);
  const { results } = await service.get<{ results: WardResult[] }>(`/v1/wards/${wards[0].id}/summaries`, clinician);
  const news2 = (r: WardResult) => (r.status === 'ok' ? (r.summary.facts.news2.latest?.total ?? -1) : -1);
  const top = [...results].sort((a, b) => news2(b) - news2(a))[0];
  expect(top.status === 'ok' && top.summary.source).toBe('llm');
  patientId = top.patientId;
  mrn = top.identifiers!.mrn;
  llmRequests = upstream.requests.filter((r) => r.headers['x-audit-event-id']).length;
  expect(llmRequests).toBeGreaterThanOrEqual(results.length);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await service?.stop();
  await upstream?.close();
});

async function filterTo(page: Page, filters: { patient?: string; action?: string; limit?: string }): Promise<void> {
  const form = page.getByRole('form', { name: 'Filter audit events' });
  await form.getByLabel('Patient (MRN or ID)').fill(filters.patient ?? '');
  await form.getByLabel('Action').selectOption(filters.action ?? '');
  const answered = page.waitForResponse((res) => res.url().includes('/v1/audit-events?'));
  // A new page size applies at once; other filters on "Apply filters".
  if (filters.limit) await page.getByLabel('Per page').selectOption(filters.limit);
  else await form.getByRole('button', { name: 'Apply filters' }).click();
  expect((await answered).status()).toBe(200);
  await page.locator('#events[aria-busy]').waitFor({ state: 'detached' });
}

const rowsOf = (page: Page) => page.locator('#event-rows tr[data-id]');

test('compliance: filter to the patient, see its llm.request rows, open one, verify the chain, download a CSV', async () => {
  const { page, problems, close } = await openPage(browser);
  try {
    const response = await page.goto(`${service.url}/audit`);
    expect(response!.headers()['content-security-policy']).toBe(UI_CSP);
    await signIn(page, compliance);
    await rowsOf(page).first().waitFor();

    // Filter to the patient and to outbound model requests.
    await filterTo(page, { patient: patientId, action: 'llm.request' });
    const rows = rowsOf(page);
    expect(await rows.count()).toBeGreaterThanOrEqual(1);
    expect(new Set(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-action'))))).toEqual(new Set(['llm.request']));
    expect(await rows.first().locator('td').nth(5).textContent()).toContain('fake-openai');
    const requestIds = new Set(upstream.requests.map((r) => r.headers['x-audit-event-id']));
    for (const id of await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-id')))) expect(requestIds).toContain(id);

    // Then every action for the patient, named by MRN as a request letter would (lower case, a space): the server
    // resolves it, and the status says to whom (the screenshot's view).
    await filterTo(page, { patient: `${mrn.slice(0, 3).toLowerCase()} ${mrn.slice(3)}` });
    await page
      .getByRole('status')
      .filter({ hasText: `MRN ${mrn} (patient ${patientId})` })
      .waitFor();
    const actions = new Set(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-action'))));
    expect([...actions]).toEqual(expect.arrayContaining(['summary.read', 'llm.request', 'llm.response']));
    const patientCells = await rows.evaluateAll((trs) =>
      trs.map((tr) => tr.querySelector('td button[title]')?.getAttribute('title') ?? null),
    );
    expect(new Set(patientCells)).toEqual(new Set([patientId]));

    // Open the newest llm.request: the detail panel shows the row as JSON.
    const request = rows.filter({ has: page.locator('td.action', { hasText: 'llm.request' }) }).first();
    const id = await request.getAttribute('data-id');
    await request.getByRole('button', { name: /^Open event/ }).click();
    await page.locator('#detail:not([hidden])').waitFor();
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('detail-heading');
    const detail = JSON.parse((await page.locator('#detail-json').textContent())!) as {
      id: string;
      action: string;
      patientId: string;
      target: { provider: string };
    };
    expect(detail).toMatchObject({ id, action: 'llm.request', patientId, target: { provider: 'fake-openai' } });

    // Chain verification.
    await page.getByRole('button', { name: 'Verify chain' }).click();
    const verdict = page.locator('#verify-result .verdict');
    await verdict.waitFor();
    expect(await verdict.getAttribute('data-ok')).toBe('true');
    expect(Number(await page.locator('#verify-result .checked').textContent())).toBeGreaterThan(llmRequests);
    expect(await page.locator('#verify-result dd.mono').textContent()).toBe('null');

    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: screenshotPath('audit.png') });

    // CSV export of the filtered view: fetched with the bearer header, saved from a Blob.
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download CSV' }).click();
    const csvFile = await download;
    expect(csvFile.suggestedFilename()).toMatch(/^audit-events-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = fs
      .readFileSync(await csvFile.path(), 'utf8')
      .trimEnd()
      .split(/\r\n/);
    expect(csv[0]).toBe(CSV_HEADER);
    expect(csv.length).toBeGreaterThan(1);
    const patientColumn = CSV_HEADER.split(',').indexOf('patientId');
    for (const line of csv.slice(1)) expect(line.split(',')[patientColumn]).toBe(patientId);
    expect(csv.slice(1).some((line) => line.includes(',llm.request,'))).toBe(true);
    await page
      .getByRole('status')
      .filter({ hasText: /Downloaded audit-events-.*\.csv/ })
      .waitFor();

    expect(problems).toEqual([]);
  } finally {
    await close();
  }
});

test('compliance: NDJSON and FHIR exports, pagination, and the accounting of disclosures', async () => {
  const { page, problems, close } = await openPage(browser);
  try {
    await page.goto(`${service.url}/audit`);
    await signIn(page, compliance);
    await rowsOf(page).first().waitFor();

    // Pages of 25 over the whole trail (at least 3 rows per patient summarised): older, then back to the newest.
    await filterTo(page, { limit: '25' });
    const firstPage = await rowsOf(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-id')));
    expect(firstPage).toHaveLength(25);
    await page.getByRole('button', { name: 'Older →' }).click();
    await page.getByRole('status').filter({ hasText: 'on page 2' }).waitFor();
    const secondPage = await rowsOf(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-id')));
    expect(secondPage.length).toBeGreaterThan(0);
    expect(secondPage.filter((id) => firstPage.includes(id))).toEqual([]);
    await page.getByRole('button', { name: '← Newer' }).click();
    await page.getByRole('status').filter({ hasText: 'on page 1' }).waitFor();
    // Newest again: the same rows, after the audit.read rows this very review has added.
    expect(await rowsOf(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-id')))).toContain(firstPage[0]);

    for (const [format, check] of [
      ['NDJSON', (text: string) => expect(JSON.parse(text.split('\n')[0])).toHaveProperty('hash')],
      ['FHIR', (text: string) => expect(JSON.parse(text)).toMatchObject({ resourceType: 'Bundle', entry: expect.any(Array) })],
    ] as const) {
      const download = page.waitForEvent('download');
      await page.getByRole('button', { name: `Download ${format}` }).click();
      check(fs.readFileSync(await (await download).path(), 'utf8'));
    }

    // Accounting of disclosures, the patient named by MRN as a request letter would (lower case, spaced):
    // one entry per outbound request for the patient, recipient named.
    const typed = `${mrn.slice(0, 3).toLowerCase()} ${mrn.slice(3)}`;
    await page.getByRole('form', { name: 'Accounting of disclosures' }).getByLabel('Patient (MRN or ID)').fill(typed);
    await page.getByRole('button', { name: 'Show disclosures' }).click();
    const disclosures = page.locator('#disclosure-rows tr');
    await disclosures.first().waitFor();
    expect(await page.locator('#disclosure-status').textContent()).toContain(`patient MRN ${mrn} (${patientId})`);
    const expected = upstream.requests.length; // all W1 patients; at least one is this patient's
    expect(await disclosures.count()).toBeGreaterThanOrEqual(1);
    expect(await disclosures.count()).toBeLessThanOrEqual(expected);
    expect(await disclosures.first().textContent()).toContain('fake-openai');
    expect(await disclosures.first().locator('td').nth(1).textContent()).toBe('yes'); // baa: true in the config

    // An MRN nobody has: said next to the field, nothing listed.
    await page.getByRole('form', { name: 'Accounting of disclosures' }).getByLabel('Patient (MRN or ID)').fill('NOSUCH0000');
    await page.getByRole('button', { name: 'Show disclosures' }).click();
    await page.locator('#disclosure-status').filter({ hasText: 'No patient has that MRN or ID.' }).waitFor();
    expect(await page.locator('#disclosures').isHidden()).toBe(true);
    expect(await page.locator('#d-patient').getAttribute('aria-invalid')).toBe('true');

    expect(problems.filter((p) => !/status of 404/.test(p))).toEqual([]);
  } finally {
    await close();
  }
});

test('a clinician token gets no audit data: the page says the compliance role is required', async () => {
  const { page, close } = await openPage(browser);
  try {
    await page.goto(`${service.url}/audit`);
    const refused = page.waitForResponse((res) => res.url().includes('/v1/audit-events'));
    await signIn(page, clinician);
    expect((await refused).status()).toBe(403);
    await page.getByRole('alert').filter({ hasText: 'Compliance role required' }).waitFor();
    expect(await page.locator('#workspace').isHidden()).toBe(true);
    expect(await page.locator('#event-rows tr').count()).toBe(0);
    // Nothing the page could show came back: the API refused before any audit row was read.
    expect(await page.locator('#detail-json').textContent()).toBe('');
  } finally {
    await close();
  }
});
