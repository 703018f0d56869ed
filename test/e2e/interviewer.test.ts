// The interviewer console (/interviewer/) in a browser: sign-in, the queue,
// a whole phone interview captured from the keyboard (with a skip) to a stored
// response, a no-answer that goes back to the pool, a callback that needs a
// time, the empty queue and calling hours, a narrow window, a user without the
// role; axe-core finds no WCAG A/AA violation on the queue or the call screen.
import { sql } from 'kysely';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, hasBrowser, launchBrowser, screenshot } from '../support/browser.ts';
import { ADMIN_PASSWORD, type Client, startTestPlatform, type TestPlatform, userWithRole } from '../support/platform.ts';

/** A weekday morning in November 2026, local time: October's returns are the frame, and calls are allowed. */
const START = new Date('2026-11-10T09:00:00+07:00').getTime();
const ZONE = 'Asia/Ho_Chi_Minh';
const UNIT = 'QT-DH-MC';
const EVENTS = Array.from({ length: 5 }, (_, i) => ({
  unit: UNIT,
  externalId: `HS-2026-10-${i + 1}`,
  kind: 'dossier',
  receivedAt: '2026-10-01T08:00:00+07:00',
  dueAt: '2026-10-14T17:00:00+07:00',
  returnedAt: '2026-10-15T10:00:00+07:00',
  citizen: { name: `Nguyễn Thị ${String.fromCharCode(65 + i)}`, phone: `09120000${String(i + 1).padStart(2, '0')}` },
}));

let tp: TestPlatform;
let admin: Client;
let interviewer: { id: string; password: string };
let browser: Browser;
let context: BrowserContext;
let page: Page;

const shot = (name: string) => screenshot(page, `interviewer-${name}`);
const db = () => tp.ctx.db;

/** Takes the next call from the queue with the N key; the id of the record the server gave. */
async function nextCall(): Promise<string> {
  await page.getByTestId('next-call').waitFor();
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/v1/interviews/next')),
    page.keyboard.press('n'),
  ]);
  const body = (await res.json()) as { record: { id: string } | null; reason: string | null };
  expect(body.reason).toBeNull();
  await page.getByTestId('call-screen').waitFor();
  return body.record?.id as string;
}

async function sample(id: string) {
  return (
    await sql<{
      status: string;
      next_at: Date | null;
      interviewer_id: string | null;
      attempts: number;
      response_id: string | null;
      event_id: string;
    }>`select status, next_at, interviewer_id, attempts, response_id, event_id from interview_sample where id = ${id}`.execute(
      db(),
    )
  ).rows[0];
}

const currentItem = () => page.getByTestId('step-item').getAttribute('data-item');
async function expectItem(code: string) {
  await page.locator(`[data-testid="step-item"][data-item="${code}"]`).waitFor();
}
async function press(...keys: string[]) {
  for (const k of keys) await page.keyboard.press(k);
}

