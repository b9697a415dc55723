/**
 * The embedded demo: its snapshot is what `trailcheck collect` records from the seed scenario on the
 * emulator today (re-recorded and compared here, so it cannot go stale), and its reports match the golden
 * files. After an intended change: `npm run demo:record` and `UPDATE_GOLDEN=1 npm test`.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DEMO_SNAPSHOT } from '../../src/cli/commands/demo.js';
import { parseSnapshot } from '../../src/snapshot/io.js';
import type { Snapshot } from '../../src/snapshot/schema.js';
import { packageRoot } from '../../src/util/package-root.js';
import { recordDemoSnapshot } from '../../scripts/record-demo.js';
import { runTrailcheck } from '../support/cli.js';

/** What legitimately differs between two recordings of the same account: clocks, and the ids moto gives default VPCs. */
function normalize(snapshot: Snapshot): unknown {
  const copy = structuredClone(snapshot);
  copy.startedAt = copy.finishedAt = '<time>';
  copy.tool.version = '<version>';
  copy.stats.durationMs = 0;
  for (const trail of copy.cloudtrail.trails) {
    if (trail.status?.ok) {
      for (const key of Object.keys(trail.status.value) as Array<keyof typeof trail.status.value>) {
        if (key.endsWith('Time')) (trail.status.value as Record<string, unknown>)[key] = '<time>';
      }
    }
  }
  for (const region of copy.flowLogs?.regions ?? []) {
    if (region.vpcs.ok) for (const vpc of region.vpcs.value.Vpcs) vpc.VpcId = '<vpc>';
  }
  return copy;
}

const shipped = () => readFile(join(packageRoot(), DEMO_SNAPSHOT), 'utf8');

describe('trailcheck demo', () => {
  it('ships the snapshot that collect records from the seed scenario today', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'trailcheck-demo-'));
    const fresh = join(dir, 'snapshot.json');
    await recordDemoSnapshot(fresh);
    assert.deepEqual(
      normalize(parseSnapshot(await readFile(fresh, 'utf8'), 'fresh recording')),
      normalize(parseSnapshot(await shipped(), 'shipped demo')),
      'the shipped demo snapshot is stale: run `npm run demo:record`',
    );
  });

  for (const [format, golden, extra] of [
    ['markdown', 'demo.md', []],
    ['text', 'demo.txt', []],
    ['markdown', 'demo.executive.md', ['--audience', 'executive']],
    ['text', 'demo.executive.txt', ['--audience', 'executive']],
    ['html', 'demo.html', []],
  ] as const) {
    it(`prints the ${format} report of the golden file ${golden} and exits 0 (two checks fail, but demo is no gate)`, async () => {
      const result = await runTrailcheck(['demo', '--format', format, ...extra], {});
      assert.equal(result.code, 0);
      assert.equal(result.stderr, '');
      const path = join(packageRoot(), 'test', 'golden', golden);
      if (process.env.UPDATE_GOLDEN) await writeFile(path, result.stdout);
      assert.equal(result.stdout, await readFile(path, 'utf8'), `differs from test/golden/${golden}`);
    });
  }

  it('takes the output flags of scan', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'trailcheck-demo-'));
    const file = join(dir, 'out.json');
    const result = await runTrailcheck(['demo', '--output', file, '--controls', 'CloudTrail.1'], {});
    assert.equal(result.code, 0);
    const report = JSON.parse(await readFile(file, 'utf8')) as {
      integer_result: number;
      findings: unknown[];
    };
    assert.equal(report.integer_result, 0);
    assert.equal(report.findings.length, 1);
  });
});
