// The staff console against WCAG 2.2 AA with axe-core, on the pages officials
// use most, at desktop and phone width.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, hasBrowser, launchBrowser } from '../support/browser.ts';
import { ADMIN_PASSWORD, startTestPlatform, type TestPlatform } from '../support/platform.ts';

let tp: TestPlatform;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  if (!hasBrowser) return;
  tp = await startTestPlatform();
  browser = await launchBrowser();
  // axe is injected as a script: the console's CSP would refuse it.
  page = await browser.newPage({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
  await page.goto(`${tp.baseUrl}/login`);
  await page.getByLabel(/Tên đăng nhập/).fill('admin');
  await page.getByLabel(/Mật khẩu/).fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: /Đăng nhập/ }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
});
afterAll(async () => {
  await browser?.close();
  await tp?.stop();
});

describe.skipIf(!hasBrowser)('console accessibility', () => {
  for (const [name, url, ready] of [
    ['units', '/units', 'QT-DH-MC'],
    ['instruments', '/instruments', 'KIOSK_QUICK'],
    ['instrument detail', '/instruments?code=KIOSK_QUICK', 'OVERALL'],
  ] as const) {
    it(`${name}: no WCAG A/AA violation at desktop and phone width`, async () => {
      for (const width of [1280, 390]) {
        await page.setViewportSize({ width, height: 900 });
        await page.goto(`${tp.baseUrl}${url}`);
        await page.getByText(ready).first().waitFor();
        await page.waitForLoadState('networkidle');
        expect(await axeViolations(page), `${name} at ${width} px`).toEqual([]);
      }
    });
  }
});
