/**
 * An organization's reports through the real CLI, offline: two hand-built organization snapshots a week
 * apart (`scan --snapshot ORGFILE`), their JSON reports (contract version 2), and `diff` of the two.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { DiffReportSchema } from '../../src/report/diff.js';
import { JsonReportSchema } from '../../src/report/json.js';
import { OrganizationSnapshotWriter } from '../../src/snapshot/organization.js';
import type { Snapshot } from '../../src/snapshot/schema.js';
import { runTrailcheck } from '../support/cli.js';
import { bucket, loggingOff, snapshot, trail } from '../support/snapshot-builder.js';

const MANAGEMENT = '111111111111';
const MEMBER = '222222222222';
const organization = { Id: 'o-week', MasterAccountId: MANAGEMENT };

function inAccount(snap: Snapshot, account: string): Snapshot {
  return { ...snap, account: { ...snap.account, Account: account, Arn: `arn:aws:iam::${account}:user/a` } };
}

/** The organization: its trail (log file validation as given), and the member, readable or not. */
async function write(path: string, validation: boolean, memberReadable: boolean): Promise<void> {
  const writer = await OrganizationSnapshotWriter.open(path, {
    tool: { name: 'trailcheck', version: 'test' },
    startedAt: '2026-11-24T10:00:00.000Z',
    organization,
    caller: { Account: MANAGEMENT, Arn: `arn:aws:iam::${MANAGEMENT}:user/a`, Partition: 'aws' },
    leftOut: 0,
    managementForContextOnly: false,
  });
  const management = snapshot({
    trails: [
      trail({
        Name: 'org-trail',
        owner: MANAGEMENT,
        IsOrganizationTrail: true,
        LogFileValidationEnabled: validation,
        S3BucketName: 'org-logs',
      }),
    ],
    buckets: [bucket('org-logs', loggingOff())],
  });
  await writer.add(
    { Id: MANAGEMENT, Name: 'management', Status: 'ACTIVE' },
    { ok: true, snapshot: inAccount(management, MANAGEMENT) },
  );
  await writer.add(
    { Id: MEMBER, Name: 'workload', Status: 'ACTIVE' },
    memberReadable
      ? { ok: true, snapshot: inAccount(snapshot({}), MEMBER) }
      : {
          ok: false,
          stage: 'assume-role',
          reason: 'role OrganizationAccountAccessRole could not be assumed',
        },
  );
  await writer.finish('2026-11-24T10:00:05.000Z');
}

describe('an organization through the CLI: reports and diff', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'trailcheck-org-reports-'));
    await write(join(dir, 'week1.snapshot.json'), false, true);
    await write(join(dir, 'week2.snapshot.json'), true, false);
    for (const week of ['week1', 'week2']) {
      const result = await runTrailcheck(
        [
          'scan',
          '--snapshot',
          join(dir, `${week}.snapshot.json`),
          '--controls',
          'all',
          '-o',
          join(dir, `${week}.json`),
        ],
        {},
      );
      assert.equal(result.code, 1, result.stderr);
    }
  });

  it('scan --snapshot ORGFILE writes a version 2 JSON report naming every finding’s account', async () => {
    const report = JsonReportSchema.parse(JSON.parse(await readFile(join(dir, 'week1.json'), 'utf8')));
    assert.equal(report.reportVersion, 2);
    assert.equal(report.organization?.id, 'o-week');
    assert.deepEqual(
      report.accounts.map((a) => [a.id, a.name, a.assessed]),
      [
        [MANAGEMENT, 'management', true],
        [MEMBER, 'workload', true],
      ],
    );
    assert.deepEqual([...new Set(report.findings.map((f) => f.account))].sort(), [MANAGEMENT, MEMBER]);
  });

  it('the text report leads with the organization', async () => {
    const result = await runTrailcheck(
      ['scan', '--snapshot', join(dir, 'week2.snapshot.json'), '--controls', 'all'],
      {},
    );
    assert.match(result.stdout, /CloudTrail assessment of organization o-week \(2 accounts, Regions /);
    assert.match(result.stdout, /1 of 2 accounts assessed, 1 not\./);
    assert.match(
      result.stdout,
      /Not assessed: 222222222222 \(workload\): role OrganizationAccountAccessRole/,
    );
  });

  it('diff of the two weeks: the fix in the management account, the member newly not assessed (exit 1)', async () => {
    const text = await runTrailcheck(['diff', join(dir, 'week1.json'), join(dir, 'week2.json')], {});
    assert.equal(text.code, 1, text.stderr);
    assert.match(text.stdout, /^trailcheck diff – organization o-week: /);
    assert.match(
      text.stdout,
      /Accounts newly not assessed \(1\):\n {2}account 222222222222 \(workload\): role /,
    );
    assert.match(text.stdout, /Fixed \(1\):\n {2}account 111111111111 \(management\) {2}CloudTrail\.4 /);
    const json = await runTrailcheck(
      ['diff', join(dir, 'week1.json'), join(dir, 'week2.json'), '--format', 'json'],
      {},
    );
    const diff = DiffReportSchema.parse(JSON.parse(json.stdout));
    assert.deepEqual(
      diff.accounts?.newlyNotAssessed.map((a) => a.id),
      [MEMBER],
    );
    assert.ok(diff.newlyUnknown.length > 0);
    assert.ok(diff.newlyUnknown.every((c) => c.account?.id === MEMBER));
  });
});
