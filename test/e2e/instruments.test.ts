// Browser test in Debian's Chromium: the staff console's survey instruments.
// The built-ins are listed; KIOSK_QUICK is previewed on every channel; a new
// version gets a yes/no item, moved up one place, saved and published, after
// which version 1 is untouched and version 2 is read-only; a broken draft shows
// the server's objections by item code; a draft gets a third language (Vân Kiều)
// with a translated question, previewed with Vietnamese standing in for the rest;
// a new instrument starts as a draft; and a unit's QR survey address is shown and
// renewed.
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasBrowser, launchBrowser, screenshot } from '../support/browser.ts';
import { ADMIN_PASSWORD, type Client, startTestPlatform, type TestPlatform, userWithRole } from '../support/platform.ts';

const BUILTINS = ['MSCORE_PHONE', 'KIOSK_QUICK', 'SMS_ONE', 'MOH_OUTPATIENT', 'MOH_INPATIENT', 'SIPAS'];
const KIOSK_V1 = ['OVERALL', 'REASONS_GOOD', 'REASONS_BAD', 'CALLBACK_PHONE'];
const UNIT = 'QT-DKR-MC';
const FIRST_VISIT_VI = 'Đây có phải lần đầu Ông/Bà đến làm thủ tục tại đơn vị không?';
const WAIT = { timeout: 15_000 };

let tp: TestPlatform;
let admin: Client;
let browser: Browser;
let page: Page;
let v1Before: unknown;

/** A full-page screenshot from the top, once transitions (modals fading in) are over. */
async function shot(name: string, p: Page = page) {
  await p.evaluate(async () => {
    // The test files are compiled without the DOM's types.
    const w = globalThis as unknown as {
      scrollTo(o: { top: number; behavior: string }): void;
      document: { getAnimations(): { finished: Promise<unknown> }[] };
    };
    w.scrollTo({ top: 0, behavior: 'instant' });
    await Promise.all(w.document.getAnimations().map((a) => a.finished.catch(() => undefined)));
  });
  await screenshot(p, name);
}
const card = (code: string) => page.locator(`[data-testid="item-card"][data-code="${code}"]`);

async function kioskQuick() {
  const r = await admin.get('/api/v1/instruments/KIOSK_QUICK');
  expect(r.status).toBe(200);
  return r.body as {
    latestVersion: number;
    draftVersion: number | null;
    versions: {
      version: number;
      status: string;
      items: string[];
      definition: { items: { code: string; type: string; label: { vi: string } }[] };
    }[];
  };
}

async function openInstrument(code: string) {
  await page.getByTestId('nav-instruments').click();
  await page.waitForURL(/\/instruments$/);
  await page.locator(`[data-testid="instrument-row"][data-code="${code}"] a`).first().click();
  await page.locator(`[data-testid="instrument-detail"][data-code="${code}"]`).waitFor();
}

