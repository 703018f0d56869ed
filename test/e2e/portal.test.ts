import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasBrowser, launchBrowser, screenshot } from '../support/browser.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

const CODE = 'DH-2026-0001';
const NAME = 'Nguyễn Văn An';
const PHONE = '0912345678';
const OFFICE = 'Văn phòng một cửa thành phố Đông Hà';
const LATE_CODE = 'DH-2025-0042';
/** Gzipped JavaScript the page may load, all scripts together. */
const JS_BUDGET = 80 * 1024;

let tp: TestPlatform;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const scripts = new Map<string, Response>();

const shot = (name: string) => screenshot(page, `portal-${name}`);

const focused = () => page.evaluate<string | null>("document.activeElement?.getAttribute('data-testid') ?? null");
// The hotline is written with a no-break space.
const textOf = async (l: ReturnType<Page['locator']>) => (await l.innerText()).replaceAll('\u00a0', ' ');
const bodyText = () => textOf(page.locator('body'));

async function lookup(code: string, phone4: string) {
  await page.getByTestId('portal-code').fill(code);
  await page.getByTestId('portal-phone4').fill(phone4);
  await page.getByTestId('portal-submit').click();
}

describe.skipIf(!hasBrowser)('dossier lookup for citizens, in a browser', () => {
  beforeAll(async () => {
    tp = await startTestPlatform();
    const admin = await tp.admin();
    const created = await admin.post('/api/v1/events', {
      events: [
        {
          unit: 'QT-DH-MC',
          externalId: CODE,
          kind: 'dossier',
          receivedAt: '2026-10-01T08:00:00+07:00',
          dueAt: '2026-10-06',
          returnedAt: '2026-10-05T10:00:00+07:00',
          citizen: { name: NAME, phone: PHONE },
        },
        {
          // Past its due date, still being processed, with a new date promised.
          unit: 'QT-DH-MC',
          externalId: LATE_CODE,
          kind: 'dossier',
          service: 'Cấp giấy phép xây dựng',
          receivedAt: '2025-09-01T14:30:00+07:00',
          dueAt: '2025-09-10',
          status: 'processing',
          promisedAt: '2025-09-20',
          citizen: { name: 'Trần Thị Bình', phone: '0987654321' },
        },
      ],
    });
    expect(created.status).toBe(200);
    expect(created.body.created).toBe(2);

    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    page = await context.newPage();
    page.on('response', (r) => {
      if (r.request().resourceType() === 'script') scripts.set(r.url(), r);
    });
  });
  afterAll(async () => {
    await browser?.close();
    await tp?.stop();
  });

  it('opens at /tra-cuu/ in Vietnamese, with under 80 kB of gzipped JavaScript and nothing of the console', async () => {
    await page.goto(`${tp.baseUrl}/tra-cuu/`, { waitUntil: 'networkidle' });
    await page.getByTestId('portal-form').waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('vi');
    expect(await page.title()).toBe('Tra cứu tình trạng hồ sơ');
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Tra cứu tình trạng hồ sơ');
    await expect(page.getByRole('button', { name: 'Tra cứu', exact: true }).count()).resolves.toBe(1);
    // The labels name the inputs.
    await expect(page.getByLabel('Mã hồ sơ', { exact: true }).count()).resolves.toBe(1);
    const digits = page.getByLabel('4 số cuối điện thoại', { exact: true });
    expect(await digits.getAttribute('inputmode')).toBe('numeric');
    expect(await digits.getAttribute('pattern')).toBe('[0-9]{4}');
    await shot('01-vi');

    // The size: every script the browser actually loaded (so an accidental import of Mantine or
    // i18next counts), its body gzipped here. The server sends assets uncompressed today, so their
    // content-length is the raw size; gzip is what a compressing server or proxy would send.
    const loaded = [...scripts.values()];
    expect(loaded.length).toBeGreaterThan(0);
    let gzipped = 0;
    const sizes: string[] = [];
    for (const r of loaded) {
      expect(r.status()).toBe(200);
      const body = await r.body();
      const gz = gzipSync(body).length;
      gzipped += gz;
      sizes.push(`${new URL(r.url()).pathname}: ${body.length} B, ${gz} B gzipped`);
    }
    console.log(`portal JavaScript, ${gzipped} B gzipped in all:\n  ${sizes.join('\n  ')}`);
    expect(loaded.every((r) => new URL(r.url()).pathname.startsWith('/assets/'))).toBe(true);
    expect(loaded.some((r) => /\/(console|vendor)-/.test(r.url()))).toBe(false);
    expect(gzipped).toBeLessThan(JS_BUDGET);
  });

  it('checks the inputs before asking, with messages tied to the fields', async () => {
    await page.getByTestId('portal-submit').click();
    const codeError = page.getByTestId('portal-code-error');
    await codeError.waitFor();
    expect(await codeError.innerText()).toContain('Vui lòng nhập mã hồ sơ');
    const code = page.getByTestId('portal-code');
    expect(await code.getAttribute('aria-invalid')).toBe('true');
    expect((await code.getAttribute('aria-describedby'))?.split(' ')).toContain(await codeError.getAttribute('id'));
    await expect.poll(focused).toBe('portal-code');

    await code.fill(CODE);
    await page.getByTestId('portal-phone4').fill('56a');
    await page.getByTestId('portal-submit').click();
    const phoneError = page.getByTestId('portal-phone4-error');
    await phoneError.waitFor();
    expect(await phoneError.innerText()).toContain('đúng 4 chữ số');
    expect(await page.getByTestId('portal-code-error').count()).toBe(0);
    expect((await page.getByTestId('portal-phone4').getAttribute('aria-describedby'))?.split(' ')).toContain(
      await phoneError.getAttribute('id'),
    );
    await expect.poll(focused).toBe('portal-phone4');
    await shot('02-invalid');
  });

  it('says that nothing matches a wrong suffix, without telling whether the code exists', async () => {
    await lookup(CODE, '0000');
    const error = page.getByTestId('portal-error');
    await error.waitFor();
    expect(await error.getAttribute('data-kind')).toBe('not_found');
    const text = await textOf(error);
    expect(text).toContain('Không tìm thấy hồ sơ');
    expect(text).toContain('Không có hồ sơ nào khớp với mã hồ sơ và 4 số cuối điện thoại này');
    expect(text).toContain('1800 8081');
    expect(text).not.toContain(OFFICE);
    await expect.poll(focused).toBe('portal-error');
    expect(await page.getByRole('link', { name: /^Gọi 1800\s8081$/ }).getAttribute('href')).toBe('tel:18008081');
    await shot('03-not-found');
  });

  it('shows the status and the timeline for the right suffix, and nothing personal', async () => {
    await lookup(CODE, '5678');
    const result = page.getByTestId('portal-result');
    await result.waitFor();
    await expect.poll(focused).toBe('portal-result');
    expect(await page.getByTestId('portal-error').count()).toBe(0);

    const text = await result.innerText();
    expect(text).toContain(`Hồ sơ ${CODE}`);
    expect(text).toContain(OFFICE);
    expect(await page.getByTestId('portal-sentence').innerText()).toContain('Đã trả kết quả đúng hạn');
    expect(text).toMatch(/Ngày hẹn trả\s+06\/10\/2026/);
    expect(text).toMatch(/Ngày trả kết quả\s+05\/10\/2026 10:00/);

    const steps = await page.getByTestId('portal-timeline').locator('li').allInnerTexts();
    expect(steps).toHaveLength(2);
    expect(steps[0]).toContain('Đã tiếp nhận');
    expect(steps[0]).toContain('01/10/2026 08:00');
    expect(steps[1]).toContain('Đã trả kết quả');
    expect(steps[1]).toContain('05/10/2026 10:00');

    // Nothing personal, neither on the screen nor in the document.
    const html = await page.content();
    for (const secret of [NAME, PHONE, PHONE.slice(0, 6), 'Văn An']) {
      expect(await bodyText()).not.toContain(secret);
      expect(html).not.toContain(secret);
    }
    await shot('04-result-vi');
  });

  it('offers to try again when the network fails', async () => {
    await page.route('**/api/public/**', (route) => route.abort('internetdisconnected'));
    await page.getByTestId('portal-submit').click();
    const error = page.getByTestId('portal-error');
    await error.waitFor();
    expect(await error.getAttribute('data-kind')).toBe('network');
    expect(await error.innerText()).toContain('Không kết nối được');
    await expect.poll(focused).toBe('portal-error');
    await shot('05-network');

    await page.unroute('**/api/public/**');
    await page.getByTestId('portal-retry').click();
    await page.getByTestId('portal-result').waitFor();
    await expect.poll(focused).toBe('portal-result');
  });

  it('explains a dossier past its due date that has a new promised date', async () => {
    await lookup(LATE_CODE, '4321');
    const result = page.getByTestId('portal-result');
    await result.waitFor();
    expect(await page.getByTestId('portal-sentence').innerText()).toContain('Đã quá hạn hẹn trả');
    const text = await result.innerText();
    expect(text).toMatch(/Thủ tục\s+Cấp giấy phép xây dựng/);
    expect(text).toMatch(/Ngày hẹn trả\s+10\/09\/2025/);
    expect(text).toMatch(/Ngày hẹn trả mới\s+20\/09\/2025/);
    expect(text).not.toContain('Ngày trả kết quả');
    const steps = await page.getByTestId('portal-timeline').locator('li').allInnerTexts();
    expect(steps[0]).toContain('Đã tiếp nhận');
    expect(steps[0]).toContain('01/09/2025 14:30');
    expect(steps.at(-1)).toContain('Đang xử lý');
    expect(await bodyText()).not.toContain('Trần Thị Bình');
    await shot('06-overdue');
  });

  it('says how many minutes to wait once the code was tried too often', async () => {
    const code = 'DH-2026-9999';
    const client = tp.client();
    for (let i = 0; i < 10; i++) {
      expect((await client.get(`/api/public/v1/dossiers/${code}?phone4=1234`)).status).toBe(404);
    }
    await lookup(code, '1234');
    const error = page.getByTestId('portal-error');
    await error.waitFor();
    expect(await error.getAttribute('data-kind')).toBe('rate_limited');
    expect(await error.innerText()).toMatch(/Vui lòng thử lại sau \d+ phút/);
    await shot('07-rate-limited');
  });

  it('switches to English, remembers it with the console, and shows the dossier in English', async () => {
    await page.getByTestId('lang-switch').getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Check the status of your application' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.title()).toBe('Check the status of your application');
    expect(await page.getByTestId('portal-error').innerText()).toMatch(/try again in \d+ minutes?\./);
    expect(await page.evaluate<string | null>("localStorage.getItem('mscore.lang')")).toBe('en');

    await lookup(CODE, '5678');
    await page.getByTestId('portal-result').waitFor();
    await expect(page.getByLabel('Application code', { exact: true }).count()).resolves.toBe(1);
    await expect(page.getByLabel('Last 4 digits of your phone', { exact: true }).count()).resolves.toBe(1);
    await expect(page.getByRole('button', { name: 'Check status', exact: true }).count()).resolves.toBe(1);
    expect(await page.getByTestId('portal-sentence').innerText()).toContain('The result was returned on time');
    const steps = await page.getByTestId('portal-timeline').locator('li').allInnerTexts();
    expect(steps[0]).toContain('Received');
    expect(steps[1]).toContain('Returned');
    expect(await bodyText()).not.toContain(NAME);

    // Every control is a comfortable target on a phone.
    for (const control of await page.locator('button:visible, input:visible, a:visible').all()) {
      const box = await control.boundingBox();
      expect(box?.height ?? 0).toBeGreaterThanOrEqual(44);
      expect(box?.width ?? 0).toBeGreaterThanOrEqual(44);
    }
    await shot('08-result-en');

    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Check the status of your application' }).waitFor();
  });
});
