/**
 * The service bench's smoke test: a few days of a small organization, a second of load. It asserts what
 * the bench seeds and that every request was answered, never how fast: speed is measured by
 * `npm run bench:service`, not here.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatServiceMarkdown, runServiceBench, syntheticReport } from '../../bench/service.js';
import { CONTROLS } from '../../src/controls/index.js';
import { JsonReportSchema } from '../../src/report/json.js';

describe('service bench (smoke)', () => {
  it('seeds valid organization reports', () => {
    const report = JsonReportSchema.parse(syntheticReport(3, 4, new Date(Date.UTC(2025, 0, 1))));
    assert.equal(report.accounts.length, 4);
    assert.equal(report.findings.length, 4 * CONTROLS.length);
  });

  it('seeds a store, loads the API and answers every request', async () => {
    const result = await runServiceBench({
      accounts: 3,
      days: 4,
      connections: 2,
      durationS: 1,
      perEndpointS: 0,
    });
    assert.equal(result.seed.scans, 4);
    assert.equal(result.seed.historyRows, 4 * 3 * CONTROLS.length);
    assert.ok(result.mixed.requests > 0);
    assert.equal(result.mixed.errors + result.mixed.non2xx + result.mixed.timeouts, 0);
    assert.match(formatServiceMarkdown(result), /\| mixed, 1 s \|/);
  });
});
