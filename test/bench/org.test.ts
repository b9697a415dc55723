/**
 * The organization curve's smoke test and its arithmetic. It runs the smallest organization only, without
 * Prowler, and asserts no time: the curve is measured by `npm run bench:org`, never in a test.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  countCalls,
  isMeasured,
  ORG_MEMBERS,
  parseOrgMembers,
  runOrgCurve,
  trailcheckHasOrgScan,
} from '../../bench/org.js';
import { formatOrgMarkdown, formatOrgReport, orgTargets } from '../../bench/report.js';
import type { OrgBenchResult, OrgSizeResult, OrgToolFigures } from '../../bench/results.js';
import { writeOrgOnly } from '../../bench/run.js';
import type { BenchFile } from '../../bench/run.js';
import type { ProxyLogEntry } from '../support/fault-proxy.js';

function figures(over: Partial<OrgToolFigures>): OrgToolFigures {
  return {
    wallMs: 60_000,
    accountsAssessed: 11,
    accountsPerMinute: 11,
    apiCalls: 440,
    apiCallsPerAccount: 40,
    mostCallsWithOneKey: 45,
    byOperation: {},
    errors: 0,
    maxRssKb: 200 * 1024,
    cpuMs: 10_000,
    processes: 1,
    failures: [],
    trailsSeen: 6,
    findings: 100,
    ...over,
  };
}

function size(members: number, trailcheck: OrgToolFigures, prowler?: OrgToolFigures): OrgSizeResult {
  return {
    members,
    accounts: members + 1,
    regions: ['us-east-1', 'eu-west-1'],
    memberTrails: members / 2,
    trails: members / 2 + 1,
    seedMs: 1000,
    warmUpMs: 2000,
    trailcheck,
    prowler: prowler ?? { skipped: 'Prowler runs up to 100 members' },
  };
}

function result(sizes: OrgSizeResult[]): OrgBenchResult {
  return {
    startedAt: '2026-11-29T18:00:00.000Z',
    finishedAt: '2026-11-29T18:10:00.000Z',
    latencyMs: 40,
    controls: ['CloudTrail.1'],
    prowlerParallel: 2,
    machine: { cpus: 2, node: 'v24', loadStart: [1, 1, 1], loadEnd: [1, 1, 1] },
    versions: { prowler: '5.46.0', moto: '5.2.1' },
    sizes,
    notes: [],
  };
}

describe('organization curve: arithmetic and tables', () => {
  it('takes member counts from --org-sizes, and caps the default in a full run', () => {
    assert.deepEqual(parseOrgMembers(undefined), [...ORG_MEMBERS]);
    assert.deepEqual(parseOrgMembers(undefined, 100), [10, 100]);
    assert.deepEqual(parseOrgMembers('100, 10,10'), [10, 100]);
    assert.throws(() => parseOrgMembers('10,ten'), /member counts like 10,100 \(got 'ten'\)/);
    assert.throws(() => parseOrgMembers('0'), /got '0'/);
  });

  it('counts calls by operation, errors, and the busiest key (one account session)', () => {
    const entry = (accessKeyId: string, operation: string, status?: number): ProxyLogEntry => ({
      accessKeyId,
      service: 'cloudtrail',
      region: 'us-east-1',
      operation,
      protocol: 'json',
      method: 'POST',
      path: '/',
      receivedAt: 0,
      ...(status !== undefined ? { status } : {}),
    });
    const counted = countCalls([
      entry('A', 'DescribeTrails', 200),
      entry('A', 'GetTrailStatus', 200),
      entry('B', 'DescribeTrails', 403),
      entry('B', 'DescribeTrails'),
      entry('B', 'DescribeTrails', 200),
    ]);
    assert.equal(counted.apiCalls, 5);
    assert.deepEqual(counted.byOperation, { 'cloudtrail:DescribeTrails': 4, 'cloudtrail:GetTrailStatus': 1 });
    assert.equal(counted.errors, 2, 'a 403 and a request never answered');
    assert.equal(counted.mostCallsWithOneKey, 3);
  });

  it('judges each size against the targets, MISSED as plainly as met', () => {
    const fast = size(
      10,
      figures({ wallMs: 6_000 }),
      figures({ wallMs: 60_000, apiCalls: 880, processes: 11 }),
    );
    const slowBig = size(1000, figures({ wallMs: 11 * 60_000, maxRssKb: 1100 * 1024 }));
    const lines = orgTargets(result([fast, slowBig]));
    assert.match(lines[0] ?? '', /10\.0× faster than Prowler \(target 5×: met\), 2\.0× fewer calls/);
    assert.match(lines[0] ?? '', /0\.1 min, 10\.0 min per 1,000 at this rate/);
    assert.match(lines[1] ?? '', /11\.0 min \(target 10: MISSED\)/);
    assert.match(lines[1] ?? '', /peak RSS 1100 MiB \(target < 1024: MISSED\)/);
    const text = formatOrgReport(result([fast, slowBig]));
    assert.match(text, /Prowler ÷ trailcheck\s+10\.0×/);
    assert.match(text, /skipped: Prowler runs up to 100 members/);
    const markdown = formatOrgMarkdown(result([fast, slowBig]));
    assert.match(markdown, /\| 10 \| \*\*Prowler ÷ trailcheck\*\* \| \*\*10\.0×\*\* \|/);
  });

  it('a Prowler run stopped at its time cap gives a ratio that says it is projected', () => {
    // 20 of 101 accounts in 30 minutes: all of them would take 151.5 minutes at that pace.
    const capped = figures({
      wallMs: 30 * 60_000,
      accountsAssessed: 20,
      apiCalls: 400,
      processes: 20,
      stoppedAtCap: { accountsRun: 20, accountsTotal: 101, projectedWallMs: 151.5 * 60_000 },
    });
    const both = size(100, figures({ wallMs: 60_000, apiCalls: 4040 }), capped);
    const lines = orgTargets(result([both]));
    assert.match(
      lines[0] ?? '',
      /≈151\.5× faster than Prowler \(Prowler stopped at its time cap; its time for every account projected\)/,
    );
    assert.match(
      lines[0] ?? '',
      /≈0\.5× fewer calls/,
      'calls scaled to every account too: 400 × 101 ÷ 20 ÷ 4040',
    );
    const text = formatOrgReport(result([both]));
    assert.match(text, /20 of 101 \(cap\)/);
    assert.match(text, /Prowler ÷ trailcheck \(projected\)\s+≈151\.5×/);
    assert.match(
      formatOrgMarkdown(result([both])),
      /stopped at the cap after 20 of 101 accounts; all ≈9090\.00, projected/,
    );
  });

  it('--org-only keeps the rest of the last run in latest.json', async () => {
    const out = await mkdtemp(join(tmpdir(), 'trailcheck-bench-org-'));
    try {
      await writeFile(join(out, 'latest.json'), JSON.stringify({ sizes: [], notes: ['earlier run'] }));
      await writeOrgOnly(out, result([size(10, figures({}))]));
      const written = JSON.parse(await readFile(join(out, 'latest.json'), 'utf8')) as BenchFile;
      assert.deepEqual(written.notes, ['earlier run']);
      assert.equal(written.org?.sizes[0]?.members, 10);
      assert.match(await readFile(join(out, 'latest.md'), 'utf8'), /Organization curve/);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});

describe('organization curve (smoke)', () => {
  it('builds the smallest organization on moto and runs trailcheck on it when this build has scan --org', async () => {
    const curve = await runOrgCurve({
      members: [2],
      latencyMs: 5,
      prowler: false,
      prowlerMaxMembers: 100,
      prowlerParallel: 2,
      prowlerCapSeconds: 60,
      controls: 'mapped',
      log: () => undefined,
    });
    const [only] = curve.sizes;
    assert.ok(only);
    assert.equal(only.accounts, 3);
    // Seeded: the organization trail and member 2's own trail (one member in four from the second).
    assert.equal(only.memberTrails, 1);
    assert.equal(only.trails, 2);
    assert.deepEqual(only.prowler, { skipped: 'not asked for (--no-prowler)' });
    if (await trailcheckHasOrgScan()) {
      assert.ok(isMeasured(only.trailcheck), 'trailcheck ran');
      assert.deepEqual(only.trailcheck.failures, []);
      assert.equal(only.trailcheck.accountsAssessed, 3);
      assert.equal(only.trailcheck.trailsSeen, only.trails, 'it names every seeded trail');
      assert.ok(only.trailcheck.apiCalls > 0);
    } else {
      assert.deepEqual(only.trailcheck, { skipped: 'this build has no `scan --org`' });
      assert.match(curve.notes.join('\n'), /no `scan --org`/);
    }
  });
});
