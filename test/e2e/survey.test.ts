// Browser test in Debian's Chromium, on a phone-sized screen: the public web
// survey a citizen reaches by the QR code at the counter or by a one-time link
// in a text message. Consent first, one question per screen, answers counted
// on channel web; a link takes one answer; a lost reply is sent again with the
// same id; axe-core finds nothing against WCAG 2.2 AA; under 100 kB of JavaScript.
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, hasBrowser, launchBrowser, screenshot } from '../support/browser.ts';
import { type Client, startTestPlatform, type TestPlatform } from '../support/platform.ts';

const UNIT = 'QT-DH-MC';
const OFFICE = 'Văn phòng một cửa thành phố Đông Hà';
const DIST = path.join(import.meta.dirname, '..', '..', 'web', 'dist');
/** Compressed JavaScript the survey page may load, all scripts together. */
const JS_BUDGET = 100 * 1024;

let tp: TestPlatform;
let admin: Client;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let qrCode: string;

const shot = (name: string) => screenshot(page, `survey-${name}`);
const focusedId = () => page.evaluate<string | null>('document.activeElement?.id ?? null');
const heading = () => page.getByTestId('survey-heading').innerText();

type Row = { version: number; item: string; value: string; flag: string; count: number };
async function counts(instrument = 'KIOSK_QUICK'): Promise<(item: string, value?: string) => number> {
  const r = await admin.get<{ rows: Row[] }>(`/api/v1/response-counts?instrument=${instrument}&channel=web`);
  expect(r.status).toBe(200);
  return (item, value = '') =>
    r.body.rows.filter((x) => x.item === item && x.value === value && x.flag === '').reduce((n, x) => n + x.count, 0);
}

/** axe-core on the page as it is now: no violation of WCAG 2.0-2.2 A and AA. */
async function axe(screen: string) {
  expect(await axeViolations(page), `axe on the ${screen} screen`).toEqual([]);
}

/** Nothing sticks out sideways, and every control is at least 48 px high. */
async function fitsThePhone() {
  const { scroll, width } = await page.evaluate(() => {
    const g = globalThis as any;
    return { scroll: g.document.documentElement.scrollWidth as number, width: g.innerWidth as number };
  });
  expect(scroll).toBeLessThanOrEqual(width);
  for (const control of await page.locator('button:visible, .row:visible, .choice:visible, .input:visible').all()) {
    const box = await control.boundingBox();
    expect(box?.height ?? 0, await control.evaluate((e) => e.outerHTML.slice(0, 120))).toBeGreaterThanOrEqual(48);
  }
}

async function open(code: string) {
  await page.goto(`${tp.baseUrl}/s/${code}`);
  await page.getByTestId('survey-unit').waitFor();
}

async function next() {
  await page.getByTestId('survey-next').click();
}

