/**
 * Takes the README's screenshots of the HTML report: renders the demo account with every control, exactly as
 * `trailcheck demo --controls all --format html` does, and photographs the top of the page in Debian's
 * headless chromium, 1400 px and 420 px wide. `npm run screenshots` (after a change to the HTML's look).
 *
 * Usage: node dist/scripts/screenshot-report.js [--out-dir DIR]   (default docs/images)
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import { ROOT, screenshotMain, writeAtomically } from './screenshot-cli.js';

const run = promisify(execFile);

export const CHROMIUM = '/usr/bin/chromium';

/** The pictures taken: file name and viewport. The height shows the top of the page, not all of it. */
export const SHOTS = [
  { file: 'report.png', width: 1400, height: 900 },
  { file: 'report-narrow.png', width: 420, height: 900 },
] as const;

/** The CLI as package.json's `bin` names it, so a move of the entry point does not break the script. */
function cliPath(): string {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    bin?: Record<string, string>;
  };
  const bin = manifest.bin?.trailcheck;
  if (!bin) throw new Error('package.json names no trailcheck bin');
  return join(ROOT, bin);
}

/** Renders the demo's HTML report, all controls, into `dir` and returns the file's path. */
async function renderDemoHtml(dir: string): Promise<string> {
  const cli = cliPath();
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run 'npm run build' first`);
  const html = join(dir, 'report.html');
  await run(process.execPath, [cli, 'demo', '--controls', 'all', '--format', 'html', '-o', html]);
  return html;
}

/** Takes every shot in SHOTS into `outDir` (created if missing) and returns the files written. */
export async function takeReportScreenshots(outDir: string): Promise<string[]> {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)`);
  const work = await mkdtemp(join(tmpdir(), 'trailcheck-screenshot-'));
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  try {
    const url = pathToFileURL(await renderDemoHtml(work)).href;
    await mkdir(outDir, { recursive: true });
    const written: string[] = [];
    for (const shot of SHOTS) {
      const page = await browser.newPage({
        viewport: { width: shot.width, height: shot.height },
        deviceScaleFactor: 1,
      });
      await page.goto(url, { waitUntil: 'load' });
      const path = join(outDir, shot.file);
      await writeAtomically(path, await page.screenshot({ fullPage: false }));
      await page.close();
      written.push(path);
    }
    return written;
  } finally {
    await browser.close();
    await rm(work, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href)
  process.exitCode = await screenshotMain('screenshot-report', takeReportScreenshots, process.argv.slice(2));
