// Browser tests of the rating tablet (/kiosk/) in Debian's Chromium at tablet
// size: enrollment with a pairing code; 50 ratings while offline survive a
// reload and arrive exactly once when the network returns; a revoked tablet is
// refused; a burst of taps is flagged and left out of the score; a silent
// tablet raises an alert in the console; the uploaded recording plays.

import { sql } from 'kysely';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, hasBrowser, launchBrowser, screenshot } from '../support/browser.ts';
import { ADMIN_PASSWORD, type Client, startTestPlatform, type TestPlatform } from '../support/platform.ts';

const UNIT = 'QT-DH-MC';
let tp: TestPlatform;
let admin: Client;
let browser: Browser;

beforeAll(async () => {
  if (!hasBrowser) return;
  tp = await startTestPlatform();
  admin = await tp.admin();
  browser = await launchBrowser();
  // a short lock keeps 50 ratings quick (the default is 6 s)
  expect((await admin.put('/api/v1/kiosk/settings', { idleSeconds: 30, lockSeconds: 1 })).status).toBe(200);
});
afterAll(async () => {
  await browser?.close();
  await tp?.stop();
});

async function tablet(): Promise<{ context: BrowserContext; page: Page }> {
  // bypassCSP: axe-core is injected as an inline script
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'vi-VN', bypassCSP: true });
  const page = await context.newPage();
  return { context, page };
}

async function enrollIn(page: Page, unit = UNIT): Promise<string> {
  const pairing = await admin.post('/api/v1/devices/pairings', { unit });
  await page.goto(`${tp.baseUrl}/kiosk/`);
  await page.getByTestId('kiosk-pair-code').fill(pairing.body.code);
  await page.getByTestId('kiosk-pair-submit').click();
  await page.getByTestId('kiosk-faces').waitFor();
  const d = await sql<{ id: string }>`select id from devices order by enrolled_at desc limit 1`.execute(tp.ctx.db);
  return d.rows[0]?.id as string;
}

const rows = async (deviceId: string) =>
  (
    await sql<{ n: number; seqs: number }>`select count(*)::int as n, count(distinct device_seq)::int as seqs
      from responses where device_id = ${deviceId}`.execute(tp.ctx.db)
  ).rows[0] as { n: number; seqs: number };

/** One rating as a person gives it: a face, then "send" on the reasons, then "no" to a call-back. */
async function rate(page: Page, face: number) {
  await page.getByTestId(`kiosk-face-${face}`).click();
  await page.getByTestId('kiosk-send').click();
  await page.getByTestId('kiosk-callback-no').click();
  await page.getByTestId('kiosk-thanks').waitFor();
}

