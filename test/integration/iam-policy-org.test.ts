/**
 * `trailcheck iam-policy --for org` as a user runs it: bad flags are one line and exit 2, the template
 * passes cfn-lint (AWS's CloudFormation linter), and on moto the role the template describes, created in
 * a member account, can be assumed with the management policy and lets a scan of that member read
 * everything, while the management account without that policy cannot assume it.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { CreateRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import type { IAMClient } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { parse } from 'yaml';
import { ORGANIZATIONS_READ_ACTIONS } from '../../src/remediate/org-permissions.js';
import type { OrgPolicies } from '../../src/remediate/org-permissions.js';
import { ACCOUNT, TEST_CREDENTIALS, motoEnv, seedClients } from '../support/aws.js';
import { assumeMemberRole, buildOrganization } from '../support/moto-org.js';
import { assertOneLine, bareEnv, runTrailcheck } from '../support/cli.js';
import { collectFromMoto, useMoto } from '../support/moto-suite.js';
import type { MotoSuite } from '../support/moto-suite.js';
import { createTrail, createTrailBucket } from '../support/scenarios/builders.js';
import { MOTO_EXTRA_ACTIONS, scannerWithPolicy } from '../support/scenarios/more-builders.js';
import { ensureValidators } from '../support/validators-install.js';

const CFN_LINT = join(dirname(ensureValidators()), 'cfn-lint');

async function cfnLint(
  template: string,
): Promise<Array<{ Rule: { Id: string }; Level: string; Message: string }>> {
  const file = join(await mkdtemp(join(tmpdir(), 'trailcheck-org-cfn-')), 'trailcheck-audit-role.yaml');
  await writeFile(file, template);
  try {
    execFileSync(CFN_LINT, ['--format', 'json', file], { encoding: 'utf8', stdio: 'pipe' });
    return [];
  } catch (error) {
    // cfn-lint exits non-zero when it finds something; anything but its JSON report is a failure to run.
    const e = error as { stdout?: string; stderr?: string; status?: number };
    if (!(e.stdout ?? '').trim().startsWith('['))
      throw new Error(`cfn-lint did not run (exit ${e.status}): ${e.stderr ?? ''}`, { cause: error });
    return JSON.parse(e.stdout ?? '[]') as Array<{ Rule: { Id: string }; Level: string; Message: string }>;
  }
}

async function orgJson(args: string[]): Promise<OrgPolicies> {
  const result = await runTrailcheck(['iam-policy', '--for', 'org', ...args], bareEnv());
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as OrgPolicies;
}

describe('iam-policy --for org on the command line', () => {
  it('refuses a bad role name, external id, account id or format in one line, exit 2', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--for', 'org', '--role-name', ''], /--role-name needs a value/],
      [['--for', 'org', '--role-name', 'x'.repeat(65)], /--role-name takes an IAM role name: 1 to 64 /],
      [['--for', 'org', '--role-name', 'audit role'], /--role-name takes an IAM role name/],
      [['--for', 'org', '--external-id', 'x'], /--external-id takes 2 to 1224 .*\(not 'x'\)/],
      [['--for', 'org', '--external-id', "it's"], /--external-id takes 2 to 1224/],
      [['--for', 'org', '--management-account', '12345'], /--management-account takes a 12-digit/],
      [['--for', 'org', '--format', 'terraform'], /prints json or cloudformation \(not 'terraform'\)/],
      [
        ['--for', 'org', '-f', 'cloudformation', '--role-name', 'OrganizationAccountAccessRole'],
        /OrganizationAccountAccessRole exists already .* --role-name TrailcheckAudit/,
      ],
      [['--for', 'scan', '--role-name', 'TrailcheckAudit'], /--role-name is for 'iam-policy --for org'/],
      [['--for', 'fix', '--format', 'json'], /--format is for 'iam-policy --for org'/],
      [['--for', 'orgs'], /iam-policy needs --for scan, --for fix or --for org/],
    ];
    for (const [args, message] of cases) {
      const result = await runTrailcheck(['iam-policy', ...args], bareEnv());
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.equal(result.stdout, '', args.join(' '));
      assertOneLine(result.stderr, message);
    }
  });

  it('prints one JSON object; with OrganizationAccountAccessRole no template, and says why', async () => {
    const policies = await orgJson(['--controls', 'CloudTrail.4']);
    assert.deepEqual(Object.keys(policies), [
      'roleName',
      'scanCommand',
      'managementPolicy',
      'memberPolicy',
      'memberTrustPolicy',
      'stackSetTemplate',
      'deployCommands',
    ]);
    assert.equal(policies.roleName, 'TrailcheckAudit');
    const admin = await runTrailcheck(
      ['iam-policy', '--for', 'org', '--role-name', 'OrganizationAccountAccessRole'],
      bareEnv(),
    );
    assert.equal(admin.code, 0);
    const parsed = JSON.parse(admin.stdout) as OrgPolicies;
    assert.equal(parsed.stackSetTemplate, undefined);
    assertOneLine(admin.stderr, /administrator role .* --role-name TrailcheckAudit gives a read-only one/);
  });

  it('the template passes cfn-lint, with and without an external id, for every control', async () => {
    for (const extra of [[], ['--external-id', 'org-audit:7/a,b', '--management-account', '111122223333']]) {
      const result = await runTrailcheck(
        ['iam-policy', '--for', 'org', '--controls', 'all', '-f', 'cloudformation', ...extra],
        bareEnv(),
      );
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(await cfnLint(result.stdout), [], result.stdout);
      const json = await orgJson(['--controls', 'all', ...extra]);
      assert.deepEqual(parse(result.stdout), parse(json.stackSetTemplate ?? ''), 'one template, two forms');
    }
    // The linter is not a rubber stamp: a role without its trust policy is an error.
    const broken = (await orgJson([])).stackSetTemplate?.replace(
      /AssumeRolePolicyDocument:/,
      'AssumeRoleDocument:',
    );
    assert.ok((await cfnLint(broken ?? '')).some((f) => f.Level === 'Error'));
  });
});

type Parameters = Record<string, string>;

/** CloudFormation's intrinsic functions the template uses, as a stack would resolve them. */
function resolveTemplate(
  node: unknown,
  parameters: Parameters,
  conditions: Record<string, unknown>,
): unknown {
  const resolve = (value: unknown): unknown => resolveTemplate(value, parameters, conditions);
  if (Array.isArray(node)) return node.map(resolve).filter((v) => v !== NO_VALUE);
  if (typeof node !== 'object' || node === null) return node;
  const record = node as Record<string, unknown>;
  if ('Ref' in record) return record.Ref === 'AWS::NoValue' ? NO_VALUE : parameters[record.Ref as string];
  if ('Fn::Sub' in record)
    return (record['Fn::Sub'] as string).replace(/\$\{([^}]+)\}/g, (_, name: string) =>
      name === 'AWS::Partition' ? 'aws' : (parameters[name] ?? `\${${name}}`),
    );
  if ('Fn::Equals' in record) {
    const [a, b] = (record['Fn::Equals'] as unknown[]).map(resolve);
    return a === b;
  }
  if ('Fn::Not' in record) return !(resolve((record['Fn::Not'] as unknown[])[0]) as boolean);
  if ('Fn::If' in record) {
    const [name, yes, no] = record['Fn::If'] as [string, unknown, unknown];
    return resolve(resolve(conditions[name]) ? yes : no);
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    const resolved = resolve(value);
    if (resolved !== NO_VALUE) out[key] = resolved;
  }
  return out;
}
const NO_VALUE = Symbol('AWS::NoValue');

