/**
 * Takes the README's screenshots of the dashboard (`trailcheck serve`): starts moto, seeds the compliant
 * account, runs the service with three good scans and one after the multi-Region trail was stopped
 * (test/support/dashboard-story.ts), signs in and photographs the overview, the failing finding the
 * overview's "changes" leads to, and that control's history, in Debian's headless chromium.
 *
 * Usage: npm run build && node dist/scripts/screenshot-dashboard.js [--out-dir DIR]   (default docs/images)
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { screenshotMain, writeAtomically } from './screenshot-cli.js';
import type { Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../test/support/chromium.js';
import { MotoServer } from '../test/support/moto.js';
import { STORY_ADMIN_TOKEN, regressionStory } from '../test/support/dashboard-story.js';

/** The pictures taken: file, viewport, and how to get to what they show from the signed-in overview. */
export const DASHBOARD_SHOTS = [
  { file: 'dashboard-overview.png', width: 1400, height: 1000, go: async (_page: Page) => {} },
  {
    file: 'dashboard-scan.png',
    width: 1400,
    height: 1000,
    go: async (page: Page) => {
      await page.locator('section.changes a', { hasText: /^CloudTrail\.1 on / }).click();
      await page.waitForURL(/#f-/);
      // The finding a little below the top, so the control's heading shows above it.
      await page.evaluate(() => window.scrollBy(0, -90));
    },
  },
  {
    file: 'dashboard-history.png',
    width: 1400,
    height: 800,
    go: async (page: Page) => {
      await page.locator('section.changes a', { hasText: /^CloudTrail\.1 on / }).click();
      await page.locator('article.finding:target a', { hasText: /^History of / }).click();
      await page.waitForURL(/\/controls\//);
    },
  },
] as const;

/** Waits until every chart on the page is drawn (chart.js has made its chart for each canvas). */
async function chartsDrawn(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const chart = (window as unknown as { Chart?: { getChart: (c: Element) => unknown } }).Chart;
    return [...document.querySelectorAll('canvas[data-chart]')].every(
      (c) => chart?.getChart(c) !== undefined,
    );
  });
}

export async function takeDashboardScreenshots(outDir: string): Promise<string[]> {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)`);
  const dataDir = await mkdtemp(join(tmpdir(), 'trailcheck-dashboard-shots-'));
  const moto = await MotoServer.start();
  try {
    const story = await regressionStory(moto, dataDir, 3);
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    try {
      await mkdir(outDir, { recursive: true });
      const written: string[] = [];
      for (const shot of DASHBOARD_SHOTS) {
        const context = await browser.newContext({
          viewport: { width: shot.width, height: shot.height },
          deviceScaleFactor: 1,
        });
        const page = await context.newPage();
        await page.goto(`${story.serve.url}/login`);
        await page.getByLabel('Token').fill(STORY_ADMIN_TOKEN);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.waitForURL(`${story.serve.url}/`);
        await shot.go(page);
        await chartsDrawn(page);
        const path = join(outDir, shot.file);
        await writeAtomically(path, await page.screenshot({ fullPage: false }));
        await context.close();
        written.push(path);
      }
      return written;
    } finally {
      await browser.close();
      await story.serve.stop();
    }
  } finally {
    await moto.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href)
  process.exitCode = await screenshotMain(
    'screenshot-dashboard',
    takeDashboardScreenshots,
    process.argv.slice(2),
  );
