// The staff console against WCAG 2.2 AA with axe-core, on the pages officials
// use most, at desktop and phone width.
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasBrowser, launchBrowser } from '../support/browser.ts';
import { ADMIN_PASSWORD, startTestPlatform, type TestPlatform } from '../support/platform.ts';

const AXE = path.join(import.meta.dirname, '..', '..', 'node_modules', 'axe-core', 'axe.min.js');
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

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

async function violations(): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async (values: string[]) => {
    // Runs in the page: the browser's globals.
    const g = globalThis as any;
    const r = await g.axe.run(g.document, { runOnly: { type: 'tag', values } });
    return r.violations.map(
      (v: { id: string; nodes: { target: string[] }[] }) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    ) as string[];
  }, WCAG);
}

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
        expect(await violations(), `${name} at ${width} px`).toEqual([]);
      }
    });
  }
});
