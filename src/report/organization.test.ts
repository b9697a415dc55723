import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { CONTROLS } from '../controls/index.js';
import { assess } from '../judge/assess.js';
import type { Snapshot, TrailRecord } from '../snapshot/schema.js';
import type { OrganizationAccount, StoredOutcome } from '../snapshot/organization.js';
import { ok, snapshot, trail, bucketWith, blockAll } from '../../test/support/snapshot-builder.js';
import { OrganizationReportBuilder } from './organization.js';
import { plain } from '../core/rich.js';
import type { Report } from './model.js';

const MANAGEMENT = '111111111111';
const MEMBER_A = '222222222222';
const MEMBER_B = '333333333333';
const ORGANIZATION = { Id: 'o-abc123defg', MasterAccountId: MANAGEMENT, MasterAccountName: 'management' };

function accountSnapshot(
  account: string,
  trails: TrailRecord[],
  buckets = trails.map((t) => t.config.S3BucketName),
): Snapshot {
  const built = snapshot({
    trails,
    buckets: buckets
      .filter((b): b is string => b !== undefined)
      .map((name) => bucketWith(name, { publicAccessBlock: blockAll() })),
  });
  return {
    ...built,
    account: { Account: account, Arn: `arn:aws:iam::${account}:role/audit`, Partition: 'aws' },
  };
}

const organizationTrail = (
  overrides: Parameters<typeof trail>[0] extends infer T ? Partial<T> : never = {},
) => trail({ Name: 'org-trail', owner: MANAGEMENT, IsOrganizationTrail: true, ...overrides });

function account(id: string, Status = 'ACTIVE'): OrganizationAccount {
  return { Id: id, Name: `account-${id.slice(0, 3)}`, Status };
}

function runOrganization(
  entries: Array<[OrganizationAccount, StoredOutcome]>,
  options: { managementForContextOnly?: boolean } = {},
): Report {
  const builder = new OrganizationReportBuilder({
    controls: CONTROLS,
    options: {},
    keepFixAsCode: false,
    organization: ORGANIZATION,
    leftOut: 0,
    managementForContextOnly: options.managementForContextOnly ?? false,
    partition: 'aws',
    controlRegion: 'us-east-1',
    startedAt: '2026-11-29T10:00:00.000Z',
  });
  for (const [a, outcome] of entries) builder.add(a, outcome);
  return builder.finish('2026-11-29T10:01:00.000Z');
}

const statusOf = (report: Report, control: string, accountId: string) =>
  report.organization?.accounts.find((a) => a.id === accountId)?.controls[control];

