/**
 * `plan --org` and `fix --org` on an organization built in moto: one plan per account (a member's own
 * trail fixed in its own section, the organization trail only in the management account's), --apply
 * refused unless --accounts names the accounts to change, and an applied fix that changes the named member
 * only, with the member's own credentials.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DescribeTrailsCommand } from '@aws-sdk/client-cloudtrail';
import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { isWriteOperation } from '../../src/fixes/calls.js';
import { motoEnv, seedClients } from '../support/aws.js';
import { FaultProxy } from '../support/fault-proxy.js';
import { CLI, assertOneLine, runTrailcheckInTty } from '../support/cli.js';
import type { CliResult } from '../support/cli.js';
import { buildOrganization, memberClients } from '../support/moto-org.js';
import type { OrganizationFixture } from '../support/moto-org.js';
import { useMoto } from '../support/moto-suite.js';

const suite = useMoto();
const BASE = ['--region', 'us-east-1', '--controls', 'CloudTrail.4'];

/**
 * Runs the CLI in `cwd`, so the journals an --apply writes by default land in a temporary folder.
 * `watch`, if given, sees the child while it runs (to signal it) and returns how to stop watching.
 */
function trailcheckIn(
  cwd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  watch?: (child: ChildProcess) => () => void,
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const unwatch = watch?.(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      unwatch?.();
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/**
 * The organization trail has log file validation off (management's to fix); member 1 has its own trail
 * with it off (member 1's to fix); member 2 has no trail of its own (nothing to fix).
 */
async function organizationWithGaps(): Promise<OrganizationFixture> {
  return buildOrganization(suite.moto, {
    members: 2,
    orgTrail: { logFileValidation: false },
    memberTrail: (index) => (index === 0 ? { name: 'own-trail', logFileValidation: false } : undefined),
  });
}

/** The text of a Markdown section, from its `## ` heading to the next one. */
function section(markdown: string, account: string): string {
  const start = markdown.indexOf(`## Account ${account}`);
  assert.ok(start >= 0, `a section for account ${account}`);
  const next = markdown.indexOf('\n## ', start + 1);
  return markdown.slice(start, next < 0 ? undefined : next);
}

async function logFileValidation(credentials: ReturnType<typeof seedClients>, name: string) {
  const out = await credentials
    .cloudtrail('us-east-1')
    .send(new DescribeTrailsCommand({ trailNameList: [name] }));
  return out.trailList?.[0]?.LogFileValidationEnabled;
}

describe('plan --org and fix --org on moto', () => {
  it('plans each account in its own section: a member’s own trail there, the organization trail only in the management account’s', async () => {
    const org = await organizationWithGaps();
    const [own, bare] = org.members;
    assert.ok(own && bare);
    const env = motoEnv(suite.moto);
    const dir = await mkdtemp(join(tmpdir(), 'trailcheck-orgplan-'));

    const markdown = await trailcheckIn(dir, ['plan', '--org', ...BASE], env);
    assert.equal(markdown.code, 0, markdown.stderr);
    const management = section(markdown.stdout, org.managementAccount);
    const ownSection = section(markdown.stdout, own.id);
    const bareSection = section(markdown.stdout, bare.id);
    assert.ok(
      markdown.stdout.indexOf(`## Account ${org.managementAccount}`) <
        markdown.stdout.indexOf(`## Account ${own.id}`),
      'the management account comes first',
    );
    assert.match(management, /org-trail/);
    assert.match(management, /enable-log-file-validation/);
    assert.match(management, /Run with the credentials trailcheck ran with/);
    assert.match(ownSection, /own-trail/);
    assert.match(ownSection, /enable-log-file-validation/);
    assert.match(ownSection, new RegExp(`role OrganizationAccountAccessRole in account ${own.id}`));
    for (const member of [ownSection, bareSection])
      assert.doesNotMatch(
        member,
        /org-trail/,
        'the organization trail is fixed in the management account only',
      );
    assert.match(bareSection, /Nothing for `trailcheck fix` to change/);

    const json = await trailcheckIn(dir, ['plan', '--org', ...BASE, '--format', 'json'], env);
    assert.equal(json.code, 0, json.stderr);
    const parsed = JSON.parse(json.stdout) as {
      organization: string;
      accounts: Array<{
        account: string;
        name: string;
        plan: { steps: Array<{ input: unknown }> };
      }>;
    };
    assert.equal(parsed.organization, org.organizationId);
    const stepsOf = (id: string) =>
      JSON.stringify(parsed.accounts.find((a) => a.account === id)?.plan.steps.map((s) => s.input));
    assert.deepEqual(
      parsed.accounts.map((a) => a.account),
      [org.managementAccount, ...[own.id, bare.id].sort()],
    );
    assert.match(stepsOf(org.managementAccount), /org-trail/);
    assert.doesNotMatch(stepsOf(org.managementAccount), /own-trail/);
    assert.match(stepsOf(own.id), /own-trail/);
    assert.doesNotMatch(stepsOf(own.id), /org-trail/);
    assert.equal(stepsOf(bare.id), '[]');

    const script = await trailcheckIn(dir, ['plan', '--org', ...BASE, '--format', 'cli'], env);
    assert.equal(script.code, 0, script.stderr);
    assert.equal(script.stdout.match(/^#!/gm)?.length, 1, 'one script');
    const scriptFile = join(dir, 'fix.sh');
    await writeFile(scriptFile, script.stdout);
    // A section with nothing to run (member 2's) must still leave valid bash.
    assert.equal(spawnSync('bash', ['-n', scriptFile]).status, 0, 'the script parses');
    for (const id of [org.managementAccount, own.id])
      assert.match(script.stdout, new RegExp(`--query Account --output text\\)" = "${id}" \\]; then`));

    const terraform = await trailcheckIn(dir, ['plan', '--org', ...BASE, '--format', 'terraform'], env);
    assert.equal(terraform.code, 2, terraform.stderr);
    assertOneLine(terraform.stderr, /with --org, name exactly one account with --accounts ID/);
    const one = await trailcheckIn(
      dir,
      ['plan', '--org', ...BASE, '--format', 'terraform', '--accounts', own.id],
      env,
    );
    assert.equal(one.code, 0, one.stderr);
    assert.match(one.stdout, /own-trail/);
    assert.doesNotMatch(one.stdout, /org-trail/);
  });

  it('plans from an organization snapshot (collect --org) as from AWS, and --accounts picks the account of a Terraform plan', async () => {
    const org = await organizationWithGaps();
    const [own] = org.members;
    assert.ok(own);
    const env = motoEnv(suite.moto);
    const dir = await mkdtemp(join(tmpdir(), 'trailcheck-orgplan-'));
    const file = join(dir, 'org.json');
    const collected = await trailcheckIn(dir, ['collect', '--org', ...BASE, '--output', file], env);
    assert.equal(collected.code, 0, collected.stderr);
    const live = await trailcheckIn(dir, ['plan', '--org', ...BASE, '--format', 'json'], env);
    const offline = await trailcheckIn(
      dir,
      ['plan', '--snapshot', file, '--controls', 'CloudTrail.4', '--format', 'json'],
      {},
    );
    assert.equal(offline.code, 0, offline.stderr);
    assert.deepEqual(JSON.parse(offline.stdout), JSON.parse(live.stdout));
    const terraform = await trailcheckIn(
      dir,
      [
        'plan',
        '--snapshot',
        file,
        '--controls',
        'CloudTrail.4',
        '--format',
        'terraform',
        '--accounts',
        own.id,
      ],
      {},
    );
    assert.equal(terraform.code, 0, terraform.stderr);
    assert.match(terraform.stdout, /own-trail/);
    const stray = await trailcheckIn(dir, ['plan', '--snapshot', file, '--role-name', 'Audit'], {});
    assert.equal(stray.code, 2, stray.stderr);
    assertOneLine(stray.stderr, /--role-name chooses what an organization run reads from AWS/);
  });

  it('refuses fix --org --apply unless --accounts names the accounts to change', async () => {
    await organizationWithGaps();
    const dir = await mkdtemp(join(tmpdir(), 'trailcheck-orgfix-'));
    const refused = await trailcheckIn(
      dir,
      ['fix', '--org', ...BASE, '--apply', '--yes'],
      motoEnv(suite.moto),
    );
    assert.equal(refused.code, 2, refused.stderr);
    assertOneLine(refused.stderr, /fix --org --apply changes only the accounts you name: give --accounts/);
    assert.deepEqual(await readdir(dir), [], 'nothing was written, no journal begun');
  });

  it('asks once, naming every account it would change, and changes nothing unless told yes', async () => {
    const org = await organizationWithGaps();
    const [own] = org.members;
    assert.ok(own);
    const result = await runTrailcheckInTty(
      ['fix', '--org', ...BASE, '--apply', '--accounts', `${own.id},${org.managementAccount}`],
      motoEnv(suite.moto),
      120_000,
    );
    assert.equal(result.code, 1, result.output);
    assert.match(
      result.output,
      new RegExp(
        `Apply these changes, one account at a time: 1 to account ${org.managementAccount} \\(master\\), 1 to account ${own.id} \\(member-1\\)\\?`,
      ),
    );
    assert.match(result.output, /Nothing was changed in any account \(not confirmed\)/);
    assert.equal(await logFileValidation(await memberClients(suite.moto, own.id), 'own-trail'), false);
    assert.equal(await logFileValidation(seedClients(suite.moto), 'org-trail'), false);
  });

  it('a member whose step fails is rolled back and the run stops: earlier accounts kept, later ones untouched', async () => {
    const org = await buildOrganization(suite.moto, {
      members: 2,
      orgTrail: { logFileValidation: false },
      memberTrail: (index) => ({ name: `trail-${index}`, logFileValidation: false }),
    });
    // Changed in this order: the management account, then the members by id.
    const [failing, later] = [...org.members].sort((a, b) => a.id.localeCompare(b.id));
    assert.ok(failing && later);
    const allowAll = { Effect: 'Allow', Action: '*', Resource: '*' };
    for (const [member, statements] of [
      [failing, [allowAll, { Effect: 'Deny', Action: 'cloudtrail:UpdateTrail', Resource: '*' }]],
      [later, [allowAll]],
    ] as const) {
      const clients = await memberClients(suite.moto, member.id);
      await clients.iam().send(
        new PutRolePolicyCommand({
          RoleName: 'OrganizationAccountAccessRole',
          PolicyName: 'fix',
          PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: statements }),
        }),
      );
    }
    const iam = suite.aws.iam();
    await iam.send(new CreateUserCommand({ UserName: 'org-admin' }));
    await iam.send(
      new PutUserPolicyCommand({
        UserName: 'org-admin',
        PolicyName: 'all',
        PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [allowAll] }),
      }),
    );
    const key = await iam.send(new CreateAccessKeyCommand({ UserName: 'org-admin' }));
    const admin = {
      accessKeyId: key.AccessKey?.AccessKeyId ?? '',
      secretAccessKey: key.AccessKey?.SecretAccessKey ?? '',
    };
    await suite.moto.enforceIam();
    const dir = await mkdtemp(join(tmpdir(), 'trailcheck-orgfix-'));
    const result = await trailcheckIn(
      dir,
      [
        'fix',
        '--org',
        ...BASE,
        '--apply',
        '--yes',
        '--accounts',
        [org.managementAccount, failing.id, later.id].join(','),
      ],
      motoEnv(suite.moto, admin),
    );
    assert.equal(result.code, 3, result.stdout + result.stderr);
    assert.match(result.stdout, /step 1 cloudtrail:UpdateTrail \(us-east-1\): FAILED/);
    assert.match(result.stdout, new RegExp(`Changed and kept: ${org.managementAccount} \\(master\\)\\.`));
    assert.match(
      result.stdout,
      new RegExp(`Rolled back: ${failing.id} \\(${failing.name}\\) \\(a step failed`),
    );
    assert.match(result.stdout, new RegExp(`Untouched: ${later.id} \\(${later.name}\\)`));
    await suite.moto.stopEnforcingIam();
    assert.equal(await logFileValidation(seedClients(suite.moto), 'org-trail'), true, 'kept');
    assert.equal(
      await logFileValidation(await memberClients(suite.moto, later.id), 'trail-1'),
      false,
      'the account after the failure was not touched',
    );
    const journals = (await readdir(join(dir, '.trailcheck', 'journal'))).map((f) => f.slice(0, 12)).sort();
    assert.deepEqual(
      journals,
      [org.managementAccount, failing.id].sort(),
      'no journal for the untouched account',
    );
  });

  it('Ctrl-C during the second account: that account is rolled back, the first kept, the third untouched, exit 130', async () => {
    const org = await buildOrganization(suite.moto, {
      members: 2,
      orgTrail: { logFileValidation: false },
      memberTrail: (index) => ({ name: `trail-${index}`, logFileValidation: false }),
    });
    // Changed in this order: the management account, then the members by id.
    const [second, third] = [...org.members].sort((a, b) => a.id.localeCompare(b.id));
    assert.ok(second && third);
    const trailOf = (member: typeof second) => `trail-${org.members.indexOf(member)}`;
    // Every write slowed, so the signal lands while the second account's step is in flight.
    const proxy = await FaultProxy.start(suite.moto.endpoint);
    proxy.addRule({
      match: (request) => isWriteOperation(request.operation),
      fault: { kind: 'delay', ms: 400 },
    });
    const dir = await mkdtemp(join(tmpdir(), 'trailcheck-orgfix-'));
    const journals = join(dir, '.trailcheck', 'journal');
    try {
      const result = await trailcheckIn(
        dir,
        [
          'fix',
          '--org',
          ...BASE,
          '--apply',
          '--yes',
          '--accounts',
          [org.managementAccount, second.id, third.id].join(','),
        ],
        { ...motoEnv(suite.moto), AWS_ENDPOINT_URL: proxy.endpoint },
        (child) => {
          const timer = setInterval(() => {
            if (existsSync(journals) && readdirSync(journals).some((f) => f.startsWith(`${second.id}-`))) {
              clearInterval(timer);
              child.kill('SIGINT');
            }
          }, 20);
          return () => clearInterval(timer);
        },
      );
      assert.equal(result.code, 130, result.stdout + result.stderr);
      assert.match(result.stdout, new RegExp(`Changed and kept: ${org.managementAccount} \\(master\\)\\.`));
      assert.match(
        result.stdout,
        new RegExp(`Rolled back: ${second.id} \\(${second.name}\\) \\(interrupted`),
      );
      assert.match(result.stdout, new RegExp(`Untouched: ${third.id} \\(${third.name}\\)`));
    } finally {
      await proxy.stop();
    }
    assert.equal(
      await logFileValidation(seedClients(suite.moto), 'org-trail'),
      true,
      'the first account kept',
    );
    assert.equal(
      await logFileValidation(await memberClients(suite.moto, second.id), trailOf(second)),
      false,
      'the interrupted account is as it was',
    );
    assert.equal(
      await logFileValidation(await memberClients(suite.moto, third.id), trailOf(third)),
      false,
      'the account after the interrupt was not touched',
    );
    const written = readdirSync(journals)
      .map((f) => f.slice(0, 12))
      .sort();
    assert.deepEqual(
      written,
      [org.managementAccount, second.id].sort(),
      'no journal for the untouched account',
    );
  });

  it('fix --org --apply --accounts MEMBER changes that member only, with its own role and journal', async () => {
    const org = await organizationWithGaps();
    const [own, bare] = org.members;
    assert.ok(own && bare);
    const env = motoEnv(suite.moto);
    const dir = await mkdtemp(join(tmpdir(), 'trailcheck-orgfix-'));

    const dryRun = await trailcheckIn(dir, ['fix', '--org', ...BASE], env);
    assert.equal(dryRun.code, 1, 'the dry run finds something to fix');
    assert.match(dryRun.stdout, new RegExp(`==== Account ${own.id}`));

    const applied = await trailcheckIn(
      dir,
      ['fix', '--org', ...BASE, '--apply', '--yes', '--accounts', own.id, '--format', 'json'],
      env,
    );
    assert.equal(applied.code, 0, applied.stderr);
    const report = JSON.parse(applied.stdout) as {
      accounts: Array<{ account: string; result: string; journal?: string }>;
      changed: string[];
      rolledBack: string[];
      untouched: string[];
    };
    assert.deepEqual(report.changed, [own.id]);
    assert.deepEqual(report.rolledBack, []);
    assert.deepEqual(report.untouched, []);
    assert.deepEqual(
      report.accounts.map((a) => [a.account, a.result]),
      [[own.id, 'changed and kept']],
      'only the named member is shown and changed',
    );

    // Seen through the member's own role: its trail now validates its log files.
    const member = await memberClients(suite.moto, own.id);
    assert.equal(await logFileValidation(member, 'own-trail'), true);
    // The organization trail, the management account's, is as it was.
    assert.equal(await logFileValidation(seedClients(suite.moto), 'org-trail'), false);
    // The other member was not touched: still no trail of its own.
    const other = await memberClients(suite.moto, bare.id);
    const trails = await other.cloudtrail('us-east-1').send(new DescribeTrailsCommand({}));
    assert.deepEqual(
      (trails.trailList ?? []).filter((t) => t.TrailARN?.includes(`:${bare.id}:`)),
      [],
    );
    // One journal, named by the member's id.
    const journals = await readdir(join(dir, '.trailcheck', 'journal'));
    assert.equal(journals.length, 1);
    assert.ok(journals[0]?.startsWith(`${own.id}-`), journals[0]);
  });
});