describe.skipIf(!hasBrowser)('web survey for citizens, on a phone', () => {
  beforeAll(async () => {
    tp = await startTestPlatform();
    admin = await tp.admin();
    const qr = await admin.get(`/api/v1/units/${UNIT}/survey-qr`);
    expect(qr.status).toBe(200);
    qrCode = qr.body.code;

    browser = await launchBrowser();
    // The server's Content-Security-Policy allows no inline script: axe-core is injected as one.
    context = await browser.newContext({
      viewport: { width: 360, height: 740 },
      isMobile: true,
      hasTouch: true,
      bypassCSP: true,
    });
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await tp?.stop();
  });

  it('answers the counter’s QR survey in Vietnamese: consent, a face, two reasons, no phone', async () => {
    await open(qrCode);
    const consent = page.getByTestId('survey-consent');
    await consent.waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('vi');
    expect(await page.title()).toBe('Dân chấm điểm M.Score');
    expect(await page.getByTestId('survey-unit').innerText()).toBe(OFFICE);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Đánh giá nhanh tại quầy');
    expect(await page.getByTestId('survey-consent-text').innerText()).toContain('Đánh giá không cần ghi tên');
    expect(await page.getByRole('button', { name: 'Đồng ý và bắt đầu', exact: true }).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Trả lời không để lại thông tin cá nhân', exact: true }).count()).toBe(1);
    await fitsThePhone();
    await axe('consent');
    await shot('01-consent');

    await page.getByRole('button', { name: 'Đồng ý và bắt đầu' }).click();
    await page.getByTestId('survey-question').waitFor();
    await expect.poll(focusedId).toBe('q-title');
    expect(await heading()).toContain('Ông/Bà hài lòng thế nào với việc phục vụ hôm nay?');
    // Before a face is chosen, the reasons are not asked yet: the face and the phone.
    expect(await page.getByTestId('survey-progress').innerText()).toBe('Câu 1/2');
    const group = page.getByRole('group', { name: /hài lòng thế nào/ });
    expect(await group.count()).toBe(1);
    for (const word of ['Rất không hài lòng', 'Không hài lòng', 'Hài lòng', 'Rất hài lòng'])
      expect(await group.getByRole('radio', { name: word, exact: true }).count()).toBe(1);
    expect(await page.locator('.faces svg').count()).toBe(4);
    await fitsThePhone();
    await axe('question');
    await shot('02-faces');

    await page.getByRole('radio', { name: 'Rất hài lòng', exact: true }).check();
    expect(await page.getByTestId('survey-progress').innerText()).toBe('Câu 1/3');
    await shot('03-face-chosen');
    await next();
    await expect.poll(heading).toContain('Ông/Bà hài lòng vì điều gì? (có thể chọn nhiều)');
    await expect.poll(focusedId).toBe('q-title');
    expect(await page.getByTestId('survey-progress').innerText()).toBe('Câu 2/3');
    await page.getByRole('checkbox', { name: 'Đúng hẹn', exact: true }).check();
    await page.getByRole('checkbox', { name: 'Nhanh chóng', exact: true }).check();
    // Each reason has its pictogram beside the words (and only the words name it).
    expect(await page.locator('label.row svg.row__icon[aria-hidden="true"]').count()).toBe(5);
    await fitsThePhone();
    await axe('reasons');
    await shot('04-reasons');

    await next();
    await expect.poll(heading).toContain('để lại số điện thoại');
    expect(await page.getByTestId('survey-progress').innerText()).toBe('Câu 3/3');
    const phone = page.getByRole('textbox', { name: /để lại số điện thoại/ });
    expect(await phone.getAttribute('type')).toBe('tel');
    await fitsThePhone();
    await axe('phone');
    await shot('05-phone');

    // The phone is left empty: the answers go.
    await page.getByRole('button', { name: 'Gửi đánh giá' }).click();
    const thanks = page.getByTestId('survey-thanks');
    await thanks.waitFor();
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Xin cảm ơn Ông/Bà đã đánh giá!');
    await expect.poll(focusedId).toBe('screen-title');
    expect(await page.evaluate(`localStorage.getItem('mscore.survey.pending.${qrCode}')`)).toBeNull();
    await fitsThePhone();
    await axe('thanks');
    await shot('06-thanks');

    const n = await counts();
    expect(n('_n')).toBe(1);
    expect(n('OVERALL', '4')).toBe(1);
    expect(n('REASONS_GOOD', 'on_time')).toBe(1);
    expect(n('REASONS_GOOD', 'fast')).toBe(1);
    expect(n('CALLBACK_PHONE', '*')).toBe(0);
  });

  it('says which question needs an answer when Next is pressed without one, and shows skip logic', async () => {
    await open(qrCode);
    await page.getByRole('button', { name: 'Trả lời không để lại thông tin cá nhân' }).click();
    await page.getByTestId('survey-question').waitFor();
    // Without consent, the phone is not asked; the reasons follow once a face is chosen.
    expect(await page.getByTestId('survey-progress').innerText()).toBe('Câu 1/1');
    expect(await page.getByRole('button', { name: 'Gửi đánh giá' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Tiếp tục' }).click();
    const error = page.getByTestId('survey-error');
    await error.waitFor();
    expect(await error.getAttribute('role')).toBe('alert');
    expect(await error.innerText()).toContain('Xin chọn hoặc nhập một câu trả lời cho câu này.');
    const describedBy = (await page.getByTestId('survey-question').getAttribute('aria-describedby'))?.split(' ');
    expect(describedBy).toContain(await error.getAttribute('id'));
    expect(await page.getByTestId('survey-thanks').count()).toBe(0);
    await axe('required error');
    await shot('07-required');

    // Answering takes the message away; a poor rating asks what went wrong.
    await page.getByRole('radio', { name: 'Không hài lòng', exact: true }).check();
    expect(await page.getByTestId('survey-error').count()).toBe(0);
    await next();
    await expect.poll(heading).toContain('Ông/Bà chưa hài lòng vì điều gì?');
    expect(await page.getByTestId('survey-progress').innerText()).toBe('Câu 2/2');
    expect(await page.getByRole('checkbox', { name: 'Phải chờ lâu', exact: true }).count()).toBe(1);
    // Back keeps the answer.
    await page.getByTestId('survey-back').click();
    await expect.poll(heading).toContain('hài lòng thế nào');
    expect(await page.getByRole('radio', { name: 'Không hài lòng', exact: true }).isChecked()).toBe(true);

    // 320 px wide: still no sideways scrolling.
    await page.setViewportSize({ width: 320, height: 640 });
    await fitsThePhone();
    await shot('08-faces-320');
    await page.getByTestId('survey-back').click();
    await page.getByTestId('survey-consent').waitFor();
    await fitsThePhone();
    await shot('09-consent-320');
    await page.setViewportSize({ width: 360, height: 740 });
  });

  it('takes one answer through a one-time link, with a phone number left with consent', async () => {
    const ev = await admin.post('/api/v1/events', {
      events: [
        {
          unit: UNIT,
          externalId: 'S-1',
          kind: 'dossier',
          returnedAt: '2026-11-20T10:00:00+07:00',
          citizen: { name: 'Lê Thị Hoa', phone: '0912345678' },
        },
      ],
    });
    expect(ev.status).toBe(200);
    const link = await admin.post('/api/v1/survey-links', { eventId: ev.body.results[0].id });
    expect(link.status).toBe(200);
    const code: string = link.body.code;
    expect(link.body.url).toMatch(new RegExp(`/s/${code}$`));

    await open(code);
    await page.getByRole('button', { name: 'Đồng ý và bắt đầu' }).click();
    await page.getByRole('radio', { name: 'Không hài lòng', exact: true }).check();
    await next();
    await page.getByRole('checkbox', { name: 'Phải chờ lâu', exact: true }).check();
    await next();
    await page.getByRole('textbox', { name: /để lại số điện thoại/ }).fill('0912 345 678');
    await page.getByRole('button', { name: 'Gửi đánh giá' }).click();
    await page.getByTestId('survey-thanks').waitFor();
    // Nothing personal stays on the device once sent.
    expect(await page.evaluate(`localStorage.getItem('mscore.survey.pending.${code}')`)).toBeNull();

    await page.reload();
    const message = page.getByTestId('survey-message');
    await message.waitFor();
    expect(await message.getAttribute('data-kind')).toBe('answered');
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Phiếu đánh giá này đã được trả lời');
    expect(await page.getByTestId('survey-unit').innerText()).toBe(OFFICE);
    expect(await page.getByTestId('survey-consent').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Gửi đánh giá' }).count()).toBe(0);
    await axe('already answered');
    await shot('10-link-answered');

    const second = await tp.client().post(`/api/public/v1/surveys/${code}/responses`, {
      id: randomUUID(),
      instrument: 'KIOSK_QUICK',
      version: 1,
      answers: { OVERALL: 4 },
      language: 'vi',
      consent: false,
    });
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('survey.link_used');

    const n = await counts();
    expect(n('_n')).toBe(2);
    expect(n('OVERALL', '2')).toBe(1);
    expect(n('REASONS_BAD', 'long_wait')).toBe(1);
    expect(n('CALLBACK_PHONE', '*')).toBe(1);
  });

  it('keeps the answers when the reply is lost, and a reload sends them again with the same id', async () => {
    await open(qrCode);
    await page.getByRole('button', { name: 'Trả lời không để lại thông tin cá nhân' }).click();
    await page.getByRole('radio', { name: 'Hài lòng', exact: true }).check();
    await next();
    await page.getByRole('checkbox', { name: 'Hướng dẫn rõ ràng', exact: true }).check();

    // The answers reach the server, but the phone loses the reply.
    const ids: string[] = [];
    const responses = `**/api/public/v1/surveys/${qrCode}/responses`;
    await page.route(responses, async (route) => {
      ids.push(JSON.parse(route.request().postData() ?? '{}').id);
      await route.fetch();
      await route.abort('internetdisconnected');
    });
    await page.getByRole('button', { name: 'Gửi đánh giá' }).click();
    const failed = page.getByTestId('survey-send-error');
    await failed.waitFor();
    expect(await failed.getAttribute('role')).toBe('alert');
    expect(await failed.innerText()).toContain('Chưa gửi được — thử lại');
    expect(await page.getByRole('button', { name: 'Gửi lại' }).count()).toBe(1);
    // The answers are still on the screen, and kept on the device.
    expect(await page.getByRole('checkbox', { name: 'Hướng dẫn rõ ràng', exact: true }).isChecked()).toBe(true);
    const kept = JSON.parse(
      (await page.evaluate<string | null>(`localStorage.getItem('mscore.survey.pending.${qrCode}')`)) ?? '{}',
    );
    expect(kept).toMatchObject({
      instrument: 'KIOSK_QUICK',
      consent: false,
      answers: { OVERALL: 3, REASONS_GOOD: ['clear_guidance'] },
    });
    expect(kept.id).toBe(ids[0]);
    await axe('send failed');
    await shot('11-send-failed');

    // Again, still offline: the same id.
    await page.getByRole('button', { name: 'Gửi lại' }).click();
    await expect.poll(() => ids.length).toBe(2);
    await failed.waitFor();
    expect(ids[1]).toBe(ids[0]);

    // Back online, the person reloads the page: the kept answers are sent by themselves.
    await page.unroute(responses);
    await page.reload();
    await page.getByTestId('survey-thanks').waitFor();
    expect(await page.evaluate(`localStorage.getItem('mscore.survey.pending.${qrCode}')`)).toBeNull();
    await shot('12-resent');

    const stored = await admin.get(`/api/v1/responses/${ids[0]}`);
    expect(stored.status).toBe(200);
    const n = await counts();
    expect(n('_n')).toBe(3); // once, though it reached the server three times
    expect(n('OVERALL', '3')).toBe(1);
    expect(n('REASONS_GOOD', 'clear_guidance')).toBe(1);
  });

  it('switches to English: the page’s words, the questions and the lang attribute', async () => {
    await open(qrCode);
    await page.getByTestId('lang-switch').getByRole('button', { name: 'English' }).click();
    await page.getByRole('button', { name: 'Agree and start' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Kiosk quick rating');
    expect(await page.getByTestId('survey-consent-text').innerText()).toContain('Ratings are anonymous');
    await page.getByRole('button', { name: 'Answer without giving personal details' }).click();
    await expect.poll(heading).toContain('How satisfied are you with the service today?');
    expect(await page.getByTestId('survey-progress').innerText()).toBe('Question 1 of 1');
    expect(await page.getByRole('radio', { name: 'Very satisfied', exact: true }).count()).toBe(1);
    await axe('question in English');
    await shot('13-english');
    await page.getByTestId('lang-switch').getByRole('button', { name: 'Tiếng Việt' }).click();
    await expect.poll(heading).toContain('Ông/Bà hài lòng thế nào');
    expect(await page.locator('html').getAttribute('lang')).toBe('vi');
  });

  it('draws every kind of question: a 1-10 scale, yes/no, a number, one choice with "no opinion", free text', async () => {
    const t = (vi: string, en?: string) => (en ? { vi, en } : { vi });
    const definition = {
      languages: ['vi', 'en'],
      // No English consent text: the Vietnamese one shows, marked as Vietnamese.
      consent: t('Câu trả lời chỉ dùng để thống kê chất lượng phục vụ.'),
      thanks: t('Cảm ơn Ông/Bà!', 'Thank you!'),
      items: [
        {
          code: 'WAIT',
          type: 'scale',
          min: 1,
          max: 10,
          required: true,
          label: t('Ông/Bà chấm thời gian chờ bao nhiêu điểm?', 'How would you score the waiting time?'),
          minLabel: t('Rất tệ', 'Very bad'),
          maxLabel: t('Rất tốt', 'Very good'),
        },
        { code: 'RETURNED', type: 'yesno', required: true, label: t('Ông/Bà có phải đi lại nhiều lần không?') },
        {
          code: 'TIMES',
          type: 'number',
          integer: true,
          min: 1,
          max: 20,
          required: true,
          showIf: { item: 'RETURNED', op: 'eq', value: true },
          label: t('Ông/Bà đã phải đi lại thêm bao nhiêu lần?'),
        },
        {
          code: 'CHANNEL',
          type: 'single',
          required: false,
          label: t('Ông/Bà nộp hồ sơ bằng cách nào?'),
          options: [
            { code: 'counter', label: t('Tại quầy') },
            { code: 'online', label: t('Trực tuyến') },
            { code: 'post', label: t('Qua bưu điện') },
          ],
          noOpinion: { value: 'na', label: t('Không nhớ') },
        },
        { code: 'COMMENT', type: 'text', maxLength: 200, required: false, label: t('Ông/Bà có góp ý gì thêm không?') },
      ],
    };
    const made = await admin.post('/api/v1/instruments', {
      code: 'WEB_ALL_TYPES',
      name: t('Khảo sát đủ loại câu hỏi', 'Every kind of question'),
      sector: null,
      channels: ['web'],
      definition,
    });
    expect(made.status, made.text).toBe(201);
    expect((await admin.post('/api/v1/instruments/WEB_ALL_TYPES/versions/1/publish')).status).toBe(204);
    const assigned = await admin.put('/api/v1/instrument-assignments', {
      channel: 'web',
      instrument: 'WEB_ALL_TYPES',
      unit: 'QT-VL-MC',
    });
    expect(assigned.status, assigned.text).toBe(200);
    const qr = await admin.get('/api/v1/units/QT-VL-MC/survey-qr');

    await open(qr.body.code);
    // Nothing personal is asked: one button.
    expect(await page.getByRole('button', { name: 'Trả lời không để lại thông tin cá nhân' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Bắt đầu', exact: true }).click();

    await expect.poll(heading).toContain('thời gian chờ');
    expect(await page.getByRole('radio').count()).toBe(10);
    expect(await page.getByRole('radio', { name: '1 – Rất tệ' }).count()).toBe(1);
    expect(await page.getByRole('radio', { name: '10 – Rất tốt' }).count()).toBe(1);
    await page.getByRole('radio', { name: '8', exact: true }).check();
    await fitsThePhone();
    await axe('scale');
    await shot('20-scale');
    await next();

    await expect.poll(heading).toContain('đi lại nhiều lần');
    await page.getByRole('radio', { name: 'Có', exact: true }).check();
    await fitsThePhone();
    await shot('21-yesno');
    await next();

    await expect.poll(heading).toContain('bao nhiêu lần');
    const times = page.getByRole('textbox', { name: /bao nhiêu lần/ });
    expect(await times.getAttribute('inputmode')).toBe('numeric');
    await times.fill('25');
    await next();
    await page.getByTestId('survey-error').waitFor();
    expect(await page.getByTestId('survey-error').innerText()).toContain('Số này nằm ngoài khoảng cho phép.');
    expect(await times.getAttribute('aria-invalid')).toBe('true');
    expect((await times.getAttribute('aria-describedby'))?.split(' ')).toContain('q-error');
    await axe('number with an error');
    await shot('22-number-error');
    await times.fill('2');
    await next();

    await expect.poll(heading).toContain('nộp hồ sơ bằng cách nào');
    await page.getByRole('radio', { name: 'Không nhớ', exact: true }).check();
    await fitsThePhone();
    await shot('23-single');
    await next();

    await expect.poll(heading).toContain('góp ý');
    const comment = page.getByRole('textbox', { name: /góp ý/ });
    await comment.fill('Cần thêm ghế chờ');
    expect(await page.getByTestId('survey-counter').innerText()).toBe('Đã nhập 16/200 ký tự');
    expect(await comment.getAttribute('maxlength')).toBe('200');
    await axe('text');
    await shot('24-text');

    // The server refuses an answer: its message shows on that question.
    const responses = `**/api/public/v1/surveys/${qr.body.code}/responses`;
    await page.route(responses, (route) =>
      route.fulfill({
        status: 422,
        contentType: 'application/problem+json',
        body: JSON.stringify({
          status: 422,
          code: 'response.invalid',
          errors: [{ item: 'TIMES', code: 'answer.out_of_range', message: 'from 1 to 20' }],
        }),
      }),
    );
    await page.getByRole('button', { name: 'Gửi đánh giá' }).click();
    await expect.poll(heading).toContain('bao nhiêu lần');
    await expect.poll(focusedId).toBe('q-title');
    expect(await page.getByTestId('survey-error').innerText()).toContain('Số này nằm ngoài khoảng cho phép.');
    await shot('25-server-error');
    await page.unroute(responses);

    await next();
    await next();
    expect(await page.getByRole('textbox', { name: /góp ý/ }).inputValue()).toBe('Cần thêm ghế chờ');
    await page.getByRole('button', { name: 'Gửi đánh giá' }).click();
    await page.getByTestId('survey-thanks').waitFor();
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Cảm ơn Ông/Bà!');

    const n = await counts('WEB_ALL_TYPES');
    expect(n('_n')).toBe(1);
    expect(n('WAIT', '8')).toBe(1);
    expect(n('RETURNED', '1')).toBe(1);
    expect(n('TIMES', '2')).toBe(1);
    expect(n('CHANNEL', 'na')).toBe(1);
    expect(n('COMMENT', '*')).toBe(1);

    // In English, a text the instrument has only in Vietnamese is marked as such.
    await open(qr.body.code);
    await page.getByTestId('lang-switch').getByRole('button', { name: 'English' }).click();
    await page.getByRole('button', { name: 'Start', exact: true }).waitFor();
    expect(await page.getByTestId('survey-consent-text').locator('[lang="vi"]').innerText()).toContain('Câu trả lời chỉ dùng');
    await axe('consent in English with a Vietnamese text');
    await page.getByTestId('lang-switch').getByRole('button', { name: 'Tiếng Việt' }).click();
  });

  it('says so when the code is unknown', async () => {
    await page.goto(`${tp.baseUrl}/s/khongcoma99`);
    const message = page.getByTestId('survey-message');
    await message.waitFor();
    expect(await message.getAttribute('data-kind')).toBe('notFound');
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Không tìm thấy khảo sát');
    await shot('14-not-found');
  });

  it('loads at most 100 kB of compressed JavaScript', () => {
    const html = readFileSync(path.join(DIST, 's', 'index.html'), 'utf8');
    const urls = [
      ...[...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1] as string),
      ...[...html.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+)"/g)].map((m) => m[1] as string),
    ];
    expect(urls.length).toBeGreaterThan(0);
    let total = 0;
    const lines: string[] = [];
    for (const url of new Set(urls)) {
      expect(url.startsWith('/assets/'), url).toBe(true);
      expect(url, 'the console and its UI library stay out').not.toMatch(/\/(console|vendor)-/);
      const file = path.join(DIST, url);
      const raw = statSync(file).size;
      // Files under 1 kB are not pre-compressed: count them as gzip would send them.
      const compressed = existsSync(`${file}.br`)
        ? statSync(`${file}.br`).size
        : existsSync(`${file}.gz`)
          ? statSync(`${file}.gz`).size
          : gzipSync(readFileSync(file)).length;
      total += compressed;
      lines.push(`${url}: ${raw} B, ${compressed} B compressed`);
    }
    console.log(`survey JavaScript, ${total} B compressed in all:\n  ${lines.join('\n  ')}`);
    expect(total).toBeLessThanOrEqual(JS_BUDGET);
  });
});
