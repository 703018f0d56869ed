// Browser test in Debian's Chromium: import a monthly list whose code column
// has a header the detector does not know, correct the mapping in the console
// and remember it, find the records on the events page, and import the same
// file again with the saved mapping.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasBrowser, launchBrowser, screenshot } from '../support/browser.ts';
import { ADMIN_PASSWORD, startTestPlatform, type TestPlatform } from '../support/platform.ts';

const UNIT = 'QT-DKR-MC';
const UNIT_OPTION = 'Văn phòng một cửa huyện Đakrông (QT-DKR-MC)';
const WAIT = { timeout: 15_000 };

let tp: TestPlatform;
let browser: Browser;
let page: Page;
let dir: string;

const shot = (name: string, p: Page = page) => screenshot(p, name);

/** Last month in Vietnam as [year, month]: the list an office sends at the start of a month. */
function lastMonth(): [number, number] {
  const [y, m] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit' })
    .format(new Date())
    .split('-')
    .map(Number) as [number, number];
  return m === 1 ? [y - 1, 12] : [y, m - 1];
}

const [YEAR, MONTH] = lastMonth();
const mm = String(MONTH).padStart(2, '0');
const day = (d: number) => `${String(d).padStart(2, '0')}/${mm}/${YEAR}`;
const code = (n: number) => `DKR-${YEAR}${mm}-${String(n).padStart(4, '0')}`;
const CODES = [code(1), code(2), code(3)];
const PHONES = ['0912345678', '0987654321', '0354123456'];

// "Số phiếu" (the dossier code) is unknown to the detector. "Số biên nhận cũ" (an old,
// mostly empty receipt number) looks like a code column to it, so the file has a
// header it can find, with the code on the wrong column.
const HEADER = 'STT,Số phiếu,Số biên nhận cũ,Ngày tiếp nhận,Ngày hẹn trả,Ngày trả kết quả,Họ tên,Số điện thoại';
const LIST = [
  HEADER,
  `1,${CODES[0]},,${day(3)} 08:15,${day(10)},${day(8)},Nguyễn Văn An,${PHONES[0]}`,
  `2,${CODES[1]},BN-77,${day(4)} 09:00,${day(9)},${day(12)},Trần Thị Bình,${PHONES[1]}`,
  `3,${CODES[2]},,${day(5)} 14:30,${day(12)},,Hồ Văn Cường,${PHONES[2]}`,
].join('\r\n');
// Same layout, two bad rows: no code, and a date that does not exist.
const BAD_LIST = [
  HEADER,
  `1,,,${day(6)} 08:00,${day(12)},,Lê Thị Dung,0912000111`,
  `2,${code(4)},,31/02/${YEAR},${day(12)},,Phan Văn Em,0912000222`,
].join('\r\n');

/** Picks an option of the Mantine select whose input is `target`. */
async function choose(target: ReturnType<Page['getByTestId']>, option: string, search?: string) {
  await target.click();
  if (search) await target.fill(search);
  await page.getByRole('option', { name: option, exact: true }).click();
}

async function openImports() {
  await page.getByTestId('nav-imports').click();
  await page.waitForURL(/\/imports$/);
  await choose(page.getByTestId('import-unit'), UNIT_OPTION, 'dakrong mc');
  expect(await page.getByTestId('import-unit').inputValue()).toBe(UNIT_OPTION);
}

const mappingRow = (column: number) => page.locator(`[data-testid="import-mapping-row"][data-column="${column}"]`);

