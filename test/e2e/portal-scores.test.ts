// Browser test in Debian's Chromium, on a 360 px phone and on a desk: the public
// score pages of the portal. Nothing published yet; then the rankings of a
// published period (the province first, shared ranks, units not ranked, hidden
// ones saying why), the sector and period switches, a unit's scorecard with the
// tablet answers apart, the methodology, open data, English; axe-core finds
// nothing against WCAG 2.2 AA, and the dossier lookup still loads none of it.
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, hasBrowser, launchBrowser, screenshot } from '../support/browser.ts';
import { type Client, startTestPlatform, type TestPlatform } from '../support/platform.ts';
import { halves } from '../support/responses.ts';

/** Gzipped JavaScript a score page may load, all scripts together. */
const JS_BUDGET = 100 * 1024;
const DH = 'Văn phòng một cửa thành phố Đông Hà';
const GL = 'Văn phòng một cửa huyện Gio Linh';
const HH = 'Văn phòng một cửa huyện Hướng Hóa';
const CL = 'Văn phòng một cửa huyện Cam Lộ';
const HOSPITAL = 'Bệnh viện đa khoa tỉnh Quảng Trị';

let tp: TestPlatform;
let admin: Client;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const scripts = new Map<string, Response>();
const published: Record<string, string> = {};

const shot = (name: string) => screenshot(page, `portal-scores-${name}`);
const text = async (l: ReturnType<Page['locator']>) => (await l.innerText()).replaceAll('\u00a0', ' ');
const focusedId = () => page.evaluate<string | null>('document.activeElement?.id ?? null');
const h1 = () => page.getByRole('heading', { level: 1 });

/** axe-core on the page as it is now: no violation of WCAG 2.0-2.2 A and AA. */
async function axe(screen: string) {
  expect(await axeViolations(page), `axe on the ${screen} screen`).toEqual([]);
}

/** Nothing sticks out sideways, and every control is a comfortable target (links within a sentence excepted). */
async function fitsTheScreen() {
  const { scroll, width } = await page.evaluate(() => {
    const g = globalThis as any;
    return { scroll: g.document.documentElement.scrollWidth as number, width: g.innerWidth as number };
  });
  expect(scroll).toBeLessThanOrEqual(width);
  for (const control of await page.locator('button:visible, select:visible, summary:visible, a:visible').all()) {
    if (await control.evaluate((e) => (globalThis as any).getComputedStyle(e).display === 'inline')) continue;
    const box = await control.boundingBox();
    expect(box?.height ?? 0, await control.evaluate((e) => e.outerHTML.slice(0, 120))).toBeGreaterThanOrEqual(44);
  }
}

const MOH_ITEMS = (
  [
    ['A', 5],
    ['B', 10],
    ['C', 8],
    ['D', 4],
    ['E', 4],
  ] as const
).flatMap(([section, n]) => Array.from({ length: n }, (_, k) => `${section}${k + 1}`));
/** n outpatient interviews: patient i gives a 5 to `high(i)` of the 31 items and a 3 to the rest. */
const patients = (unit: string, n: number, high: (i: number) => number) =>
  Array.from({ length: n }, (_, i) => ({
    id: randomUUID(),
    instrument: 'MOH_OUTPATIENT',
    channel: 'phone',
    unit,
    submittedAt: '2026-10-12T10:00:00+07:00',
    answers: Object.fromEntries(MOH_ITEMS.map((item, k) => [item, k < high(i) ? 5 : 3])),
  }));

async function submit(responses: unknown[]) {
  for (let i = 0; i < responses.length; i += 500) {
    const r = await admin.post('/api/v1/responses/batch', { responses: responses.slice(i, i + 500) });
    expect(r.status).toBe(200);
    expect(r.body.rejected, JSON.stringify(r.body.results.filter((x: { errors?: unknown }) => x.errors))).toBe(0);
  }
}

