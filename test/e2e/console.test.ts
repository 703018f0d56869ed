import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasBrowser, launchBrowser, screenshot } from '../support/browser.ts';
import { ADMIN_PASSWORD, startTestPlatform, type TestPlatform } from '../support/platform.ts';

let tp: TestPlatform;
let browser: Browser;
let page: Page;

const shot = (name: string) => screenshot(page, name);

describe.skipIf(!hasBrowser)('console in a browser', () => {
  beforeAll(async () => {
    tp = await startTestPlatform();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  });
  afterAll(async () => {
    await browser?.close();
    await tp?.stop();
  });

  it('logs in (Vietnamese by default), switches to English, and finds "Đakrông" by typing "dakrong"', async () => {
    await page.goto(`${tp.baseUrl}/`);
    await page.getByTestId('login-form').waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('vi');
    await expect(page.getByRole('button', { name: 'Đăng nhập' }).count()).resolves.toBe(1);
    await shot('01-login');

    await page.getByTestId('login-username').fill('admin');
    await page.getByTestId('login-password').fill('wrong-password');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('login-error').waitFor();
    expect(await page.getByTestId('login-error').innerText()).toContain('Tên đăng nhập hoặc mật khẩu không đúng');

    await page.getByTestId('login-password').fill(ADMIN_PASSWORD);
    await page.getByTestId('login-submit').click();
    // the console opens on the scores; the units are one click away
    await page.waitForURL(/\/scores$/);
    await page.getByTestId('nav-units').click();
    await page.getByTestId('unit-search').waitFor();
    expect(await page.getByTestId('nav-units').innerText()).toContain('Đơn vị');
    await shot('02-units-vi');

    await page.getByTestId('lang-switch').getByText('English').click();
    await page.getByText('Units', { exact: true }).first().waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.getByTestId('nav-units').innerText()).toContain('Units');

    await page.getByTestId('unit-search').fill('dakrong');
    // "Huyện Đakrông" is in the unfiltered list too: wait for the filtered rows themselves.
    await expect
      .poll(async () => {
        const rows = await page.getByTestId('unit-row').allInnerTexts();
        return rows.length >= 3 && rows.every((r) => r.includes('Đakrông'));
      })
      .toBe(true);
    await shot('03-units-search-en');

    // The choice of language survives a reload.
    await page.reload();
    await page.getByTestId('unit-search').waitFor();
    expect(await page.getByTestId('nav-units').innerText()).toContain('Units');
  });

  it('shows the users and tokens pages to the admin', async () => {
    await page.getByTestId('nav-users').click();
    await page.getByText('admin', { exact: true }).first().waitFor();
    await shot('04-users');
    await page.getByTestId('nav-tokens').click();
    await page.waitForURL(/\/tokens$/);
    await shot('05-tokens');
    await page.getByTestId('nav-audit').click();
    await page.waitForURL(/\/audit$/);
    await page.getByText('units.import').first().waitFor();
    await shot('06-audit');
  });
});
