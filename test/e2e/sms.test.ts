// SMS in the console: settings saved through the form, invitations for two
// returned dossiers sent by the dispatcher, the log with masked numbers only
// and a message's text and delivery, replaying an uncertain message after the
// warning, the template editor's live counter and the server's variable check,
// a simulated reply that becomes a rating, the statistics, the gateway outage
// banner, English, a phone's width, and a unit manager of another unit who
// reads without seeing this unit's messages; axe-core finds no WCAG A/AA violation.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, hasBrowser, launchBrowser, screenshot } from '../support/browser.ts';
import { ADMIN_PASSWORD, type Client, startTestPlatform, type TestPlatform, userWithRole } from '../support/platform.ts';

let tp: TestPlatform;
let admin: Client;
let browser: Browser;
let page: Page;

const UNIT = 'QT-DH-MC';
const AN = { dossier: 'DH-SMS-0001', phone: '0915000101' };
const BINH = { dossier: 'DH-SMS-0002', phone: '0915000202' };
const masked = (p: string) => `${p.slice(0, 3)}***${p.slice(-4)}`;

const pageWidth = () => page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth as number);
const messages = async () =>
  (await admin.get(`/api/v1/sms/messages?unit=${UNIT}&kind=invitation`)).body.items as {
    id: string;
    dossier: string;
    status: string;
  }[];
/** Neither the number nor any of its spellings (+84, 84, without the 0) is anywhere in the page. */
async function expectNoFullNumber() {
  const html = await page.content();
  for (const p of [AN.phone, BINH.phone]) expect(html).not.toContain(p.slice(1));
}
async function openTab(name: string) {
  await page.getByTestId(`sms-tab-${name}`).click();
  await expect.poll(() => page.getByTestId(`sms-tab-${name}`).getAttribute('aria-selected')).toBe('true');
}
/** A full-page screenshot from the top, once transitions are over. */
async function shot(name: string, p: Page = page) {
  if (!process.env.MSCORE_SCREENSHOTS) return;
  await p.evaluate(() => (globalThis as any).scrollTo(0, 0));
  await p.waitForTimeout(300);
  await screenshot(p, name);
}
async function noViolations() {
  await page.waitForLoadState('networkidle');
  expect(await axeViolations(page)).toEqual([]);
}