describe('an organization judged as one system', () => {
  it('counts a logging organization trail for members that have no trail of their own', () => {
    const report = runOrganization([
      [account(MANAGEMENT), { ok: true, snapshot: accountSnapshot(MANAGEMENT, [organizationTrail()]) }],
      [account(MEMBER_A), { ok: true, snapshot: accountSnapshot(MEMBER_A, []) }],
    ]);
    assert.equal(statusOf(report, 'CloudTrail.1', MEMBER_A), 'PASS');
    assert.equal(statusOf(report, 'CloudTrail.3', MEMBER_A), 'PASS');
    // Its own settings are judged once, in the management account, and the member points there.
    assert.equal(statusOf(report, 'CloudTrail.4', MEMBER_A), 'NOT_APPLICABLE');
    assert.equal(statusOf(report, 'CloudTrail.4', MANAGEMENT), 'PASS');
    const pointer = report.results.find((r) => r.control.id === 'CloudTrail.4')?.elsewhere;
    assert.deepEqual(
      pointer?.map((p) => [p.account, p.resource.name, p.status]),
      [[MANAGEMENT, 'org-trail', 'PASS']],
    );
    assert.ok(report.findings.every((f) => f.account === MANAGEMENT || f.account === MEMBER_A));
    assert.equal(
      report.findings.filter((f) => f.control === 'CloudTrail.4').length,
      1,
      'the trail setting is not repeated per member',
    );
  });

  it('fails members when the organization trail is stopped, and when there is none', () => {
    const stopped = organizationTrail({ status: ok({ IsLogging: false }, 'cloudtrail:GetTrailStatus') });
    const withStopped = runOrganization([
      [account(MANAGEMENT), { ok: true, snapshot: accountSnapshot(MANAGEMENT, [stopped]) }],
      [account(MEMBER_A), { ok: true, snapshot: accountSnapshot(MEMBER_A, []) }],
    ]);
    assert.equal(statusOf(withStopped, 'CloudTrail.1', MEMBER_A), 'FAIL');
    assert.equal(statusOf(withStopped, 'CloudTrail.3', MEMBER_A), 'FAIL');
    const none = runOrganization([
      [account(MANAGEMENT), { ok: true, snapshot: accountSnapshot(MANAGEMENT, []) }],
      [account(MEMBER_A), { ok: true, snapshot: accountSnapshot(MEMBER_A, []) }],
    ]);
    assert.equal(statusOf(none, 'CloudTrail.1', MEMBER_A), 'FAIL');
  });

  it("judges a member's own trail in the member, beside the organization trail", () => {
    const own = trail({ Name: 'own', owner: MEMBER_A, LogFileValidationEnabled: false });
    const report = runOrganization([
      [account(MANAGEMENT), { ok: true, snapshot: accountSnapshot(MANAGEMENT, [organizationTrail()]) }],
      [account(MEMBER_A), { ok: true, snapshot: accountSnapshot(MEMBER_A, [own]) }],
    ]);
    assert.equal(statusOf(report, 'CloudTrail.4', MEMBER_A), 'FAIL');
    const failing = report.findings.filter((f) => f.control === 'CloudTrail.4' && f.status === 'FAIL');
    assert.deepEqual(
      failing.map((f) => [f.account, f.resource.name]),
      [[MEMBER_A, 'own']],
    );
  });

  it('makes every control UNKNOWN, never PASS, in an account whose role could not be assumed', () => {
    const report = runOrganization([
      [account(MANAGEMENT), { ok: true, snapshot: accountSnapshot(MANAGEMENT, [organizationTrail()]) }],
      [
        account(MEMBER_A),
        {
          ok: false,
          stage: 'assume-role',
          reason:
            'could not assume arn:aws:iam::222222222222:role/OrganizationAccountAccessRole (AccessDenied)',
          failure: {
            operation: 'sts:AssumeRole',
            region: 'us-east-1',
            kind: 'access-denied',
            code: 'AccessDenied',
            message: 'denied',
            permission: 'sts:AssumeRole',
          },
        },
      ],
      [
        account(MEMBER_B, 'SUSPENDED'),
        { ok: false, stage: 'suspended', reason: 'account 333333333333 is suspended' },
      ],
    ]);
    for (const id of [MEMBER_A, MEMBER_B]) {
      const view = report.organization?.accounts.find((a) => a.id === id);
      assert.equal(view?.assessed, false);
      assert.ok(
        Object.values(view?.controls ?? {}).every((s) => s === 'UNKNOWN'),
        `${id}: all UNKNOWN`,
      );
      assert.equal(view?.summary.PASS, 0);
    }
    const denied = report.findings.find((f) => f.account === MEMBER_A);
    assert.deepEqual(denied?.remediation?.permissions, ['sts:AssumeRole']);
    assert.deepEqual(denied?.remediation?.causes, ['denied']);
    assert.equal(
      statusOf(report, 'CloudTrail.1', MANAGEMENT),
      'PASS',
      'the other accounts are assessed fully',
    );
    assert.ok(report.notes.some((n) => n.includes('2 of 3 accounts') || n.includes('could not be assessed')));
  });

  it('judges members against a management account that is only context, without reporting it', () => {
    const report = runOrganization(
      [
        [account(MANAGEMENT), { ok: true, snapshot: accountSnapshot(MANAGEMENT, [organizationTrail()]) }],
        [account(MEMBER_A), { ok: true, snapshot: accountSnapshot(MEMBER_A, []) }],
      ],
      { managementForContextOnly: true },
    );
    assert.deepEqual(
      report.organization?.accounts.map((a) => a.id),
      [MEMBER_A],
    );
    assert.equal(statusOf(report, 'CloudTrail.1', MEMBER_A), 'PASS');
    assert.ok(report.findings.every((f) => f.account === MEMBER_A));
  });

  it('does not count organization trails when the management account could not be read', () => {
    const report = runOrganization([
      [account(MANAGEMENT), { ok: false, stage: 'collect', reason: 'timed out' }],
      [account(MEMBER_A), { ok: true, snapshot: accountSnapshot(MEMBER_A, []) }],
    ]);
    assert.equal(statusOf(report, 'CloudTrail.1', MEMBER_A), 'FAIL');
    assert.ok(report.notes.some((n) => n.includes('could not be read')));
  });
});

