/**
 * Takes the README's screenshots of the HTML report: renders the demo account with every control, exactly as
 * `trailcheck demo --controls all --format html` does, and photographs the top of the page in Debian's
 * headless chromium, 1400 px and 420 px wide. `npm run screenshots` (after a change to the HTML's look).
 *
 * Usage: node dist/scripts/screenshot-report.js [--out-dir DIR]   (default docs/images)
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { chromium } from 'playwright-core';

const run = promisify(execFile);

export const CHROMIUM = '/usr/bin/chromium';

/** The pictures taken: file name and viewport. The height shows the top of the page, not all of it. */
export const SHOTS = [
  { file: 'report.png', width: 1400, height: 900 },
  { file: 'report-narrow.png', width: 420, height: 900 },
] as const;

/** The checkout's root: this file is compiled to dist/scripts/, two folders below it. */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

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

/** Writes next to the target and renames, so a crash never leaves half a PNG in docs/. */
async function writeAtomically(path: string, content: Buffer): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, content);
  await rename(temporary, path);
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

async function main(argv: string[]): Promise<number> {
  let outDir: string;
  try {
    const { values } = parseArgs({
      args: argv,
      options: { 'out-dir': { type: 'string' } },
      strict: true,
      allowPositionals: false,
    });
    outDir = resolve(values['out-dir'] ?? join(ROOT, 'docs', 'images'));
  } catch (error) {
    console.error(
      `screenshot-report: ${(error as Error).message.split('\n')[0]} (usage: node dist/scripts/screenshot-report.js [--out-dir DIR])`,
    );
    return 2;
  }
  try {
    for (const path of await takeReportScreenshots(outDir)) console.log(`wrote ${path}`);
    return 0;
  } catch (error) {
    // Could not run (no chromium, no build, chromium crashing): one line, as trailcheck's own exit 3.
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    console.error(`screenshot-report: ${message}`);
    return 3;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href)
  process.exitCode = await main(process.argv.slice(2));
