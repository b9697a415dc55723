/**
 * scripts/screenshot-dashboard.ts, run as `npm run screenshots:dashboard` runs it: it writes the three
 * PNGs at the promised sizes, not blank, and refuses a wrong flag in one line. Skips without chromium
 * outside CI, as the browser tests do.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { packageRoot } from '../../src/util/package-root.js';
import { browserSkipReason, haveChromium } from '../support/chromium.js';

const run = promisify(execFile);
const SCRIPT = join(packageRoot(), 'dist', 'scripts', 'screenshot-dashboard.js');
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngSize(png: Buffer): { width: number; height: number } {
  assert.ok(png.subarray(0, 8).equals(PNG_SIGNATURE), 'not a PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('npm run screenshots:dashboard', () => {
  it('refuses an unknown flag in one line with exit 2', async () => {
    await assert.rejects(
      run(process.execPath, [SCRIPT, '--nope']),
      (error: { code?: number; stderr?: string }) => {
        assert.equal(error.code, 2);
        assert.match(error.stderr ?? '', /^screenshot-dashboard: .*--nope.*\(usage: .*\)\n$/);
        return true;
      },
    );
  });

  it(
    'writes the overview, the failing finding and its history at the promised sizes',
    { skip: browserSkipReason(haveChromium(), process.env), timeout: 180_000 },
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'trailcheck-dashboard-shots-'));
      try {
        const { stdout } = await run(process.execPath, [SCRIPT, '--out-dir', dir], { timeout: 170_000 });
        const expected = {
          'dashboard-overview.png': { width: 1400, height: 1000 },
          'dashboard-scan.png': { width: 1400, height: 1000 },
          'dashboard-history.png': { width: 1400, height: 800 },
        };
        for (const [file, size] of Object.entries(expected)) {
          assert.match(stdout, new RegExp(`wrote .*${file.replace('.', '\\.')}`));
          const png = await readFile(join(dir, file));
          assert.deepEqual(pngSize(png), size, file);
          // A blank page compresses to a few kilobytes; a chart and findings do not.
          assert.ok(png.length > 30_000, `${file} is only ${png.length} bytes: is the page empty?`);
        }
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );
});
