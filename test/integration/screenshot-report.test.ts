/**
 * scripts/screenshot-report.ts, run as `npm run screenshots` runs it: it writes the README's two PNGs at the
 * promised sizes, and refuses a wrong flag in one line. Skips without chromium outside CI, as the browser test.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { packageRoot } from '../../src/util/package-root.js';
import { browserSkipReason, haveChromium } from '../support/chromium.js';

const run = promisify(execFile);
const SCRIPT = join(packageRoot(), 'dist', 'scripts', 'screenshot-report.js');
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from a PNG's IHDR chunk, which always comes first. */
function pngSize(png: Buffer): { width: number; height: number } {
  assert.ok(png.subarray(0, 8).equals(PNG_SIGNATURE), 'not a PNG');
  assert.equal(png.subarray(12, 16).toString('latin1'), 'IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('npm run screenshots', () => {
  it(
    'writes report.png at 1400 × 900 and report-narrow.png at 420 × 900',
    { skip: browserSkipReason(haveChromium(), process.env), timeout: 120_000 },
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'trailcheck-shots-'));
      const { stdout } = await run(process.execPath, [SCRIPT, '--out-dir', dir]);
      assert.match(stdout, /wrote .*report\.png\n.*wrote .*report-narrow\.png/s);
      const wide = await readFile(join(dir, 'report.png'));
      const narrow = await readFile(join(dir, 'report-narrow.png'));
      assert.deepEqual(pngSize(wide), { width: 1400, height: 900 });
      assert.deepEqual(pngSize(narrow), { width: 420, height: 900 });
      // A blank page compresses to a few kilobytes; the report's charts and text do not.
      assert.ok(wide.length > 30_000, `report.png is only ${wide.length} bytes: is the page empty?`);
    },
  );

  it('refuses an unknown flag in one line, exit 2, before starting a browser', async () => {
    const failure = await run(process.execPath, [SCRIPT, '--out', 'x']).then(
      () => assert.fail('an unknown flag was accepted'),
      (error: { code: number; stderr: string }) => error,
    );
    assert.equal(failure.code, 2);
    assert.match(failure.stderr, /^screenshot-report: Unknown option '--out' \(usage: .*\)\n$/);
  });
});
