// Phone-interview supervision in the console: a round created through the
// form, its plan with the exclusions and the units short of records, the
// publication, progress with the rate definitions, interviewers, re-assignment
// of records, the CSV export (masked numbers only), closing the round, and the
// do-not-contact list; axe-core finds no WCAG A/AA violation on the way.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, hasBrowser, launchBrowser, screenshot } from '../support/browser.ts';
import { ADMIN_PASSWORD, type Client, startTestPlatform, type TestPlatform, userWithRole } from '../support/platform.ts';
import { phoneResponse } from '../support/responses.ts';

let tp: TestPlatform;
let admin: Client;
let browser: Browser;
let page: Page;
let lan: { client: Client; id: string };
let minh: { client: Client; id: string };
let roundId = '';

/** A weekday morning in November 2026: October's returns are the frame, and calls are allowed. */
const NOW = new Date('2026-11-10T09:00:00+07:00');
const phone = (i: number) => `0912${String(i).padStart(6, '0')}`;

function event(unit: string, i: number, o: { phone?: string | null; returned?: boolean } = {}) {
  return {
    unit,
    externalId: `${unit}-2026-10-${i}`,
    kind: 'dossier',
    receivedAt: '2026-10-01',
    ...(o.returned === false ? {} : { returnedAt: '2026-10-15T10:00:00+07:00' }),
    citizen: {
      name: `Người dân ${i}`,
      ...(o.phone === null ? {} : { phone: o.phone ?? phone(i) }),
      gender: i % 2 ? 'female' : 'male',
      ethnicMinority: i % 4 === 0,
    },
  };
}

// Đông Hà: 60 good records, plus 5 without a phone, 4 not returned yet, a
// landline and a second dossier of a number already there. Vĩnh Linh: 6
// records, 2 of them without a phone: too few for the floor of 30.
const DH = [
  ...Array.from({ length: 60 }, (_, i) => event('QT-DH-MC', i + 1)),
  ...Array.from({ length: 5 }, (_, i) => event('QT-DH-MC', 100 + i, { phone: null })),
  ...Array.from({ length: 4 }, (_, i) => event('QT-DH-MC', 200 + i, { returned: false })),
  event('QT-DH-MC', 300, { phone: '0233 3852 123' }),
  event('QT-DH-MC', 301, { phone: phone(1) }),
];
const VL = [
  ...Array.from({ length: 4 }, (_, i) => event('QT-VL-MC', 400 + i)),
  ...Array.from({ length: 2 }, (_, i) => event('QT-VL-MC', 500 + i, { phone: null })),
];
const ALL_NUMBERS = [...DH, ...VL].flatMap((e) => (e.citizen.phone ? [e.citizen.phone.replace(/\D/g, '')] : []));

const pick = async (testId: string, option: string | RegExp) => {
  await page.getByTestId(testId).click();
  await page.getByRole('option', { name: option }).click();
};
const pageWidth = () => page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth as number);