async function publish(period: string, sector: 'administration' | 'health') {
  const created = await admin.post('/api/v1/snapshots', { period, sector, replyDays: 0 });
  expect(created.status).toBe(201);
  const done = await admin.post(`/api/v1/snapshots/${created.body.id}/publish`);
  expect(done.status).toBe(200);
  published[`${sector}:${period}`] = created.body.id;
}

async function openScores(query: string) {
  await page.goto(`${tp.baseUrl}/tra-cuu/?${query}`);
  await h1().waitFor();
}

const row = (unit: string) => page.locator(`[data-testid="rank-row"][data-unit="${unit}"]`);

describe.skipIf(!hasBrowser)('public score pages of the portal, in a browser', () => {
  beforeAll(async () => {
    tp = await startTestPlatform();
    admin = await tp.admin();
    browser = await launchBrowser();
    // The server's Content-Security-Policy allows no inline script: axe-core is injected as one.
    context = await browser.newContext({
      viewport: { width: 360, height: 740 },
      isMobile: true,
      hasTouch: true,
      bypassCSP: true,
    });
    page = await context.newPage();
    page.on('response', (r) => {
      if (r.request().resourceType() === 'script') scripts.set(r.url(), r);
    });
  });
  afterAll(async () => {
    await browser?.close();
    await tp?.stop();
  });

  it('reaches the rankings from the lookup, whose page loads none of their code, and says nothing is published yet', async () => {
    await page.goto(`${tp.baseUrl}/tra-cuu/`, { waitUntil: 'networkidle' });
    await page.getByTestId('portal-form').waitFor();
    const lookupScripts = [...scripts.keys()];
    const nav = page.getByRole('navigation', { name: 'Các trang' });
    expect(await nav.getByRole('link').allInnerTexts()).toEqual(['Tra cứu hồ sơ', 'Xếp hạng', 'Cách tính điểm', 'Dữ liệu mở']);
    expect(await nav.getByRole('link', { name: 'Tra cứu hồ sơ' }).getAttribute('aria-current')).toBe('page');
    await fitsTheScreen();

    await nav.getByRole('link', { name: 'Xếp hạng' }).click();
    await h1().filter({ hasText: 'Bảng xếp hạng mức hài lòng' }).waitFor();
    expect(new URL(page.url()).searchParams.get('page')).toBe('rankings');
    await expect.poll(focusedId).toBe('page-title');
    expect(await page.title()).toBe('Bảng xếp hạng mức hài lòng: Hành chính công');
    expect(await nav.getByRole('link', { name: 'Xếp hạng' }).getAttribute('aria-current')).toBe('page');
    // The score pages came as a script of their own, after the lookup had loaded without it.
    const later = [...scripts.keys()].filter((u) => !lookupScripts.includes(u));
    expect(later.length).toBeGreaterThan(0);

    const empty = page.getByTestId('score-empty');
    await empty.waitFor();
    expect(await text(empty)).toContain('Chưa có kết quả được công bố');
    expect(await text(empty)).toContain('Lĩnh vực Hành chính công chưa có bảng xếp hạng nào được công bố');
    expect(await page.getByTestId('period-select').count()).toBe(0);
    await axe('nothing published');
    await fitsTheScreen();
    await shot('01-nothing-yet');

    await nav.getByRole('link', { name: 'Dữ liệu mở' }).click();
    await h1().filter({ hasText: 'Dữ liệu mở' }).waitFor();
    expect(await text(page.getByTestId('score-empty'))).toContain('Chưa có kỳ kết quả nào được công bố');

    // Back returns to the rankings.
    await page.goBack();
    await h1().filter({ hasText: 'Bảng xếp hạng mức hài lòng' }).waitFor();
  });

  it('shows the published rankings: province first, shared ranks, units not ranked and hidden ones', async () => {
    // October 2026. Gio Linh well above; Đông Hà and Hướng Hóa overlap (both rank 2);
    // Cam Lộ below; Hải Lăng published but under 30 answers; Vĩnh Linh (7) and
    // Triệu Phong (3) hidden; tablet answers at Đông Hà, reported apart.
    await submit([
      ...halves('QT-DH-MC', '2026-10-10', 40, 9, 6),
      ...halves('QT-GL-MC', '2026-10-11', 30, 10, 9),
      ...halves('QT-CL-MC', '2026-10-12', 30, 6, 5),
      ...halves('QT-HH-MC', '2026-10-13', 30, 8, 7),
      ...halves('QT-HL-MC', '2026-10-14', 12, 7, 8),
      ...halves('QT-VL-MC', '2026-10-15', 7, 7, 7),
      ...halves('QT-TP-MC', '2026-10-16', 3, 8, 8),
      ...halves('QT-GL-MC', '2026-09-11', 30, 7, 6),
      ...halves('QT-DH-MC', '2026-09-10', 40, 9, 8),
      ...[4, 4, 4, 3, 3, 3, 3, 2, 2, 1, 4, 4].map((face) => ({
        id: randomUUID(),
        instrument: 'KIOSK_QUICK',
        channel: 'kiosk',
        unit: 'QT-DH-MC',
        submittedAt: '2026-10-20T10:00:00+07:00',
        answers: { OVERALL: face },
      })),
      ...patients('QT-BVDK', 40, (i) => (i % 2 ? 31 : 24)),
      ...patients('QT-DH-TTYT', 30, (i) => (i % 2 ? 20 : 12)),
      ...patients('QT-GL-TTYT', 8, () => 31),
      ...patients('QT-VL-TTYT', 5, () => 31),
    ]);
    await publish('2026-09', 'administration');
    await publish('2026-10', 'administration');
    await publish('2026-10', 'health');

    await openScores('page=rankings');
    expect(await h1().innerText()).toBe('Bảng xếp hạng mức hài lòng');
    await row('QT-GL-MC').waitFor();
    const province = page.getByTestId('province-row');
    expect(await text(province)).toContain('Mức chung của tỉnh');
    expect(await text(province)).toContain('Tỉnh Quảng Trị');
    // 40+30+30+30+12+7+3 answers whose sum is 1138
    expect(await text(province.getByTestId('score-figure'))).toMatch(/^7,49 \(7,\d\d–7,\d\d\) n = 152/);
    // The province comes before every unit.
    const first = await page
      .locator('[data-testid="province-row"], [data-testid="rank-row"]')
      .first()
      .getAttribute('data-testid');
    expect(first).toBe('province-row');

    const ranked = page.getByTestId('ranked-rows').getByTestId('rank-row');
    expect(await ranked.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-unit')))).toEqual([
      'QT-GL-MC',
      'QT-DH-MC',
      'QT-HH-MC',
      'QT-CL-MC',
    ]);
    const gl = await text(row('QT-GL-MC'));
    expect(gl).toContain(GL);
    expect(gl).toMatch(/Hạng\s+1/);
    expect(gl).not.toContain('đồng hạng');
    expect(gl).toContain('9,50 (9,31–9,69)');
    expect(gl).toContain('n = 30');
    expect(gl).toContain('Cao hơn mức chung của tỉnh');
    // Đông Hà and Hướng Hóa share rank 2: their intervals overlap.
    const dh = await text(row('QT-DH-MC'));
    expect(dh).toMatch(/Hạng\s+2\s+đồng hạng/);
    expect(dh).toContain('7,50 (7,01–7,99)');
    expect(dh).toContain('n = 40');
    expect(dh).toContain('Ngang mức chung');
    expect(await text(row('QT-HH-MC'))).toMatch(/Hạng\s+2\s+đồng hạng/);
    const cl = await text(row('QT-CL-MC'));
    expect(cl).toMatch(/Hạng\s+4/);
    expect(cl).toContain('Thấp hơn mức chung');
    // The band is a sign and words as well as a colour.
    const band = row('QT-CL-MC').locator('.band');
    expect(await band.getAttribute('data-band')).toBe('below');
    expect(await band.getAttribute('class')).toContain('band--bad');
    expect(await band.innerText()).toMatch(/▼\s*Thấp hơn mức chung/);
    expect(await row('QT-GL-MC').locator('.band').getAttribute('class')).toContain('band--good');

    // After the ranked ones, by name: published under 30 answers, then hidden with the reason,
    // then the names of those with no answer at all.
    const unranked = page.getByTestId('unranked-rows').getByTestId('rank-row');
    const units = await unranked.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-unit')));
    expect(units).toEqual(['QT-HL-MC', 'QT-TP-MC', 'QT-VL-MC']);
    expect(await text(row('QT-HL-MC'))).toContain('7,50 (7,17–7,83) n = 12');
    expect(await text(row('QT-HL-MC'))).not.toMatch(/Hạng \d/);
    expect(await text(row('QT-VL-MC'))).toContain('Chưa đủ số phiếu để công bố (n = 7)');
    expect(await text(row('QT-TP-MC'))).toContain('Chưa đủ số phiếu để công bố (n = 3)');
    const none = page.getByTestId('no-answers');
    expect(await none.locator('summary').innerText()).toMatch(/^Chưa có phiếu trả lời: \d+ đơn vị$/);
    await none.locator('summary').click();
    expect(await none.locator('li[data-unit="QT-QTR-MC"]').innerText()).toBe('Văn phòng một cửa thị xã Quảng Trị');
    expect(await text(page.locator('main'))).toContain('Cần ít nhất 30 phiếu phỏng vấn qua điện thoại mới được xếp hạng');

    // The period on show is the latest, and the list has every published one of the sector.
    const period = page.getByLabel('Kỳ công bố');
    expect(await period.inputValue()).toBe('2026-10');
    expect(await period.locator('option').allInnerTexts()).toEqual(['Tháng 10/2026', 'Tháng 9/2026']);
    expect(await page.getByTestId('download-csv').getAttribute('href')).toBe(
      `/api/public/v1/snapshots/${published['administration:2026-10']}?format=csv`,
    );
    await axe('rankings');
    await fitsTheScreen();
    await shot('02-rankings');
  });

  it('switches the period, then the sector', async () => {
    await page.getByLabel('Kỳ công bố').focus();
    await page.getByLabel('Kỳ công bố').selectOption('2026-09');
    await expect.poll(() => new URL(page.url()).searchParams.get('period')).toBe('2026-09');
    await expect.poll(async () => text(row('QT-GL-MC'))).toContain('6,50');
    expect(await text(row('QT-DH-MC'))).toContain('8,50');
    expect(await text(page.getByTestId('province-row'))).toContain('n = 70');
    expect(await row('QT-CL-MC').count()).toBe(0);
    expect(await page.getByTestId('no-answers').locator('li[data-unit="QT-CL-MC"]').count()).toBe(1);
    // The control keeps the focus: the reader is still choosing.
    expect(await focusedId()).toBe('period');
    await shot('03-september');

    const sectors = page.getByTestId('sector-switch');
    await sectors.getByRole('button', { name: /Y tế/ }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('sector')).toBe('health');
    await row('QT-BVDK').waitFor();
    expect(await sectors.getByRole('button', { name: /Y tế/ }).getAttribute('aria-pressed')).toBe('true');
    expect(await sectors.getByRole('button', { name: /Hành chính công/ }).getAttribute('aria-pressed')).toBe('false');
    expect(new URL(page.url()).searchParams.get('period')).toBeNull();
    expect(await page.getByRole('heading', { level: 2, name: 'Tỷ lệ hài lòng của người bệnh (Bộ Y tế)' }).count()).toBe(1);
    // A percentage: patients half at 31/31 and half at 24/31 of their answers at 4-5.
    const hospital = await text(row('QT-BVDK'));
    expect(hospital).toContain(HOSPITAL);
    expect(hospital).toMatch(/88,7% \(\d\d,\d–\d\d,\d%\)/);
    expect(hospital).toContain('n = 40');
    expect(await text(row('QT-GL-TTYT'))).toContain('Chưa đủ số phiếu để công bố (n = 8)');
    expect(await page.getByLabel('Kỳ công bố').locator('option').allInnerTexts()).toEqual(['Tháng 10/2026']);
    await axe('health rankings');
    await fitsTheScreen();
    await shot('04-health');

    await page.goBack();
    await expect.poll(() => new URL(page.url()).searchParams.get('sector')).toBe('administration');
    await expect.poll(async () => text(row('QT-GL-MC'))).toContain('6,50');
  });

  it("opens a unit's scorecard: every index beside the province, the tablet answers apart", async () => {
    await page.getByLabel('Kỳ công bố').selectOption('2026-10');
    await expect.poll(async () => text(row('QT-GL-MC'))).toContain('9,50');
    await row('QT-DH-MC').getByRole('link', { name: DH }).click();
    await h1().filter({ hasText: DH }).waitFor();
    await expect.poll(focusedId).toBe('page-title');
    expect(new URL(page.url()).searchParams.get('unit')).toBe('QT-DH-MC');
    expect(await text(page.getByTestId('unit-subtitle'))).toBe('Kết quả Tháng 10/2026, lĩnh vực Hành chính công');
    expect(await page.title()).toBe(`${DH}: Tháng 10/2026`);

    const cards = page.getByTestId('unit-index');
    const codes = await cards.evaluateAll((c) => c.map((x) => x.getAttribute('data-index')));
    expect(codes[0]).toBe('MSCORE_SATISFACTION');
    for (const code of ['MSCORE_STAFF', 'ASKED_TO_RETURN', 'KIOSK_SATISFIED', 'HAPPY_INDEX', 'SIPAS'])
      expect(codes).toContain(code);

    const headline = page.locator('[data-testid="unit-index"][data-index="MSCORE_SATISFACTION"]');
    const headlineText = await text(headline);
    expect(headlineText).toContain('Chỉ số hài lòng M.Score (thang 10)');
    expect(headlineText).toMatch(/Đơn vị này\s+7,50\s+\(7,01–7,99\)\s+n = 40/);
    expect(headlineText).toMatch(/Toàn tỉnh\s+7,49\s+\(7,\d\d–7,\d\d\)\s+n = 152/);
    expect(headlineText).toContain('Hạng 2 (đồng hạng)');
    expect(headlineText).toContain('Ngang mức chung');
    // 40 interviews: no one asked to come back, so 0% with its interval.
    expect(await text(page.locator('[data-testid="unit-index"][data-index="ASKED_TO_RETURN"]'))).toMatch(/0,0%\s+\(0,0–8,\d%\)/);

    // The tablet: beside the interviews, not pooled, not ranked.
    const kiosk = page.getByTestId('unit-group-kiosk');
    const kioskText = await text(kiosk);
    expect(kioskText).toContain('Đánh giá trên máy tính bảng');
    expect(kioskText).toContain('không gộp với phỏng vấn, không xếp hạng');
    expect(kioskText).toMatch(/Tỷ lệ hài lòng trên máy tính bảng[\s\S]*n = 12/);
    expect(kioskText).toContain('Chỉ số này không dùng để xếp hạng');
    expect(await kiosk.locator('.band').count()).toBe(0);
    expect(await page.getByTestId('unit-group-phone').locator('[data-index="KIOSK_SATISFIED"]').count()).toBe(0);
    await axe('unit scorecard');
    await fitsTheScreen();
    await shot('05-unit');

    // Another period of the same unit.
    await page.getByLabel('Kỳ công bố').selectOption(published['administration:2026-09'] as string);
    await expect.poll(async () => text(page.getByTestId('unit-subtitle'))).toContain('Tháng 9/2026');
    expect(await text(page.locator('[data-testid="unit-index"][data-index="MSCORE_SATISFACTION"]'))).toMatch(/Đơn vị này\s+8,50/);

    await page.getByRole('link', { name: 'Về bảng xếp hạng' }).click();
    await h1().filter({ hasText: 'Bảng xếp hạng mức hài lòng' }).waitFor();
    expect(new URL(page.url()).searchParams.get('period')).toBe('2026-09');
  });

  it('explains the method in plain words, with every index from the methodology API', async () => {
    await page.getByRole('navigation', { name: 'Các trang' }).getByRole('link', { name: 'Cách tính điểm' }).click();
    await h1().filter({ hasText: 'Cách tính điểm' }).waitFor();
    await page.getByTestId('methods-index').first().waitFor();
    const main = await text(page.locator('main'));
    expect(main).toContain('khoảng tin cậy 95%');
    expect(main).toContain('n là số phiếu');
    expect(main).toContain('dưới 10 phiếu thì chưa công bố điểm');
    expect(main).toContain('ta ẩn thêm một đơn vị nữa');
    expect(main).toContain('từ 30 phiếu phỏng vấn qua điện thoại trở lên mới được xếp hạng');
    expect(main).toContain('khoảng tin cậy chồng lên nhau thì đồng hạng');
    expect(main).toContain('Không bao giờ gộp chung, không bao giờ dùng để xếp hạng');
    const satisfaction = await text(page.locator('[data-testid="methods-index"][data-index="MSCORE_SATISFACTION"]'));
    expect(satisfaction).toContain('Chỉ số hài lòng M.Score (thang 10)');
    expect(satisfaction).toContain('Điểm trung bình câu hỏi hài lòng chung, phỏng vấn qua điện thoại');
    expect(satisfaction).toContain('Nguồn: M.Score');
    expect(satisfaction).toContain('Thang điểm 1–10');
    const moh = await text(page.locator('[data-testid="methods-index"][data-index="MOH_SATISFACTION"]'));
    expect(moh).toContain('Nguồn: Quyết định 3869/QĐ-BYT của Bộ Y tế');
    expect(await text(page.locator('[data-testid="methods-index"][data-index="ASKED_TO_RETURN"]'))).toContain(
      'Thấp hơn là tốt hơn',
    );
    expect(await text(page.locator('[data-testid="methods-index"][data-index="ON_TIME_EVENTS"]'))).toContain(
      'Tính từ danh sách hồ sơ',
    );
    await axe('methodology');
    await fitsTheScreen();
    await shot('06-methods');
  });

  it('lists every published period as JSON and CSV', async () => {
    await page.getByRole('navigation', { name: 'Các trang' }).getByRole('link', { name: 'Dữ liệu mở' }).click();
    await h1().filter({ hasText: 'Dữ liệu mở' }).waitFor();
    const items = page.getByTestId('open-data-item');
    await items.first().waitFor();
    expect(await items.count()).toBe(3);
    const ids = await items.evaluateAll((x) => x.map((e) => e.getAttribute('data-snapshot')));
    expect(new Set(ids)).toEqual(new Set(Object.values(published)));
    const october = page.locator(`[data-snapshot="${published['administration:2026-10']}"]`);
    expect(await october.getByRole('heading', { level: 2 }).innerText()).toBe('Hành chính công: Tháng 10/2026');
    expect(await text(october)).toContain('mscore-scores/1');
    const csv = await october.getByRole('link', { name: 'Tải CSV' }).getAttribute('href');
    const json = await october.getByRole('link', { name: 'Tải JSON' }).getAttribute('href');
    const anon = tp.client();
    const c = await anon.get(csv as string);
    expect(c.status).toBe(200);
    expect(c.headers.get('content-type')).toContain('text/csv');
    expect(c.text).toContain('MSCORE_SATISFACTION,1,phone,QT-GL-MC,');
    const j = await anon.get(json as string);
    expect(j.body).toMatchObject({ id: published['administration:2026-10'], period: '2026-10', sector: 'administration' });
    expect(await text(october)).toContain(j.body.inputsHash);
    expect(await text(page.locator('main'))).toContain('ci_low');
    await axe('open data');
    await fitsTheScreen();
    await shot('07-open-data');

    // Each period leads to its rankings.
    await october.getByRole('link', { name: 'Xem bảng xếp hạng' }).click();
    await h1().filter({ hasText: 'Bảng xếp hạng mức hài lòng' }).waitFor();
    await expect.poll(async () => text(row('QT-GL-MC'))).toContain('9,50');
  });

  it('speaks English when asked', async () => {
    await page.getByTestId('lang-switch').getByRole('button', { name: 'English' }).click();
    await h1().filter({ hasText: 'Satisfaction rankings' }).waitFor();
    expect(await page.title()).toBe('Satisfaction rankings: Public administration');
    const dh = await text(row('QT-DH-MC'));
    expect(dh).toMatch(/Rank\s+2\s+shared/);
    expect(dh).toContain('7.50 (7.01–7.99)');
    expect(dh).toContain('Around the provincial level');
    expect(await text(row('QT-VL-MC'))).toContain('Too few answers to publish (n = 7)');
    expect(await page.getByLabel('Published period').locator('option').allInnerTexts()).toEqual([
      'October 2026',
      'September 2026',
    ]);
    // Unit names stay Vietnamese, and say so to a screen reader.
    expect(await row('QT-DH-MC').locator('[lang="vi"]').innerText()).toBe(DH);
    await axe('rankings in English');
    await shot('08-rankings-en');

    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'How we score' }).click();
    await h1().filter({ hasText: 'How we score' }).waitFor();
    await page.getByTestId('methods-index').first().waitFor();
    const main = await text(page.locator('main'));
    expect(main).toContain('A unit with under 10 answers has no published score');
    expect(main).toContain('never pooled with them and never used for ranking');
    expect(await text(page.locator('[data-testid="methods-index"][data-index="MSCORE_SATISFACTION"]'))).toContain(
      'M.Score satisfaction index (1-10)',
    );
    await shot('09-methods-en');
    await page.getByTestId('lang-switch').getByRole('button', { name: 'Tiếng Việt' }).click();
    await h1().filter({ hasText: 'Cách tính điểm' }).waitFor();
  });

  it('keeps the score pages within budget and reads well on a desk', async () => {
    // Every script the phone loaded for the lookup and the score pages, gzipped here.
    let gzipped = 0;
    const sizes: string[] = [];
    for (const r of scripts.values()) {
      const gz = gzipSync(await r.body()).length;
      gzipped += gz;
      sizes.push(`${new URL(r.url()).pathname}: ${gz} B gzipped`);
    }
    console.log(`portal and score pages JavaScript, ${gzipped} B gzipped in all:\n  ${sizes.join('\n  ')}`);
    expect([...scripts.keys()].some((u) => /\/(console|vendor)-/.test(u))).toBe(false);
    expect(gzipped).toBeLessThan(JS_BUDGET);

    const desk = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    page = await desk.newPage();
    await openScores('page=rankings');
    await row('QT-GL-MC').waitFor();
    await axe('rankings on a desk');
    await fitsTheScreen();
    await shot('10-desk-rankings');
    await row('QT-DH-MC').getByRole('link', { name: DH }).click();
    await h1().filter({ hasText: DH }).waitFor();
    await page.getByTestId('unit-index').first().waitFor();
    await fitsTheScreen();
    await shot('11-desk-unit');
    await openScores('page=methods');
    await page.getByTestId('methods-index').first().waitFor();
    await shot('12-desk-methods');
    await openScores('page=open-data');
    await page.getByTestId('open-data-item').first().waitFor();
    await shot('13-desk-open-data');
    await openScores('page=rankings&sector=health');
    await row('QT-BVDK').waitFor();
    await shot('14-desk-health');
    expect(await text(page.locator('main'))).not.toContain(CL);
    expect(await text(page.locator('main'))).not.toContain(HH);
    await desk.close();
  });
});
