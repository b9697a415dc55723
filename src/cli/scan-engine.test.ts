/**
 * The service's engine replays a stored scan as it was judged: with its suppressions, on the day it was
 * judged, so an entry that has expired since still marks the finding it marked then.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { JsonReportSchema } from '../report/json.js';
import { packageRoot } from '../util/package-root.js';
import { cliScanEngine } from './scan-engine.js';

const SUPPRESSIONS = JSON.stringify({
  version: 1,
  suppressions: [
    {
      control: 'CloudTrail.4',
      resource: '*',
      reason: 'validation comes with the new trail',
      expires: '2026-01-31',
    },
  ],
});

describe('the service engine', () => {
  it('renders a stored scan with its suppressions as of the day it was judged', async () => {
    const snapshot = await readFile(join(packageRoot(), 'demo', 'mooncloud-cis-test.snapshot.json'), 'utf8');
    const engine = cliScanEngine({});
    const request = { controls: ['CloudTrail.4'] };
    const then = await engine.render(snapshot, request, SUPPRESSIONS, 'json', '2026-01-15');
    const report = JsonReportSchema.parse(JSON.parse(then.body));
    const finding = report.findings.find((f) => f.control === 'CloudTrail.4');
    assert.equal(finding?.status, 'FAIL');
    assert.equal(finding?.suppressed?.expires, '2026-01-31');
    // Judged today, the entry has expired: the CLI refuses the run, as `scan --ignore` does.
    await assert.rejects(engine.render(snapshot, request, SUPPRESSIONS, 'json', '2026-03-01'), /expired/);
  });
});