describe.skipIf(!hasBrowser)('list import in a browser', () => {
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'mscore-e2e-imports-'));
    writeFileSync(path.join(dir, 'danh-sach-thang.csv'), `\uFEFF${LIST}\r\n`);
    writeFileSync(path.join(dir, 'danh-sach-loi.csv'), `\uFEFF${BAD_LIST}\r\n`);
    tp = await startTestPlatform();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(WAIT.timeout);
  });
  afterAll(async () => {
    await browser?.close();
    await tp?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('previews the list, takes the corrected code column, remembers it and imports', async () => {
    await page.goto(`${tp.baseUrl}/`);
    await page.getByTestId('login-username').fill('admin');
    await page.getByTestId('login-password').fill(ADMIN_PASSWORD);
    await page.getByTestId('login-submit').click();
    // the console opens on the scores; the units are one click away
    await page.waitForURL(/\/scores$/);
    await page.getByTestId('nav-units').click();
    await page.getByTestId('unit-search').waitFor();
    expect(await page.getByTestId('nav-imports').innerText()).toContain('Nhập danh sách');

    await openImports();
    await page.getByTestId('import-file').setInputFiles(path.join(dir, 'danh-sach-thang.csv'));
    await page.getByTestId('import-preview').waitFor();
    expect(await page.getByTestId('import-header-row').innerText()).toContain('1');
    expect(await page.getByTestId('import-profile').count()).toBe(0);
    // The unknown header is left unmapped, with its sample values shown.
    await expect(mappingRow(1).getAttribute('data-field')).resolves.toBe('');
    expect(await mappingRow(1).innerText()).toContain('Số phiếu');
    expect(await mappingRow(1).innerText()).toContain(CODES[0]);
    expect(await mappingRow(1).getByTestId('import-mapping-select').inputValue()).toBe('— bỏ qua —');
    await expect(mappingRow(2).getAttribute('data-field')).resolves.toBe('externalId');
    await expect(mappingRow(3).getAttribute('data-field')).resolves.toBe('receivedAt');
    await expect(mappingRow(7).getAttribute('data-field')).resolves.toBe('phone');
    await shot('01-import-preview');

    // The code goes to "Số phiếu"; the old receipt column loses it.
    await choose(mappingRow(1).getByTestId('import-mapping-select'), 'Mã hồ sơ/mã BN');
    await expect(mappingRow(1).getAttribute('data-field')).resolves.toBe('externalId');
    await expect(mappingRow(2).getAttribute('data-field')).resolves.toBe('');
    await page.getByTestId('import-remember').check();
    await shot('02-import-corrected');

    await page.getByTestId('import-submit').click();
    const result = page.getByTestId('import-result');
    await result.waitFor();
    expect(await result.getAttribute('data-accepted')).toBe('3');
    expect(await result.getAttribute('data-rejected')).toBe('0');
    expect(await page.getByTestId('import-count-accepted').innerText()).toContain('3');
    expect(await page.getByTestId('import-quality').innerText()).toContain('3');
    await page.getByTestId('import-history-row').first().waitFor();
    expect(await page.getByTestId('import-history-row').count()).toBe(1);
    await shot('03-import-result');
  });

  it('lists the imported dossiers with masked phones and reveals one on request', async () => {
    await page.getByTestId('nav-events').click();
    await page.waitForURL(/\/events$/);
    await page.locator(`[data-testid="events-row"][data-external-id="${CODES[2]}"]`).waitFor();
    const rows = page.getByTestId('events-row');
    const ids = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-external-id')));
    expect(ids.sort()).toEqual([...CODES].sort());
    const phones = await page.getByTestId('events-phone').allInnerTexts();
    expect(phones).toHaveLength(3);
    for (const p of phones) {
      expect(p).toMatch(/^\d{3}\*+\d{4}$/);
      expect(PHONES).not.toContain(p);
    }
    const late = page.locator(`[data-testid="events-row"][data-external-id="${CODES[1]}"] [data-testid="timeliness"]`);
    expect(await late.getAttribute('data-value')).toBe('late');
    await shot('04-events');

    await page.locator(`[data-testid="events-row"][data-external-id="${CODES[0]}"]`).click();
    const detail = page.getByTestId('event-detail');
    await detail.waitFor();
    expect(await detail.innerText()).toContain('Nguyễn Văn An');
    expect(await page.getByTestId('event-phone').innerText()).toMatch(/\*/);
    await page.getByTestId('reveal-phone').click();
    await page.getByTestId('reveal-note').waitFor();
    expect(await page.getByTestId('event-phone').innerText()).toBe(PHONES[0]);
    await shot('05-event-detail');
    await page.keyboard.press('Escape');
    await detail.waitFor({ state: 'detached' });

    // On a phone the table scrolls sideways instead of squeezing its columns.
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await phone.context().addCookies(await page.context().cookies());
    await phone.goto(`${tp.baseUrl}/events`);
    await phone.getByTestId('events-row').first().waitFor(WAIT);
    const overflow = await phone.getByTestId('events-table').evaluate((t) => t.getBoundingClientRect().width);
    expect(overflow).toBeGreaterThan(390);
    await shot('06-events-phone', phone);
    // The column mapping too (a preview without a unit: no saved profile applies).
    await phone.goto(`${tp.baseUrl}/imports`);
    await phone.getByTestId('import-file').setInputFiles(path.join(dir, 'danh-sach-thang.csv'));
    await phone.getByTestId('import-preview').waitFor(WAIT);
    await shot('07-import-preview-phone', phone);
    await phone.close();
  });

  it('stored the rows and the corrected mapping as the unit’s profile', async () => {
    const db = tp.ctx.db;
    const unit = await db.selectFrom('units').select('id').where('code', '=', UNIT).executeTakeFirstOrThrow();
    const events = await db
      .selectFrom('service_events')
      .select(['external_id', 'source', 'phone_kind'])
      .where('unit_id', '=', unit.id)
      .orderBy('external_id')
      .execute();
    expect(events).toEqual(CODES.map((c) => ({ external_id: c, source: 'import', phone_kind: 'mobile' })));
    const profiles = await db
      .selectFrom('import_profiles')
      .select(['header_row', 'mapping'])
      .where('unit_id', '=', unit.id)
      .execute();
    expect(profiles).toHaveLength(1);
    expect(profiles[0]!.header_row).toBe(1);
    const mapping = profiles[0]!.mapping as Record<string, string>;
    expect(mapping['1']).toBe('externalId');
    expect(Object.values(mapping).filter((f) => f === 'externalId')).toHaveLength(1);
  });

  it('maps the same layout from the saved profile next time; importing again adds nothing', async () => {
    await openImports();
    await page.getByTestId('import-file').setInputFiles(path.join(dir, 'danh-sach-thang.csv'));
    await page.getByTestId('import-profile').waitFor();
    await expect(mappingRow(1).getAttribute('data-field')).resolves.toBe('externalId');
    await expect(mappingRow(2).getAttribute('data-field')).resolves.toBe('');
    await shot('08-import-profile');

    // With its answer held back for a moment (the request itself goes through, so the upload
    // completes), the import shows that the server is working on it.
    const cdp = await page.context().newCDPSession(page);
    cdp.on('Fetch.requestPaused', (e) => {
      setTimeout(() => void cdp.send('Fetch.continueRequest', { requestId: e.requestId }).catch(() => {}), 1500);
    });
    await cdp.send('Fetch.enable', { patterns: [{ urlPattern: '*/api/v1/imports', requestStage: 'Response' }] });
    await page.getByTestId('import-submit').click();
    await page.getByTestId('import-progress').getByText('Đang xử lý…').waitFor();
    await shot('09-import-processing');
    const result = page.getByTestId('import-result');
    await result.waitFor();
    await cdp.detach();
    expect(await result.getAttribute('data-accepted')).toBe('0');
    expect(await result.getAttribute('data-updated')).toBe('0');
    expect(await result.getAttribute('data-unchanged')).toBe('3');
    expect(await result.getAttribute('data-rejected')).toBe('0');
    const count = await tp.ctx.db
      .selectFrom('service_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(3);
  });

  it('reports bad rows with their row number, column and reason; the history opens each report', async () => {
    await page.getByTestId('import-file').setInputFiles(path.join(dir, 'danh-sach-loi.csv'));
    await page.getByTestId('import-profile').waitFor();
    await page.getByTestId('import-submit').click();
    const result = page.getByTestId('import-result');
    await result.waitFor();
    expect(await result.getAttribute('data-rejected')).toBe('1');
    const errors = await page.getByTestId('import-error-row').allInnerTexts();
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/^2\s+Số phiếu\s+Dòng không có mã hồ sơ\/mã BN/);
    expect(errors[1]).toMatch(/^3\s+Ngày tiếp nhận\s+Ngày không đúng dạng ngày\/tháng\/năm/);
    await shot('10-import-errors');

    const history = page.getByTestId('import-history-row');
    await expect.poll(() => history.count(), WAIT).toBe(3);
    // Newest first: the first list is the last row.
    await history.last().click();
    const report = page.getByTestId('import-report-result');
    await report.waitFor();
    expect(await report.getAttribute('data-accepted')).toBe('3');
    await shot('11-import-report');
    await page.keyboard.press('Escape');
    await report.waitFor({ state: 'detached' });

    await page.getByTestId('nav-quality').click();
    await page.locator(`[data-testid="quality-row"][data-unit="${UNIT}"]`).waitFor();
    const row = page.locator(`[data-testid="quality-row"][data-unit="${UNIT}"]`);
    expect(await row.innerText()).toContain('100,0%');
    await shot('12-quality');
    // The download links work with the session cookie alone.
    const href = await page.getByTestId('quality-csv').getAttribute('href');
    expect(href).toMatch(/format=csv$/);
    const csv = await page.request.get(`${tp.baseUrl}${href}`);
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toContain('csv');
    expect(await csv.text()).toContain(UNIT);
  });
});