describe.skipIf(!hasBrowser)('the rating tablet', () => {
  it('enrolls with a pairing code and shows large faces with words', async () => {
    const { context, page } = await tablet();
    await page.goto(`${tp.baseUrl}/kiosk/`);
    await page.getByTestId('kiosk-pair').waitFor();
    await screenshot(page, 'kiosk-pair');
    await page.getByTestId('kiosk-pair-code').fill('ZZZZ-ZZZZ');
    await page.getByTestId('kiosk-pair-submit').click();
    expect(await page.getByTestId('kiosk-pair-error').innerText()).toContain('Mã không đúng');
    const id = await enrollIn(page);
    expect(id).toBeTruthy();
    expect(await page.getByTestId('kiosk-unit').innerText()).toBe('Văn phòng một cửa thành phố Đông Hà');
    await screenshot(page, 'kiosk-faces');
    // every target at least 64 px
    const small = await page.evaluate(() => {
      const g = globalThis as any;
      return [...g.document.querySelectorAll('main button')]
        .map((b: any) => b.getBoundingClientRect())
        .filter((r: any) => r.height < 64 || r.width < 64).length;
    });
    expect(small).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByTestId('kiosk-face-2').click();
    await page.getByTestId('kiosk-reasons').waitFor();
    await screenshot(page, 'kiosk-reasons');
    await page.getByTestId('kiosk-reason-long_wait').click();
    await page.getByTestId('kiosk-send').click();
    await page.getByTestId('kiosk-callback').waitFor();
    await screenshot(page, 'kiosk-callback');
    await page.getByRole('button', { name: 'Có, gọi lại cho tôi' }).click();
    await page.getByTestId('kiosk-consent').waitFor();
    await screenshot(page, 'kiosk-consent');
    await page.getByRole('button', { name: 'Tôi đồng ý' }).click();
    for (const d of '0912345678') await page.getByTestId(`kiosk-key-${d}`).click();
    await screenshot(page, 'kiosk-phone');
    await page.getByTestId('kiosk-phone-done').click();
    await page.getByTestId('kiosk-thanks').waitFor();
    await screenshot(page, 'kiosk-thanks');
    await expect.poll(async () => (await rows(id)).n, { timeout: 5000 }).toBe(1);
    const a = await sql<{ item: string; value: string }>`select a.item, a.value from response_answers a
      join responses r on r.id = a.response_id where r.device_id = ${id} order by a.item`.execute(tp.ctx.db);
    expect(a.rows.map((x) => x.item)).toEqual(['CALLBACK_PHONE', 'OVERALL', 'REASONS_BAD']);
    expect(a.rows.find((x) => x.item === 'CALLBACK_PHONE')?.value).not.toContain('0912345678');
    await context.close();
  });

  it('keeps 50 ratings given offline through a reload and sends each exactly once', { timeout: 240_000 }, async () => {
    const { context, page } = await tablet();
    const id = await enrollIn(page);
    // the service worker has the page and its assets before the network goes
    await page.waitForFunction(() => Boolean((globalThis as any).navigator.serviceWorker?.controller));
    await page.reload();
    await page.getByTestId('kiosk-faces').waitFor();
    await page.waitForFunction(async () => {
      const keys = await (globalThis as any).caches.open('mscore-kiosk-v1').then((c: any) => c.keys());
      return keys.some((k: any) => k.url.includes('/assets/kiosk-'));
    });
    await context.setOffline(true);
    for (let i = 0; i < 50; i++) {
      await page.getByTestId(`kiosk-face-${1 + (i % 4)}`).click();
      await page.getByTestId('kiosk-send').click();
      await page.getByTestId('kiosk-callback-no').click();
      await page.getByTestId('kiosk-thanks').waitFor();
      await page.getByTestId('kiosk-faces').waitFor();
    }
    expect(await page.getByTestId('kiosk-unsent').getAttribute('data-count')).toBe('50');
    await screenshot(page, 'kiosk-unsent');
    expect((await rows(id)).n).toBe(0);
    await page.reload().catch(() => {});
    await page.getByTestId('kiosk-faces').waitFor();
    expect(await page.getByTestId('kiosk-unsent').getAttribute('data-count')).toBe('50');
    await context.setOffline(false);
    await expect.poll(async () => rows(id), { timeout: 20_000 }).toEqual({ n: 50, seqs: 50 });
    await page.getByTestId('kiosk-unsent').waitFor({ state: 'detached' });
    await context.close();
  });

  it('refuses a revoked tablet and says so', async () => {
    const { context, page } = await tablet();
    const id = await enrollIn(page);
    // its first heartbeat is in: the next word from the server is the answer to a rating
    await expect
      .poll(
        async () =>
          (await sql<{ v: string | null }>`select app_version as v from devices where id = ${id}`.execute(tp.ctx.db)).rows[0]?.v,
      )
      .toBe('1.0.0');
    expect((await admin.post(`/api/v1/devices/${id}/revoke`)).status).toBe(200);
    await page.getByTestId('kiosk-face-4').click();
    await page.getByTestId('kiosk-send').click();
    await page.getByTestId('kiosk-callback-no').click();
    // the thank-you shows, and the refused sync replaces it at once
    await page.getByTestId('kiosk-revoked').waitFor({ timeout: 10_000 });
    await screenshot(page, 'kiosk-revoked');
    expect((await rows(id)).n).toBe(0);
    await context.close();
  });

  it('flags a burst of taps and leaves it out of the score', async () => {
    const { context, page } = await tablet();
    // open all day, every day: the rule under test is the burst, whatever the hour the test runs
    const allDay = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: '00:00', closes: '23:59' }));
    expect((await admin.put('/api/v1/units/QT-HH-MC/opening-hours', { openings: allDay })).status).toBe(200);
    const id = await enrollIn(page, 'QT-HH-MC');
    // a child at the tablet, taps as fast as the screen allows
    for (let i = 0; i < 4; i++) {
      await rate(page, 1);
      await page.getByTestId('kiosk-faces').waitFor();
    }
    await expect.poll(async () => (await rows(id)).n, { timeout: 10_000 }).toBe(4);
    const f = await sql<{ n: number }>`select count(*)::int as n from responses
      where device_id = ${id} and 'burst' = any(flags)`.execute(tp.ctx.db);
    expect(f.rows[0]?.n).toBe(4);
    const month = new Date().toISOString().slice(0, 7);
    const s = await admin.get(`/api/v1/scores?index=KIOSK_SATISFIED&period=${month}&channel=kiosk&unit=QT-HH-MC`);
    expect(s.body.find((r: { unit: string }) => r.unit === 'QT-HH-MC')).toMatchObject({
      n: 0,
      excluded: 4,
      excludedByRule: { burst: 4 },
    });
    await context.close();
  });

  it('shows a silent tablet as an alert in the console (moved clock)', async () => {
    const { context, page } = await tablet();
    const id = await enrollIn(page, 'QT-TP-MC');
    await context.close();
    const real = tp.ctx.clock.now;
    // the next weekday at 10:00 in Quảng Trị, long after the last heartbeat
    const d = new Date(Date.now() + 7 * 86_400_000);
    while ([0, 6].includes(new Date(d.getTime() + 7 * 3_600_000).getUTCDay())) d.setTime(d.getTime() + 86_400_000);
    const at = new Date(`${new Date(d.getTime() + 7 * 3_600_000).toISOString().slice(0, 10)}T10:00:00+07:00`);
    tp.ctx.clock.now = () => at;
    try {
      const console = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
      const p = await console.newPage();
      await p.goto(`${tp.baseUrl}/login`);
      await p.getByTestId('login-username').fill('admin');
      await p.getByTestId('login-password').fill(ADMIN_PASSWORD);
      await p.getByTestId('login-submit').click();
      await p.getByRole('navigation').waitFor();
      await p.goto(`${tp.baseUrl}/devices`);
      const row = p.getByTestId(`device-${id}`);
      await row.waitFor();
      expect(await row.innerText()).toMatch(/Im lặng|Mất liên lạc/);
      await screenshot(p, 'console-devices');
      await console.close();
    } finally {
      tp.ctx.clock.now = real;
    }
  });

  it('plays the recording uploaded for a prompt', async () => {
    const wav = wavTone();
    const up = await admin.request('PUT', '/api/v1/instruments/KIOSK_QUICK/audio/OVERALL/brv', wav, {
      'content-type': 'audio/wav',
    });
    expect(up.status).toBe(200);
    const { context, page } = await tablet();
    await enrollIn(page);
    await page.getByRole('button', { name: 'Vân Kiều' }).click();
    await page.getByTestId('kiosk-listen').click();
    await page.waitForFunction(() => (globalThis as any).document.body.dataset.playing === 'OVERALL:brv');
    // the chosen face is said aloud where it was recorded
    const face = await admin.request('PUT', '/api/v1/instruments/KIOSK_QUICK/audio/OVERALL:4/brv', wav, {
      'content-type': 'audio/wav',
    });
    expect(face.status).toBe(200);
    await page.reload();
    await page.getByRole('button', { name: 'Vân Kiều' }).click();
    await page.getByTestId('kiosk-face-4').click();
    await page.waitForFunction(() => (globalThis as any).document.body.dataset.playing === 'OVERALL:4:brv');
    await context.close();
  });
});

/** A short, valid WAV file: a second of a 440 Hz tone. */
function wavTone(): Buffer {
  const rate = 8000;
  const samples = Buffer.alloc(rate);
  for (let i = 0; i < rate; i++) samples[i] = 128 + Math.round(100 * Math.sin((2 * Math.PI * 440 * i) / rate));
  const h = Buffer.alloc(44);
  h.write('RIFF', 0);
  h.writeUInt32LE(36 + samples.length, 4);
  h.write('WAVE', 8);
  h.write('fmt ', 12);
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(rate, 24);
  h.writeUInt32LE(rate, 28);
  h.writeUInt16LE(1, 32);
  h.writeUInt16LE(8, 34);
  h.write('data', 36);
  h.writeUInt32LE(samples.length, 40);
  return Buffer.concat([h, samples]);
}