describe.skipIf(!hasBrowser)('SMS in the console', () => {
  beforeAll(async () => {
    tp = await startTestPlatform();
    admin = await tp.admin();
    browser = await launchBrowser();
    page = await browser.newPage({ bypassCSP: true, viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
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

  it('saves the settings through the form: invitations on, no delay, the recorder, all day', async () => {
    await page.getByTestId('nav-sms').click();
    await page.waitForURL(/\/sms$/);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Tin nhắn SMS');
    expect(await page.getByTestId('sms-opt-out-link').getAttribute('href')).toBe('/do-not-contact');
    await openTab('settings');
    const form = page.getByTestId('sms-settings-form');
    await form.waitFor();
    await page.getByTestId('sms-set-invitations').check();
    await page.getByTestId('sms-set-delay').fill('0');
    // any hour of the day, so the test does not depend on when it runs
    await page.getByTestId('sms-set-from').fill('0');
    await page.getByTestId('sms-set-to').fill('24');
    await page.getByTestId('sms-set-sender').fill('8077');
    await page.getByTestId('sms-set-gateway-http').check();
    await page.getByTestId('sms-http-fields').waitFor();
    expect(await page.getByTestId('sms-callback-incoming').innerText()).toContain('/api/v1/sms/hooks/http/incoming?token=');
    await page.getByTestId('sms-set-gateway-recorder').check();
    await page.getByTestId('sms-recorder-note').waitFor();
    await noViolations();
    await shot('sms-01-settings');
    await page.getByTestId('sms-settings-save').click();
    await page.getByTestId('sms-settings-saved').waitFor();
    const s = (await admin.get('/api/v1/sms/settings')).body.settings;
    expect(s).toMatchObject({ invitations: true, invitationDelayMinutes: 0, sendFrom: 0, sendTo: 24, sender: '8077' });
    expect(s.gateway).toEqual({ kind: 'recorder' });
  });

  it('lists the invitations the dispatcher sent, with masked numbers; a row opens the text as sent', async () => {
    const returnedAt = new Date(Date.now() - 60_000).toISOString();
    const r = await admin.post('/api/v1/events', {
      events: [AN, BINH].map((p, i) => ({
        unit: UNIT,
        externalId: p.dossier,
        kind: 'dossier',
        receivedAt: new Date(Date.now() - 5 * 86_400_000).toISOString(),
        returnedAt,
        citizen: { name: `Người dân ${i + 1}`, phone: p.phone },
      })),
    });
    expect(r.status, r.text).toBe(200);
    expect(r.body.rejected).toBe(0);
    await tp.ctx.sms?.tick();
    // the recorder reports each message delivered a moment after it is sent
    await expect
      .poll(async () => (await messages()).map((m) => m.status), { timeout: 10_000 })
      .toEqual(['delivered', 'delivered']);

    await page.goto(`${tp.baseUrl}/sms`);
    const table = page.getByTestId('sms-log-table');
    await table.waitFor();
    await expect.poll(() => page.getByTestId('sms-row').count()).toBe(2);
    expect(await page.getByTestId('sms-log-total').innerText()).toBe('2 tin nhắn');
    const phones = await page.getByTestId('sms-phone').allInnerTexts();
    expect(phones.sort()).toEqual([masked(AN.phone), masked(BINH.phone)].sort());
    const statuses = await page.getByTestId('sms-status').allInnerTexts();
    expect(statuses).toEqual(['Đã đến máy', 'Đã đến máy']);
    expect(await table.innerText()).toContain('Mời chấm điểm');
    await expectNoFullNumber();
    await noViolations();
    await shot('sms-02-log');

    const row = page.locator('[data-testid="sms-row"]', { hasText: AN.dossier });
    await row.getByTestId('sms-open').click();
    const detail = page.getByTestId('sms-detail');
    await detail.waitFor();
    const body = await page.getByTestId('sms-detail-body').innerText();
    expect(body).toContain(AN.dossier);
    expect(body).toContain('xin cham diem');
    expect(body).toContain('TU CHOI');
    expect(await page.getByTestId('sms-detail-size').innerText()).toMatch(/GSM-7 \(không dấu\) · 1 phần/);
    expect(await page.getByTestId('sms-detail-phone').innerText()).toBe(masked(AN.phone));
    expect(await page.getByTestId('sms-detail-reports').innerText()).toContain('Đã đến máy');
    await expectNoFullNumber();
    await noViolations();
    await shot('sms-03-detail');
    await page.keyboard.press('Escape');
    await detail.waitFor({ state: 'detached' });
  });

  it('sends an uncertain message again after warning that it may already have arrived', async () => {
    const binh = (await messages()).find((m) => m.dossier === BINH.dossier);
    if (!binh) throw new Error('no message for Bình');
    // as if the process had died while sending it
    await tp.ctx.db
      .updateTable('sms_messages')
      .set({ status: 'uncertain', last_error: 'no outcome recorded: the sending process stopped; not resent automatically' })
      .where('id', '=', binh.id)
      .execute();
    await page.getByTestId('sms-log-refresh').click();
    const row = page.locator(`[data-testid="sms-row"][data-id="${binh.id}"]`);
    await expect.poll(() => row.getAttribute('data-status')).toBe('uncertain');
    expect(await row.getByTestId('sms-status').innerText()).toBe('Không rõ kết quả');
    // only failed, uncertain and given-up messages can be picked
    expect(await page.getByTestId('sms-select').count()).toBe(1);
    await row.getByTestId('sms-select').check();
    await page.getByTestId('sms-replay').click();
    expect(await page.getByTestId('sms-replay-dialog').innerText()).toContain('Đưa 1 tin vào hàng đợi');
    expect(await page.getByTestId('sms-replay-uncertain').innerText()).toContain('có thể đã đến máy người nhận');
    // contrast is measured once the dialog has faded in
    await expect
      .poll(() => page.locator('.mantine-Modal-content').evaluate((el) => (globalThis as any).getComputedStyle(el).opacity))
      .toBe('1');
    await noViolations();
    await shot('sms-04-replay');
    await page.getByTestId('sms-replay-confirm').click();
    await expect.poll(() => page.getByTestId('sms-replayed').innerText()).toContain('Đã đưa 1 tin');
    await tp.ctx.sms?.tick();
    await expect
      .poll(async () => (await messages()).map((m) => m.status), { timeout: 10_000 })
      .toEqual(['delivered', 'delivered']);
  });

  it('counts characters and parts while typing; an accent warns of UCS-2; a bad variable gets the server’s error', async () => {
    await openTab('templates');
    const card = page.locator('[data-testid="template-card"][data-kind="invitation"]');
    await card.waitFor();
    const counter = card.getByTestId('template-counter');
    const text = card.getByTestId('template-body');
    expect(await counter.getAttribute('data-parts')).toBe('1');
    expect(await counter.getAttribute('data-encoding')).toBe('gsm7');
    // the example is filled with the sample unit and dossier
    expect(await card.getByTestId('template-preview').innerText()).toContain('Bo phan mot cua huyen Dakrong');
    expect(await card.getByTestId('template-preview').innerText()).toContain('DKR-0001234');

    await text.fill(`{unit}: ${'xin moi Ong/Ba cham diem chat luong phuc vu '.repeat(4)}`);
    await expect.poll(() => counter.getAttribute('data-parts')).toBe('2');
    expect(await counter.innerText()).toContain('2 phần');
    expect(await card.getByTestId('template-ucs2').count()).toBe(0);
    await text.pressSequentially(' Cảm ơn');
    await expect.poll(() => counter.getAttribute('data-encoding')).toBe('ucs2');
    expect(await card.getByTestId('template-ucs2').innerText()).toContain('70 ký tự');
    expect(await counter.innerText()).toContain('UCS-2 (có dấu)');
    expect(Number(await counter.getAttribute('data-parts'))).toBeGreaterThanOrEqual(3);
    await shot('sms-05-template-ucs2');

    await text.fill('{unit}: xin cham diem ho so {code} tai {abc}');
    await card.getByTestId('template-save').click();
    const problems = card.getByTestId('template-problems');
    await expect.poll(() => problems.getAttribute('data-source')).toBe('server');
    expect(await problems.innerText()).toContain('{abc} không phải là biến của loại tin này');
    expect(await card.getByTestId('template-error').innerText()).toContain('Mẫu tin có biến không dùng được');
    await noViolations();
    await shot('sms-06-template-error');

    // a good text is saved, then the built-in one comes back
    await text.fill('{unit}: xin cham diem ho so {code}, nhan 1 den 5. Nhan {keyword} de ngung nhan tin.');
    await card.getByTestId('template-variable').filter({ hasText: '{sender}' }).click();
    expect(await text.inputValue()).toContain('{sender}');
    await card.getByTestId('template-save').click();
    await card.getByTestId('template-saved').waitFor();
    expect(await card.getByTestId('template-custom').innerText()).toBe('Đã sửa');
    const saved = (await admin.get('/api/v1/sms/templates')).body.find((x: { kind: string }) => x.kind === 'invitation');
    expect(saved.custom).toBe(true);
    expect(saved.body).toContain('{sender}');
    await card.getByTestId('template-reset').click();
    await page.getByTestId('confirm-button').click();
    await expect.poll(() => card.getByTestId('template-custom').innerText()).toBe('Mẫu mặc định');
    expect(await text.inputValue()).toContain('xin cham diem phuc vu ho so {code}');
  });

  it('takes a simulated reply "5" as a rating, which is marked reviewed', async () => {
    await openTab('inbound');
    await page.getByTestId('sms-simulate').waitFor();
    await page.getByTestId('sms-simulate-phone').fill(AN.phone);
    await page.getByTestId('sms-simulate-text').fill('5');
    await page.getByTestId('sms-simulate-send').click();
    await expect.poll(() => page.getByTestId('sms-simulate-result').innerText()).toContain('Chấm điểm');
    expect(await page.getByTestId('sms-simulate-phone').inputValue()).toBe('');
    const row = page.getByTestId('sms-inbound-row');
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.getAttribute('data-kind')).toBe('rating');
    expect(await row.getByTestId('sms-inbound-rating').innerText()).toBe('5');
    expect(await row.getByTestId('sms-inbound-phone').innerText()).toBe(masked(AN.phone));
    const cells = await row.innerText();
    expect(cells).toContain(UNIT);
    expect(cells).toContain(AN.dossier);
    await expectNoFullNumber();
    await noViolations();
    await shot('sms-07-inbound');
    await row.getByTestId('sms-inbound-review').click();
    await expect.poll(() => row.getByTestId('sms-inbound-reviewed').innerText()).toContain('admin');
    await page.getByTestId('sms-inbound-unreviewed').check();
    await expect.poll(() => page.getByTestId('sms-inbound-total').innerText()).toBe('0 tin nhắn đến');
  });

  it('shows per unit the invitations, deliveries, the reply and the rating of the month', async () => {
    await openTab('stats');
    const row = page.locator(`[data-testid="sms-stats-row"][data-unit="${UNIT}"]`);
    await row.waitFor();
    const col = (c: string) => row.locator(`[data-col="${c}"]`).innerText();
    expect(await col('invitations')).toBe('2');
    expect(await col('sent')).toBe('2');
    expect(await col('delivered')).toBe('2');
    expect(await col('deliveryRate')).toBe('100,0%');
    expect(await col('replies')).toBe('1');
    expect(await col('replyRate')).toBe('50,0%');
    expect(await col('ratings')).toBe('1');
    expect(await col('mean')).toBe('5,0');
    expect(await col('failed')).toBe('0');
    expect(await page.getByTestId('sms-figure-optouts').getByTestId('figure-value').innerText()).toBe('0');
    await noViolations();
    await shot('sms-08-stats');
  });

  it('warns above every tab while the gateway is down', async () => {
    const tenantId = (await tp.ctx.db.selectFrom('tenants').select('id').executeTakeFirstOrThrow()).id;
    const set = (up: boolean) =>
      tp.ctx.db
        .updateTable('sms_gateway_state')
        .set({ up, since: new Date('2026-11-10T08:15:00+07:00'), last_error: up ? null : 'smpp.not_connected: ECONNREFUSED' })
        .where('tenant_id', '=', tenantId)
        .execute();
    await set(false);
    try {
      await page.reload();
      const alert = page.getByTestId('sms-gateway-down');
      await alert.waitFor();
      const text = await alert.innerText();
      expect(text).toContain('Cổng SMS không kết nối được từ 10/11/2026 08:15');
      expect(text).toContain('tin nhắn được giữ lại và gửi khi có kết nối');
      expect(text).toContain('ECONNREFUSED');
      await noViolations();
      await shot('sms-09-gateway-down');
    } finally {
      await set(true);
    }
  });

  it('reads in English, and fits a phone on every tab', async () => {
    await page.goto(`${tp.baseUrl}/sms`);
    await page.getByTestId('sms-log-table').waitFor();
    await page.getByTestId('lang-switch').getByText('English').click();
    await expect.poll(() => page.getByTestId('sms-tab-log').innerText()).toBe('Message log');
    expect(await page.getByTestId('nav-sms').innerText()).toBe('SMS');
    expect(await page.getByTestId('sms-opt-out-link').innerText()).toBe('Opt-out list');
    expect(await page.getByTestId('sms-status').first().innerText()).toBe('Delivered');
    expect(await page.getByTestId('sms-log-table').innerText()).toContain('Invitation');
    const untranslated = /\b(sms|errors|common)\.[a-z]/;
    expect(await page.locator('body').innerText()).not.toMatch(untranslated);
    await shot('sms-10-log-en');
    for (const tab of ['stats', 'templates', 'inbound', 'settings']) {
      await openTab(tab);
      await page.waitForLoadState('networkidle');
      expect(await page.locator('body').innerText()).not.toMatch(untranslated);
      await shot(`sms-11-${tab}-en`);
    }

    await page.setViewportSize({ width: 390, height: 844 });
    try {
      for (const tab of ['log', 'stats', 'templates', 'inbound', 'settings']) {
        await openTab(tab);
        await page.waitForLoadState('networkidle');
        // the navigation folds away with a transition: measure once the layout has settled
        await expect.poll(pageWidth, { timeout: 5000 }).toBeLessThanOrEqual(390);
        await shot(`sms-12-${tab}-phone-en`);
      }
      await noViolations();
      await page.getByTestId('lang-switch').getByText('Tiếng Việt').click();
      await expect.poll(() => page.getByTestId('sms-tab-settings').innerText()).toBe('Cài đặt');
      for (const tab of ['log', 'templates']) {
        await openTab(tab);
        await page.waitForLoadState('networkidle');
        await expect.poll(pageWidth, { timeout: 5000 }).toBeLessThanOrEqual(390);
        await shot(`sms-13-${tab}-phone`);
      }
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  it('a unit manager of another unit reads without this unit’s messages, settings or changes', async () => {
    const vl = await userWithRole(tp, admin, 'ld.vinhlinh', 'unit_manager', 'QT-VL-MC');
    const ctx = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
    const p = await ctx.newPage();
    try {
      await p.goto(`${tp.baseUrl}/login?next=/sms`);
      await p.getByTestId('login-username').fill('ld.vinhlinh');
      await p.getByTestId('login-password').fill(vl.password);
      await p.getByTestId('login-submit').click();
      await p.waitForURL(/\/sms$/);
      await p.getByTestId('sms-log-table').waitFor();
      expect(await p.getByTestId('nav-sms').count()).toBe(1);
      expect(await p.getByTestId('sms-row').count()).toBe(0);
      expect(await p.getByTestId('sms-log-table').innerText()).toContain('Không có tin nhắn nào');
      expect(await p.getByTestId('sms-replay-bar').count()).toBe(0);
      for (const hidden of ['settings', 'inbound']) expect(await p.getByTestId(`sms-tab-${hidden}`).count()).toBe(0);
      expect(await p.getByTestId('sms-gateway-down').count()).toBe(0);

      await p.getByTestId('sms-tab-templates').click();
      await p.getByTestId('templates-readonly').waitFor();
      expect(await p.getByTestId('template-save').count()).toBe(0);
      expect(await p.getByTestId('template-variable').count()).toBe(0);
      expect(await p.getByTestId('template-body').first().getAttribute('readonly')).not.toBeNull();

      await p.getByTestId('sms-tab-stats').click();
      await p.getByTestId('sms-stats-table').waitFor();
      expect(await p.locator(`[data-testid="sms-stats-row"][data-unit="${UNIT}"]`).count()).toBe(0);
      expect(await p.getByTestId('sms-stats-table').innerText()).toContain('Không có tin nhắn nào trong tháng này');
      await p.waitForLoadState('networkidle');
      expect(await axeViolations(p)).toEqual([]);
      await shot('sms-14-unit-manager', p);
    } finally {
      await ctx.close();
    }
  });
});
