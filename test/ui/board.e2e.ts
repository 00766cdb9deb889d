// The ward board in headless Chromium against the real service (fallback summarizer): rows stream in, highest NEWS2 first.
import type { Browser } from 'playwright-core';
import type { WardResult } from '../../src/services/ward-summaries';
import { UI_CSP } from '../../src/http/ui';
import { launchBrowser, openPage, screenshotPath, signIn, startService, type Service } from './support';

let service: Service;
let browser: Browser;
let clinician: string;
let ward: { id: string; code: string; name: string; patientCount: number };
let results: WardResult[];

beforeAll(async () => {
  [service, browser] = await Promise.all([startService(), launchBrowser()]);
  clinician = await service.token(['clinician'], 'nurse-ui');
  const { wards } = await service.get<{ wards: (typeof ward)[] }>('/v1/wards', clinician);
  ward = wards[0]; // by code: W1, the page's default
  ({ results } = await service.get<{ results: WardResult[] }>(`/v1/wards/${ward.id}/summaries`, clinician));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await service?.stop();
});

const news2Of = (r: WardResult) => (r.status === 'ok' ? (r.summary.facts.news2.latest?.total ?? -1) : -1);

test('a clinician sees every patient of the ward, the deteriorating one at the top with its NEWS2', async () => {
  // Expected from the API, not hard-coded: the highest latest NEWS2 and the beds that have it.
  const top = Math.max(...results.map(news2Of));
  const topBeds = results.filter((r) => news2Of(r) === top).map((r) => r.bed);
  expect(top).toBeGreaterThanOrEqual(5); // the demo seeds deteriorating patients (NEWS2 ~8, rising)

  const { page, problems, close } = await openPage(browser);
  try {
    const response = await page.goto(`${service.url}/board`);
    expect(response!.status()).toBe(200);
    expect(response!.headers()['content-security-policy']).toBe(UI_CSP);

    const batch = page.waitForRequest((req) => req.url().includes(`/v1/wards/${ward.id}/summaries`));
    await signIn(page, clinician);
    // The batch is read as NDJSON and rendered as lines arrive.
    expect((await batch).url()).toContain('format=ndjson');
    // In the compact view: the row's numbers, not every scored set.
    expect((await batch).url()).toContain('view=compact');

    const rows = page.locator('#rows tr');
    await rows.nth(results.length - 1).waitFor();
    await page.getByRole('status').filter({ hasText: 'loaded in' }).waitFor();
    expect(await page.getByLabel('Ward', { exact: true }).inputValue()).toBe(ward.id);
    expect(await rows.count()).toBe(ward.patientCount);

    const first = rows.first();
    const bed = await first.locator('th[scope=row]').textContent();
    expect(topBeds).toContain(bed);
    expect(await first.locator('.news2 .score').textContent()).toBe(String(top));
    const topResult = results.find((r) => r.bed === bed)!;
    if (topResult.status !== 'ok') throw new Error('top patient has no summary');
    expect(await first.locator('.direction').textContent()).toContain(topResult.summary.facts.news2.trend.direction);
    expect(await first.locator('svg.spark').getAttribute('aria-label')).toContain(`${topResult.summary.facts.news2.scores.length} sets`);
    expect(await first.locator('.adherence .pct').textContent()).toBe(`${topResult.summary.facts.adherence.overallPct}%`);
    expect(await first.locator('.badge.source').textContent()).toBe('fallback');
    // Two identifiers at least, from the API: FAMILY, Given · DOB dd-Mmm-yyyy (age) · MRN.
    const ids = topResult.identifiers!;
    const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    const [y, m, d] = ids.birthDate.split('-');
    expect(await first.locator('.patient .name').textContent()).toBe(`${ids.familyName.toUpperCase()}, ${ids.givenName}`);
    expect(await first.locator('.patient .dob').textContent()).toMatch(new RegExp(`^DOB ${d}-${months[Number(m) - 1]}-${y} \\(\\d+ y\\)$`));
    expect(await first.locator('.patient .mrn').textContent()).toBe(`MRN ${ids.mrn}`);
    // Every row names its patient, and no two rows name the same one.
    const mrns = await rows.locator('.patient .mrn .mono').allTextContents();
    expect(new Set(mrns).size).toBe(ward.patientCount);
    expect(new Set(mrns)).toEqual(new Set(results.map((r) => r.identifiers!.mrn)));
    expect(await first.locator('.badge.grounded').count()).toBe(topResult.summary.grounding.ok ? 1 : 0);
    for (const drug of topResult.summary.facts.adherence.criticalMissed)
      expect(await first.locator('.flags').textContent()).toContain(drug);

    // The whole board is ordered by NEWS2, highest first.
    const shown = (await rows.locator('.news2 .score').allTextContents()).map((t) => (t === '—' ? -1 : Number(t)));
    expect(shown).toEqual([...shown].sort((a, b) => b - a));
    expect(shown).toEqual(results.map(news2Of).sort((a, b) => b - a));

    // The token stays in this tab's sessionStorage: never in a URL or localStorage.
    expect(page.url()).toBe(`${service.url}/board`);
    expect(await page.evaluate('localStorage.length')).toBe(0);
    expect(problems).toEqual([]);

    await page.screenshot({ path: screenshotPath('board.png') });
  } finally {
    await close();
  }
});

test('the summary sentences beyond the first open from the keyboard', async () => {
  const { page, problems, close } = await openPage(browser);
  try {
    await page.goto(`${service.url}/board`);
    await signIn(page, clinician);
    // Once the batch is in: rows arriving later are sorted in above, and `first()` would then be another row.
    await page.getByRole('status').filter({ hasText: 'loaded in' }).waitFor();
    const details = page.locator('#rows tr').first().locator('details');
    await details.waitFor();
    await details.locator('summary').focus();
    await page.keyboard.press('Enter');
    expect(await details.getAttribute('open')).not.toBeNull();
    expect(problems).toEqual([]);
  } finally {
    await close();
  }
});

test('a compliance token cannot read the board: the page says why', async () => {
  const { page, close } = await openPage(browser);
  try {
    await page.goto(`${service.url}/board`);
    await signIn(page, await service.token(['compliance'], 'officer-ui'));
    await page.getByRole('alert').filter({ hasText: 'needs the clinician role' }).waitFor();
    expect(await page.locator('#rows tr').count()).toBe(0);
  } finally {
    await close();
  }
});
