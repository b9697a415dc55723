/**
 * --framework reaches the monitoring checks' judging through the real CLI: a filter written to CIS v5.0's
 * narrower unauthorized-API-calls pattern passes under --framework cis-5.0 and fails by default (v1.2.0's
 * pattern, Security Hub's), in scan and in plan alike.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CIS_MONITORING_PATTERNS } from '../../src/evaluate/cis-patterns.js';
import { JsonReportSchema } from '../../src/report/json.js';
import { serializeSnapshot } from '../../src/snapshot/io.js';
import { bareEnv, runTrailcheck } from '../support/cli.js';
import { chainSnapshot } from '../support/monitoring-fixtures.js';

const V5 = CIS_MONITORING_PATTERNS['CloudWatch.2']?.['cis-5.0'];

async function snapshotFile(): Promise<{ dir: string; file: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'trailcheck-monitoring-framework-'));
  const file = join(dir, 'snapshot.json');
  await writeFile(file, serializeSnapshot(chainSnapshot({ pattern: V5?.meaning ?? '' })));
  return { dir, file };
}

describe('--framework decides the monitoring pattern through the CLI', () => {
  for (const [framework, expected] of [
    [undefined, 'FAIL'],
    ['securityhub', 'FAIL'],
    ['cis-1.2', 'FAIL'],
    ['cis-5.0', 'PASS'],
  ] as const)
    it(`scan ${framework ? `--framework ${framework}` : 'without --framework'}: CloudWatch.2 ${expected}`, async () => {
      const { dir, file } = await snapshotFile();
      const out = join(dir, 'report.json');
      const result = await runTrailcheck(
        [
          'scan',
          '--snapshot',
          file,
          ...(framework ? ['--framework', framework] : []),
          '--controls',
          'CloudWatch.2',
          '--format',
          'json',
          '-o',
          out,
        ],
        bareEnv(),
      );
      assert.ok(result.code === 0 || result.code === 1, result.stderr);
      const report = JsonReportSchema.parse(JSON.parse(await readFile(out, 'utf8')));
      const finding = report.findings.find((f) => f.control === 'CloudWatch.2');
      assert.equal(finding?.status, expected);
      // A FAIL names the versions the filter was written to, and the flag that judges by them.
      if (expected === 'FAIL')
        assert.match(
          JSON.stringify(finding?.message),
          /catches every event of the CIS v1\.4\.0, v3\.0\.0, v4\.0\.1 and v5\.0\.0 patterns: .*--framework cis-5\.0/,
        );
    });

  it('plan judges by the chosen version too: nothing to do for CloudWatch.2 under cis-5.0, a step by default', async () => {
    const { file } = await snapshotFile();
    const plan = (extra: string[]) =>
      runTrailcheck(['plan', '--snapshot', file, '--controls', 'CloudWatch.2', ...extra], bareEnv());
    const byDefault = await plan([]);
    const v5 = await plan(['--framework', 'cis-5.0']);
    assert.match(
      byDefault.stdout,
      /\| CloudWatch\.2 \| .*give log group `cloudtrail-audit`/,
      byDefault.stderr,
    );
    assert.doesNotMatch(v5.stdout, /CloudWatch\.2/, v5.stderr);
  });
});