interface RoleProperties {
  RoleName: string;
  AssumeRolePolicyDocument: unknown;
  Policies: Array<{ PolicyName: string; PolicyDocument: unknown }>;
}

const MEMBER = '111111111111';
const EXTERNAL_ID = 'org-audit-7';

function clientsFor(
  suite: MotoSuite,
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
) {
  const seed = seedClients(suite.moto, credentials);
  return {
    seed,
    sts: new STSClient({ region: 'us-east-1', endpoint: suite.moto.endpoint, credentials, maxAttempts: 1 }),
  };
}

async function assumeRole(
  sts: STSClient,
  roleName: string,
  externalId?: string,
): Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken: string }> {
  const { Credentials: c } = await sts.send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${MEMBER}:role/${roleName}`,
      RoleSessionName: 'trailcheck',
      ...(externalId ? { ExternalId: externalId } : {}),
    }),
  );
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken)
    throw new Error('moto returned no credentials');
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
}

function accessDenied(snapshot: unknown): string[] {
  const found: string[] = [];
  const visit = (value: unknown): void => {
    if (typeof value !== 'object' || value === null) return;
    const record = value as Record<string, unknown>;
    const failure = record.failure as { kind?: string; operation?: string } | undefined;
    if (record.ok === false && failure?.kind === 'access-denied') found.push(failure.operation ?? '?');
    for (const child of Object.values(record)) visit(child);
  };
  visit(snapshot);
  return found;
}

/** The template's role, made as the StackSet would make it, plus what moto checks S3 reads as. */
async function createAuditRole(iam: IAMClient, role: RoleProperties): Promise<void> {
  await iam.send(
    new CreateRoleCommand({
      RoleName: role.RoleName,
      AssumeRolePolicyDocument: JSON.stringify(role.AssumeRolePolicyDocument),
    }),
  );
  for (const policy of role.Policies)
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: role.RoleName,
        PolicyName: policy.PolicyName,
        PolicyDocument: JSON.stringify(policy.PolicyDocument),
      }),
    );
  // moto authorises some S3 reads under other names (see MOTO_EXTRA_ACTIONS): moto's quirk, not AWS's.
  await iam.send(
    new PutRolePolicyCommand({
      RoleName: role.RoleName,
      PolicyName: 'moto-quirks',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: [...MOTO_EXTRA_ACTIONS], Resource: '*' }],
      }),
    }),
  );
}

/** The role the template creates in an account, its parameters filled in. */
function auditRoleOf(policies: OrgPolicies, managementAccount: string, externalId: string): RoleProperties {
  const template = parse(policies.stackSetTemplate ?? '') as {
    Conditions: Record<string, unknown>;
    Resources: { AuditRole: { Properties: unknown } };
  };
  return resolveTemplate(
    template.Resources.AuditRole.Properties,
    { ManagementAccountId: managementAccount, ExternalId: externalId },
    template.Conditions,
  ) as RoleProperties;
}

describe('iam-policy --for org on moto', () => {
  const suite = useMoto();

  it('the template’s role, made in a member, is assumed with the management policy and reads everything', async () => {
    const policies = await orgJson([
      '--controls',
      'all',
      '--external-id',
      EXTERNAL_ID,
      '--management-account',
      ACCOUNT,
    ]);
    const role = auditRoleOf(policies, ACCOUNT, EXTERNAL_ID);
    assert.deepEqual(
      role.AssumeRolePolicyDocument,
      policies.memberTrustPolicy,
      'the template says what the JSON says',
    );

    // The member, reached as moto's OrganizationAccountAccessRole would be, gets the role and a trail.
    const management = clientsFor(suite, TEST_CREDENTIALS);
    const member = clientsFor(suite, await assumeRole(management.sts, 'OrganizationAccountAccessRole'));
    const iam = member.seed.iam();
    await createAuditRole(iam, role);
    await createTrailBucket(member.seed, 'member-logs', 'MemberTrail');
    await createTrail(member.seed, { name: 'MemberTrail', bucket: 'member-logs', multiRegion: true });

    // A management user without the policy's sts:AssumeRole cannot get in; with exactly the policy it can.
    const withoutAssume = await scannerWithPolicy(
      suite,
      policies.managementPolicy.Statement.filter((s) => !s.Action.includes('sts:AssumeRole')),
      'no-assume',
    );
    await assert.rejects(
      assumeRole(clientsFor(suite, withoutAssume).sts, role.RoleName, EXTERNAL_ID),
      (e: Error) => e.name === 'AccessDenied',
    );
    await suite.moto.stopEnforcingIam();
    const scanner = await scannerWithPolicy(suite, policies.managementPolicy.Statement, 'org-scanner');
    const audit = await assumeRole(clientsFor(suite, scanner).sts, role.RoleName, EXTERNAL_ID);
    const identity = await clientsFor(suite, audit).sts.send(new GetCallerIdentityCommand({}));
    assert.equal(identity.Account, MEMBER);
    assert.match(identity.Arn ?? '', /:assumed-role\/TrailcheckAudit\/trailcheck$/);

    const snapshot = await collectFromMoto(suite, { credentials: audit });
    assert.equal(snapshot.account.Account, MEMBER);
    assert.deepEqual(accessDenied(snapshot), [], 'the member policy lets every read through');
    assert.ok(JSON.stringify(snapshot).includes('MemberTrail'), 'the member’s trail was read');

    // moto does not check a trust policy's sts:ExternalId condition (AWS does): that is left to the unit
    // test of the policy. It does check the management policy's resource, so only the named role is reachable.
    await suite.moto.stopEnforcingIam();
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'OtherRole',
        AssumeRolePolicyDocument: JSON.stringify(role.AssumeRolePolicyDocument),
      }),
    );
    const anyRole = await scannerWithPolicy(
      suite,
      [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }],
      'any-role',
    );
    await assert.rejects(
      assumeRole(clientsFor(suite, scanner).sts, 'OtherRole', EXTERNAL_ID),
      (e: Error) => e.name === 'AccessDenied',
    );
    // And it is the role's own policy that lets the scan read: a role without it is denied.
    const bare = await assumeRole(clientsFor(suite, anyRole).sts, 'OtherRole', EXTERNAL_ID);
    assert.ok(accessDenied(await collectFromMoto(suite, { credentials: bare })).length > 0);
  });

  it('scan --org’s collection with exactly the management policy and the template’s role reads everything; less is refused', async () => {
    const org = await buildOrganization(suite.moto, {
      members: 2,
      ous: [{ name: 'Workloads', children: [{ name: 'Production' }] }],
      placeMember: (index) => (index === 0 ? 'Production' : undefined),
      memberTrail: () => ({}),
    });
    const policies = await orgJson(['--external-id', EXTERNAL_ID]);
    const role = auditRoleOf(policies, org.managementAccount, EXTERNAL_ID);
    for (const member of org.members)
      await createAuditRole(
        seedClients(suite.moto, await assumeMemberRole(suite.moto, member.id)).iam(),
        role,
      );
    const scanner = await scannerWithPolicy(
      suite,
      [
        ...policies.managementPolicy.Statement,
        { Effect: 'Allow', Action: [...MOTO_EXTRA_ACTIONS], Resource: '*' },
      ],
      'org-scanner',
    );
    const dir = await mkdtemp(join(tmpdir(), 'trailcheck-org-policy-'));
    const filters = [[], ['--ou', org.ous.Workloads ?? 'missing']];
    const collectOrg = (credentials: typeof scanner, filter: string[], file: string) =>
      runTrailcheck(
        [
          'collect',
          '--org',
          '--region',
          'us-east-1',
          '--role-name',
          'TrailcheckAudit',
          '--external-id',
          EXTERNAL_ID,
          '--output',
          file,
          ...filter,
        ],
        motoEnv(suite.moto, credentials),
        120_000,
      );
    for (const filter of filters) {
      const file = join(dir, `org${filter.length}.json`);
      const result = await collectOrg(scanner, filter, file);
      assert.equal(result.code, 0, result.stderr);
      const read = filter.length === 0 ? 3 : 2;
      assert.match(
        result.stderr,
        new RegExp(`\\(${read} accounts read\\)`),
        `${filter.join(' ')}: ${result.stderr}`,
      );
      const snapshot = JSON.parse(await readFile(file, 'utf8')) as {
        accounts: Array<{ outcome: { ok: boolean } }>;
      };
      assert.equal(snapshot.accounts.length, read);
      assert.ok(
        snapshot.accounts.every((a) => a.outcome.ok),
        'every account entered through its role',
      );
      assert.deepEqual(accessDenied(snapshot), [], 'no read denied, in any account');
    }
    // Least privilege: without any one of the Organizations reads, one of the two runs is refused.
    for (const action of ORGANIZATIONS_READ_ACTIONS) {
      await suite.moto.stopEnforcingIam();
      const without = await scannerWithPolicy(
        suite,
        [
          ...policies.managementPolicy.Statement.map((s) => ({
            ...s,
            Action: s.Action.filter((a) => a !== action),
          })),
          { Effect: 'Allow', Action: [...MOTO_EXTRA_ACTIONS], Resource: '*' },
        ],
        `without-${action.split(':')[1] ?? ''}`,
      );
      const refusals: string[] = [];
      for (const filter of filters) {
        const result = await collectOrg(without, filter, join(dir, `without-${filter.length}.json`));
        if (result.code !== 0) refusals.push(result.stderr);
      }
      assert.ok(
        refusals.some((stderr) => stderr.includes(action)),
        `${action} removed: ${refusals.join('')}`,
      );
    }
  });
});
