/**
 * `scan --org` and `collect --org` on an organization built in moto: listing, unit and account filters,
 * roles assumed in members, an account whose role cannot be assumed, a suspended one, and the replay of an
 * organization snapshot giving the same verdicts.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CloseAccountCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { CreateAccessKeyCommand, CreateUserCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { collectOrganization } from '../../src/collect/organization.js';
import type { AccountOutcome } from '../../src/collect/organization.js';
import { CONTROLS } from '../../src/controls/index.js';
import { OrganizationReportBuilder } from '../../src/report/organization.js';
import type { Report } from '../../src/report/model.js';
import type { OrganizationAccount } from '../../src/snapshot/organization.js';
import { TEST_CREDENTIALS, motoAccess, motoEnv } from '../support/aws.js';
import { assertOneLine, runTrailcheck } from '../support/cli.js';
import { buildOrganization } from '../support/moto-org.js';
import type { OrganizationFixture } from '../support/moto-org.js';
import { useMoto } from '../support/moto-suite.js';

const suite = useMoto();
const REGIONS = ['us-east-1'];

async function scanOrganization(
  fixture: OrganizationFixture,
  options: {
    filter?: Parameters<typeof collectOrganization>[0]['filter'];
    roleName?: string;
    credentials?: typeof TEST_CREDENTIALS;
  } = {},
): Promise<{ report: Report; order: string[]; outcomes: Map<string, AccountOutcome> }> {
  const order: string[] = [];
  const outcomes = new Map<string, AccountOutcome>();
  let builder: OrganizationReportBuilder | undefined;
  await collectOrganization({
    access: motoAccess(suite.moto, options.credentials),
    regions: REGIONS,
    controls: CONTROLS,
    member: { roleName: options.roleName ?? 'OrganizationAccountAccessRole' },
    concurrency: 4,
    ...(options.filter ? { filter: options.filter } : {}),
    onListed: (listing) => {
      builder = new OrganizationReportBuilder({
        controls: CONTROLS,
        options: {},
        keepFixAsCode: false,
        organization: listing.organization,
        leftOut: listing.leftOut,
        managementForContextOnly: listing.managementForContextOnly,
        partition: 'aws',
        controlRegion: 'us-east-1',
        startedAt: new Date().toISOString(),
      });
    },
    onAccount: (account: OrganizationAccount, outcome) => {
      order.push(account.Id);
      outcomes.set(account.Id, outcome);
      builder?.add(account, outcome);
    },
  });
  assert.ok(builder);
  return { report: builder.finish(new Date().toISOString()), order, outcomes };
}

const statusOf = (report: Report, control: string, account: string) =>
  report.organization?.accounts.find((a) => a.id === account)?.controls[control];

describe('scan --org on moto', () => {
  it('assesses every account, the management account first, and counts the organization trail for members', async () => {
    const org = await buildOrganization(suite.moto, {
      members: 3,
      ous: [{ name: 'Workloads', children: [{ name: 'Production' }] }],
      placeMember: (index) => ['Workloads', 'Production', undefined][index],
      memberTrail: (index) => (index === 2 ? { name: 'own-trail', multiRegion: false } : undefined),
    });
    const { report, order, outcomes } = await scanOrganization(org);
    assert.equal(order[0], org.managementAccount, 'the management account comes first');
    assert.deepEqual(
      report.organization?.accounts.map((a) => a.id).sort(),
      [org.managementAccount, ...org.members.map((m) => m.id)].sort(),
    );
    for (const member of org.members) {
      const outcome = outcomes.get(member.id);
      assert.ok(outcome?.ok, `${member.name} was read through its role`);
      assert.equal(outcome.snapshot.account.Account, member.id, 'the evidence is the member’s own');
      assert.equal(
        statusOf(report, 'CloudTrail.3', member.id),
        'PASS',
        `${member.name}: covered by org-trail`,
      );
    }
    // The organization trail's settings are judged once, in the management account.
    const validation = report.findings.filter((f) => f.control === 'CloudTrail.4');
    assert.deepEqual(
      validation.map((f) => [f.account, f.resource.name]).sort(),
      [
        [org.managementAccount, 'org-trail'],
        [org.members[2]?.id, 'own-trail'],
      ].sort(),
    );
    const own = org.members[2];
    assert.ok(own);
    assert.equal(statusOf(report, 'CloudTrail.4', own.id), 'PASS');
  });

  it('limits the run to a unit and the units below it, and to named accounts', async () => {
    const org = await buildOrganization(suite.moto, {
      members: 3,
      ous: [{ name: 'Workloads', children: [{ name: 'Production' }] }],
      placeMember: (index) => ['Workloads', 'Production', undefined][index],
    });
    const workloads = org.ous.Workloads;
    assert.ok(workloads);
    const nested = await scanOrganization(org, { filter: { ous: [workloads] } });
    assert.deepEqual(
      nested.report.organization?.accounts.map((a) => a.id).sort(),
      [org.members[0]?.id, org.members[1]?.id].sort(),
    );
    assert.equal(nested.report.organization?.leftOut, 2);
    assert.equal(nested.order[0], org.managementAccount, 'read for its organization trails, not reported');
    assert.equal(statusOf(nested.report, 'CloudTrail.1', org.members[1]?.id ?? ''), 'PASS');

    const named = await scanOrganization(org, {
      filter: { accounts: [org.members[2]?.id ?? ''], excludeAccounts: [] },
    });
    assert.deepEqual(
      named.report.organization?.accounts.map((a) => a.id),
      [org.members[2]?.id],
    );
  });

  it('keeps a member whose role cannot be assumed, and a suspended one, UNKNOWN and assesses the rest', async () => {
    const org = await buildOrganization(suite.moto, { members: 3 });
    const [denied, suspended, fine] = org.members;
    assert.ok(denied && suspended && fine);
    await new OrganizationsClient({
      region: 'us-east-1',
      endpoint: suite.moto.endpoint,
      credentials: TEST_CREDENTIALS,
    }).send(new CloseAccountCommand({ AccountId: suspended.id }));
    // An auditor who may assume the role everywhere but in one member (as an SCP or a missing role would).
    const iam = suite.aws.iam();
    await iam.send(new CreateUserCommand({ UserName: 'org-auditor' }));
    await iam.send(
      new PutUserPolicyCommand({
        UserName: 'org-auditor',
        PolicyName: 'audit',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: '*', Resource: '*' },
            {
              Effect: 'Deny',
              Action: 'sts:AssumeRole',
              Resource: `arn:aws:iam::${denied.id}:role/OrganizationAccountAccessRole`,
            },
          ],
        }),
      }),
    );
    const key = await iam.send(new CreateAccessKeyCommand({ UserName: 'org-auditor' }));
    const credentials = {
      accessKeyId: key.AccessKey?.AccessKeyId ?? '',
      secretAccessKey: key.AccessKey?.SecretAccessKey ?? '',
    };
    await suite.moto.enforceIam();
    const { report, outcomes } = await scanOrganization(org, { credentials });
    const deniedOutcome = outcomes.get(denied.id);
    assert.ok(deniedOutcome && !deniedOutcome.ok);
    assert.equal(deniedOutcome.stage, 'assume-role');
    assert.match(
      deniedOutcome.reason,
      /could not assume arn:aws:iam::\d{12}:role\/OrganizationAccountAccessRole/,
    );
    const suspendedOutcome = outcomes.get(suspended.id);
    assert.ok(suspendedOutcome && !suspendedOutcome.ok);
    assert.equal(suspendedOutcome.stage, 'suspended');
    for (const id of [denied.id, suspended.id]) {
      const view = report.organization?.accounts.find((a) => a.id === id);
      assert.equal(view?.assessed, false);
      assert.ok(Object.values(view?.controls ?? {}).every((s) => s === 'UNKNOWN'));
    }
    assert.equal(statusOf(report, 'CloudTrail.1', fine.id), 'PASS', 'the other member is assessed fully');
    assert.equal(statusOf(report, 'CloudTrail.1', org.managementAccount), 'PASS');
  });
});

describe('the --org command line on moto', () => {
  it('collects an organization snapshot that scan --snapshot replays to the same verdicts', async () => {
    const org = await buildOrganization(suite.moto, { members: 2, orgTrail: { stopped: true } });
    const env = motoEnv(suite.moto);
    const dir = await mkdtemp(join(tmpdir(), 'trailcheck-org-'));
    const file = join(dir, 'org.json');
    const collected = await runTrailcheck(
      ['collect', '--org', '--region', 'us-east-1', '--output', file],
      env,
      120_000,
    );
    assert.equal(collected.code, 0, collected.stderr);
    assert.match(
      collected.stderr,
      new RegExp(`snapshot of organization ${org.organizationId} \\(3 accounts read\\)`),
    );
    const text = await readFile(file, 'utf8');
    assert.equal(text.split('\n').length, 3 + 4, 'one line per account between the header and the end');

    const live = await runTrailcheck(
      [
        'scan',
        '--org',
        '--region',
        'us-east-1',
        '--format',
        'csv',
        '--output-dir',
        join(dir, 'live'),
        '--output-name',
        'r',
        '--per-account',
      ],
      env,
      120_000,
    );
    const replay = await runTrailcheck(
      [
        'scan',
        '--snapshot',
        file,
        '--format',
        'csv',
        '--output-dir',
        join(dir, 'replay'),
        '--output-name',
        'r',
        '--per-account',
      ],
      {},
      120_000,
    );
    assert.equal(live.code, 1, 'the stopped organization trail fails the members');
    assert.equal(replay.code, 1, replay.stderr);
    // The same findings, verdicts and steps; only the time of the run differs.
    const rows = async (sub: string) =>
      (await readFile(join(dir, sub, 'r.csv'), 'utf8')).replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, 'TIME');
    assert.deepEqual(await rows('replay'), await rows('live'));
    assert.deepEqual(
      (await readdir(join(dir, 'replay', 'accounts'))).sort(),
      [org.managementAccount, ...org.members.map((m) => m.id)].map((id) => `${id}.csv`).sort(),
      'one report per account with --per-account',
    );
  });

  it('leaves no snapshot, whole or half, when collect --org is interrupted', async () => {
    await buildOrganization(suite.moto, { members: 40, orgTrail: false });
    const dir = await mkdtemp(join(tmpdir(), 'trailcheck-org-int-'));
    const file = join(dir, 'org.json');
    const result = await runTrailcheck(
      ['collect', '--org', '--region', 'us-east-1,eu-west-1', '--concurrency', '1', '--output', file],
      motoEnv(suite.moto),
      120_000,
      (child) => {
        // Interrupted once the snapshot is being written (its temporary file exists).
        const timer = setInterval(() => {
          void readdir(dir).then((names) => {
            if (names.some((n) => n.endsWith('.tmp'))) {
              clearInterval(timer);
              child.kill('SIGINT');
            }
          });
        }, 50);
        return () => clearInterval(timer);
      },
    );
    assert.equal(result.signal, 'SIGINT', `${result.code} ${result.stderr}`);
    assert.match(result.stderr, /interrupted; .*org\.json was not written/);
    assert.deepEqual(await readdir(dir), [], 'neither the snapshot nor its temporary file is left');
  });

  it('refuses organization flags without --org, and bad ids, in one line', async () => {
    const env = motoEnv(suite.moto);
    for (const [args, pattern] of [
      [['scan', '--role-name', 'Audit'], /--role-name applies to organization runs: add --org/],
      [['scan', '--org', '--ou', 'sales'], /--ou: 'sales' is not an organizational unit id/],
      [
        ['scan', '--org', '--accounts', '12345'],
        /--accounts takes a 12-digit AWS account id \(not '12345'\)/,
      ],
      [['scan', '--org', '--concurrency', '0'], /--concurrency takes a whole number from 1 to 64/],
      [['collect', '--org'], /collect --org writes a file as accounts complete: give --output FILE/],
    ] as const) {
      const result = await runTrailcheck([...args], env);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assertOneLine(result.stderr, pattern);
    }
  });

  it('says in one line when the account is not in an organization, or a named account is not a member', async () => {
    const env = motoEnv(suite.moto);
    const alone = await runTrailcheck(['scan', '--org', '--region', 'us-east-1'], env);
    assert.equal(alone.code, 3, alone.stderr);
    assertOneLine(alone.stderr, /is not in an AWS Organization/);
    const json = await runTrailcheck(['scan', '--org', '--region', 'us-east-1', '--format', 'json'], env);
    assert.equal(json.code, 3);
    const failed = JSON.parse(json.stdout) as { integer_result: number; error: string };
    assert.equal(failed.integer_result, 2, 'a JSON reader still learns the run could not happen');
    assert.match(failed.error, /not in an AWS Organization/);
    await buildOrganization(suite.moto, { members: 1, orgTrail: false });
    const stranger = await runTrailcheck(['scan', '--org', '--accounts', '999999999999'], env);
    assert.equal(stranger.code, 2, stranger.stderr);
    assertOneLine(stranger.stderr, /--accounts: 999999999999 is not an account of organization o-/);
  });
});
