// The score dashboard, the unit scorecard and publication in a browser, on a
// desktop and on a phone: real answers in, figures, ranks, alerts and the
// publication flow out, with axe-core finding no WCAG A/AA violation.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, hasBrowser, launchBrowser, screenshot } from '../support/browser.ts';
import { ADMIN_PASSWORD, type Client, startTestPlatform, type TestPlatform } from '../support/platform.ts';
import { halves } from '../support/responses.ts';

let tp: TestPlatform;
let admin: Client;
let browser: Browser;
let page: Page;

/** YYYY-MM of the month `back` months before the current one in Vietnam. */
function monthBack(back: number): string {
  const now = new Date(Date.now() + 7 * 3600_000);
  const i = now.getUTCFullYear() * 12 + now.getUTCMonth() - back;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
}
const M0 = monthBack(1); // the dashboard's default month
const M1 = monthBack(2);

describe.skipIf(!hasBrowser)('scores in the console', () => {
  beforeAll(async () => {
    tp = await startTestPlatform();
    admin = await tp.admin();
    const dh = halves('QT-DH-MC', `${M0}-10`, 40, 9, 6);
    dh.slice(0, 2).forEach((r) => {
      r.answers.FEE_PAID = 'without_receipt';
    });
    const trendMonths = [3, 4, 5, 6].map(monthBack);
    const responses = [
      ...dh,
      ...halves('QT-GL-MC', `${M0}-10`, 30, 10, 9),
      ...halves('QT-CL-MC', `${M0}-10`, 30, 6, 5),
      ...halves('QT-HH-MC', `${M0}-10`, 30, 8, 7),
      ...halves('QT-VL-MC', `${M0}-10`, 5, 7, 7),
      ...halves('QT-TP-MC', `${M0}-10`, 3, 8, 8),
      ...halves('QT-GL-MC', `${M1}-10`, 30, 7, 6),
      ...halves('QT-HH-MC', `${M1}-10`, 30, 10, 9),
      ...trendMonths.flatMap((m, i) => halves('QT-GL-MC', `${m}-10`, 12, 7 + (i % 2), 8)),
      ...Array.from({ length: 3 }, (_, i) => ({
        id: randomUUID(),
        instrument: 'KIOSK_QUICK',
        channel: 'kiosk',
        unit: 'QT-CL-MC',
        submittedAt: `${M0}-12T10:00:00+07:00`,
        answers: { OVERALL: 1, REASONS_BAD: i ? ['long_wait'] : ['long_wait', 'asked_for_money'] },
      })),
    ];
    for (let i = 0; i < responses.length; i += 500) {
      const r = await admin.post('/api/v1/responses/batch', { responses: responses.slice(i, i + 500) });
      expect(r.body.rejected).toBe(0);
    }
    browser = await launchBrowser();
    page = await browser.newPage({ bypassCSP: true, viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
    await page.goto(`${tp.baseUrl}/login`);
    await page.getByLabel(/Tên đăng nhập/).fill('admin');
    await page.getByLabel(/Mật khẩu/).fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: /Đăng nhập/ }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await tp?.stop();
  });

  it('the overview: province figure, rankings with shared ranks and hidden cells, trend, alerts', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    // the console opens on the scores for anyone who may read them
    await page.goto(`${tp.baseUrl}/`);
    await page.waitForURL((u) => u.pathname === '/scores');
    const table = page.getByTestId('rankings-table');
    await table.getByText('Văn phòng một cửa huyện Gio Linh').waitFor();
    const row = (unit: string) => page.locator(`[data-testid="ranking-row"][data-unit="${unit}"]`);
    expect(await row('QT-GL-MC').locator('td').first().innerText()).toBe('1');
    expect(await row('QT-DH-MC').locator('td').first().innerText()).toBe('2');
    expect(await row('QT-HH-MC').locator('td').first().innerText()).toBe('2');
    expect(await row('QT-GL-MC').getByTestId('value').innerText()).toBe('9,50');
    expect(await row('QT-GL-MC').getByTestId('band').innerText()).toContain('Cao hơn mức chung');
    expect(await row('QT-VL-MC').getByTestId('suppressed').innerText()).toContain('Chưa đủ phiếu');
    expect(await row('QT-GL-MC').getByTestId('change').getAttribute('data-significant')).toBe('true');
    const card = page.getByTestId('province-card');
    expect(await card.innerText()).toContain('n = 138');
    await page.getByTestId('trend-chart').waitFor();
    const alerts = page.getByTestId('alert');
    await alerts.first().waitFor();
    const kinds = await alerts.evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
    expect(kinds[0]).toBe('paid_without_receipt');
    expect(kinds).toContain('significant_drop');
    expect(await page.getByTestId('alerts').innerText()).toContain('2 người cho biết đã nộp tiền không có phiếu thu');
    expect(await page.getByTestId('scores-csv').getAttribute('href')).toContain('format=csv');
    await page.waitForLoadState('networkidle');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'scores-overview-desktop');
  });

  it('on a phone: cards instead of the table, still accessible', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${tp.baseUrl}/scores`);
    const cards = page.getByTestId('ranking-card');
    await cards.first().waitFor();
    expect(await page.getByTestId('rankings-table').isVisible()).toBe(false);
    expect(await page.locator('[data-testid="ranking-card"][data-unit="QT-GL-MC"]').innerText()).toContain('9,50');
    const width = await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth as number);
    expect(width).toBeLessThanOrEqual(390);
    await page.waitForLoadState('networkidle');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'scores-overview-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('switches to quarters and to another index', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${tp.baseUrl}/scores`);
    await page.getByTestId('rankings-table').waitFor();
    await page.getByTestId('score-period-kind').getByText('Quý').click();
    await page.waitForLoadState('networkidle');
    const gl = page.locator('[data-testid="ranking-row"][data-unit="QT-GL-MC"]');
    // Gio Linh's answers in the quarter of the default month
    const quarter = (m: string) => `${m.slice(0, 4)}-${Math.floor((Number(m.slice(5)) - 1) / 3)}`;
    const glMonths: [string, number][] = [[M0, 30], [M1, 30], ...[3, 4, 5, 6].map((b): [string, number] => [monthBack(b), 12])];
    const expected = glMonths.filter(([m]) => quarter(m) === quarter(M0)).reduce((s, [, n]) => s + n, 0);
    await expect.poll(async () => gl.locator('td').nth(3).innerText()).toBe(String(expected));
    await page.getByTestId('score-index').click();
    await page.getByRole('option', { name: 'Tỷ lệ nộp tiền không có phiếu thu (trên số người trả lời)' }).click();
    const dh = page.locator('[data-testid="ranking-row"][data-unit="QT-DH-MC"]');
    await expect.poll(async () => dh.getByTestId('value').innerText()).toBe('5,0%');
    // a kiosk index belongs to no sector: the units of one sector are compared at a time
    await page.getByTestId('score-index').click();
    await page.getByRole('option', { name: 'Tỷ lệ hài lòng trên máy tính bảng' }).click();
    await page.getByTestId('score-sector').click();
    await page.getByRole('option', { name: 'Y tế' }).click();
    await page.locator('[data-testid="ranking-row"][data-unit="QT-BVDK"]').waitFor();
    expect(await page.locator('[data-testid="ranking-row"][data-unit="QT-CL-MC"]').count()).toBe(0);
  });

  it('a unit scorecard: every index beside the province, the trend and the reasons', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${tp.baseUrl}/scores/unit?code=QT-CL-MC&period=${M0}`);
    await page.getByTestId('scorecard-title').getByText('Văn phòng một cửa huyện Cam Lộ').waitFor();
    // on a phone, a card per index
    const sat = page.locator('[data-testid="scorecard-card"][data-index="MSCORE_SATISFACTION"]');
    await sat.getByTestId('value').first().waitFor();
    expect(await sat.getByTestId('value').first().innerText()).toBe('5,50');
    await page.getByTestId('reason').first().waitFor();
    expect(await page.getByTestId('reasons').innerText()).toContain('Phải chờ lâu');
    expect(await page.getByTestId('reason').first().innerText()).toContain('3');
    await page.waitForLoadState('networkidle');
    expect(await page.getByTestId('trend-chart').count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'scores-scorecard-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('publication: freeze, reply, wait for the window, publish; the public sees it', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${tp.baseUrl}/publication`);
    await page.getByTestId('publication-create').click();
    const detail = page.getByTestId('snapshot-detail');
    await detail.waitFor();
    expect(await page.getByTestId('reply-window').innerText()).toContain('được phản hồi đến');
    expect(await page.getByTestId('publish').isDisabled()).toBe(true);
    await detail.getByLabel('Đơn vị phản hồi').click();
    await page.getByRole('option', { name: /Văn phòng một cửa huyện Cam Lộ/ }).click();
    await page.getByTestId('reply-text').fill('Đơn vị đã bố trí thêm ghế chờ và số thứ tự.');
    await page.getByTestId('reply-send').click();
    await page.getByTestId('reply').getByText('Đơn vị đã bố trí thêm ghế chờ').waitFor();
    await page.waitForLoadState('networkidle');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'scores-publication-review');

    // the window closes
    await sql`update score_snapshots set reply_until = now() - interval '1 minute'`.execute(tp.ctx.db);
    await page.reload();
    await page.getByTestId('snapshot-open').first().click();
    await page.getByTestId('publish').click();
    await page.getByRole('dialog').getByRole('button', { name: 'Công bố' }).click();
    await detail.getByText('Dữ liệu mở (JSON)').waitFor();
    const rankings = await tp.client().get(`/api/public/v1/rankings?sector=administration&period=${M0}`);
    expect(rankings.status).toBe(200);
    expect(rankings.body.find((r: { unit: string }) => r.unit === 'QT-GL-MC')).toMatchObject({ rank: 1, value: 9.5 });
    await screenshot(page, 'scores-publication-published');
  });
});