describe.skipIf(!hasBrowser)('phone-interview rounds in the console', () => {
  beforeAll(async () => {
    tp = await startTestPlatform();
    tp.ctx.clock.now = () => NOW;
    admin = await tp.admin();
    const r = await admin.post('/api/v1/events', { events: [...DH, ...VL] });
    expect(r.status).toBe(200);
    expect(r.body.rejected).toBe(0);
    lan = await userWithRole(tp, admin, 'dtv.lan', 'interviewer', null);
    minh = await userWithRole(tp, admin, 'dtv.minh', 'interviewer', null);
    browser = await launchBrowser();
    page = await browser.newPage({
      bypassCSP: true,
      viewport: { width: 1280, height: 900 },
      locale: 'vi-VN',
      acceptDownloads: true,
    });
    await page.goto(`${tp.baseUrl}/login`);
    await page.getByTestId('login-username').fill('admin');
    await page.getByTestId('login-password').fill(ADMIN_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await tp?.stop();
  });

  it('creates a draft through the form; the plan shows every exclusion and the unit with too few records', async () => {
    await page.getByTestId('nav-rounds').click();
    await page.waitForURL(/\/rounds$/);
    await page.getByTestId('rounds-table').waitFor();
    expect(await page.getByTestId('rounds-table').innerText()).toContain('Chưa có đợt phỏng vấn nào');

    await page.getByTestId('round-new').click();
    const form = page.getByTestId('round-form');
    await form.waitFor();
    // the sample-size formula and what it gives with the defaults
    const formula = await page.getByTestId('round-formula').innerText();
    expect(formula).toContain('n₀ = z² · p(1 − p) / e²');
    expect(formula).toContain('n = n₀ / (1 + (n₀ − 1) / N)');
    expect(await page.getByTestId('round-formula-example').innerText()).toContain('n₀ = 385');
    expect(await page.getByTestId('round-confidence').inputValue()).toBe('95% (z = 1,96)');
    await page.getByTestId('round-name').fill('Phỏng vấn tháng 10/2026');
    await pick('round-from', 'tháng 10 năm 2026');
    await pick('round-to', 'tháng 10 năm 2026');
    await page.getByTestId('round-seed').fill('quang-tri-2026-10');
    await screenshot(page, 'rounds-01-form');
    await page.getByTestId('round-save').click();

    await page.waitForURL(/\/rounds\?id=/);
    roundId = new URL(page.url()).searchParams.get('id') ?? '';
    const plan = page.getByTestId('plan-table');
    await plan.waitFor();
    expect(await page.getByTestId('round-status').innerText()).toBe('Bản nháp');
    expect(await page.getByTestId('round-seed-value').innerText()).toContain('quang-tri-2026-10');

    const dh = page.locator('[data-testid="plan-row"][data-unit="QT-DH-MC"]');
    const count = (row: typeof dh, reason: string) => row.getByTestId(`excluded-${reason}`).getAttribute('data-count');
    expect(await count(dh, 'no_phone')).toBe('5');
    expect(await count(dh, 'no_return_date')).toBe('4');
    expect(await count(dh, 'landline')).toBe('1');
    expect(await count(dh, 'duplicate_number')).toBe('1');
    expect(await count(dh, 'cancelled')).toBe('0');
    expect(await dh.getByTestId('plan-eligible').innerText()).toBe('60');
    expect(await dh.getAttribute('data-shortfall')).toBeNull();
    // the headers say what each count is
    const head = await plan.locator('thead').innerText();
    for (const h of [
      'Thiếu ngày trả kết quả',
      'Không có SĐT',
      'SĐT cố định',
      'Đã phỏng vấn trong 90 ngày',
      'Trùng số điện thoại',
    ])
      expect(head).toContain(h);

    // Vĩnh Linh: first in the table, with the warning and why
    const vl = page.locator('[data-testid="plan-row"][data-unit="QT-VL-MC"]');
    expect(await vl.getAttribute('data-shortfall')).toBe('too_few');
    expect(await page.getByTestId('plan-row').first().getAttribute('data-unit')).toBe('QT-VL-MC');
    const warning = await vl.getByTestId('plan-shortfall').innerText();
    expect(warning).toContain('Không đủ mẫu');
    expect(warning).toContain('Chỉ 4 hồ sơ đủ điều kiện, dưới mức tối thiểu 30');
    expect(warning).toContain('Không có SĐT: 2');
    expect(await page.getByTestId('plan-short').innerText()).toContain('1 đơn vị không đạt cỡ mẫu');

    await page.waitForLoadState('networkidle');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'rounds-02-plan');

    // On a phone the wide table scrolls in its box; the page itself does not.
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await plan.waitFor();
      // the navigation folds away with a transition: measure once the layout has settled
      await expect.poll(pageWidth, { timeout: 5000 }).toBeLessThanOrEqual(390);
      await screenshot(page, 'rounds-03-plan-phone');
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  it('edits the draft: the plan is worked out again', async () => {
    await page.getByTestId('round-edit').click();
    await page.getByTestId('round-form').waitFor();
    expect(await page.getByTestId('round-name').inputValue()).toBe('Phỏng vấn tháng 10/2026');
    // a margin of 10% needs far fewer people from Đông Hà
    await page.getByTestId('round-margin').fill('10');
    await page.getByTestId('round-save').click();
    await page.getByTestId('round-form').waitFor({ state: 'detached' });
    const dh = page.locator('[data-testid="plan-row"][data-unit="QT-DH-MC"]');
    await expect.poll(() => dh.getByTestId('plan-target').innerText()).toBe('38');
    await page.getByTestId('round-edit').click();
    await page.getByTestId('round-margin').fill('5');
    await page.getByTestId('round-save').click();
    await expect.poll(() => dh.getByTestId('plan-target').innerText()).toBe('53');
  });

  it('publishes after confirming the total; progress shows the sampled counts and the rate definitions', async () => {
    const detail = await admin.get(`/api/v1/rounds/${roundId}`);
    const drawn = detail.body.plan.reduce((s: number, p: { drawn: number }) => s + p.drawn, 0);
    expect(drawn).toBe(53 + 4);

    await page.getByTestId('round-publish').click();
    const total = page.getByTestId('publish-total');
    await total.waitFor();
    expect(await total.innerText()).toBe(`Chọn ${drawn} người tại 2 đơn vị`);
    await screenshot(page, 'rounds-04-publish');
    await page.getByTestId('publish-confirm').click();

    await page.getByTestId('tab-progress').waitFor();
    expect(await page.getByTestId('round-status').innerText()).toBe('Đang phỏng vấn');
    expect(await page.getByTestId('figure-sampled').getByTestId('figure-value').innerText()).toBe(String(drawn));
    const row = (unit: string) => page.locator(`[data-testid="progress-table-row"][data-key="${unit}"]`);
    expect(await row('QT-DH-MC').locator('[data-col="sampled"]').innerText()).toBe('53');
    expect(await row('QT-VL-MC').locator('[data-col="sampled"]').innerText()).toBe('4');
    expect(await row('QT-VL-MC').locator('[data-col="pending"]').innerText()).toBe('4');
    const defs = await page.getByTestId('rate-definitions').innerText();
    expect(defs).toContain('Tỷ lệ hoàn thành = số phỏng vấn hoàn thành / số người được chọn mẫu');
    expect(defs).toContain('RR1');
    expect(defs).toContain('COOP1');
    expect(defs).toContain('số người đã nghe máy (hoàn thành, một phần, từ chối, hẹn gọi lại)');
    expect(await page.getByTestId('round-frame-hash').innerText()).toMatch(/[0-9a-f]{16}…/);
    expect(await page.getByTestId('groups-table').innerText()).toContain('Dân tộc thiểu số');
    await page.waitForLoadState('networkidle');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'rounds-05-progress');
  });

  it('moves selected records to an interviewer, then all of them to another', async () => {
    await page.getByTestId('tab-records').click();
    const table = page.getByTestId('records-table');
    await table.waitFor();
    expect(await page.getByTestId('records-total').innerText()).toBe('57 người');
    // numbers are masked
    const phones = await page.getByTestId('record-phone').allInnerTexts();
    expect(phones.length).toBe(50);
    for (const p of phones) expect(p).toMatch(/^0\d{2}\*\*\*\d{4}$/);

    const boxes = page.getByTestId('record-select');
    for (let i = 0; i < 6; i++) await boxes.nth(i).check();
    expect(await page.getByTestId('move-selected').innerText()).toContain('Đã chọn 6 người');
    await pick('move-selected-to', 'dtv.lan');
    await page.getByTestId('move-selected-button').click();
    await expect.poll(() => page.getByTestId('records-moved').innerText()).toContain('Đã chuyển 6 người');
    expect((await admin.get(`/api/v1/rounds/${roundId}/records?interviewer=${lan.id}`)).body.total).toBe(6);

    await pick('move-all-from', 'dtv.lan');
    await pick('move-all-to', 'dtv.minh');
    await screenshot(page, 'rounds-06-records');
    await page.getByTestId('move-all-button').click();
    await expect.poll(() => page.getByTestId('records-moved').innerText()).toContain('Đã chuyển 6 người');
    expect((await admin.get(`/api/v1/rounds/${roundId}/records?interviewer=${lan.id}`)).body.total).toBe(0);
    expect((await admin.get(`/api/v1/rounds/${roundId}/records?interviewer=${minh.id}`)).body.total).toBe(6);

    await pick('records-interviewer', 'dtv.minh');
    await expect.poll(() => page.getByTestId('records-total').innerText()).toBe('6 người');
    const names = await page.getByTestId('record-interviewer').allInnerTexts();
    expect(names).toEqual(Array(6).fill('dtv.minh'));
    await page.waitForLoadState('networkidle');
    expect(await axeViolations(page)).toEqual([]);
  });

  it('after calls, shows the outcomes, rates and interviewer productivity', async () => {
    // The interviewer records outcomes for the records they hold (through the API).
    const held = (await admin.get(`/api/v1/rounds/${roundId}/records?interviewer=${minh.id}`)).body.items as { id: string }[];
    const call = (id: string, outcome: string, extra: Record<string, unknown> = {}) =>
      minh.client.post(`/api/v1/interviews/${id}/outcome`, {
        attemptId: randomUUID(),
        outcome,
        startedAt: '2026-11-10T08:20:00+07:00',
        endedAt: '2026-11-10T08:32:00+07:00',
        ...extra,
      });
    const answers = (unit: string) => {
      const r = phoneResponse(unit, '2026-11-10', { SATISFACTION: 8 });
      return { response: { id: r.id, answers: r.answers } };
    };
    const ids = held.map((h) => h.id);
    const units = (await admin.get(`/api/v1/rounds/${roundId}/records?interviewer=${minh.id}`)).body.items.map(
      (x: { unit: { code: string } }) => x.unit.code,
    );
    const results = [
      await call(ids[0] as string, 'completed', answers(units[0])),
      await call(ids[1] as string, 'completed', answers(units[1])),
      await call(ids[2] as string, 'refused'),
      await call(ids[3] as string, 'no_answer'),
      await call(ids[4] as string, 'callback', { callbackAt: '2026-11-11T18:00:00+07:00' }),
      await call(ids[5] as string, 'wrong_number'),
    ];
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);

    await page.reload();
    await page.getByTestId('tab-progress').waitFor();
    expect(await page.getByTestId('figure-completed').getByTestId('figure-value').innerText()).toBe('2');
    // completion 2/57; cooperation 2 / (2 completed + 1 refused + 1 callback)
    expect(await page.getByTestId('figure-completion').innerText()).toContain('3,5%');
    expect(await page.getByTestId('figure-completion').innerText()).toContain('2 / 57');
    expect(await page.getByTestId('figure-cooperation').innerText()).toContain('50,0%');
    expect(await page.getByTestId('figure-cooperation').innerText()).toContain('2 / 4');
    // response RR1: 2 / (57 - 1 wrong number)
    expect(await page.getByTestId('figure-response').innerText()).toContain('2 / 56');
    const total = page.getByTestId('progress-table-total');
    expect(await total.locator('[data-col="completed"]').innerText()).toBe('2');
    expect(await total.locator('[data-col="ineligible"]').innerText()).toBe('1');
    expect(await total.locator('[data-col="refused"]').innerText()).toBe('1');
    await screenshot(page, 'rounds-07-progress-calls');

    await page.getByTestId('tab-interviewers').click();
    const row = page.locator(`[data-testid="interviewer-row"][data-id="${minh.id}"]`);
    await row.waitFor();
    const cells = await row.locator('td').allInnerTexts();
    expect(cells[0]).toBe('dtv.minh');
    // both completes carry the same closed answers: flagged for listening again
    expect(cells[1]).toBe('2 trả lời giống hệt');
    expect(cells[2]).toBe('6'); // calls
    expect(cells[3]).toBe('2'); // completed
    await page.waitForLoadState('networkidle');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'rounds-08-interviewers');

    await page.getByTestId('tab-records').click();
    await page.getByTestId('records-table').waitFor();
    await page.getByTestId('records-flagged').check();
    await expect.poll(() => page.getByTestId('records-total').innerText()).toBe('2 người');
    const flagged = await page.getByTestId('record-row').allInnerTexts();
    expect(flagged.every((r) => r.includes('Trả lời giống hệt') && r.includes('Hoàn thành'))).toBe(true);
    await screenshot(page, 'rounds-08b-flagged');
  });

  it('downloads the CSV export: masked numbers, never a full one', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('round-csv').click()]);
    expect(download.suggestedFilename()).toMatch(/^round-2026-10-.*\.csv$/);
    const csv = readFileSync((await download.path()) as string, 'utf8');
    const lines = csv.trim().split(/\r?\n/);
    expect(lines[0]).toContain('phone_masked');
    expect(lines.length).toBe(1 + 57);
    expect(csv).toMatch(/09\d\*\*\*\d{4}/);
    for (const n of ALL_NUMBERS) expect(csv).not.toContain(n);
    expect(csv).toContain('completed');
  });

  it('adds a number to the do-not-contact list, which takes it out of the queue, and removes it', async () => {
    // a sampled person still waiting in the pool
    const waiting = (await admin.get(`/api/v1/rounds/${roundId}/records?status=pending&unit=QT-VL-MC`)).body.items[0];
    const number = VL.find((e) => e.externalId === waiting.externalId)?.citizen.phone as string;

    await page.getByTestId('nav-contacts').click();
    await page.waitForURL(/\/do-not-contact$/);
    await page.getByTestId('contacts-table').waitFor();
    expect(await page.getByTestId('contacts-table').innerText()).toContain('Danh sách đang trống');

    await page.getByTestId('contact-phone-input').fill('12345');
    await page.getByTestId('contact-add').click();
    await expect.poll(() => page.getByTestId('contact-error').innerText()).toContain('Số điện thoại không hợp lệ');

    await page.getByTestId('contact-phone-input').fill(`${number.slice(0, 4)} ${number.slice(4, 7)} ${number.slice(7)}`);
    await page.getByTestId('contact-reason-input').fill('Gọi đường dây nóng, không muốn được gọi nữa');
    await page.getByTestId('contact-add').click();
    await expect.poll(() => page.getByTestId('contact-result').innerText()).toContain('Đã thêm số');
    const masked = `${number.slice(0, 3)}***${number.slice(-4)}`;
    const row = page.getByTestId('contact-row');
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.getByTestId('contact-phone').innerText()).toBe(masked);
    expect(await row.innerText()).toContain('Cán bộ');
    expect(await page.locator('body').innerText()).not.toContain(number);
    const rec = (await admin.get(`/api/v1/rounds/${roundId}/records?unit=QT-VL-MC&status=do_not_call`)).body.items;
    expect(rec.map((r: { id: string }) => r.id)).toEqual([waiting.id]);
    await page.waitForLoadState('networkidle');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'rounds-09-do-not-contact');

    await row.getByTestId('contact-remove').click();
    expect(await page.getByTestId('confirm-dialog').innerText()).toContain(masked);
    await page.getByTestId('confirm-button').click();
    await expect.poll(() => row.count()).toBe(0);
    expect((await admin.get('/api/v1/do-not-contact')).body.total).toBe(0);
  });

  it('closes the round: what is left becomes not worked', async () => {
    await page.goto(`${tp.baseUrl}/rounds?id=${roundId}`);
    await page.getByTestId('round-close').click();
    expect(await page.getByTestId('confirm-dialog').innerText()).toContain('Đóng đợt');
    await page.getByTestId('confirm-button').click();
    await expect.poll(() => page.getByTestId('round-status').innerText()).toBe('Đã đóng');
    expect(await page.getByTestId('round-close').count()).toBe(0);
    const total = page.getByTestId('progress-table-total');
    // 57 sampled: 2 completed, 1 refused, 1 wrong number, 1 taken off by the do-not-contact list, the rest not worked
    expect(await total.locator('[data-col="notWorked"]').innerText()).toBe('52');
    expect(await total.locator('[data-col="pending"]').innerText()).toBe('0');
    await page.getByTestId('rounds-back').click();
    const listRow = page.locator(`[data-testid="round-row"][data-id="${roundId}"]`);
    await listRow.waitFor();
    expect(await listRow.innerText()).toContain('Đã đóng');
    await screenshot(page, 'rounds-10-list');
  });

  it('reads in English too, and fits a phone', async () => {
    await page.goto(`${tp.baseUrl}/rounds?id=${roundId}`);
    await page.getByTestId('tab-progress').waitFor();
    await page.getByTestId('lang-switch').getByText('English').click();
    await expect.poll(() => page.getByTestId('tab-progress').innerText()).toBe('Progress');
    const text = await page.locator('body').innerText();
    expect(text).toContain('Cooperation rate');
    expect(text).toContain('completes / people reached (completed, partial, refused, callback agreed)');
    // no key left untranslated
    expect(text).not.toMatch(/\b(rounds|contacts|errors)\.[a-z]/);
    await screenshot(page, 'rounds-11-progress-en');
    await page.getByTestId('tab-plan').click();
    await page.getByTestId('plan-table').waitFor();
    expect(await page.getByTestId('plan-table').innerText()).toContain('Interviewed in the last 90 days');
    expect(await page.locator('body').innerText()).not.toMatch(/\b(rounds|contacts|errors)\.[a-z]/);

    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByTestId('tab-progress').click();
    await page.getByTestId('rates-table').waitFor();
    // the navigation folds away with a transition: measure once the layout has settled
    await expect.poll(pageWidth, { timeout: 5000 }).toBeLessThanOrEqual(390);
    await page.waitForLoadState('networkidle');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'rounds-12-progress-phone-en');
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByTestId('lang-switch').getByText('Tiếng Việt').click();
    await expect.poll(() => page.getByTestId('tab-progress').innerText()).toBe('Tiến độ');
  });

  it('a board member reads the rounds without the buttons that change them', async () => {
    const password = `pw-board-${randomUUID().slice(0, 8)}`;
    const u = await admin.post('/api/v1/users', { username: 'lanh.dao', displayName: 'Lãnh đạo tỉnh', password });
    expect(u.status).toBe(201);
    expect((await admin.post(`/api/v1/users/${u.body.id}/grants`, { role: 'board', unitCode: null })).status).toBe(201);
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
    const p = await ctx.newPage();
    await p.goto(`${tp.baseUrl}/login?next=/rounds`);
    await p.getByTestId('login-username').fill('lanh.dao');
    await p.getByTestId('login-password').fill(password);
    await p.getByTestId('login-submit').click();
    await p.waitForURL(/\/rounds$/);
    await p.locator(`[data-testid="round-row"][data-id="${roundId}"]`).waitFor();
    expect(await p.getByTestId('round-new').count()).toBe(0);
    // the do-not-contact list is for staff who handle citizens' requests
    expect(await p.getByTestId('nav-contacts').count()).toBe(0);
    await p.goto(`${tp.baseUrl}/rounds?id=${roundId}`);
    await p.getByTestId('tab-progress').waitFor();
    expect(await p.getByTestId('round-csv').count()).toBe(0);
    await ctx.close();
  });
});