describe("a member's plan in an organization", () => {
  it('leaves a coverage gap the organization trail decides to the management account’s plan', () => {
    const noManagementEvents = organizationTrail({
      selectors: ok({ EventSelectors: [] }, 'cloudtrail:GetEventSelectors'),
    });
    const report = runOrganization([
      [account(MANAGEMENT), { ok: true, snapshot: accountSnapshot(MANAGEMENT, [noManagementEvents]) }],
      [account(MEMBER_A), { ok: true, snapshot: accountSnapshot(MEMBER_A, []) }],
    ]);
    const gap = (id: string) =>
      report.findings.find((f) => f.control === 'CloudTrail.1' && f.account === id && f.status === 'FAIL');
    const member = gap(MEMBER_A);
    const management = gap(MANAGEMENT);
    assert.ok(member && management);
    assert.ok(report.planOrder(management) !== undefined, 'the management account fixes its trail');
    assert.equal(report.planOrder(member), undefined, 'the member does not create a trail of its own');
    assert.match(plain(member.remediation?.summary ?? []), /organization trail \(org-trail\)/);
    const memberPlan = report.organization?.accounts.find((a) => a.id === MEMBER_A)?.report.plan;
    assert.ok(memberPlan?.actions.every((a) => !a.controls.includes('CloudTrail.1')));
    assert.ok(memberPlan?.deferred?.some((d) => d.control === 'CloudTrail.1'));
  });
});

describe('a member scanned alone', () => {
  it('counts the organization trail it sees for coverage and says where its settings are judged', () => {
    const member = accountSnapshot(MEMBER_A, [organizationTrail()], []);
    const assessment = assess(member, CONTROLS);
    const result = (id: string) => assessment.results.find((r) => r.control.id === id);
    assert.equal(result('CloudTrail.1')?.status, 'PASS');
    assert.equal(result('CloudTrail.2')?.status, 'NOT_APPLICABLE');
    assert.deepEqual(
      result('CloudTrail.2')?.elsewhere?.map((e) => [e.account, e.resource.name, e.status]),
      [[MANAGEMENT, 'org-trail', undefined]],
    );
    assert.deepEqual(
      result('CloudTrail.7')?.elsewhere?.map((e) => [e.account, e.resource.name]),
      [[MANAGEMENT, 'org-trail-bucket']],
    );
    assert.ok(assessment.notes.some((n) => n.includes(`judged in account ${MANAGEMENT}`)));
  });
});

describe('an organization run holds no account’s evidence once it is reported', () => {
  it('lets every member snapshot go after judging it', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const builder = new OrganizationReportBuilder({
      controls: CONTROLS,
      options: {},
      keepFixAsCode: true,
      organization: ORGANIZATION,
      leftOut: 0,
      managementForContextOnly: false,
      partition: 'aws',
      controlRegion: 'us-east-1',
      startedAt: '2026-11-29T10:00:00.000Z',
    });
    builder.add(account(MANAGEMENT), {
      ok: true,
      snapshot: accountSnapshot(MANAGEMENT, [organizationTrail()]),
    });
    const alive: Array<WeakRef<Snapshot>> = [];
    // In a function of its own, so no member stays in this test's frame.
    const addMember = (n: number) => {
      const id = String(400000000000 + n);
      const member = accountSnapshot(id, [
        trail({ Name: `own-${n}`, owner: id, LogFileValidationEnabled: false }),
      ]);
      alive.push(new WeakRef(member));
      builder.add(account(id), { ok: true, snapshot: member });
    };
    for (let n = 0; n < 30; n++) addMember(n);
    // A WeakRef keeps its target until the current job ends: let it end before collecting.
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    const kept = alive.filter((ref) => ref.deref() !== undefined).length;
    assert.equal(kept, 0, `${kept} of 30 member snapshots are still reachable`);
    const report = builder.finish('2026-11-29T10:01:00.000Z');
    assert.equal(report.organization?.accounts.length, 31);
    const failing = report.findings.find((f) => f.control === 'CloudTrail.4' && f.status === 'FAIL');
    assert.ok(
      failing && report.fixAsCode(failing),
      'what JSON shows as code was made before the evidence went',
    );
  });
});