describe.skipIf(!hasBrowser)('survey instruments in the console', () => {
  beforeAll(async () => {
    tp = await startTestPlatform();
    admin = await tp.admin();
    v1Before = (await kioskQuick()).versions.find((v) => v.version === 1);
    // One kiosk rating, so that the results have something to count.
    const r = await admin.post('/api/v1/responses', {
      id: randomUUID(),
      instrument: 'KIOSK_QUICK',
      version: 1,
      channel: 'kiosk',
      unit: UNIT,
      submittedAt: new Date().toISOString(),
      answers: { OVERALL: 4, REASONS_GOOD: ['fast', 'on_time'] },
    });
    expect(r.status, r.text).toBe(201);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(WAIT.timeout);
  });
  afterAll(async () => {
    await browser?.close();
    await tp?.stop();
  });

  it('lists the six built-in instruments', async () => {
    await page.goto(`${tp.baseUrl}/`);
    await page.getByTestId('login-username').fill('admin');
    await page.getByTestId('login-password').fill(ADMIN_PASSWORD);
    await page.getByTestId('login-submit').click();
    // the console opens on the scores; the units are one click away
    await page.waitForURL(/\/scores$/);
    await page.getByTestId('nav-units').click();
    await page.getByTestId('unit-search').waitFor();
    expect(await page.getByTestId('nav-instruments').innerText()).toContain('Bộ câu hỏi khảo sát');

    await page.getByTestId('nav-instruments').click();
    await page.waitForURL(/\/instruments$/);
    await page.getByTestId('instrument-row').first().waitFor();
    const codes = await page.getByTestId('instrument-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-code')));
    expect(codes).toEqual(expect.arrayContaining(BUILTINS));
    const kiosk = page.locator('[data-testid="instrument-row"][data-code="KIOSK_QUICK"]');
    expect(await kiosk.innerText()).toContain('Đánh giá nhanh tại quầy');
    expect(await kiosk.getByTestId('instrument-builtin').count()).toBe(1);
    expect(await kiosk.getByTestId('instrument-latest').innerText()).toBe('Phiên bản 1');
    expect(await kiosk.getByTestId('instrument-draft').count()).toBe(0);
    await page.getByTestId('assignment-row').first().waitFor();
    await shot('01-instruments');
  });

  it('previews KIOSK_QUICK on every channel and counts its answers by version', async () => {
    await openInstrument('KIOSK_QUICK');
    expect(await page.getByTestId('version-info').getAttribute('data-status')).toBe('published');

    await page.getByTestId('preview-tab-kiosk').click();
    const kiosk = page.getByTestId('preview-kiosk');
    await kiosk.waitFor();
    // The follow-up on good ratings appears once a happy face is chosen.
    expect(await kiosk.locator('[data-testid="preview-item-hidden"][data-code="REASONS_GOOD"]').count()).toBe(1);
    await kiosk.getByRole('button', { name: 'Rất hài lòng' }).click();
    await kiosk.locator('[data-testid="preview-item"][data-code="REASONS_GOOD"]').waitFor();
    expect(await kiosk.innerText()).toContain('Đúng hẹn');
    await shot('02-preview-kiosk');

    await page.getByTestId('preview-tab-web').click();
    await page.getByTestId('preview-web').waitFor();
    expect(await page.getByTestId('preview-web').innerText()).toContain('Gửi đánh giá');
    await shot('03-preview-web');

    await page.getByTestId('preview-tab-phone').click();
    const script = page.getByTestId('preview-phone');
    await script.waitFor();
    expect(await script.getByTestId('script-item').count()).toBe(4);
    expect(await script.getByTestId('script-condition').first().innerText()).toContain('Chỉ hỏi nếu OVERALL ≥ 3');
    await shot('04-preview-phone');

    await page.getByTestId('preview-tab-sms').click();
    await page.getByTestId('preview-sms').waitFor();
    // The preview speaks English on request.
    await page.getByTestId('preview-lang').getByText('English').click();
    await page.getByTestId('preview-sms').getByText('Thank you for your rating!').waitFor();
    await page.getByTestId('preview-lang').getByText('Tiếng Việt').click();

    const v1 = page.locator('[data-testid="results-version"][data-version="1"]');
    await v1.waitFor();
    expect(await v1.getByTestId('results-responses').getAttribute('data-count')).toBe('1');
    const good = v1.locator('[data-testid="results-item"][data-item="REASONS_GOOD"]');
    expect(await good.innerText()).toContain('Nhanh chóng: 1');
    // Items that nobody answered are still listed under their version.
    expect(await v1.getByTestId('results-item').count()).toBe(4);
    await shot('05-kiosk-detail');
  });

  it('shows the skip logic of the phone interview in the script', async () => {
    await page.goto(`${tp.baseUrl}/instruments?code=MSCORE_PHONE`);
    await page.getByTestId('preview-tab-phone').click();
    const item = page.locator('[data-testid="script-item"][data-code="RETURN_TIMES"]');
    await item.waitFor();
    expect(await item.getByTestId('script-condition').innerText()).toBe('Chỉ hỏi nếu ASKED_TO_RETURN = Có');
    expect(await page.getByTestId('script-section').count()).toBeGreaterThanOrEqual(5);
    await shot('06-phone-script');
  });

  it('adds a yes/no item in a new version, moves it up, saves and publishes it', async () => {
    await openInstrument('KIOSK_QUICK');
    await page.getByTestId('new-version').click();
    await page.getByTestId('draft-toolbar').waitFor();
    expect(await page.getByTestId('version-info').getAttribute('data-status')).toBe('draft');
    expect(await page.getByTestId('item-card').count()).toBe(4);

    await page.getByTestId('add-item').first().click();
    await page.getByTestId('add-item-yesno').click();
    const added = page.getByTestId('item-card').last();
    await added.getByTestId('item-editor').waitFor();
    await added.getByTestId('item-code').fill('FIRST_VISIT');
    await card('FIRST_VISIT').getByTestId('item-label-vi').fill(FIRST_VISIT_VI);
    expect(await page.getByTestId('draft-state').innerText()).toBe('Có thay đổi chưa lưu');
    await card('FIRST_VISIT').getByTestId('item-move-up').click();
    await expect.poll(() => card('FIRST_VISIT').getAttribute('data-index')).toBe('3');
    // The live preview follows the draft.
    await page.getByTestId('preview-tab-kiosk').click();
    await page.getByTestId('preview-kiosk').getByText(FIRST_VISIT_VI).waitFor();
    await shot('07-draft-editor');

    await page.getByTestId('draft-save').click();
    await page.getByTestId('draft-state').getByText('Đã lưu bản nháp.').waitFor();
    const saved = await kioskQuick();
    expect(saved.draftVersion).toBe(2);
    expect(saved.versions.find((v) => v.version === 2)?.items).toEqual([
      'OVERALL',
      'REASONS_GOOD',
      'REASONS_BAD',
      'FIRST_VISIT',
      'CALLBACK_PHONE',
    ]);

    await page.getByTestId('draft-publish').click();
    const dialog = page.getByTestId('confirm-dialog');
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain('không bao giờ có thể sửa đổi hay xóa');
    await shot('08-publish-confirm');
    await dialog.getByTestId('confirm-button').click();
    await page.getByTestId('version-frozen').waitFor();
    expect(await page.getByTestId('version-info').getAttribute('data-status')).toBe('published');
    await shot('09-published');
  });

  it('stored version 2 as published with FIRST_VISIT fourth, and left version 1 as it was', async () => {
    const i = await kioskQuick();
    expect(i.latestVersion).toBe(2);
    expect(i.draftVersion).toBeNull();
    const v2 = i.versions.find((v) => v.version === 2);
    expect(v2?.status).toBe('published');
    expect(v2?.items).toEqual(['OVERALL', 'REASONS_GOOD', 'REASONS_BAD', 'FIRST_VISIT', 'CALLBACK_PHONE']);
    const fv = v2?.definition.items[3];
    expect(fv).toMatchObject({ code: 'FIRST_VISIT', type: 'yesno', label: { vi: FIRST_VISIT_VI } });
    const v1 = i.versions.find((v) => v.version === 1);
    expect(v1?.items).toEqual(KIOSK_V1);
    expect(v1).toEqual(v1Before);
  });

  it('shows the published version without any edit control', async () => {
    await page.goto(`${tp.baseUrl}/instruments?code=KIOSK_QUICK&version=2`);
    await page.getByTestId('version-items').waitFor();
    expect(await page.getByTestId('version-info').getAttribute('data-status')).toBe('published');
    const rows = await page.getByTestId('version-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-code')));
    expect(rows).toEqual(['OVERALL', 'REASONS_GOOD', 'REASONS_BAD', 'FIRST_VISIT', 'CALLBACK_PHONE']);
    for (const id of [
      'draft-toolbar',
      'draft-save',
      'draft-publish',
      'draft-discard',
      'add-item',
      'item-editor',
      'item-move-up',
      'item-delete',
      'item-code',
    ]) {
      expect(await page.getByTestId(id).count(), id).toBe(0);
    }
    expect(await page.getByTestId('new-version').count()).toBe(1);
  });

  it('lists the server’s objections to a draft by item code, and discards the draft', async () => {
    await page.getByTestId('new-version').click();
    await page.getByTestId('draft-toolbar').waitFor();
    await page.getByTestId('add-item').first().click();
    await page.getByTestId('add-item-scale5').click();
    // A code already used, and no question text.
    await page.getByTestId('item-card').last().getByTestId('item-code').fill('OVERALL');
    await page.getByTestId('draft-save').click();
    const errors = page.getByTestId('definition-errors');
    await errors.waitFor();
    const lines = await errors.getByTestId('definition-error').allInnerTexts();
    expect(lines.some((l) => l.includes('Câu 6 (OVERALL)') && l.includes('Mã câu hỏi bị trùng'))).toBe(true);
    expect(lines.some((l) => l.includes('Câu 6 (OVERALL)') && l.includes('Chưa nhập nội dung'))).toBe(true);
    expect(await page.getByTestId('item-card').last().getAttribute('data-error')).toBe('true');
    await shot('10-draft-errors');

    await page.getByTestId('draft-discard').click();
    await page.getByTestId('confirm-dialog').getByTestId('confirm-button').click();
    await page.getByTestId('version-frozen').waitFor();
    expect((await kioskQuick()).draftVersion).toBeNull();
  });

  it('adds Vân Kiều to a new version, translates a question, previews it and discards the draft', async () => {
    const BRU = 'Ntôq bữn o?';
    await openInstrument('KIOSK_QUICK');
    await page.getByTestId('new-version').click();
    await page.getByTestId('draft-toolbar').waitFor();
    const langs = () => page.getByTestId('draft-language').evaluateAll((els) => els.map((e) => e.getAttribute('data-lang')));
    expect(await langs()).toEqual(['vi', 'en']);
    const addLang = page.getByTestId('draft-language-add');

    // A suggested language, picked by its name.
    await addLang.click();
    await page.getByRole('option', { name: 'Tiếng Vân Kiều (bru)' }).click();
    await expect.poll(langs).toEqual(['vi', 'en', 'bru']);
    // Any other code can be typed; an invalid one is refused.
    await addLang.fill('k1');
    await page.getByText('Mã ngôn ngữ gồm 2–3 chữ cái thường').waitFor();
    await addLang.fill('KHM');
    await page.getByRole('option', { name: 'Thêm mã “khm”' }).click();
    await expect.poll(langs).toEqual(['vi', 'en', 'bru', 'khm']);

    const overall = card('OVERALL');
    expect(await overall.getByTestId('item-missing').getAttribute('data-langs')).toBe('bru khm');
    await overall.getByTestId('item-toggle').click();
    await overall.getByTestId('item-label-khm').fill('Khmer text');
    // Removing a language asks first, and takes its texts out of the draft.
    await page.locator('[data-testid="draft-language"][data-lang="khm"]').getByTestId('draft-language-remove').click();
    const dialog = page.getByTestId('confirm-dialog');
    expect(await dialog.innerText()).toContain('cùng với 1 nội dung đã dịch');
    await dialog.getByTestId('confirm-button').click();
    await expect.poll(langs).toEqual(['vi', 'en', 'bru']);
    expect(await overall.getByTestId('item-label-khm').count()).toBe(0);

    await overall.getByTestId('item-label-bru').fill(BRU);
    expect(await overall.getByTestId('item-missing').count()).toBe(0);
    expect(await card('REASONS_GOOD').getByTestId('item-missing').getAttribute('data-langs')).toBe('bru');
    await page.getByTestId('draft-save').click();
    await page.getByTestId('draft-state').getByText('Đã lưu bản nháp.').waitFor();
    const draft = (await kioskQuick()).versions.find((v) => v.status === 'draft') as unknown as {
      definition: { languages: string[]; items: { code: string; label: Record<string, string> }[] };
    };
    expect(draft.definition.languages).toEqual(['vi', 'en', 'bru']);
    const saved = draft.definition.items.find((i) => i.code === 'OVERALL');
    expect(saved?.label.bru).toBe(BRU);
    expect(saved?.label).not.toHaveProperty('khm');

    // The preview in Vân Kiều: the translated question, the rest in Vietnamese marked "(vi)".
    await page.getByTestId('preview-tab-kiosk').click();
    await page.getByTestId('preview-lang').getByText('Tiếng Vân Kiều').click();
    const kiosk = page.getByTestId('preview-kiosk');
    await kiosk.getByText(BRU).waitFor();
    const q = kiosk.locator('[data-testid="preview-item"][data-code="OVERALL"]');
    expect(await q.getByTestId('preview-fallback').count()).toBe(0);
    expect(await kiosk.getByTestId('preview-fallback').count()).toBeGreaterThan(0);
    expect(await kiosk.innerText()).toContain('Xin mời Ông/Bà đánh giá');
    await shot('16-draft-languages');

    // The same draft on a phone: one column, nothing wider than the screen.
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    phone.setDefaultTimeout(WAIT.timeout);
    await phone.context().addCookies(await page.context().cookies());
    await phone.goto(`${tp.baseUrl}/instruments?code=KIOSK_QUICK`);
    await phone.getByTestId('draft-toolbar').waitFor();
    await phone.locator('[data-testid="item-card"][data-code="OVERALL"]').getByTestId('item-toggle').click();
    expect(await phone.getByTestId('item-label-bru').inputValue()).toBe(BRU);
    await phone.getByTestId('preview-lang').getByText('Tiếng Vân Kiều').click();
    await phone.getByTestId('preview-kiosk').getByText(BRU).waitFor();
    expect(
      await phone.locator('html').evaluate((html) => html.scrollWidth <= (html.ownerDocument.defaultView?.innerWidth ?? 0) + 1),
    ).toBe(true);
    await shot('17-phone-draft-languages', phone);
    await phone.close();

    await page.getByTestId('draft-discard').click();
    await page.getByTestId('confirm-dialog').getByTestId('confirm-button').click();
    await page.getByTestId('version-frozen').waitFor();
    expect((await kioskQuick()).draftVersion).toBeNull();
  });

  it('creates an instrument that starts as a draft with one faces item', async () => {
    await page.getByTestId('nav-instruments').click();
    await page.waitForURL(/\/instruments$/);
    await page.getByTestId('instrument-create').click();
    await page.getByTestId('instrument-form-code').fill('COMMUNE_QUICK');
    await page.getByTestId('instrument-form-name-vi').fill('Đánh giá nhanh cấp xã');
    await page.getByTestId('instrument-form-name-en').fill('Commune quick rating');
    await shot('11-new-instrument');
    await page.getByTestId('instrument-form-submit').click();
    await page.locator('[data-testid="instrument-detail"][data-code="COMMUNE_QUICK"]').waitFor();
    await page.getByTestId('draft-toolbar').waitFor();
    expect(await page.getByTestId('item-card').count()).toBe(1);
    expect(await page.getByTestId('item-card').getAttribute('data-code')).toBe('OVERALL');
    const r = await admin.get('/api/v1/instruments/COMMUNE_QUICK');
    expect(r.body.versions).toMatchObject([{ version: 1, status: 'draft', items: ['OVERALL'] }]);

    // A single-choice item with two options, and a comment asked only after one of them.
    await page.getByTestId('add-item').first().click();
    await page.getByTestId('add-item-single').click();
    await page.getByTestId('item-card').nth(1).getByTestId('item-code').fill('VISIT_REASON');
    const reason = card('VISIT_REASON');
    await reason.getByTestId('item-label-vi').fill('Ông/Bà đến để làm gì?');
    await reason.getByLabel('Mã lựa chọn 1').fill('submit');
    await reason.getByLabel('Lựa chọn 1 (Tiếng Việt)').fill('Nộp hồ sơ');
    await reason.getByTestId('item-option-add').click();
    await reason.getByLabel('Mã lựa chọn 2').fill('collect');
    await reason.getByLabel('Lựa chọn 2 (Tiếng Việt)').fill('Nhận kết quả');
    await page.getByTestId('add-item').first().click();
    await page.getByTestId('add-item-text').click();
    await page.getByTestId('item-card').nth(2).getByTestId('item-code').fill('SUBMIT_NOTE');
    const note = card('SUBMIT_NOTE');
    await note.getByTestId('item-label-vi').fill('Việc nộp hồ sơ có gặp khó khăn gì không?');
    await note.getByTestId('item-show-if').check();
    expect(await note.getByTestId('item-show-if-item').inputValue()).toBe('VISIT_REASON');
    expect(await note.getByTestId('item-show-if-value').inputValue()).toBe('Nộp hồ sơ (submit)');
    await page.getByTestId('preview-tab-phone').click();
    const cond = page.locator('[data-testid="script-item"][data-code="SUBMIT_NOTE"] [data-testid="script-condition"]');
    expect(await cond.innerText()).toBe('Chỉ hỏi nếu VISIT_REASON = “Nộp hồ sơ”');
    await page.getByTestId('draft-save').click();
    await page.getByTestId('draft-state').getByText('Đã lưu bản nháp.').waitFor();
    await shot('12-options-and-skip-logic');
    const saved = await admin.get('/api/v1/instruments/COMMUNE_QUICK');
    const items = saved.body.versions[0].definition.items;
    expect(items.map((i: { code: string }) => i.code)).toEqual(['OVERALL', 'VISIT_REASON', 'SUBMIT_NOTE']);
    expect(items[1].options).toEqual([
      { code: 'submit', label: { vi: 'Nộp hồ sơ' } },
      { code: 'collect', label: { vi: 'Nhận kết quả' } },
    ]);
    expect(items[2].showIf).toEqual({ item: 'VISIT_REASON', op: 'eq', value: 'submit' });
  });

  it('shows a unit’s QR survey address and poster, and renews the code after confirmation', async () => {
    await page.getByTestId('nav-units').click();
    await page.getByTestId('unit-search').fill('dakrong mot cua');
    const row = page.locator(`[data-testid="unit-row"][data-code="${UNIT}"]`);
    await row.getByTestId('unit-qr').click();
    const modal = page.getByTestId('qr-modal');
    const url = modal.getByTestId('qr-url');
    await expect.poll(() => url.inputValue().catch(() => '')).toContain('/s/');
    const first = await url.inputValue();
    expect(await modal.getByTestId('qr-poster').getAttribute('href')).toBe(`/api/v1/units/${UNIT}/survey-poster.pdf`);
    await modal.getByTestId('qr-instrument').getByText('KIOSK_QUICK').waitFor();
    await shot('13-unit-qr');

    await modal.getByTestId('qr-renew').click();
    await modal.getByTestId('qr-renew-dialog').waitFor();
    await shot('14-unit-qr-renew');
    await modal.getByTestId('qr-renew-confirm').click();
    await modal.getByTestId('qr-renewed').waitFor();
    const second = await url.inputValue();
    expect(second).toContain('/s/');
    expect(second).not.toBe(first);
    await page.keyboard.press('Escape');
    await modal.waitFor({ state: 'detached' });
  });

  it('speaks English when asked', async () => {
    await page.goto(`${tp.baseUrl}/instruments?code=KIOSK_QUICK&version=2`);
    await page.getByTestId('lang-switch').getByText('English').click();
    await page.getByText('Questions (5)').waitFor();
    expect(await page.getByTestId('version-frozen').innerText()).toContain('This version is published and cannot be changed.');
    await page.getByTestId('preview-tab-phone').click();
    expect(
      await page.locator('[data-testid="script-item"][data-code="REASONS_GOOD"] [data-testid="script-condition"]').innerText(),
    ).toBe('Ask only if OVERALL ≥ 3 (Satisfied)');
    await shot('15-english');
    await page.getByTestId('lang-switch').getByText('Tiếng Việt').click();
    await page.getByText('Các câu hỏi (5)').waitFor();
  });

  it('shows analysts the instruments and results without any edit control', async () => {
    const { client } = await userWithRole(tp, admin, 'phan-tich', 'analyst', null);
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const [name, value] = (client.cookie ?? '').split('=') as [string, string];
    await ctx.addCookies([{ name, value, url: tp.baseUrl }]);
    const p = await ctx.newPage();
    p.setDefaultTimeout(WAIT.timeout);
    await p.goto(`${tp.baseUrl}/instruments`);
    await p.getByTestId('instrument-row').first().waitFor();
    await p.getByTestId('assignment-row').first().waitFor();
    expect(await p.getByTestId('instrument-create').count()).toBe(0);
    expect(await p.getByTestId('assign-form').count()).toBe(0);
    expect(await p.getByTestId('assignment-delete').count()).toBe(0);
    await p.goto(`${tp.baseUrl}/instruments?code=KIOSK_QUICK`);
    await p.locator('[data-testid="results-version"][data-version="1"]').waitFor();
    expect(await p.getByTestId('version-frozen').innerText()).toBe('Phiên bản này đã công bố nên không thể thay đổi.');
    for (const id of ['new-version', 'instrument-edit-meta', 'draft-toolbar', 'add-item']) {
      expect(await p.getByTestId(id).count(), id).toBe(0);
    }
    // Analysts do not print posters.
    await p.goto(`${tp.baseUrl}/units`);
    await p.getByTestId('unit-row').first().waitFor();
    expect(await p.getByTestId('unit-qr').count()).toBe(0);
    await ctx.close();
  });

  it('fits a phone screen', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    phone.setDefaultTimeout(WAIT.timeout);
    await phone.context().addCookies(await page.context().cookies());
    const noSideScroll = () =>
      phone.locator('html').evaluate((html) => html.scrollWidth <= (html.ownerDocument.defaultView?.innerWidth ?? 0) + 1);

    await phone.goto(`${tp.baseUrl}/instruments`);
    await phone.getByTestId('instrument-row').first().waitFor();
    expect(await noSideScroll()).toBe(true);
    await shot('20-phone-instruments', phone);

    await phone.goto(`${tp.baseUrl}/instruments?code=KIOSK_QUICK`);
    await phone.getByTestId('preview-kiosk').waitFor();
    expect(await noSideScroll()).toBe(true);
    await shot('21-phone-kiosk-quick', phone);
    await phone.getByTestId('preview-tab-web').click();
    await phone.getByTestId('preview-web').waitFor();
    await shot('22-phone-preview-web', phone);

    await phone.goto(`${tp.baseUrl}/instruments?code=COMMUNE_QUICK`);
    await phone.getByTestId('draft-toolbar').waitFor();
    await phone.getByTestId('item-toggle').first().click();
    await phone.getByTestId('item-editor').waitFor();
    expect(await noSideScroll()).toBe(true);
    await shot('23-phone-editor', phone);

    await phone.goto(`${tp.baseUrl}/units`);
    await phone.getByTestId('unit-search').fill('dakrong mot cua');
    await phone.locator(`[data-testid="unit-row"][data-code="${UNIT}"]`).getByTestId('unit-qr').click();
    await expect
      .poll(() =>
        phone
          .getByTestId('qr-url')
          .inputValue()
          .catch(() => ''),
      )
      .toContain('/s/');
    await shot('24-phone-unit-qr', phone);
    await phone.close();
  });
});
