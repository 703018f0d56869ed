// Debian's Chromium driven by playwright-core, for browser tests.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const hasBrowser = existsSync(CHROMIUM);
// CI installs it: there a missing browser is a failure, not a skip.
if (!hasBrowser && process.env.CI) throw new Error(`browser tests need ${CHROMIUM}: apt-get install chromium`);

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** Keeps a full-page screenshot when MSCORE_SCREENSHOTS names a directory. */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.MSCORE_SCREENSHOTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}

const AXE_SCRIPT = path.join(import.meta.dirname, '..', '..', 'node_modules', 'axe-core', 'axe.min.js');
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** axe-core on the page as it is now: each violation of WCAG 2.0-2.2 A and AA, with where it is. */
export async function axeViolations(page: Page): Promise<string[]> {
  // A drawer or modal still fading in has the colours of half its opacity:
  // contrast is judged once transitions have finished (endless ones, such as
  // a spinner, are left running).
  await page
    .waitForFunction(
      () =>
        (globalThis as any).document
          .getAnimations()
          .every(
            (a: { playState: string; effect: { getTiming(): { iterations: number } } | null }) =>
              a.playState !== 'running' || a.effect?.getTiming().iterations === Number.POSITIVE_INFINITY,
          ),
      undefined,
      { timeout: 5000 },
    )
    .catch(() => {});
  await page.addScriptTag({ path: AXE_SCRIPT });
  return page.evaluate(async (values: string[]) => {
    // Runs in the page: the browser's globals.
    const g = globalThis as any;
    const r = await g.axe.run(g.document, { runOnly: { type: 'tag', values } });
    return r.violations.map(
      (v: { id: string; help: string; nodes: { target: string[] }[] }) =>
        `${v.id} (${v.help}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    ) as string[];
  }, WCAG_TAGS);
}