describe.skipIf(!hasBrowser)('interviewer console in a browser', () => {
  beforeAll(async () => {
    tp = await startTestPlatform();
    // Server and browser share a clock that starts on a weekday at 09:00 and runs.
    const t0 = Date.now();
    tp.ctx.clock.now = () => new Date(START + (Date.now() - t0));
    admin = await tp.admin();
    const ev = await admin.post('/api/v1/events', { events: EVENTS });
    expect(ev.status).toBe(200);
    expect(ev.body.rejected).toBe(0);
    const round = await admin.post('/api/v1/rounds', {
      name: 'Đợt tháng 10/2026',
      periodFrom: '2026-10',
      units: [UNIT],
      design: { floor: 3, margin: 0.5 },
      seed: 'e2e',
    });
    expect(round.status).toBe(201);
    const published = await admin.post(`/api/v1/rounds/${round.body.id}/publish`);
    expect(published.status).toBe(200);
    expect(published.body.total.sampled).toBe(3);
    interviewer = await userWithRole(tp, admin, 'interviewer.one', 'interviewer', null);

    browser = await launchBrowser();
    // axe-core is injected as an inline script, which the server's CSP forbids (the last test runs under it).
    context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      locale: 'vi-VN',
      timezoneId: ZONE,
      bypassCSP: true,
    });
    await context.clock.install({ time: tp.ctx.clock.now() });
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await tp?.stop();
  });

  it('signs in through its own form and shows the queue', async () => {
    await page.goto(`${tp.baseUrl}/interviewer/`);
    await page.getByTestId('login-form').waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('vi');
    expect(await page.title()).toContain('Phỏng vấn qua điện thoại');
    await shot('01-login');

    await page.getByTestId('login-username').fill('interviewer.one');
    await page.getByTestId('login-password').fill('not-the-password');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('login-error').waitFor();
    expect(await page.getByTestId('login-error').innerText()).toContain('Tên đăng nhập hoặc mật khẩu không đúng');

    await page.getByTestId('login-password').fill(interviewer.password);
    await page.getByTestId('login-submit').click();
    await page.getByRole('heading', { name: 'Hàng đợi cuộc gọi' }).waitFor();
    await page.getByTestId('held-none').waitFor();
    expect(await page.getByTestId('today-attempts').innerText()).toBe('0');
    expect(await page.getByTestId('next-call').innerText()).toContain('Cuộc gọi tiếp theo');
    expect(await axeViolations(page)).toEqual([]);
    await shot('02-queue');
  });

  it('takes the next call, shows the number on request (audited) and interviews by keyboard to a stored response', async () => {
    const id = await nextCall();
    const name = await page.getByTestId('citizen-name').innerText();
    expect(EVENTS.map((e) => e.citizen.name)).toContain(name);
    const event = EVENTS.find((e) => e.citizen.name === name);
    const record = page.getByTestId('record');
    expect(await record.innerText()).toContain(event?.externalId);
    expect(await record.innerText()).toContain('Văn phòng một cửa thành phố Đông Hà');
    expect(await record.innerText()).toContain('15/10/2026');
    expect(await page.getByTestId('phone-masked').innerText()).toMatch(/^091\*+\d{4}$/);
    await page.getByTestId('call-timer').waitFor();
    await page.getByTestId('step-intro').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await shot('03-call-intro');

    // The number only on a click, and every reveal is audited.
    const audited = () =>
      sql<{ n: number }>`select count(*)::int as n from audit_log where action = 'interview.reveal_phone' and object_id = ${id}`
        .execute(db())
        .then((r) => r.rows[0]?.n);
    expect(await audited()).toBe(0);
    await page.getByTestId('reveal-phone').click();
    await page.getByTestId('phone-link').waitFor();
    expect(await page.getByTestId('phone-link').getAttribute('href')).toBe(`tel:${event?.citizen.phone}`);
    expect(await audited()).toBe(1);

    // Introduction, then consent (Y), then the questionnaire, from the keyboard.
    await page.getByTestId('step-intro').click();
    await press('Enter');
    await page.getByTestId('step-consent').waitFor();
    await press('Enter'); // no consent recorded yet: it stays
    await page.getByText('Hãy ghi nhận người được hỏi có đồng ý tham gia hay không').waitFor();
    await press('y', 'Enter');
    await expectItem('IDENTITY');
    await press('y', 'Enter');
    await expectItem('RESULT_STATUS');
    await press('2');
    expect(await page.getByTestId('choice-late').isChecked()).toBe(true);
    await press('Enter');
    await expectItem('ASKED_TO_RETURN');
    expect(await axeViolations(page)).toEqual([]);
    await shot('04-call-question');
    // "No" skips the number of extra visits and their reasons.
    await press('n', 'Enter');
    await expectItem('FEE_PAID');
    await press('ArrowLeft');
    await expectItem('ASKED_TO_RETURN');
    expect(await page.getByTestId('choice-false').isChecked()).toBe(true);
    await press('Enter');
    await expectItem('FEE_PAID');
    await press('2', 'Enter');
    await expectItem('EXTRA_PAYMENT');
    await press('n', 'Enter');
    await expectItem('STAFF_ATTITUDE');
    await press('8');
    expect(await page.getByTestId('choice-8').isChecked()).toBe(true);
    await press('Enter');
    await expectItem('GUIDANCE_CLARITY');
    await press('0'); // no opinion
    expect(await page.getByTestId('choice-na').isChecked()).toBe(true);
    await press('Enter');
    await expectItem('SATISFACTION');
    await press('1', '0'); // 10 on a 1-10 scale
    expect(await page.getByTestId('choice-10').isChecked()).toBe(true);
    await shot('05-call-scale');
    await press('Enter');
    // Numbers and texts are ordinary fields, focused on their step.
    await expectItem('VISITS');
    await page.keyboard.type('75');
    await press('Enter');
    await page.getByTestId('step-error').waitFor(); // 1 to 50
    expect(await page.getByTestId('step-error').innerText()).toContain('từ 1 đến 50');
    expect(await currentItem()).toBe('VISITS');
    await press('Backspace', 'Backspace');
    await page.keyboard.type('2');
    await press('Enter');
    await expectItem('WAIT_MINUTES');
    await page.keyboard.type('15');
    await press('Enter');
    await expectItem('BEST_THING');
    await page.keyboard.type('Cán bộ hướng dẫn tận tình');
    await press('Enter');
    await expectItem('WORST_THING');
    // Backspace in an empty field goes back; the text typed is still there.
    await press('Backspace');
    await expectItem('BEST_THING');
    expect(await page.getByTestId('answer-field').inputValue()).toBe('Cán bộ hướng dẫn tận tình');
    await press('Enter');
    await expectItem('WORST_THING');
    await press('Enter');
    await expectItem('SUGGESTION');
    await press('Enter');
    await page.getByTestId('step-end').waitFor();
    await page.getByTestId('end-ready').waitFor();

    // Enter on the closing words chooses "completed" and puts the focus on storing it.
    await press('Enter');
    const save = page.getByTestId('save-outcome');
    expect(await save.innerText()).toContain('Hoàn thành');
    expect(await save.evaluate((el) => el === (globalThis as any).document.activeElement)).toBe(true);
    expect(await page.getByTestId('outcome-completed').getAttribute('aria-pressed')).toBe('true');
    await shot('06-call-end');

    // A rejection by the server is shown item by item, in the interface's language; nothing typed is lost.
    // (The page checks the answers itself, so the server's word is stood in for once.)
    await page.route('**/api/v1/interviews/*/outcome', (route) =>
      route.fulfill({
        status: 422,
        contentType: 'application/problem+json',
        body: JSON.stringify({
          type: 'urn:mscore:problem:response.invalid',
          title: 'Invalid',
          status: 422,
          code: 'response.invalid',
          errors: [{ item: 'SATISFACTION', code: 'answer.out_of_range', message: 'a whole number from 1 to 10' }],
        }),
      }),
    );
    // On the focused button (asserted above), so that no re-render in between can take the key elsewhere.
    await save.press('Enter');
    await page.getByTestId('save-error').waitFor();
    expect(await page.getByTestId('save-error').innerText()).toContain('Có câu trả lời không hợp lệ');
    expect(await page.getByTestId('save-error-items').innerText()).toContain('giá trị ngoài khoảng cho phép');
    await page.unroute('**/api/v1/interviews/*/outcome');
    await page.getByTestId('save-error-items').getByRole('button').click();
    await expectItem('SATISFACTION');
    expect(await page.getByTestId('choice-10').isChecked()).toBe(true);
    expect(await page.getByTestId('step-error').innerText()).toContain('giá trị ngoài khoảng cho phép');
    expect((await sample(id))?.attempts).toBe(0);
    await page.getByTestId('save-outcome').click();
    await page.getByTestId('saved').waitFor();
    expect(await page.getByTestId('saved').innerText()).toContain('Hoàn thành');
    await page.getByTestId('today-completed').filter({ hasText: '1' }).waitFor();
    await shot('07-queue-after-complete');

    // Stored: the response (channel phone, the event, the interviewer), its answers, the record completed.
    const s = await sample(id);
    expect(s?.status).toBe('completed');
    expect(s?.response_id).toBeTruthy();
    const resp = (
      await sql<{ channel: string; event_id: string; interviewer_id: string; status: string; consent: boolean | null }>`
        select channel, event_id, interviewer_id, status, consent from responses where id = ${s?.response_id}`.execute(db())
    ).rows[0];
    expect(resp).toMatchObject({ channel: 'phone', event_id: s?.event_id, interviewer_id: interviewer.id, status: 'complete' });
    const rows = (
      await sql<{ item: string; value: string; num: number | null }>`
        select item, value, num from response_answers where response_id = ${s?.response_id} order by item, ord`.execute(db())
    ).rows;
    const answers = Object.fromEntries(rows.map((r) => [r.item, r.value]));
    expect(answers).toEqual({
      IDENTITY: '1',
      RESULT_STATUS: 'late',
      ASKED_TO_RETURN: '0',
      FEE_PAID: 'with_receipt',
      EXTRA_PAYMENT: '0',
      STAFF_ATTITUDE: '8',
      GUIDANCE_CLARITY: 'na',
      SATISFACTION: '10',
      VISITS: '2',
      WAIT_MINUTES: '15',
      BEST_THING: 'Cán bộ hướng dẫn tận tình',
    });
    expect(answers.RETURN_TIMES).toBeUndefined();
  });

  it('sends a record nobody answered back to the pool for another time', async () => {
    const id = await nextCall();
    await page.getByTestId('outcome-no_answer').click();
    await page.getByTestId('outcome-help').waitFor();
    await page.getByTestId('note').fill('Đổ chuông lâu, không ai nghe');
    await page.getByTestId('save-outcome').click();
    await page.getByTestId('saved').waitFor();
    expect(await page.getByTestId('saved').innerText()).toContain('Không nghe máy');
    const s = await sample(id);
    expect(s?.status).toBe('pending');
    expect(s?.next_at).toBeTruthy();
    expect(new Date(s?.next_at as Date).getTime()).toBeGreaterThan(tp.ctx.clock.now().getTime());
    expect(s?.interviewer_id).toBeNull();
    expect(s?.attempts).toBe(1);
    await page.getByTestId('today-attempts').filter({ hasText: '2' }).waitFor();
  });

  it('asks for a time before storing a callback', async () => {
    const id = await nextCall();
    await page.getByTestId('outcome-callback').click();
    await page.getByTestId('save-outcome').click();
    const field = page.getByTestId('callback-at');
    await page.getByText('Hãy chọn ngày giờ gọi lại').waitFor();
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    // Outside calling hours is refused too.
    await field.fill('2026-11-10T22:00');
    await page.getByTestId('save-outcome').click();
    await page.getByText('Giờ gọi lại phải trong giờ gọi điện (07:00–21:00)').waitFor();
    expect((await sample(id))?.attempts).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await shot('08-callback-error');

    await field.fill('2026-11-10T15:30');
    await page.getByTestId('note').fill('Hẹn gọi lại sau giờ làm');

    // The network fails: the outcome stays on the screen and the retry is the same attempt.
    const sent: { attemptId: string; endedAt: string }[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith(`/api/v1/interviews/${id}/outcome`)) sent.push(r.postDataJSON());
    });
    await page.route('**/api/v1/interviews/*/outcome', (route) => route.abort('failed'), { times: 1 });
    await page.getByTestId('save-outcome').click();
    await page.getByTestId('save-error').waitFor();
    expect(await page.getByTestId('save-error').innerText()).toContain('Không kết nối được máy chủ');
    expect(await page.getByTestId('note').inputValue()).toBe('Hẹn gọi lại sau giờ làm');
    expect(await field.inputValue()).toBe('2026-11-10T15:30');
    await page.getByTestId('save-outcome').click();
    await page.getByTestId('saved').waitFor();
    expect(sent).toHaveLength(2);
    expect(sent[1]).toEqual(sent[0]);
    expect(await page.getByTestId('saved').innerText()).toContain('10/11/2026 15:30');
    const s = await sample(id);
    expect(s?.status).toBe('callback');
    expect(new Date(s?.next_at as Date).toISOString()).toBe('2026-11-10T08:30:00.000Z');
    expect(s?.interviewer_id).toBe(interviewer.id);
    // The record stays with the interviewer, with its callback time.
    const row = page.getByTestId('held-row');
    await row.waitFor();
    expect(await row.innerText()).toContain('Hẹn gọi lại');
    expect(await row.innerText()).toContain('10/11/2026 15:30');
    await shot('09-queue-held');
  });

  it('says when the queue is empty and when it is outside calling hours', async () => {
    await page.getByTestId('next-call').click();
    await page.getByTestId('queue-empty').waitFor();
    const real = tp.ctx.clock.now;
    tp.ctx.clock.now = () => new Date('2026-11-10T21:30:00+07:00');
    try {
      await page.getByTestId('next-call').click();
      await page.getByTestId('queue-outside').waitFor();
      expect(await page.getByTestId('queue-outside').innerText()).toContain('07:00');
    } finally {
      tp.ctx.clock.now = real;
    }
    expect(await axeViolations(page)).toEqual([]);
    await shot('10-queue-outside');

    // English on request.
    await page.getByTestId('lang-switch').getByText('English').click();
    await page.getByRole('heading', { name: 'Call queue' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.getByTestId('next-call').innerText()).toContain('Next call');
    await shot('11-queue-en');
    await page.getByTestId('lang-switch').getByText('Tiếng Việt').click();
    await page.getByRole('heading', { name: 'Hàng đợi cuộc gọi' }).waitFor();
  });

  it('fits a narrow window, and keeps the answers of a call reopened later', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByTestId('held-row').getByRole('button').click();
    await page.getByTestId('call-screen').waitFor();
    await page.getByTestId('step-intro').waitFor();
    const width = await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth as number);
    expect(width).toBeLessThanOrEqual(390);
    expect(await axeViolations(page)).toEqual([]);
    await shot('12-call-narrow');

    // Consent and a first answer, then back to the queue keeping the record: the answer is still there.
    await page.getByTestId('step-intro').click();
    await press('Enter', 'y', 'Enter');
    await expectItem('IDENTITY');
    await press('y');
    await page.getByTestId('back-to-queue').click();
    await page.getByTestId('held-row').getByRole('button').click();
    await page.getByTestId('step-intro').waitFor();
    await page.getByRole('button', { name: 'Câu 1, đã trả lời' }).waitFor();
    await page.getByTestId('back-to-queue').click();
    await page.getByTestId('next-call').waitFor();
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('stores a partial interview with a callback and resumes it where it stopped', async () => {
    // The record reopened in the narrow window: consent and the first answer are still there.
    await page.getByTestId('held-row').getByRole('button').click();
    await page.getByTestId('step-intro').click();
    await press('Enter');
    await page.getByTestId('step-consent').waitFor();
    expect(await page.getByTestId('consent-yes').isChecked()).toBe(true);
    await press('Enter'); // to the first item without an answer
    await expectItem('RESULT_STATUS');
    await press('1', 'Enter');
    await expectItem('ASKED_TO_RETURN');
    // "Yes" asks the number of extra visits and their reasons.
    await press('y', 'Enter');
    await expectItem('RETURN_TIMES');
    await page.keyboard.type('3');
    await press('Enter');
    await expectItem('RETURN_REASONS');
    await press('1', '3');
    expect(await page.getByTestId('choice-missing_documents').isChecked()).toBe(true);
    expect(await page.getByTestId('choice-system_error').isChecked()).toBe(true);
    await shot('13-call-multiple');
    await press('Enter');
    await expectItem('FEE_PAID');

    const id = (
      await sql<{
        id: string;
      }>`select id from interview_sample where status = 'callback' and interviewer_id = ${interviewer.id}`.execute(db())
    ).rows[0]?.id as string;
    await page.getByTestId('outcome-partial').click();
    await page.getByTestId('callback-at').fill('2026-11-10T16:00');
    await page.getByTestId('note').fill('Đang bận họp, hẹn 16 giờ trả lời tiếp');
    await page.getByTestId('save-outcome').click();
    await page.getByTestId('saved').waitFor();
    let s = await sample(id);
    expect(s?.status).toBe('callback');
    expect(new Date(s?.next_at as Date).toISOString()).toBe('2026-11-10T09:00:00.000Z');
    const partial = (
      await sql<{ status: string; channel: string }>`select status, channel from responses where id = ${s?.response_id}`.execute(
        db(),
      )
    ).rows[0];
    expect(partial).toEqual({ status: 'partial', channel: 'phone' });

    // At 16:00 the callback comes first, with the answers given so far.
    const real = tp.ctx.clock.now;
    tp.ctx.clock.now = () => new Date('2026-11-10T16:01:00+07:00');
    try {
      expect(await nextCall()).toBe(id);
      await page.getByTestId('resumed').waitFor();
      expect(await page.getByTestId('resumed').innerText()).toContain('đã có 5 câu trả lời');
      expect(await page.getByTestId('history').innerText()).toContain('Đang bận họp, hẹn 16 giờ trả lời tiếp');
      await page.getByTestId('step-intro').click();
      await press('Enter', 'y', 'Enter');
      await expectItem('FEE_PAID');
      await press('ArrowLeft');
      await expectItem('RETURN_REASONS');
      expect(await page.getByTestId('choice-missing_documents').isChecked()).toBe(true);
      expect(await page.getByTestId('choice-system_error').isChecked()).toBe(true);
      await press('ArrowLeft');
      await expectItem('RETURN_TIMES');
      expect(await page.getByTestId('answer-field').inputValue()).toBe('3');
      // In a filled field the arrow moves the caret; the button goes back.
      await press('ArrowLeft');
      expect(await currentItem()).toBe('RETURN_TIMES');
      await page.getByTestId('step-previous').click();
      await expectItem('ASKED_TO_RETURN');
      expect(await page.getByTestId('choice-true').isChecked()).toBe(true);
      await shot('14-call-resumed');

      // This time the person declines and asks never to be called again.
      await page.getByTestId('outcome-refused').click();
      await page.getByTestId('do-not-call').check();
      await page.getByTestId('save-outcome').click();
      await page.getByTestId('saved').waitFor();
    } finally {
      tp.ctx.clock.now = real;
    }
    s = await sample(id);
    expect(s?.status).toBe('refused');
    const dnc = await sql<{ n: number }>`select count(*)::int as n from do_not_contact where source = 'interview'`.execute(db());
    expect(dnc.rows[0]?.n).toBe(1);
    await page.getByTestId('held-none').waitFor();
  });

  it('tells a signed-in user without the interviewer role that they cannot take calls', async () => {
    const other = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'vi-VN', timezoneId: ZONE });
    const p = await other.newPage();
    try {
      await p.goto(`${tp.baseUrl}/interviewer/`);
      await p.getByTestId('login-username').fill('admin');
      await p.getByTestId('login-password').fill(ADMIN_PASSWORD);
      await p.getByTestId('login-submit').click();
      await p.getByTestId('no-access').waitFor();
      expect(await p.getByTestId('no-access').innerText()).toContain('chưa được cấp vai trò điều tra viên');
      expect(await p.getByTestId('next-call').count()).toBe(0);
    } finally {
      await other.close();
    }
  });
});
